"""B2B query families: sales_amount, sales_cycle and conversion_rate.

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
from simulator.env.crm._fam_service import internal
from simulator.env.crm._personas import fact, pick
from simulator.env.crm._task import Ctx, Draw, Family, Outcome, tie

QUARTERS = (per.quarter(2024, 4), per.quarter(2025, 1), per.quarter(2025, 2))
PERIODS = (per.quarter(2024, 3), *QUARTERS, per.half(2025, 1))
"""Periods the sales families ask about (the default reading, last quarter, is left out)."""
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 8: "eight"}
_OPPOSITE = {"fastest": "slowest", "slowest": "fastest", "highest": "lowest", "lowest": "highest"}


def _period(period: per.Period, say: str) -> Any:
    return fact("period", period.label, say.format(period.label), "period",
                drop={"period": per.LAST_QUARTER})  # fmt: skip


def _direction(direction: str, say: str) -> Any:
    return fact("direction", direction, say.format(direction), "direction",
                drop={"direction": _OPPOSITE[direction]})  # fmt: skip


def _rep_ranking_draws(
    rng: random.Random,
    directions: tuple[str, str],
    minimums: tuple[int | None, ...],
    direction_say: str,
    period_say: str,
    unit: str,
) -> Iterator[Draw]:
    """Draws for "the rep with the best/worst X in a quarter, among reps with at least N"."""
    combos = [(q, d, m) for q in PERIODS for d in directions for m in minimums]
    rng.shuffle(combos)
    for period, direction, minimum in combos:
        facts = [_direction(direction, direction_say), _period(period, period_say)]
        if minimum:
            value = f"at least {_WORDS[minimum]} {unit}"
            facts.append(fact("minimum", value, f"Only reps with {value}.", "filter",
                              drop={"minimum": 1}, required=None))  # fmt: skip
        key = f"{direction}-{per.slug_label(period)}" + (f"-min{minimum}" if minimum else "")
        yield Draw(key, {"direction": direction, "period": period, "minimum": minimum or 1}, facts)


class SalesAmount(Family):
    """The rep who sold the most in a quarter (line items, by contract signing date)."""

    name = "sales_amount"
    org = "b2b"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        families = (None, "Hardware", "Software", "Services")
        combos = [(q, b, f) for q in PERIODS for b in ("signed", "closed") for f in families]
        rng.shuffle(combos)
        for period, basis, family in combos:
            if basis == "signed":
                facts = [fact("basis", "contract signing date", "Count each deal by its "
                              "contract signing date.", "basis", drop={"basis": "closed"},
                              required=None)]  # fmt: skip
            else:
                facts = [fact("basis", "close date", "Count each deal by the close date of "
                              "the opportunity.", "basis", drop={"basis": "signed"},
                              required=None)]  # fmt: skip
            facts.append(_period(period, "For {}."))
            if family:
                facts.append(fact("product_family", family, f"Only count {family} products.",
                                  "filter", drop={"family": None}, required=None))  # fmt: skip
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

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        basis = "contract signing date" if p["basis"] == "signed" else "opportunity close date"
        return {
            **internal(ctx, "Sales Operations", "Sales operations analyst", index),
            "goal": f"Find the top-selling rep in {p['period'].label}, counting deals by "
            f"{basis} (quantity times unit price)"
            + (f", {p['family']} products only." if p["family"] else "."),
            "opening": pick(
                (
                    "Hi, who was our top-selling rep?",
                    "Hello, I need to know which sales rep sold the most.",
                    "Hi, can you find our top seller by sales amount?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }


class SalesCycle(Family):
    """The rep with the fastest or slowest average time from opportunity to signed contract."""

    name = "sales_cycle"
    org = "b2b"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        return _rep_ranking_draws(
            rng,
            ("fastest", "slowest"),
            (None, 2, 3, 4),
            "I want the {} sales cycle.",
            "Deals whose contracts were signed in {}.",
            "signed deals",
        )

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        order = "DESC" if params["direction"] == "slowest" else "ASC"
        rows = ctx.rows(
            "SELECT o.owner_id, "
            "AVG(julianday(ct.customer_signed_date) - julianday(o.created_date)) "
            "AS d FROM contracts ct JOIN opportunities o ON o.id = ct.opportunity_id "
            "WHERE ct.customer_signed_date >= ? AND ct.customer_signed_date < ? "
            f"GROUP BY o.owner_id HAVING COUNT(*) >= ? ORDER BY d {order}, o.owner_id",
            (*params["period"].bounds, params["minimum"]),
        )
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="rep")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        only = f", among reps with at least {p['minimum']} signed deals" if p["minimum"] > 1 else ""
        return {
            **internal(ctx, "Sales Operations", "Revenue operations analyst", index),
            "goal": f"Find the rep with the {p['direction']} average sales cycle (opportunity "
            f"created to contract signed) for contracts signed in {p['period'].label}{only}.",
            "opening": pick(
                (
                    "Hi, which of our reps stands out on sales cycle length?",
                    "Hello, I'm looking at how long our deals take to close: which rep stands "
                    "out on sales cycle?",
                    "Hi, can you compare our reps' sales cycles for me?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }


class ConversionRate(Family):
    """The rep with the highest or lowest lead conversion rate for leads created in a quarter."""

    name = "conversion_rate"
    org = "b2b"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        return _rep_ranking_draws(
            rng,
            ("highest", "lowest"),
            (None, 3, 5, 8),
            "I want the {} conversion rate.",
            "Leads created in {}.",
            "leads",
        )

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        order = "DESC" if params["direction"] == "highest" else "ASC"
        rows = ctx.rows(
            "SELECT owner_id, AVG(is_converted) AS r FROM leads WHERE owner_id IS NOT NULL "
            "AND created_date >= ? AND created_date < ? GROUP BY owner_id HAVING COUNT(*) >= ? "
            f"ORDER BY r {order}, owner_id",
            (*params["period"].bounds, params["minimum"]),
        )
        return tie([(r[0], float(r[1])) for r in rows], margin=0.005, what="rep")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        only = f", among reps with at least {p['minimum']} leads" if p["minimum"] > 1 else ""
        return {
            **internal(ctx, "Sales Manager", "Sales manager", index),
            "goal": f"Find the rep with the {p['direction']} lead conversion rate for leads "
            f"created in {p['period'].label}{only}.",
            "opening": pick(
                (
                    "Hi, which rep stands out on lead conversion rate?",
                    "Hello, I need our reps' lead conversion rates: who stands out?",
                    "Hi, can you check which rep stands out at converting leads?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }
