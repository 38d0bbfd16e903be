"""Quote policy families the reference agents solve by rule.

quote_approval checks a quote awaiting review against the validity, price-floor and
discount policies (the discount limits are read from the approval-matrix article) and
approves or rejects it; invalid_configuration checks the product mix against the
configuration-rule articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.agent.reference import _described as d
from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import attempt, default_record, fetch, problem_with
from simulator.agent.reference._view import View

_QUOTE = Slot("quote", "which quote (its quote number)")
_STATUSES = {
    "draft": "Draft",
    "presented": "Presented",
    "waiting for review": "Needs Review",
    "needs review": "Needs Review",
    "awaiting review": "Needs Review",
    "under review": "Needs Review",
}
"""How people say a quote's status -> ``quotes.status``."""


_LATEST_REVIEW = (
    "SELECT id FROM quotes WHERE status = 'Needs Review' ORDER BY created_date DESC LIMIT 1"
)
"""The quote an eager agent assumes: the newest one awaiting review."""


def _quote(
    texts: Sequence[str], view: View, memo: Memo, statuses: tuple[str, ...]
) -> Plan[str | None]:
    """The quote slot's value: the quote numbered, or the one described (whom it is for,
    and among their quotes in ``statuses``, its status or whether it is the most recent
    or the oldest), AMBIGUOUS when several fit."""
    found = yield from match.latest(texts, "quote", memo, match.quote)
    if found is not None:
        return found
    org = view.org or "b2b"
    listed = ", ".join(p.sql_text(s) for s in statuses)
    buyer = yield from match.latest(
        texts,
        "quote buyer",
        memo,
        lambda t: d.buyer_sql(t, org, "quotes", f"r.status IN ({listed})"),
    )
    if buyer is None:
        return None
    table, column, name = d.BUYERS[org]
    status = p.last_match(texts, lambda t: p.word_map(t, _STATUSES)) if len(statuses) > 1 else None
    where = f" AND {name} = {p.sql_text(buyer)}"
    where += f" AND q.status = {p.sql_text(status)}" if status else ""
    rows = yield from memo.lookup(
        "quotes",
        listed + where,
        f"SELECT q.id, q.created_date FROM quotes q JOIN {table} b ON b.id = q.{column} "
        f"WHERE q.status IN ({listed}){where} ORDER BY q.created_date, q.id",
    )
    return d.candidates(d.by_recency(rows.rows, p.last_match(texts, d.recency_said)))


class QuoteApproval(Family):
    """Approve a quote that meets the pricing policies; reject it citing the one it breaks."""

    name = "quote_approval"
    keywords = ("approval", "approve", "needs review", "reject", "quote", "pricing policies")
    slots = (
        _QUOTE,
        Slot(d.DETAIL, "which of their quotes waiting for review it is (the most recent or "
             "the oldest)"),
        Slot("role", "what your approval role is (sales manager or sales director)"),
    )  # fmt: skip

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        quote = yield from _quote(texts, view, memo, ("Needs Review",))
        role = p.last_match(texts, p.approver)
        return {**d.record_slots("quote", quote), **present({"role": role})}

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = yield from default_record(
            {"role": "sales manager", **known},
            "quote",
            _LATEST_REVIEW,
            "No quote is waiting for review.",
        )
        return slots if isinstance(slots, str) else d.settle(slots, "quote")

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        quote = p.sql_text(slots["quote"])
        rows = yield from fetch(
            f"SELECT q.discount, q.expiration_date < {p.sql_text(view.today.isoformat())}, "
            "(SELECT COUNT(*) FROM quote_line_items li JOIN "
            "products pr ON pr.id = li.product_id WHERE li.quote_id = q.id AND li.unit_price < "
            f"pr.price_floor) FROM quotes q WHERE q.id = {quote}"
        )
        problem = problem_with(rows, "quote")
        if problem:
            return problem
        discount, expired, below = rows.rows[0]
        articles = yield from fetch(
            "SELECT id, title, body FROM knowledge_articles WHERE title IN ('Quote validity', "
            "'Price floor policy', 'Quote discount approval matrix')"
        )
        by_title = {str(r[1]): (str(r[0]), str(r[2])) for r in articles.rows}
        matrix = by_title.get("Quote discount approval matrix", ("", ""))[1]
        limits = dict(
            re.findall(r"(manager|director) (?:may approve .*?)?up to (\d+) percent", matrix)
        )
        limit = float(limits.get(slots["role"].split()[-1], 0))
        broken = None
        if expired:
            broken = "Quote validity"
        elif below:
            broken = "Price floor policy"
        elif float(discount) > limit:
            broken = "Quote discount approval matrix"
        if broken is None:
            failed = yield from attempt(
                "approve the quote", "approve_quote", quote_id=slots["quote"]
            )
            if failed:
                return failed
            return Answer("none", f"Quote {slots['quote']} meets every policy; I approved it.")
        article = by_title.get(broken, ("", ""))[0]
        failed = yield from attempt(
            "reject the quote", "reject_quote", quote_id=slots["quote"], article_id=article
        )
        if failed:
            return failed
        return Answer(
            article, f"I rejected quote {slots['quote']}: it breaks '{broken}' ({article})."
        )


