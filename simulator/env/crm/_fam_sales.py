"""Sales query families: sales_amount, sales_cycle and conversion_rate.

Sales are counted the way CRMArena-Pro counts them: quantity times unit price of the
opportunity's line items, credited to the opportunity owner on the contract's
customer_signed_date. The basis (signing vs closing date), the period, the direction, a
minimum number of deals or leads and a filter (a product family, new or existing
business, a sales territory, a lead source) are the facts users leave out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, ClassVar

from simulator.env.crm import _areas as areas
from simulator.env.crm import _periods as per
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_ranking import MinimumRanking
from simulator.env.crm._personas import fact, filter_fact, period_fact, slug
from simulator.env.crm._strata import by_required
from simulator.env.crm._tables import SHAPES
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome, tie
from simulator.env.crm._words import LEAD_SOURCES

QUARTERS = (per.quarter(2024, 4), per.quarter(2025, 1), per.quarter(2025, 2))
PERIODS = (per.quarter(2024, 3), *QUARTERS, per.half(2025, 1))
"""Periods the sales families ask about (the default reading, last quarter, is left out)."""

_BASES = {
    "signed": ("contract signing date", "Count each deal by its contract signing date."),
    "closed": ("close date", "Count each deal by the close date of the opportunity."),
}
"""How a user states each basis of counting a sale: (value, say)."""

Extra = tuple[str, str]
"""A filter on the deals or leads counted: ('type', 'New Business'), ('territory',
'Northeast') or ('source', 'Trade Show')."""

DEAL_TYPES: tuple[Extra, ...] = (("type", "New Business"), ("type", "Existing Business"))
AREAS: tuple[Extra, ...] = tuple(("territory", name) for name in areas.NAMES)
SOURCES: tuple[Extra, ...] = tuple(("source", name) for name in LEAD_SOURCES)


def with_extras(minimums: tuple[int, ...], extras: tuple[Extra, ...]) -> tuple[Any, ...]:
    """(minimum or None, filter) pairs: each filter alone and with each minimum."""
    return tuple((m, e) for m in (None, *minimums) for e in extras)


def extra_fact(value: Extra, noun: str) -> FactSpec:
    """The fact stating filter ``value`` on the ``noun`` counted ('deals', 'leads')."""
    kind, name = value
    drop = {"extra": None}
    if kind == "type":
        words = f"{name.lower()} {noun}"
        return filter_fact("deal_type", words, f"Only count {words}.", drop=drop)
    if kind == "territory":
        say = f"Only count {noun} in the {name} territory."
        return filter_fact("territory", name, say, drop=drop)
    words = f"{name.lower()} {noun}"
    return filter_fact("lead_source", words, f"Only count {words}.", drop=drop)


def extra_where(org: str, extra: Extra | None, table: str) -> tuple[str, tuple[Any, ...]]:
    """SQL condition (led by ' AND ') and argument of ``extra`` on ``table``: 'o' (the
    opportunities) or 'leads'."""
    if extra is None:
        return "", ()
    kind, name = extra
    if kind == "type":
        return " AND o.type = ?", (name,)
    if kind == "source":
        return " AND lead_source = ?", (name,)
    state = "state" if table == "leads" else areas.state_of(SHAPES[org].buyer, "o")
    return " AND " + areas.within(state), (name,)


def extra_words(extra: Extra | None, noun: str) -> str:
    """'new business deals', 'deals in the Northeast territory', 'web leads', or ''."""
    if extra is None:
        return ""
    kind, name = extra
    return f"{noun} in the {name} territory" if kind == "territory" else f"{name.lower()} {noun}"


def extra_key(extra: Extra | None) -> str:
    return "" if extra is None else f"-{slug(extra[1])}"


def product_families(ctx: Ctx) -> list[str]:
    """The families of the products sold on deals, in catalog order ('Hardware',
    'Software', 'Services' in B2B; 'bundle', 'accessory', ... in B2C)."""
    rows = ctx.rows(
        "SELECT p.family FROM products p WHERE p.id IN (SELECT product_id FROM "
        "opportunity_line_items) GROUP BY p.family ORDER BY MIN(p.id)"
    )
    return [str(r[0]) for r in rows]


class SalesAmount(Internal):
    """The rep who sold the most in a quarter (line items, by contract signing date)."""

    name = "sales_amount"
    skill = "query"
    role = "Sales Operations"
    job = "Sales operations analyst"
    openings = (
        "Hi, who was our top-selling rep?",
        "Hello, I need to know which sales rep sold the most.",
        "Hi, can you find our top seller by sales amount?",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        """Every (period, basis, product family, deal filter), in a seeded order."""
        families = (None, *product_families(ctx))
        combos = [
            (q, b, f, e) for q in PERIODS for b in ("signed", "closed") for f in families
            for e in (None, *DEAL_TYPES, *AREAS)
        ]  # fmt: skip
        rng.shuffle(combos)
        for period, basis, family, extra in combos:
            value, say = _BASES[basis]
            other = "closed" if basis == "signed" else "signed"
            facts = [fact("basis", value, say, "basis", drop={"basis": other}, required=None)]
            facts.append(period_fact(period, "For {}."))
            if family:
                facts.append(filter_fact("product_family", family, f"Only count {family} "
                                         "products.", drop={"family": None}))  # fmt: skip
            if extra:
                facts.append(extra_fact(extra, "deals"))
            key = f"{per.slug_label(period)}-{basis}" + (f"-{family.lower()}" if family else "")
            params = {"period": period, "basis": basis, "family": family, "extra": extra}
            yield Draw(key + extra_key(extra), params, facts)

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        only = (
            " JOIN products p ON p.id = li.product_id AND p.family = ?" if params["family"] else ""
        )
        if params["basis"] == "signed":
            sql = (
                "SELECT o.owner_id, SUM(li.total_price) AS s FROM contracts ct "
                "JOIN opportunities o ON o.id = ct.opportunity_id "
                f"JOIN opportunity_line_items li ON li.opportunity_id = o.id{only} "
                "WHERE ct.customer_signed_date >= ? AND ct.customer_signed_date < ? "
            )
        else:
            sql = (
                "SELECT o.owner_id, SUM(li.total_price) AS s FROM opportunities o "
                f"JOIN opportunity_line_items li ON li.opportunity_id = o.id{only} "
                "WHERE o.stage_name = 'Closed Won' AND o.close_date >= ? AND o.close_date < ? "
            )
        where, more = extra_where(self.org, params.get("extra"), "o")
        args = ((params["family"],) if params["family"] else ()) + params["period"].bounds + more
        rows = ctx.rows(sql + where + " GROUP BY o.owner_id ORDER BY s DESC, o.owner_id", args)
        return tie([(r[0], float(r[1])) for r in rows], margin=1.0, what="rep")

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        periods = {p.params["period"] for p in picked}
        return (draw.params["period"] not in periods or len(periods) >= len(PERIODS)) and all(
            p.key != draw.key for p in picked
        )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        basis = "contract signing date" if p["basis"] == "signed" else "opportunity close date"
        only = [f"{p['family']} products"] if p["family"] else []
        only += [extra_words(p["extra"], "deals")] if p["extra"] else []
        return (
            f"Find the top-selling rep in {p['period'].label}, counting deals by "
            f"{basis} (quantity times unit price)"
            + (f", {' and '.join(only)} only." if only else ".")
        )


class _RepRanking(MinimumRanking):
    """'The rep with the best/worst X in a period, among reps with at least N', maybe
    counting only some deals or leads (``extras``)."""

    skill = "query"
    periods = PERIODS
    what = "rep"
    noun: ClassVar[str]
    """What the filters count, in the plural ('deals', 'leads')."""
    table: ClassVar[str]
    """What the ranking's SQL counts: 'o' (opportunities) or 'leads'."""

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, super().draws(ctx, rng))

    def filter_params(self, value: Any) -> dict[str, Any]:
        minimum, extra = value if isinstance(value, tuple) else (value, None)
        return {"minimum": minimum or 1, "extra": extra}

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        minimum, extra = value if isinstance(value, tuple) else (value, None)
        facts = [self.minimum_fact(minimum)] if minimum else []
        if extra:
            facts.append(extra_fact(extra, self.noun))
        return facts, (f"-min{minimum}" if minimum else "") + extra_key(extra)

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        where, args = extra_where(self.org, params.get("extra"), self.table)
        sql = self.query().format(order=order, where=where)
        return ctx.rows(sql, (*params["period"].bounds, *args, params["minimum"]))

    def counting(self, params: dict[str, Any]) -> str:
        """', counting only new business deals' or ''."""
        extra = params.get("extra")
        return f", counting only {extra_words(extra, self.noun)}" if extra else ""


