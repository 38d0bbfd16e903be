"""Text families: product disambiguation and knowledge QA, solved by rule.

Knowledge QA is answered by retrieval: the care article of the product, and its sentence
about the aspect asked. The families answered by reading transcripts (policy violations
in chats, sales-call insights, BANT qualification from calls) are in ``_fam_reading``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.agent.reference import _described as d
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._care import care_kind
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import problem_with
from simulator.agent.reference._view import Rows, View

KINDS = ("laptop", "workstation", "docking station", "monitor", "conference room kit",
         "license", "support plan", "warranty", "installation", "training")  # fmt: skip
"""Kinds of business products as buyers name them (each is a word of product names)."""


def kind_of(name: str) -> str | None:
    """The kind of a business product, from its name."""
    low = name.lower()
    return next((k for k in KINDS if k in low), None)


@dataclass(frozen=True)
class History:
    """Whose orders a customer asks about, and how the org's products are told apart."""

    orders: str
    """SQL of (id, name, family, detail, brand, date) of the asker's purchases; ``{who}``
    is the context key naming the asker (or their account)."""
    who: str
    kind: str
    """SQL condition that a product is of kind ``{kind}``."""
    detail: str
    """SQL condition that a purchase has detail ``{detail}``."""
    kind_by_name: bool = False

    def kind_of(self, row: Sequence[object]) -> str | None:
        """The kind of a purchase row: a word of its name, or its product family."""
        return kind_of(str(row[1])) if self.kind_by_name else str(row[2])


HISTORIES = {
    "b2c": History(
        "SELECT pr.id, pr.name, pr.family, pr.colour, pr.brand, o.effective_date FROM orders o "
        "JOIN order_items i ON i.order_id = o.id JOIN products pr ON pr.id = i.product_id "
        "WHERE o.customer_id = {who}",
        "user_id",
        "pr.family = {kind}",
        "(LOWER(pr.colour) = {detail} OR LOWER(pr.brand) = {detail})",
    ),
    "b2b": History(
        "SELECT pr.id, pr.name, pr.family, CAST(i.quantity AS TEXT), NULL, o.effective_date "
        "FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products pr "
        "ON pr.id = i.product_id WHERE o.account_id = {who}",
        "account_id",
        "instr(lower(pr.name), {kind}) > 0",
        "CAST(i.quantity AS TEXT) = {detail}",
        kind_by_name=True,
    ),
}
"""A store customer's own orders (B2C: the kind is the product family, the detail its
colour or brand); a contact's account's orders (B2B: the kind is a word of the product's
name, the detail how many were ordered)."""


