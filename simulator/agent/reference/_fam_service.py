"""Service families (B2C) the reference agents solve with SQL over cases.

handle_time, transfer_count, top_issue, monthly_trend and best_region: rank agents,
issues, months or states over a period, in the direction and with the filter the user
asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._view import View

HOURS = "(julianday(c.closed_date) - julianday(c.created_date)) * 24"


def _period(texts: Sequence[str], view: View) -> when.Range | None:
    return p.last_match(texts, lambda t: when.period(t, view.today))


def _filtered(value: Any) -> bool:
    return value is not None and value != p.NO_FILTER


def _top(rows: Any, what: str) -> str | None:
    """Why there is no answer, if the lookup failed or found nothing."""
    if rows.error:
        return f"The lookup failed: {rows.error}."
    if not rows.rows:
        return f"No {what} matches those criteria."
    return None


class HandleTime(Family):
    """The agent with the shortest or longest average handle time in a period."""

    name = "handle_time"
    org = "b2c"
    keywords = ("handle time", "handle times", "handling time")
    slots = (
        Slot("direction", "whether you want the shortest or the longest average handle time"),
        Slot("period", "which month to look at"),
        Slot("priority", "whether I should only count cases of a certain priority", required=False),
    )
    DIRECTIONS: ClassVar[dict[str, str]] = {
        "shortest": "shortest",
        "fastest": "shortest",
        "quickest": "shortest",
        "lowest": "shortest",
        "longest": "longest",
        "slowest": "longest",
        "highest": "longest",
    }

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        return present(
            {
                "direction": p.last_match(texts, lambda t: p.word_map(t, self.DIRECTIONS)),
                "period": _period(texts, view),
                "priority": p.last_match(texts, p.priority),
            }
        )
        yield ""  # pragma: no cover - makes this a generator

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return {"direction": "shortest", "period": when.last_month(view.today), **known}
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        where = (
            f" AND c.priority = {p.sql_text(slots['priority'])}"
            if _filtered(slots.get("priority"))
            else ""
        )
        order = "DESC" if slots["direction"] == "longest" else "ASC"
        rows = yield (
            "SELECT c.owner_id, u.first_name || ' ' || u.last_name AS agent, COUNT(*) AS cases, "
            f"AVG({HOURS}) AS avg_hours FROM cases c JOIN users u ON u.id = c.owner_id "
            f"WHERE c.status = 'Closed' AND c.closed_date >= '{span.start}' "
            f"AND c.closed_date < '{span.end}'{where} GROUP BY c.owner_id "
            f"ORDER BY avg_hours {order}, c.owner_id LIMIT 2"
        )
        problem = _top(rows, "agent")
        if problem:
            return problem
        owner, agent, cases, hours = rows.rows[0]
        return Answer(
            str(owner),
            f"{agent} ({owner}) had the {slots['direction']} average handle time in "
            f"{span.label}: {float(hours):.1f} hours over {cases} cases.",
        )


class TransferCount(Family):
    """The agent with the fewest or most case transfers in a period."""

    name = "transfer_count"
    org = "b2c"
    keywords = ("transfer", "transfers", "transferred", "transfer counts")
    slots = (
        Slot("direction", "whether you want the agent with the most or the fewest transfers"),
        Slot("period", "which quarter to look at"),
        Slot("channel", "whether I should only count cases from one channel", required=False),
    )
    DIRECTIONS: ClassVar[dict[str, str]] = {
        "fewest": "fewest",
        "lowest": "fewest",
        "most": "most",
        "highest": "most",
    }

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        return present(
            {
                "direction": p.last_match(texts, lambda t: p.word_map(t, self.DIRECTIONS)),
                "period": _period(texts, view),
                "channel": p.last_match(texts, p.channel),
            }
        )
        yield ""  # pragma: no cover - makes this a generator

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return {"direction": "most", "period": when.last_quarter(view.today), **known}
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        extra = ""
        if _filtered(slots.get("channel")):
            origin = p.sql_text(slots["channel"])
            extra = f" AND h.case_id IN (SELECT id FROM cases WHERE origin = {origin})"
        order = "DESC" if slots["direction"] == "most" else "ASC"
        rows = yield (
            "SELECT u.id, u.first_name || ' ' || u.last_name AS agent, COUNT(h.id) AS transfers "
            "FROM users u LEFT JOIN case_history h ON h.old_value = u.id AND h.field = 'Owner' "
            f"AND h.created_date >= '{span.start}' AND h.created_date < '{span.end}'{extra} "
            f"WHERE u.user_role = 'Support Agent' GROUP BY u.id ORDER BY transfers {order}, u.id "
            "LIMIT 2"
        )
        problem = _top(rows, "agent")
        if problem:
            return problem
        uid, agent, count = rows.rows[0]
        return Answer(
            str(uid),
            f"{agent} ({uid}) had the {slots['direction']} transfers in {span.label}: {count}.",
        )


class TopIssue(Family):
    """The most reported issue for a product in a period."""

    name = "top_issue"
    org = "b2c"
    keywords = ("top issue", "reported issue", "report most", "most reported")
    slots = (
        Slot("product", "which product (its name or product code)"),
        Slot("period", "which quarter to look at"),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        product = yield from match.latest(texts, "product", memo, match.product)
        return present({"product": product, "period": _period(texts, view)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = {"period": when.last_quarter(view.today), **known}
        if "product" not in slots:
            rows = yield (
                "SELECT product_id FROM cases GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1"
            )
            if rows.error or not rows.rows:
                return "I couldn't find any cases."
            slots["product"] = str(rows.rows[0][0])
        return slots

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        rows = yield (
            "SELECT i.id, i.name, COUNT(*) AS n FROM cases c JOIN issues i ON i.id = c.issue_id "
            f"WHERE c.product_id = {p.sql_text(slots['product'])} AND c.created_date >= "
            f"'{span.start}' AND c.created_date < '{span.end}' GROUP BY i.id "
            "ORDER BY n DESC, i.id LIMIT 2"
        )
        problem = _top(rows, "issue")
        if problem:
            return problem
        iid, issue, n = rows.rows[0]
        return Answer(str(iid), f"The top issue in {span.label} was '{issue}' ({iid}), {n} cases.")


class MonthlyTrend(Family):
    """The month in which a product's cases clearly exceed the other months."""

    name = "monthly_trend"
    org = "b2c"
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
        Slot("product", "which product (its name or product code)"),
        Slot(
            "period", "which period to look at (a quarter, a half-year or the last twelve months)"
        ),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        product = yield from match.latest(texts, "product", memo, match.product)
        return present({"product": product, "period": _period(texts, view)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from TopIssue().defaults(
                {"period": when.last_twelve_months(view.today), **known}, view
            )
        )

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        rows = yield (
            "SELECT substr(created_date, 1, 7) AS month, COUNT(*) AS n FROM cases "
            f"WHERE product_id = {p.sql_text(slots['product'])} AND created_date >= '{span.start}' "
            f"AND created_date < '{span.end}' GROUP BY month ORDER BY n DESC, month LIMIT 3"
        )
        problem = _top(rows, "month")
        if problem:
            return problem
        month, n = rows.rows[0]
        second = int(rows.rows[1][1]) if len(rows.rows) > 1 else 0
        if n < 1.4 * second or n - second < 4:  # "clearly more": well above the runner-up
            return Answer("none", f"No month clearly stands out in {span.label} ({n} vs {second}).")
        return Answer(str(month), f"Cases peaked in {month} ({n} cases) within {span.label}.")


class BestRegion(Family):
    """The customer state with the quickest (or slowest) average case closure."""

    name = "best_region"
    org = "b2c"
    keywords = ("state", "states", "region", "closure", "closure times")
    slots = (
        Slot("direction", "whether you want the state where cases close quickest or slowest"),
        Slot("period", "which quarter to look at"),
        Slot("minimum", "whether a state needs a minimum number of closed cases", required=False),
    )
    DIRECTIONS: ClassVar[dict[str, str]] = {
        "quickest": "quickest",
        "fastest": "quickest",
        "shortest": "quickest",
        "slowest": "slowest",
        "longest": "slowest",
    }

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        return present(
            {
                "direction": p.last_match(texts, lambda t: p.word_map(t, self.DIRECTIONS)),
                "period": _period(texts, view),
                "minimum": p.last_match(texts, lambda t: p.minimum(t, "cases?")),
            }
        )
        yield ""  # pragma: no cover - makes this a generator

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return {"direction": "quickest", "period": when.last_quarter(view.today), **known}
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        order = "DESC" if slots["direction"] == "slowest" else "ASC"
        rows = yield (
            f"SELECT cu.mailing_state, COUNT(*) AS cases, AVG({HOURS}) AS avg_hours FROM cases c "
            "JOIN customers cu ON cu.id = c.customer_id WHERE c.status = 'Closed' AND "
            f"c.closed_date >= '{span.start}' AND c.closed_date < '{span.end}' "
            f"GROUP BY cu.mailing_state HAVING COUNT(*) >= {int(slots.get('minimum', 1))} "
            f"ORDER BY avg_hours {order}, cu.mailing_state LIMIT 2"
        )
        problem = _top(rows, "state")
        if problem:
            return problem
        state, cases, hours = rows.rows[0]
        return Answer(
            str(state),
            f"{state} closed cases {slots['direction']} in {span.label}: {float(hours):.1f} hours "
            f"on average over {cases} cases.",
        )
