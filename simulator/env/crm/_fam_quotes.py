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
from typing import Any

from simulator.env.crm import _words as w
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._personas import fact
from simulator.env.crm._tables import TODAY
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


class _Quotes(Internal):
    skill = "policy"

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

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quotes = ctx.rows(
            "SELECT id, quote_number FROM quotes WHERE status = 'Needs Review' ORDER BY id"
        )
        rng.shuffle(quotes)
        for i, (quote, number) in enumerate(quotes):
            role = ("sales manager", "sales director")[i % 2]
            facts = [
                _quote_fact(str(number)),
                fact("role", role, f"I'm reviewing it as the {role}.", "authority",
                     drop={"role": "sales manager"}, required=None),
            ]  # fmt: skip
            yield Draw(str(number), {"quote": quote, "role": role}, facts, pool=len(quotes))

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        quote = params["quote"]
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
            f"Have quote {draw.key} approved if it complies with the pricing policies, "
            "or rejected citing the policy article it breaks (the article id, or 'none')."
        )

    def state_query(self, draw: Draw) -> str:
        return (
            "SELECT status || '|' || COALESCE(rejection_article_id, 'none') FROM quotes "
            f"WHERE id = '{draw.params['quote']}'"
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

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quotes = ctx.rows(
            "SELECT id, quote_number FROM quotes WHERE status IN ('Draft', 'Needs Review', "
            "'Presented') ORDER BY id"
        )
        rng.shuffle(quotes)
        for quote, number in quotes:
            yield Draw(str(number), {"quote": quote}, [_quote_fact(str(number))], pool=len(quotes))

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        qty = {
            str(code): int(n)
            for code, n in ctx.rows(
                "SELECT p.product_code, SUM(li.quantity) FROM quote_line_items li "
                "JOIN products p ON p.id = li.product_id WHERE li.quote_id = ? "
                "GROUP BY p.product_code",
                (params["quote"],),
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
            f"Find out whether quote {draw.key} breaks a product configuration rule, "
            "and which knowledge article (or 'none')."
        )
