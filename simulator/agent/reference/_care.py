"""Which kind of product a customer's care question is about, however they name it.

By its kind ('my headphones'), by its product code, or (store catalog) by its brand and
colour: 'my Kestrel, the red one'. A brand alone may fit several kinds of product; the
colour then settles it (see ``_described`` for the slots this fills).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.agent.reference import _described as d
from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference._families import Memo, Plan


def _code_sql(text: str) -> str:
    said = f"lower({p.sql_text(text)})"
    return (
        "SELECT lower(name || ' ' || COALESCE(family, '')), product_code, "
        f"instr({said}, lower(product_code)) FROM products "
        f"WHERE instr({said}, lower(product_code)) > 0"
    )


def care_kind(
    texts: Sequence[str], kinds: Sequence[str], memo: Memo, org: str | None
) -> Plan[str | None]:
    """The care kind the texts name (one of ``kinds``), AMBIGUOUS and the candidate kinds
    when a brand fits several, None when none is named."""
    names = [(k, p.category_aliases(k)) for k in kinds]
    coded = yield from match.latest(texts, "product code", memo, _code_sql)
    if coded is not None:
        return p.name_in(coded, names)
    kind = p.last_match(texts, lambda t: p.name_in(t, names))
    if kind is not None or org != "b2c":
        return kind
    looks = yield from memo.lookup(
        "product looks",
        "",
        "SELECT DISTINCT brand, colour FROM products WHERE brand IS NOT NULL",
    )
    brands = sorted({str(r[0]) for r in looks.rows if r[0]})
    colours = sorted({str(r[1]).lower() for r in looks.rows if r[1]})
    brand = p.last_match(texts, lambda t: p.name_in(t, [(b, [b]) for b in brands]))
    if brand is None:
        return None
    colour = p.last_match(texts, lambda t: p.name_in(t, [(c, [c]) for c in colours]))
    where = f"brand = {p.sql_text(brand)}"
    where += f" AND lower(colour) = {p.sql_text(colour)}" if colour else ""
    rows = yield from memo.lookup(
        "product kinds", where, f"SELECT DISTINCT family FROM products WHERE {where} ORDER BY 1"
    )
    found = [[k] for k in kinds if any(str(r[0]).lower() == k for r in rows.rows)]
    return d.candidates(found)