class SalesCycle(_RepRanking):
    """The rep with the fastest or slowest average time from opportunity to signed contract."""

    name = "sales_cycle"
    role = "Sales Operations"
    job = "Revenue operations analyst"
    openings = (
        "Hi, which of our reps stands out on sales cycle length?",
        "Hello, I'm looking at how long our deals take to close: which rep stands out on "
        "sales cycle?",
        "Hi, can you compare our reps' sales cycles for me?",
    )
    directions = ("fastest", "slowest")
    descending = "slowest"
    filters = (None, 2, 3, 4, *with_extras((2, 3, 4), DEAL_TYPES + AREAS))
    noun = "deals"
    table = "o"
    unit = "signed deals"
    say_direction = "I want the {} sales cycle."
    say_period = "Deals whose contracts were signed in {}."

    sql = (
        "SELECT o.owner_id, "
        "AVG(julianday(ct.customer_signed_date) - julianday(o.created_date)) "
        "AS d FROM contracts ct JOIN opportunities o ON o.id = ct.opportunity_id "
        "WHERE ct.customer_signed_date >= ? AND ct.customer_signed_date < ?{where} "
        "GROUP BY o.owner_id HAVING COUNT(*) >= ? ORDER BY d {order}, o.owner_id"
    )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        return (
            f"Find the rep with the {p['direction']} average sales cycle (opportunity "
            f"created to contract signed) for contracts signed in {p['period'].label}"
            f"{self.counting(p)}{self.among(p, ', ')}."
        )


class ConversionRate(_RepRanking):
    """The rep with the highest or lowest lead conversion rate for leads created in a quarter."""

    name = "conversion_rate"
    role = "Sales Manager"
    job = "Sales manager"
    openings = (
        "Hi, which rep stands out on lead conversion rate?",
        "Hello, I need our reps' lead conversion rates: who stands out?",
        "Hi, can you check which rep stands out at converting leads?",
    )
    directions = ("highest", "lowest")
    descending = "highest"
    margin = 0.005
    filters = (None, 3, 5, 8, *with_extras((3, 5, 8), SOURCES + AREAS))
    noun = "leads"
    table = "leads"
    unit = "leads"
    say_direction = "I want the {} conversion rate."
    say_period = "Leads created in {}."

    sql = (
        "SELECT owner_id, AVG(is_converted) AS r FROM leads WHERE owner_id IS NOT NULL "
        "AND created_date >= ? AND created_date < ?{where} GROUP BY owner_id "
        "HAVING COUNT(*) >= ? ORDER BY r {order}, owner_id"
    )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        return (
            f"Find the rep with the {p['direction']} lead conversion rate for leads "
            f"created in {p['period'].label}{self.counting(p)}{self.among(p, ', ')}."
        )
