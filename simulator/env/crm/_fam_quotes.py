"""Policy-compliance families on quotes: quote_approval and invalid_configuration.

Both cite the knowledge article of the rule a quote breaks. A quote that breaks two
rules at once has no single right article, so such draws are never shipped. The rules
are the same in both orgs; what counts as a device, a host of the accessory rule, the
support, warranty, installation and accessory products comes from the org's catalog.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from simulator.env.crm import _words as w
from simulator.env.crm._describe import Record, detail_fact, naming, resolve, said
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._personas import CUES, fact
from simulator.env.crm._strata import by_required
from simulator.env.crm._tables import SHAPES, TODAY
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome


@dataclass(frozen=True)
class Catalog:
    """Product codes the configuration rules speak of."""

    devices: frozenset[str]
    hosts: frozenset[str]
    """What the accessory rule counts: laptops (docks) or home theaters (wall mounts)."""
    support: str
    warranty: str
    installation: str
    accessory: str


def _catalog(rows: list[tuple[str, str, bool]]) -> Catalog:
    """From (code, kind, host) rows: the first product of each kind is the ruled one."""
    first: dict[str, str] = {}
    for code, kind, _ in rows:
        first.setdefault(kind, code)
    return Catalog(
        devices=frozenset(code for code, kind, _ in rows if kind == "device"),
        hosts=frozenset(code for code, _, host in rows if host),
        support=first["support"],
        warranty=first["warranty"],
        installation=first["installation"],
        accessory=first["accessory"],
    )


CATALOGS = {
    "b2b": _catalog([(c, k, "Laptop" in n) for _, n, c, _, k in w.BUSINESS_PRODUCTS]),
    "b2c": _catalog([(c, k, h) for _, _, c, _, k, h in w.HOME_PRODUCTS]),
}
"""Each org's :class:`Catalog`."""


def _quote_fact(number: str) -> FactSpec:
    return fact("quote", number, f"It's quote number {number}.", "quote")


RECENCY_CUES = ("created", "date", "when", "newer", "older", "most recent")
RECENCY_SAYS = {
    "most recent": "It's the most recent one.",
    "oldest": "It's the oldest one.",
}
"""How an employee tells a buyer's quotes apart by when they were created."""
STATUS_CUES = ("status", "draft", "presented", "stage of the quote")
STATUS_SAYS = {
    "Draft": ("draft", "It's the draft one."),
    "Needs Review": ("waiting for review", "It's the one waiting for review."),
    "Presented": ("presented", "It's the one we already presented."),
}
"""How an employee tells a quote by its status: (value, say)."""