@dataclass(frozen=True)
class Rules:
    """An org's configuration rules: which products are devices and hosts, and per rule
    (a word of its article's title, the limited product, what limits it)."""

    devices: str
    hosts: str
    rules: tuple[tuple[str, str, str], ...]


RULES = {
    "b2b": Rules(
        "(pr.name LIKE '%Laptop%' OR pr.name LIKE '%Workstation%' "
        "OR pr.name LIKE '%Conference Room Kit%')",
        "pr.name LIKE '%Laptop%'",
        (
            ("Premier Support", "name LIKE 'Premier Support%'", "devices"),
            ("On-site Installation", "name LIKE 'On-site Installation%'", "installation"),
            ("Extended Warranty", "name LIKE 'Extended Warranty%'", "devices"),
            ("Docking", "name LIKE 'Docking Station%'", "hosts"),
        ),
    ),
    "b2c": Rules(
        "pr.name LIKE '% Bundle'",
        "pr.name LIKE 'Home Theater Bundle%'",
        (
            ("Premium Care", "name LIKE 'Premium Care%'", "devices"),
            ("In-Home Installation", "name LIKE 'In-Home Installation%'", "installation"),
            ("Extended Protection", "name LIKE 'Extended Protection%'", "devices"),
            ("Wall mounts", "name LIKE 'Wall Mount Kit%'", "hosts"),
        ),
    ),
}
"""Each org's configuration rules, as its 'Configuration' articles state them."""


class InvalidConfiguration(Family):
    """Which configuration rule a quote's product mix breaks (or none)."""

    name = "invalid_configuration"
    keywords = ("configuration", "product configuration", "configuration check")
    slots = (
        _QUOTE,
        Slot(d.DETAIL, "which of their quotes it is (its status, or whether it's the most "
             "recent or the oldest)"),
    )  # fmt: skip

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        quote = yield from _quote(texts, view, memo, ("Draft", "Needs Review", "Presented"))
        return d.record_slots("quote", quote)

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = yield from default_record(
            dict(known), "quote", _LATEST_REVIEW, "I couldn't find a quote to check."
        )
        return slots if isinstance(slots, str) else d.settle(slots, "quote")

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        quote = p.sql_text(slots["quote"])
        org = RULES[view.org or "b2b"]
        sums = ", ".join(
            f"SUM(CASE WHEN pr.{cond} THEN li.quantity ELSE 0 END)" for _, cond, _ in org.rules
        )
        rows = yield from fetch(
            f"SELECT SUM(CASE WHEN {org.devices} THEN li.quantity ELSE 0 END), SUM(CASE WHEN "
            f"{org.hosts} THEN li.quantity ELSE 0 END), {sums} FROM quote_line_items "
            f"li JOIN products pr ON pr.id = li.product_id WHERE li.quote_id = {quote}"
        )
        problem = problem_with(rows, "quote")
        if problem or rows.rows[0][0] is None:
            return problem or f"Quote {slots['quote']} has no line items."
        devices, hosts, *limited = (int(v or 0) for v in rows.rows[0])
        articles = yield from fetch(
            "SELECT id, title, body FROM knowledge_articles WHERE category = 'Configuration'"
        )
        for (word, _, against), count in zip(org.rules, limited, strict=True):
            article = next((r for r in articles.rows if word in str(r[1])), None)
            if article is None or not count:
                continue
            if against == "installation":
                m = re.search(r"at least (\d+)", str(article[2]))
                broken = devices < int(m.group(1)) if m else False
            else:
                broken = count > (devices if against == "devices" else hosts)
            if broken:
                return Answer(
                    str(article[0]), f"Quote {slots['quote']} breaks '{article[1]}' ({article[0]})."
                )
        return Answer("none", f"Quote {slots['quote']} follows every configuration rule.")