class ProductDisambiguation(Family):
    """'The X I bought N weeks ago': which product in the customer's order history.

    A store customer's own orders (B2C, the kind is the product family and the detail its
    colour or brand); a contact's account's orders (B2B, the kind is a word of the
    product's name and the detail how many were ordered).
    """

    name = "named_entity_disambiguation"
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
        "we ordered",
        "i bought",
    )
    slots = (
        Slot("product_type", "what type of product it was"),
        Slot("timeframe", "roughly when you bought it"),
        Slot(
            "detail",
            "any detail you remember, like its colour, its brand or how many you ordered",
            required=False,
        ),
        Slot(
            "identifier",
            "whether you need our record id or the SKU code on the label",
            required=False,
        ),
    )

    def _history(self, view: View) -> History:
        return HISTORIES[view.org or "b2c"]

    def _mine(self, view: View) -> str:
        """The asker's purchases."""
        history = self._history(view)
        return history.orders.format(who=p.sql_text(view.context.get(history.who, "")))

    def _purchases(self, view: View, memo: Memo) -> Plan[Rows]:
        sql = f"{self._mine(view)} ORDER BY o.effective_date DESC, i.id"
        return (yield from memo.lookup("purchases", view.user_id or "", sql))

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        bought = yield from self._purchases(view, memo)
        history = self._history(view)
        families = sorted({k for r in bought.rows if (k := history.kind_of(r))})
        names = [(f, p.category_aliases(f)) for f in families]
        details = sorted({str(v).lower() for r in bought.rows for v in (r[3], r[4]) if v})
        return present(
            {
                "product_type": p.last_match(texts, lambda t: p.name_in(t, names)),
                "timeframe": p.last_match(texts, lambda t: when.days_ago(t, view.today)),
                "detail": p.last_match(texts, lambda t: p.name_in(t, [(d, [d]) for d in details])),
                "identifier": p.last_match(texts, p.identifier),
            }
        )

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        rows = yield f"{self._mine(view)} ORDER BY o.effective_date DESC LIMIT 1"
        if rows.error or not rows.rows:
            return "I can't find any orders on your account."
        kind = self._history(view).kind_of(rows.rows[0]) or str(rows.rows[0][2])
        return {"product_type": kind, "timeframe": 0, **known}

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        if not view.user_id:
            return "I can only look up orders for a signed-in customer."
        moment = view.today - dt.timedelta(days=int(slots["timeframe"]))
        history = self._history(view)
        kind = history.kind.format(kind=p.sql_text(slots["product_type"]))
        base = f"{self._mine(view)} AND {kind}"
        order = (
            f" ORDER BY ABS(julianday(o.effective_date) - julianday('{moment.isoformat()}')), "
            "o.effective_date DESC LIMIT 5"
        )
        rows = Rows()
        if "detail" in slots:
            detail = history.detail.format(detail=p.sql_text(str(slots["detail"]).lower()))
            rows = yield f"{base} AND {detail}{order}"
        if not rows.rows:
            rows = yield base + order
        if rows.error:
            return f"The lookup failed: {rows.error}."
        if not rows.rows:
            return f"I can't find any {slots['product_type']} in your orders."
        pid, name, _family, _colour, _brand, date = rows.rows[0]
        if slots.get("identifier") == "code":
            codes = yield f"SELECT product_code FROM products WHERE id = {p.sql_text(str(pid))}"
            if codes.rows:
                code = str(codes.rows[0][0])
                return Answer(
                    code, f"That's the {name} (product code {code}) from your order on {date}."
                )
        return Answer(str(pid), f"That's the {name} ({pid}) from your order on {date}.")


_CARE = "SELECT id, title, body FROM knowledge_articles WHERE category = 'Product Care'"
_ASPECTS = {
    "warranty": "warranty",
    "charge": "charge",
    "charging": "charge",
    "battery": "charge",
    "reset": "reset",
    "factory settings": "reset",
    "replacement": "replacement",
    "replace": "replacement",
}
"""Words of a care question -> the word of the article's sentence that answers it."""


class KnowledgeQA(Family):
    """A question about a product answered from its care article: the sentence that
    answers it (the article of the kind of product, the sentence of the aspect)."""

    name = "knowledge_qa"
    audiences = ("customer",)
    keywords = ("warranty", "full charge", "factory reset", "help articles", "question about one",
                "product i own", "knowledge base", "how long", "replacement")  # fmt: skip
    slots = (
        Slot("product", "which product it's about"),
        Slot(d.DETAIL, "what colour it is"),
        Slot("aspect", "what exactly you'd like to know about it"),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        care = yield from memo.lookup("care", "", _CARE)
        kinds = [str(r[1]).split(":")[0].lower() for r in care.rows]
        product = yield from care_kind(texts, kinds, memo, view.org)
        aspect = p.last_match(texts, lambda t: p.word_map(t, _ASPECTS))
        return {**d.record_slots("product", product), **present({"aspect": aspect})}

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        care = yield _CARE
        if care.error or not care.rows:
            return "I couldn't find our product care articles."
        first = str(care.rows[0][1]).split(":")[0].lower()
        return d.settle({"product": first, "aspect": "warranty", **known}, "product")

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        care = yield _CARE
        problem = problem_with(care, "care article")
        if problem:
            return problem
        article = next(
            (r for r in care.rows if str(r[1]).lower().startswith(f"{slots['product']}:")), None
        )
        if article is None:
            return f"I couldn't find a care article for the {slots['product']}."
        for part in re.split(r"(?<=\.)\s+", str(article[2])):
            if slots["aspect"] in part.lower():
                return Answer(part.strip(), f"From our article '{article[1]}': {part.strip()}")
        return f"Our article on the {slots['product']} doesn't say."