class _Quotes(Internal):
    """Quote families: the quote named by its number, or by whom it is for (and, among
    that buyer's quotes, its status or whether it is the most recent or the oldest)."""

    skill = "policy"
    statuses: ClassVar[tuple[str, ...]]
    """The statuses of the quotes the family draws."""
    combos: ClassVar[tuple[tuple[str, ...], ...]]
    """How a quote may be described, in order of preference."""
    traits = ("buyer", "status", "recency")

    def quotes(self, ctx: Ctx) -> list[Record]:
        """The family's quotes, with the details an employee may name one by."""
        buyer = SHAPES[self.org].buyer
        who = "b.name" if buyer.table == "accounts" else "b.first_name || ' ' || b.last_name"
        marks = ", ".join("?" for _ in self.statuses)
        rows = ctx.rows(
            f"SELECT q.id, q.quote_number, {who}, q.status, q.created_date FROM quotes q "
            f"JOIN {buyer.table} b ON b.id = q.{buyer.column} WHERE q.status IN ({marks}) "
            "ORDER BY q.id",
            self.statuses,
        )
        keys = ("id", "number", "buyer", "status", "day")
        return [dict(zip(keys, map(str, r), strict=True)) for r in rows]

    def named(
        self, quotes: list[Record], quote: Record, described: bool
    ) -> tuple[dict[str, Any], list[FactSpec], str]:
        """(parameters, facts, goal words) naming ``quote``: described when asked to and
        a description fits, else by its number."""
        params: dict[str, Any] = {"quote": quote["id"], **{t: None for t in self.traits}}
        combo = naming(quotes, quote, self.combos) if described else None
        if not combo:
            return params, [_quote_fact(quote["number"])], quote["number"]
        params["quote"] = None
        params.update(combo)
        say = said(f"It's the quote for {quote['buyer']}{self.waiting}")
        facts = [FactSpec("quote", quote["buyer"], say, CUES["quote"], {"buyer": None})]
        details = []
        if "status" in combo:
            value, told = STATUS_SAYS[quote["status"]]
            facts.append(detail_fact("status", value, told, STATUS_CUES, "status", first="quote"))
            details.append(value)
        if "recency" in combo:
            value = combo["recency"]
            facts.append(detail_fact("created", value, RECENCY_SAYS[value], RECENCY_CUES,
                                     "recency", first="quote"))  # fmt: skip
            details.append(f"the {value} of them")
        words = f"for {quote['buyer']}" + (f" ({', '.join(details)})" if details else "")
        return params, facts, words

    waiting = ""
    """What the description adds about the quote's status ('that is waiting...')."""

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        """The candidate draws in their seeded order."""
        raise NotImplementedError

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def quote(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        """The quote the parameters name (by id, or described)."""
        if params["quote"] is not None:
            return Outcome(params["quote"])
        return resolve(self.quotes(ctx), params, self.traits, "quote")

    def limits(self, ctx: Ctx) -> dict[str, int]:
        numbers: dict[str, int] = ctx.truth[self.org]["numbers"]
        return {
            "sales manager": numbers["manager_limit"],
            "sales director": numbers["director_limit"],
        }

    def article(self, ctx: Ctx, key: str) -> str:
        return str(ctx.truth[self.org]["articles"][key])


class QuoteApproval(_Quotes):
    """Approve a quote awaiting review, or reject it citing the policy it breaks.

    The answer is the article of the broken policy, or 'none' (CRMArena-Pro's answer);
    the state after is the quote's status and the article it cites.
    """

    name = "quote_approval"
    none_share = 0.3
    openings = (
        "Hi, a quote is waiting for my approval; can you review it against our pricing policies?",
        "Hello, please check a quote that needs review and approve or reject it.",
        "Hi, can you handle the approval of a quote for me?",
    )

    statuses = ("Needs Review",)
    combos = (("buyer",), ("buyer", "recency"))
    waiting = " that's waiting for review"

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quotes = self.quotes(ctx)
        rng.shuffle(quotes)
        limits = self.limits(ctx)
        for i, quote in enumerate(quotes):
            discount = ctx.one("SELECT discount FROM quotes WHERE id = ?", (quote["id"],))
            between = limits["sales manager"] < discount <= limits["sales director"]
            role = "sales director" if between else ("sales manager", "sales director")[i % 2]
            params, facts, words = self.named(quotes, quote, i % 4 != 0 or between)
            facts.append(
                fact("role", role, f"I'm reviewing it as the {role}.", "authority",
                     drop={"role": "sales manager"}, required=None)
            )  # fmt: skip
            params["role"] = role
            yield Draw(quote["number"], params, facts, pool=len(quotes),
                       extra={"id": quote["id"], "words": words})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.quote(ctx, params)
        if not found.ok:
            return found
        quote = found.value
        discount, expires = ctx.rows(
            "SELECT discount, expiration_date FROM quotes WHERE id = ?", (quote,)
        )[0]
        below = ctx.one(
            "SELECT COUNT(*) FROM quote_line_items li JOIN products p ON p.id = li.product_id "
            "WHERE li.quote_id = ? AND li.unit_price < p.price_floor",
            (quote,),
        )
        broken = []
        if expires < TODAY.isoformat():
            broken.append("quote_validity")
        if below:
            broken.append("price_floor")
        if discount > self.limits(ctx)[params["role"]]:
            broken.append("discount_matrix")
        if len(broken) > 1:
            return Outcome(problem=f"breaks several policies: {', '.join(broken)}")
        return Outcome(self.article(ctx, broken[0]) if broken else "none")

    def asker(self, draw: Draw) -> tuple[str, str]:
        role: str = draw.params["role"]
        return ("Sales Manager" if role == "sales manager" else "Sales Director"), role.capitalize()

    def goal(self, draw: Draw) -> str:
        return (
            f"Have the quote {draw.extra['words']} approved if it complies with the pricing "
            "policies, or rejected citing the policy article it breaks (the article id, or "
            "'none')."
        )

    def state_query(self, draw: Draw) -> str:
        return (
            "SELECT status || '|' || COALESCE(rejection_article_id, 'none') FROM quotes "
            f"WHERE id = '{draw.extra['id']}'"
        )

    def state_equals(self, draw: Draw, answer: Any) -> str:
        return "Approved|none" if answer == "none" else f"Rejected|{answer}"


class InvalidConfiguration(_Quotes):
    """Does a quote's product configuration break a rule? Which article (or none)?"""

    name = "invalid_configuration"
    none_share = 0.2
    role = "Sales Operations"
    job = "Deal desk analyst"
    openings = (
        "Hi, can you check a quote's product configuration against our rules?",
        "Hello, is the product configuration on one of our quotes valid?",
        "Hi, I need a configuration check on a quote before it goes out.",
    )

    statuses = ("Draft", "Needs Review", "Presented")
    combos = (
        ("buyer",), ("buyer", "status"), ("buyer", "recency"), ("buyer", "status", "recency"),
    )  # fmt: skip

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quotes = self.quotes(ctx)
        rng.shuffle(quotes)
        for i, quote in enumerate(quotes):
            params, facts, words = self.named(quotes, quote, i % 3 != 0)
            yield Draw(quote["number"], params, facts, pool=len(quotes),
                       extra={"words": words})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.quote(ctx, params)
        if not found.ok:
            return found
        qty = {
            str(code): int(n)
            for code, n in ctx.rows(
                "SELECT p.product_code, SUM(li.quantity) FROM quote_line_items li "
                "JOIN products p ON p.id = li.product_id WHERE li.quote_id = ? "
                "GROUP BY p.product_code",
                (found.value,),
            )
        }
        cat = CATALOGS[self.org]
        devices = sum(qty.get(c, 0) for c in cat.devices)
        hosts = sum(qty.get(c, 0) for c in cat.hosts)
        minimum = ctx.truth[self.org]["numbers"]["install_minimum"]
        broken = [
            rule
            for rule, bad in (
                ("support_coverage", qty.get(cat.support, 0) > devices),
                ("installation_minimum", qty.get(cat.installation, 0) > 0 and devices < minimum),
                ("warranty_coverage", qty.get(cat.warranty, 0) > devices),
                ("accessory_hosts", qty.get(cat.accessory, 0) > hosts),
            )
            if bad
        ]
        if len(broken) > 1:
            return Outcome(problem=f"breaks several rules: {', '.join(broken)}")
        return Outcome(self.article(ctx, broken[0]) if broken else "none")

    def goal(self, draw: Draw) -> str:
        return (
            f"Find out whether the quote {draw.extra['words']} breaks a product configuration "
            "rule, and which knowledge article (or 'none')."
        )
