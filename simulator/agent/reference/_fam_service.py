"""Service families the reference agents solve with SQL over cases (both orgs).

handle_time, transfer_count, top_issue, monthly_trend and best_region: rank agents,
issues, months or states over a period, in the direction and with the filter the user
asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from simulator.agent.reference import _areas as areas
from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._ranked import Ranked, directions, minimum, period_in
from simulator.agent.reference._steps import default_record, problem_with
from simulator.agent.reference._view import View

HOURS = "(julianday(c.closed_date) - julianday(c.created_date)) * 24"


def _filtered(value: Any) -> bool:
    return value is not None and value != p.NO_FILTER


_PRIORITY = Slot(
    "priority", "whether I should only count cases of a certain priority", required=False
)
_CHANNEL = Slot("channel", "whether I should only count cases from one channel", required=False)
CASE_FILTERS = {"priority": p.priority, "channel": p.channel}
"""The optional case filters and their parsers."""


def case_where(slots: Slots, alias: str = "c.") -> str:
    """SQL conditions (each led by ' AND ') for the priority and channel the user gave."""
    where = ""
    for slot, column in (("priority", "priority"), ("channel", "origin")):
        if _filtered(slots.get(slot)):
            where += f" AND {alias}{column} = {p.sql_text(slots[slot])}"
    return where


class HandleTime(Ranked):
    """The agent with the shortest or longest average handle time in a period."""

    name = "handle_time"
    keywords = ("handle time", "handle times", "handling time")
    slots = (
        Slot("direction", "whether you want the shortest or the longest average handle time"),
        Slot("period", "which month to look at"),
        _PRIORITY,
        _CHANNEL,
    )
    DIRECTIONS = directions(shortest="fastest quickest lowest", longest="slowest highest")
    default_direction = "shortest"
    descending = "longest"
    ranks = "agent"

    def conditions(self) -> dict[str, Any]:
        return CASE_FILTERS

    def default_period(self, today: dt.date) -> when.Range:
        return when.last_month(today)

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        where = case_where(slots)
        return (
            "SELECT c.owner_id, u.first_name || ' ' || u.last_name AS agent, COUNT(*) AS cases, "
            f"AVG({HOURS}) AS avg_hours FROM cases c JOIN users u ON u.id = c.owner_id "
            f"WHERE c.status = 'Closed' AND c.closed_date >= '{span.start}' "
            f"AND c.closed_date < '{span.end}'{where} GROUP BY c.owner_id "
            f"ORDER BY avg_hours {order}, c.owner_id LIMIT 2"
        )

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        owner, agent, cases, hours = row
        return Answer(
            str(owner),
            f"{agent} ({owner}) had the {slots['direction']} average handle time in "
            f"{span.label}: {float(hours):.1f} hours over {cases} cases.",
        )


class TransferCount(Ranked):
    """The agent with the fewest or most case transfers in a period."""

    name = "transfer_count"
    keywords = ("transfer", "transfers", "transferred", "transfer counts")
    slots = (
        Slot("direction", "whether you want the agent with the most or the fewest transfers"),
        Slot("period", "which quarter to look at"),
        _CHANNEL,
        _PRIORITY,
    )
    DIRECTIONS = directions(fewest="lowest", most="highest")
    default_direction = "most"
    descending = "most"
    ranks = "agent"

    def conditions(self) -> dict[str, Any]:
        return CASE_FILTERS

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        extra = ""
        if case_where(slots, ""):
            extra = f" AND h.case_id IN (SELECT id FROM cases WHERE 1 = 1{case_where(slots, '')})"
        return (
            "SELECT u.id, u.first_name || ' ' || u.last_name AS agent, COUNT(h.id) AS transfers "
            "FROM users u LEFT JOIN case_history h ON h.old_value = u.id AND h.field = 'Owner' "
            f"AND h.created_date >= '{span.start}' AND h.created_date < '{span.end}'{extra} "
            f"WHERE u.user_role = 'Support Agent' GROUP BY u.id ORDER BY transfers {order}, u.id "
            "LIMIT 2"
        )

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        uid, agent, count = row
        return Answer(
            str(uid),
            f"{agent} ({uid}) had the {slots['direction']} transfers in {span.label}: {count}.",
        )


class BestRegion(Ranked):
    """The customer state with the quickest (or slowest) average case closure."""

    name = "best_region"
    keywords = ("state", "states", "region", "closure", "closure times")
    slots = (
        Slot("direction", "whether you want the state where cases close quickest or slowest"),
        Slot("period", "which quarter to look at"),
        Slot("minimum", "whether a state needs a minimum number of closed cases", required=False),
        _PRIORITY,
    )
    DIRECTIONS = directions(quickest="fastest shortest", slowest="longest")
    default_direction = "quickest"
    descending = "slowest"
    ranks = "state"
    counted = "cases?"

    def conditions(self) -> dict[str, Any]:
        return {"minimum": self.condition, "priority": p.priority}

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        table, column = view.people
        return (
            f"SELECT cu.mailing_state, COUNT(*) AS cases, AVG({HOURS}) AS avg_hours FROM cases c "
            f"JOIN {table} cu ON cu.id = c.{column} WHERE c.status = 'Closed' AND "
            f"c.closed_date >= '{span.start}' AND c.closed_date < '{span.end}'{case_where(slots)} "
            f"GROUP BY cu.mailing_state HAVING COUNT(*) >= {minimum(slots)} "
            f"ORDER BY avg_hours {order}, cu.mailing_state LIMIT 2"
        )

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        state, cases, hours = row
        return Answer(
            str(state),
            f"{state} closed cases {slots['direction']} in {span.label}: {float(hours):.1f} hours "
            f"on average over {cases} cases.",
        )


_PRODUCT = Slot("product", "which product (its name or product code)")


class ProductCases(Family):
    """Base: a question about one product's cases over a period (product, then period),
    maybe counting only a priority, a channel or (``areas``) a sales territory."""

    areas: ClassVar[bool] = False
    """Whether the user may restrict the cases to a territory (read through the database)."""

    def default_period(self, today: dt.date) -> when.Range:
        return when.last_quarter(today)

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        product = yield from match.latest(texts, "product", memo, match.product)
        filters = {name: p.last_match(texts, find) for name, find in CASE_FILTERS.items()}
        if self.areas:
            filters["territory"] = yield from areas.territory_in(texts, memo)
        return present({"product": product, "period": period_in(texts, view), **filters})

    def where(self, slots: Slots, view: View) -> str:
        """SQL conditions (each led by ' AND ') on the cases ``c`` for the filters given."""
        where = case_where(slots)
        if _filtered(slots.get("territory")):
            where += " AND " + areas.within(slots["territory"], areas.case_state(view))
        return where

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {"period": self.default_period(view.today), **known},
                "product",
                "SELECT product_id FROM cases GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1",
                "I couldn't find any cases.",
            )
        )


class TopIssue(ProductCases):
    """The most reported issue for a product in a period."""

    name = "top_issue"
    keywords = ("top issue", "reported issue", "report most", "most reported")
    slots = (
        _PRODUCT,
        Slot("period", "which quarter to look at"),
        _PRIORITY,
        _CHANNEL,
        Slot("territory", "whether I should only count cases from one territory", False),
    )
    areas = True

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        rows = yield (
            "SELECT i.id, i.name, COUNT(*) AS n FROM cases c JOIN issues i ON i.id = c.issue_id "
            f"WHERE c.product_id = {p.sql_text(slots['product'])} AND c.created_date >= "
            f"'{span.start}' AND c.created_date < '{span.end}'{self.where(slots, view)} "
            "GROUP BY i.id ORDER BY n DESC, i.id LIMIT 2"
        )
        problem = problem_with(rows, "issue")
        if problem:
            return problem
        iid, issue, n = rows.rows[0]
        return Answer(str(iid), f"The top issue in {span.label} was '{issue}' ({iid}), {n} cases.")


class MonthlyTrend(ProductCases):
    """The month in which a product's cases clearly exceed the other months."""

    name = "monthly_trend"
    keywords = (
        "which month",
        "month when",
        "spiked",
        "case volume",
        "trend",
        "trends",
        "in which month",
    )
    slots = (
        _PRODUCT,
        Slot(
            "period", "which period to look at (a quarter, a half-year or the last twelve months)"
        ),
        _PRIORITY,
        _CHANNEL,
    )

    def default_period(self, today: dt.date) -> when.Range:
        return when.last_twelve_months(today)

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        rows = yield (
            "SELECT substr(c.created_date, 1, 7) AS month, COUNT(*) AS n FROM cases c "
            f"WHERE c.product_id = {p.sql_text(slots['product'])} AND c.created_date >= "
            f"'{span.start}' AND c.created_date < '{span.end}'{self.where(slots, view)} "
            "GROUP BY month ORDER BY n DESC, month LIMIT 3"
        )
        problem = problem_with(rows, "month")
        if problem:
            return problem
        month, n = rows.rows[0]
        second = int(rows.rows[1][1]) if len(rows.rows) > 1 else 0
        if n < 1.4 * second or n - second < 4:  # "clearly more": well above the runner-up
            return Answer("none", f"No month clearly stands out in {span.label} ({n} vs {second}).")
        return Answer(str(month), f"Cases peaked in {month} ({n} cases) within {span.label}.")
