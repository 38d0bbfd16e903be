"""Sales query families: sales_amount, sales_cycle and conversion_rate.

Sales are counted the way CRMArena-Pro counts them: quantity times unit price of the
opportunity's line items, credited to the opportunity owner on the contract's
customer_signed_date. The basis (signing vs closing date), the period, the direction and
a minimum number of deals or leads are the facts users leave out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from simulator.env.crm import _periods as per
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_ranking import MinimumRanking
from simulator.env.crm._personas import fact, filter_fact, period_fact
from simulator.env.crm._task import Ctx, Draw, Outcome, tie

QUARTERS = (per.quarter(2024, 4), per.quarter(2025, 1), per.quarter(2025, 2))
PERIODS = (per.quarter(2024, 3), *QUARTERS, per.half(2025, 1))
"""Periods the sales families ask about (the default reading, last quarter, is left out)."""

_BASES = {
    "signed": ("contract signing date", "Count each deal by its contract signing date."),
    "closed": ("close date", "Count each deal by the close date of the opportunity."),
}
"""How a user states each basis of counting a sale: (value, say)."""


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
        families = (None, *product_families(ctx))
        combos = [(q, b, f) for q in PERIODS for b in ("signed", "closed") for f in families]
        rng.shuffle(combos)
        for period, basis, family in combos:
            value, say = _BASES[basis]
            other = "closed" if basis == "signed" else "signed"
            facts = [fact("basis", value, say, "basis", drop={"basis": other}, required=None)]
            facts.append(period_fact(period, "For {}."))
            if family:
                facts.append(filter_fact("product_family", family, f"Only count {family} "
                                         "products.", drop={"family": None}))  # fmt: skip
            key = f"{per.slug_label(period)}-{basis}" + (f"-{family.lower()}" if family else "")
            yield Draw(key, {"period": period, "basis": basis, "family": family}, facts)

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
        args = ((params["family"],) if params["family"] else ()) + params["period"].bounds
        rows = ctx.rows(sql + "GROUP BY o.owner_id ORDER BY s DESC, o.owner_id", args)
        return tie([(r[0], float(r[1])) for r in rows], margin=1.0, what="rep")

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        periods = {p.params["period"] for p in picked}
        return (draw.params["period"] not in periods or len(periods) >= len(PERIODS)) and all(
            p.key != draw.key for p in picked
        )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        basis = "contract signing date" if p["basis"] == "signed" else "opportunity close date"
        only = f", {p['family']} products only." if p["family"] else "."
        return (
            f"Find the top-selling rep in {p['period'].label}, counting deals by "
            f"{basis} (quantity times unit price){only}"
        )


class _RepRanking(MinimumRanking):
    """'The rep with the best/worst X in a period, among reps with at least N'."""

    skill = "query"
    periods = PERIODS
    what = "rep"


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
    filters = (None, 2, 3, 4)
    unit = "signed deals"
    say_direction = "I want the {} sales cycle."
    say_period = "Deals whose contracts were signed in {}."

    sql = (
        "SELECT o.owner_id, "
        "AVG(julianday(ct.customer_signed_date) - julianday(o.created_date)) "
        "AS d FROM contracts ct JOIN opportunities o ON o.id = ct.opportunity_id "
        "WHERE ct.customer_signed_date >= ? AND ct.customer_signed_date < ? "
        "GROUP BY o.owner_id HAVING COUNT(*) >= ? ORDER BY d {order}, o.owner_id"
    )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        return (
            f"Find the rep with the {p['direction']} average sales cycle (opportunity "
            f"created to contract signed) for contracts signed in {p['period'].label}"
            f"{self.among(p, ', ')}."
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
    filters = (None, 3, 5, 8)
    unit = "leads"
    say_direction = "I want the {} conversion rate."
    say_period = "Leads created in {}."

    sql = (
        "SELECT owner_id, AVG(is_converted) AS r FROM leads WHERE owner_id IS NOT NULL "
        "AND created_date >= ? AND created_date < ? GROUP BY owner_id HAVING COUNT(*) >= ? "
        "ORDER BY r {order}, owner_id"
    )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        return (
            f"Find the rep with the {p['direction']} lead conversion rate for leads "
            f"created in {p['period'].label}{self.among(p, ', ')}."
        )
