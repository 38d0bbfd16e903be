"""What the reference agents know about each CRM task family: slots, questions, SQL.

Solvers are generators: they ``yield`` SQL for the ``sql_query`` tool, receive the parsed
result, and return an :class:`Answer` (or a message explaining why there is none), so the
environment does the computing and every lookup shows up in the transcript.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from simulator.agent.reference import _parse as p
from simulator.agent.reference._view import Rows, View

T = TypeVar("T")
Plan = Generator[str, Rows, T]
Vocab = dict[str, Any]
Slots = dict[str, Any]


@dataclass(frozen=True)
class Slot:
    """A piece of information the task needs, and how to ask for it."""

    name: str
    question: str
    required: bool = True


@dataclass(frozen=True)
class Answer:
    """The value to submit and a sentence for the user."""

    value: str
    sentence: str


def fetch(sql: str) -> Plan[Rows]:
    """One sql_query call."""
    rows = yield sql
    return rows


def fetch_all(sql: str, page: int = 50) -> Plan[Rows]:
    """All rows of ``sql`` (no LIMIT of its own), paging past the tool's row cap."""
    collected: list[list[Any]] = []
    offset = 0
    columns: list[str] = []
    while offset < 5000:
        rows = yield f"{sql} LIMIT {page} OFFSET {offset}"
        if rows.error:
            return rows
        columns = rows.columns
        collected.extend(rows.rows)
        offset += len(rows.rows)
        if not rows.rows or (not rows.truncated and len(rows.rows) < page):
            break
    return Rows(columns, collected)


class Family:
    """Base: a task family's slots and its lookups."""

    name: ClassVar[str]
    audiences: ClassVar[tuple[str, ...]]
    keywords: ClassVar[tuple[str, ...]]
    slots: ClassVar[tuple[Slot, ...]]

    def load(self, view: View) -> Plan[Vocab | str]:
        """Look up the vocabulary the slot parsers match against (names, categories)."""
        return {}
        yield ""  # pragma: no cover - makes this a generator

    def extract(self, texts: Sequence[str], vocab: Vocab, view: View) -> Slots:
        """Slot values found in the user's messages (later messages win)."""
        raise NotImplementedError

    def defaults(self, known: Slots, vocab: Vocab, view: View) -> Plan[Slots | str]:
        """``known`` completed with guesses for what is missing (what an eager agent does)."""
        raise NotImplementedError

    def solve(self, slots: Slots, vocab: Vocab, view: View) -> Plan[Answer | str]:
        """Compute the answer through the tools."""
        raise NotImplementedError

    def score(self, text: str) -> int:
        return sum(1 for k in self.keywords if re.search(rf"\b{re.escape(k)}\b", text, re.I))


def _quarter_bounds(year: int, q: int) -> tuple[str, str]:
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return dt.date(year, 3 * q - 2, 1).isoformat(), end.isoformat()


def _month_bounds(year: int, month: int) -> tuple[str, str]:
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return dt.date(year, month, 1).isoformat(), end.isoformat()


