"""Sales families the reference agents solve with SQL over deals and leads (both orgs).

sales_amount (top seller by line items, dated by contract signing or close date),
sales_cycle (opportunity created to contract signed) and conversion_rate (converted
leads over leads owned). Each may count only some deals or leads: a product family, new
or existing business, a sales territory, a lead source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.agent.reference import _areas as areas
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._ranked import Ranked, directions, minimum, period_in
from simulator.agent.reference._steps import problem_with
from simulator.agent.reference._view import View

_DEAL_TYPE = Slot(
    "deal_type", "whether to include only new business or only existing business deals", False
)
_TERRITORY = Slot("territory", "whether to include only one sales territory", False)


def _given(slots: Slots, name: str) -> Any:
    """The slot's value when the user restricted it (not absent, not 'all')."""
    value = slots.get(name)
    return None if value in (None, p.NO_FILTER) else value


def deal_where(slots: Slots, view: View) -> str:
    """SQL conditions (each led by ' AND ') on the opportunities ``o`` for the deal type
    and territory the user gave."""
    where = ""
    if _given(slots, "deal_type"):
        where += f" AND o.type = {p.sql_text(slots['deal_type'])}"
    if _given(slots, "territory"):
        where += " AND " + areas.within(slots["territory"], areas.deal_state(view))
    return where


class SalesAmount(Family):
    """The rep who sold the most in a period."""

    name = "sales_amount"
    keywords = ("top-selling", "top seller", "sold the most", "sales amount", "top selling")
    slots = (
        Slot("period", "which quarter to look at"),
        Slot("basis", "whether deals should be counted by contract signing date or by close date"),
        Slot("family", "whether to include only one product family", required=False),
        _DEAL_TYPE,
        _TERRITORY,
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        territory = yield from areas.territory_in(texts, memo)
        return present(
            {
                "period": period_in(texts, view),
                "basis": p.last_match(texts, p.basis),
                "family": p.last_match(texts, p.product_family),
                "deal_type": p.last_match(texts, p.deal_type),
                "territory": territory,
            }
        )

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return {"period": when.last_quarter(view.today), "basis": "closed", **known}
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        if slots["basis"] == "signed":
            joins = "contracts ct JOIN opportunities o ON o.id = ct.opportunity_id"
            where = (
                f"ct.customer_signed_date >= '{span.start}' "
                f"AND ct.customer_signed_date < '{span.end}'"
            )
        else:
            joins = "opportunities o"
            where = (
                f"o.stage_name = 'Closed Won' AND o.close_date >= '{span.start}' "
                f"AND o.close_date < '{span.end}'"
            )
        family = _given(slots, "family")
        if family:
            joins += f" JOIN products pr ON lower(pr.family) = {p.sql_text(family.lower())}"
            where += " AND pr.id = li.product_id"
        where += deal_where(slots, view)
        rows = yield (
            "SELECT o.owner_id, u.first_name || ' ' || u.last_name AS rep, "
            f"ROUND(SUM(li.quantity * li.unit_price), 2) AS sold FROM {joins} "
            "JOIN opportunity_line_items li ON li.opportunity_id = o.id "
            f"JOIN users u ON u.id = o.owner_id WHERE {where} "
            "GROUP BY o.owner_id ORDER BY sold DESC, o.owner_id LIMIT 2"
        )
        problem = problem_with(rows, "rep")
        if problem:
            return problem
        owner, rep, sold = rows.rows[0]
        return Answer(
            str(owner), f"{rep} ({owner}) sold the most in {span.label}: ${float(sold):,.2f}."
        )


class _RepRanked(Ranked):
    """A rep ranking that may count only some deals or leads: a minimum and a filter read
    from one message each (``conditions``), and the territory read through the database."""

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        slots = yield from super().extract(texts, view, memo)
        territory = yield from areas.territory_in(texts, memo)
        return {**slots, **present({"territory": territory})}


class SalesCycle(_RepRanked):
    """The rep with the fastest or slowest average sales cycle."""

    name = "sales_cycle"
    keywords = ("sales cycle", "sales cycles", "deals take")
    slots = (
        Slot("direction", "whether you want the fastest or the slowest sales cycle"),
        Slot("period", "which quarter the contracts were signed in"),
        Slot("minimum", "whether reps need a minimum number of signed deals", required=False),
        _DEAL_TYPE,
        _TERRITORY,
    )
    DIRECTIONS = directions(fastest="shortest quickest", slowest="longest")
    default_direction = "fastest"
    descending = "slowest"
    ranks = "rep"
    counted = "deals?|contracts?"

    def conditions(self) -> dict[str, Any]:
        return {"minimum": self.condition, "deal_type": p.deal_type}

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        return (
            "SELECT o.owner_id, COUNT(*) AS deals, AVG(julianday(ct.customer_signed_date) - "
            "julianday(o.created_date)) AS days FROM contracts ct JOIN opportunities o "
            f"ON o.id = ct.opportunity_id WHERE ct.customer_signed_date >= '{span.start}' "
            f"AND ct.customer_signed_date < '{span.end}'{deal_where(slots, view)} "
            f"GROUP BY o.owner_id HAVING COUNT(*) >= {minimum(slots)} "
            f"ORDER BY days {order}, o.owner_id LIMIT 2"
        )

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        owner, deals, days = row
        return Answer(
            str(owner),
            f"{owner} had the {slots['direction']} sales cycle for contracts signed in "
            f"{span.label}: {float(days):.1f} days over {deals} deals.",
        )


class ConversionRate(_RepRanked):
    """The rep with the highest or lowest lead conversion rate."""

    name = "conversion_rate"
    keywords = ("conversion", "conversion rate", "conversion rates", "converting")
    slots = (
        Slot("direction", "whether you want the highest or the lowest conversion rate"),
        Slot("period", "which quarter the leads were created in"),
        Slot("minimum", "whether reps need a minimum number of leads", required=False),
        Slot("lead_source", "whether to include only leads from one source", required=False),
        _TERRITORY,
    )
    DIRECTIONS = directions(highest="best top", lowest="worst")
    default_direction = "highest"
    descending = "highest"
    ranks = "rep"
    counted = "leads?"

    def conditions(self) -> dict[str, Any]:
        return {"minimum": self.condition, "lead_source": p.lead_source}

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        where = ""
        if _given(slots, "lead_source"):
            where += f" AND lead_source = {p.sql_text(slots['lead_source'])}"
        if _given(slots, "territory"):
            where += " AND " + areas.within(slots["territory"], "state")
        return (
            "SELECT owner_id, COUNT(*) AS leads, AVG(is_converted) AS rate FROM leads "
            f"WHERE owner_id IS NOT NULL AND created_date >= '{span.start}' AND created_date < "
            f"'{span.end}'{where} GROUP BY owner_id HAVING COUNT(*) >= {minimum(slots)} "
            f"ORDER BY rate {order}, owner_id LIMIT 2"
        )

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        owner, leads, rate = row
        return Answer(
            str(owner),
            f"{owner} had the {slots['direction']} conversion rate for leads created in "
            f"{span.label}: {100 * float(rate):.1f}% of {leads} leads.",
        )
