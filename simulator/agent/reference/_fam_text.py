"""Text families: product disambiguation (solved by rule) and the LLM-only families.

The LLM-only families (knowledge QA, policy violations in chats, sales-call insights,
BANT qualification from calls) need reading free text. The reference agents recognise
them, say they cannot answer them by rule, and submit nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._view import Rows, View

_ORDER_SQL = (
    "SELECT pr.id, pr.name, pr.family, pr.colour, pr.brand, o.effective_date FROM orders o "
    "JOIN order_items i ON i.order_id = o.id JOIN products pr ON pr.id = i.product_id "
)


class ProductDisambiguation(Family):
    """'The X I bought N weeks ago': which product in the customer's order history."""

    name = "named_entity_disambiguation"
    org = "b2c"
    audiences = ("customer",)
    keywords = (
        "bought",
        "purchased",
        "purchase",
        "ordered",
        "order",
        "orders",
        "item",
        "product number",
    )
    slots = (
        Slot("product_type", "what type of product it was"),
        Slot("timeframe", "roughly when you bought it"),
        Slot("detail", "its colour or brand, if you remember", required=False),
    )

    def _history(self, view: View, memo: Memo) -> Plan[Rows]:
        sql = (
            f"{_ORDER_SQL}WHERE o.customer_id = {p.sql_text(view.user_id or '')} "
            "ORDER BY o.effective_date DESC, i.id"
        )
        return (yield from memo.lookup("purchases", view.user_id or "", sql))

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        bought = yield from self._history(view, memo)
        families = sorted({str(r[2]) for r in bought.rows})
        names = [(f, p.category_aliases(f)) for f in families]
        details = sorted({str(v).lower() for r in bought.rows for v in (r[3], r[4]) if v})
        return present(
            {
                "product_type": p.last_match(texts, lambda t: p.name_in(t, names)),
                "timeframe": p.last_match(texts, lambda t: when.days_ago(t, view.today)),
                "detail": p.last_match(texts, lambda t: p.name_in(t, [(d, [d]) for d in details])),
            }
        )

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        rows = yield (
            f"{_ORDER_SQL}WHERE o.customer_id = {p.sql_text(view.user_id or '')} "
            "ORDER BY o.effective_date DESC LIMIT 1"
        )
        if rows.error or not rows.rows:
            return "I can't find any orders on your account."
        return {"product_type": str(rows.rows[0][2]), "timeframe": 0, **known}

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        if not view.user_id:
            return "I can only look up orders for a signed-in customer."
        moment = view.today - dt.timedelta(days=int(slots["timeframe"]))
        base = (
            f"{_ORDER_SQL}WHERE o.customer_id = {p.sql_text(view.user_id)} "
            f"AND pr.family = {p.sql_text(slots['product_type'])}"
        )
        order = (
            f" ORDER BY ABS(julianday(o.effective_date) - julianday('{moment.isoformat()}')), "
            "o.effective_date DESC LIMIT 5"
        )
        rows = Rows()
        if "detail" in slots:
            detail = p.sql_text(str(slots["detail"]).lower())
            rows = yield (
                f"{base} AND (LOWER(pr.colour) = {detail} OR LOWER(pr.brand) = {detail}){order}"
            )
        if not rows.rows:
            rows = yield base + order
        if rows.error:
            return f"The lookup failed: {rows.error}."
        if not rows.rows:
            return f"I can't find any {slots['product_type']} in your orders."
        pid, name, _family, _colour, _brand, date = rows.rows[0]
        return Answer(str(pid), f"That's the {name} ({pid}) from your order on {date}.")


class LLMOnly(Family):
    """A family that needs reading free text: recognised, then declined honestly."""

    reading: str = "free text"

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        return {}
        yield ""  # pragma: no cover - makes this a generator

    def message(self) -> str:
        return (
            f"I'm sorry, answering this needs reading {self.reading}, which I can't do "
            "reliably: I'm a rule-based assistant, so I won't guess an answer."
        )


class KnowledgeQA(LLMOnly):
    name = "knowledge_qa"
    org = "b2c"
    audiences = ("customer", "internal")
    keywords = ("warranty", "full charge", "factory reset", "help articles", "question about one",
                "product i own", "knowledge base", "how long")  # fmt: skip
    reading = "knowledge articles"


class PolicyViolation(LLMOnly):
    name = "policy_violation"
    org = "b2c"
    keywords = ("policy", "policies", "breach", "broke", "compliance", "auditing")
    reading = "chat transcripts"


class SalesInsight(LLMOnly):
    name = "sales_insight_mining"
    org = "b2b"
    keywords = ("sales calls", "call transcripts", "insights", "how the buyer felt", "sentiment")
    reading = "sales-call transcripts"


class LeadQualification(LLMOnly):
    name = "lead_qualification"
    org = "b2b"
    keywords = ("bant", "qualify", "qualification")
    reading = "call transcripts"