class SalesAmount(Family):
    """Total amount of an account's deals at a stage, closed in a quarter."""

    name = "sales_amount"
    audiences = ("internal",)
    keywords = ("revenue", "sales", "booked", "bookings", "closed won", "deals", "amount")
    slots = (
        Slot("account", "which account this is about"),
        Slot("period", "which quarter you mean"),
        Slot("stage", "whether I should count only won deals or another stage", required=False),
    )

    def load(self, view: View) -> Plan[Vocab | str]:
        rows = yield from fetch_all("SELECT id, name FROM accounts ORDER BY name")
        if rows.error:
            return f"I couldn't read the account list ({rows.error})."
        return {"accounts": [(str(r[0]), str(r[1])) for r in rows.rows]}

    def extract(self, texts: Sequence[str], vocab: Vocab, view: View) -> Slots:
        names = [(aid, p.account_aliases(name)) for aid, name in vocab["accounts"]]
        found = {
            "account": p.last_match(texts, lambda t: p.name_in(t, names)),
            "period": p.last_match(texts, lambda t: p.quarter(t, view.today)),
            "stage": p.last_match(texts, p.stage),
        }
        return {k: v for k, v in found.items() if v is not None}

    def defaults(self, known: Slots, vocab: Vocab, view: View) -> Plan[Slots | str]:
        slots = dict(known)
        if "account" not in slots:
            rows = yield (
                "SELECT account_id FROM opportunities WHERE stage = 'Closed Won' "
                "GROUP BY account_id ORDER BY SUM(amount) DESC LIMIT 1"
            )
            if rows.error or not rows.rows:
                return "I couldn't find any account with won deals."
            slots["account"] = str(rows.rows[0][0])
        slots.setdefault("period", (view.today.year, (view.today.month - 1) // 3 + 1))
        slots.setdefault("stage", "Closed Won")
        return slots

    def solve(self, slots: Slots, vocab: Vocab, view: View) -> Plan[Answer | str]:
        year, q = slots["period"]
        start, end = _quarter_bounds(year, q)
        stage = slots.get("stage", "Closed Won")
        where = "" if stage == "*" else f" AND stage = {p.sql_text(stage)}"
        rows = yield (
            "SELECT ROUND(COALESCE(SUM(amount), 0), 2) AS total, COUNT(*) AS deals "
            f"FROM opportunities WHERE account_id = {p.sql_text(slots['account'])}{where} "
            f"AND close_date >= '{start}' AND close_date < '{end}'"
        )
        if rows.error or not rows.rows:
            return f"The lookup failed: {rows.error or 'no result'}."
        total, deals = float(rows.rows[0][0] or 0), int(rows.rows[0][1] or 0)
        account = dict(vocab["accounts"]).get(slots["account"], slots["account"])
        what = "deals in total" if stage == "*" else f"{stage} deals"
        count = "1 deal" if deals == 1 else f"{deals} deals"
        return Answer(
            f"{total:.2f}", f"{account} had ${total:,.2f} in {what} in Q{q} {year} ({count})."
        )


class HandleTime(Family):
    """The support agent with the shortest or longest average handle time in a month."""

    name = "handle_time"
    audiences = ("internal",)
    keywords = (
        "handle time",
        "handle times",
        "handling time",
        "support agent",
        "support agents",
        "cases",
        "resolution time",
    )
    slots = (
        Slot("direction", "whether you want the shortest or the longest average handle time"),
        Slot("period", "which month to look at"),
        Slot(
            "min_cases",
            "whether I should filter agents by a minimum number of closed cases",
            required=False,
        ),
    )

    def extract(self, texts: Sequence[str], vocab: Vocab, view: View) -> Slots:
        found = {
            "direction": p.last_match(texts, p.direction),
            "period": p.last_match(texts, lambda t: p.month(t, view.today)),
            "min_cases": p.last_match(texts, p.min_cases),
        }
        return {k: v for k, v in found.items() if v is not None}

    def defaults(self, known: Slots, vocab: Vocab, view: View) -> Plan[Slots | str]:
        slots = dict(known)
        today = view.today
        last = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        slots.setdefault("direction", "shortest")
        slots.setdefault("period", last)
        slots.setdefault("min_cases", 1)
        return slots
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, vocab: Vocab, view: View) -> Plan[Answer | str]:
        year, month = slots["period"]
        start, end = _month_bounds(year, month)
        direction = slots["direction"]
        order = "DESC" if direction == "longest" else "ASC"
        minimum = int(slots.get("min_cases", 1))
        rows = yield (
            "SELECT c.owner_id, u.first_name || ' ' || u.last_name AS agent, COUNT(*) AS cases, "
            "AVG(julianday(c.closed_at) - julianday(c.created_at)) * 24 AS avg_hours "
            "FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.status = 'Closed' "
            f"AND c.closed_at >= '{start}' AND c.closed_at < '{end}' GROUP BY c.owner_id "
            f"HAVING COUNT(*) >= {minimum} ORDER BY avg_hours {order} LIMIT 2"
        )
        label = f"{calendar.month_name[month]} {year}"
        if rows.error:
            return f"The lookup failed: {rows.error}."
        if not rows.rows:
            return f"No agent closed enough cases in {label} to compare."
        owner, agent, cases, hours = rows.rows[0]
        return Answer(
            str(owner),
            f"{agent} ({owner}) had the {direction} average handle time "
            f"in {label}: {float(hours):.1f} hours over {cases} cases.",
        )


class ProductDisambiguation(Family):
    """ "The X I bought N days ago": which product in the customer's order history."""

    name = "named_entity_disambiguation"
    audiences = ("customer",)
    keywords = ("bought", "purchased", "purchase", "ordered", "order", "orders", "item", "product")
    slots = (
        Slot("product_type", "what type of product it was"),
        Slot("timeframe", "roughly when you bought it"),
        Slot("detail", "its colour or brand, if you remember", required=False),
    )
    _ORDER_SQL = (
        "SELECT p.id, p.name, p.category, p.colour, p.brand, o.order_date FROM orders o "
        "JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id "
    )

    def load(self, view: View) -> Plan[Vocab | str]:
        if not view.user_id:
            return "I can only look up orders for a signed-in customer."
        cats = yield from fetch_all("SELECT DISTINCT category FROM products ORDER BY category")
        bought = yield from fetch_all(
            f"{self._ORDER_SQL}WHERE o.customer_id = {p.sql_text(view.user_id)} "
            "ORDER BY o.order_date DESC, i.id"
        )
        if cats.error or bought.error:
            return f"I couldn't read your order history ({cats.error or bought.error})."
        details = sorted({str(v).lower() for r in bought.rows for v in (r[3], r[4]) if v})
        return {
            "categories": [str(r[0]) for r in cats.rows],
            "purchases": bought.rows,
            "details": details,
        }

    def extract(self, texts: Sequence[str], vocab: Vocab, view: View) -> Slots:
        names = [(c, p.category_aliases(c)) for c in vocab["categories"]]
        found = {
            "product_type": p.last_match(texts, lambda t: p.name_in(t, names)),
            "timeframe": p.last_match(texts, lambda t: p.days_ago(t, view.today)),
            "detail": p.last_match(texts, lambda t: p.words_in(t, vocab["details"])),
        }
        return {k: v for k, v in found.items() if v is not None}

    def defaults(self, known: Slots, vocab: Vocab, view: View) -> Plan[Slots | str]:
        slots = dict(known)
        if not vocab["purchases"]:
            return "I can't find any orders on your account."
        slots.setdefault("product_type", str(vocab["purchases"][0][2]))  # most recent purchase
        slots.setdefault("timeframe", 0)  # nearest to today: the most recent of its kind
        return slots
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, vocab: Vocab, view: View) -> Plan[Answer | str]:
        when = view.today - dt.timedelta(days=int(slots["timeframe"]))
        base = (
            f"{self._ORDER_SQL}WHERE o.customer_id = {p.sql_text(view.user_id or '')} "
            f"AND p.category = {p.sql_text(slots['product_type'])}"
        )
        order = (
            f" ORDER BY ABS(julianday(o.order_date) - julianday('{when.isoformat()}')), "
            "o.order_date DESC LIMIT 5"
        )
        rows = Rows()
        if "detail" in slots:
            detail = p.sql_text(str(slots["detail"]).lower())
            rows = (
                yield f"{base} AND (LOWER(p.colour) = {detail} OR LOWER(p.brand) = {detail}){order}"
            )
        if not rows.rows:
            rows = yield base + order
        if rows.error:
            return f"The lookup failed: {rows.error}."
        if not rows.rows:
            return f"I can't find any {slots['product_type']} in your orders."
        pid, name, _cat, _colour, _brand, date = rows.rows[0]
        return Answer(str(pid), f"That's the {name} ({pid}) from your order on {date}.")


FAMILIES: tuple[Family, ...] = (SalesAmount(), HandleTime(), ProductDisambiguation())


def detect(texts: Sequence[str], audience: str) -> Family | None:
    """The family whose keywords the user's messages hit most (ties: none)."""
    joined = " ".join(texts)
    scored = sorted(
        (
            (f.score(joined), i)
            for i, f in enumerate(FAMILIES)
            if audience in f.audiences or audience not in ("internal", "customer")
        ),
        reverse=True,
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return FAMILIES[scored[0][1]]
