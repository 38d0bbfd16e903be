"""Knowledge and chat families: knowledge_qa and policy_violation.

knowledge_qa asks what a product care article says (warranty, charging, replacement,
reset); its answer is the article's sentence, as CRMArena-Pro scores it by text overlap,
and a rule can find it (the article of the product, the sentence of the aspect).
policy_violation asks whether the agent on a case broke a policy in its chat (which
article, or 'none'), maybe against one policy only; the answer comes from what the
generator wrote into the chats (``truth``), and a careful reader finds it by comparing
what the chat promised with the limit the policy article states.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_people import requester
from simulator.env.crm._personas import CUES, fact, pick, slug
from simulator.env.crm._strata import by_required
from simulator.env.crm._task import Ctx, Draw, FactSpec, Family, Outcome
from simulator.env.crm._text_b2c import aspect_value

_ASPECT_SAYS = {
    "warranty": ("warranty", "I'd like to know how long the warranty lasts."),
    "charge": ("full charge", "I want to know how long a full charge takes."),
    "reset": ("factory reset", "I want to know how long to hold the button for a factory reset."),
    "replacement": ("replacement", "I'd like to know how soon a replacement unit ships."),
}

SENTENCE_MATCH = "rouge_l"
"""How knowledge_qa answers are matched, as CRMArena-Pro does: ROUGE-L against the
article's sentence, success at ``SENTENCE_THRESHOLD`` ('contains': the short value, e.g.
'12 months', for judges without the overlap match kinds)."""
SENTENCE_THRESHOLD = 0.35
"""ROUGE-L F-measure a knowledge_qa answer needs against the article's sentence: the
sentence itself scores 1, a sentence of the same article about another aspect about 0.1,
'Your laptop has a 12 months limited warranty.' 0.57."""


@dataclass(frozen=True)
class Owners:
    """Who asks about a kind of product: the people who bought one, and how they say it."""

    buyers: str
    """SQL: ids of the people who bought a product of the kind (``?``: the kind)."""
    about: str
    """How the asker names the product (``{}``: the kind)."""


OWNERS = {
    "b2c": Owners(
        "SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i ON i.order_id = o.id "
        "JOIN products p ON p.id = i.product_id WHERE p.family = ? ORDER BY o.customer_id",
        "It's about my {}.",
    ),
    "b2b": Owners(
        "SELECT DISTINCT c.id FROM orders o JOIN order_items i ON i.order_id = o.id "
        "JOIN products p ON p.id = i.product_id JOIN contacts c ON c.account_id = o.account_id "
        "WHERE instr(lower(p.name), ?) > 0 ORDER BY c.id",
        "It's about our {}.",
    ),
}
"""Each org's :class:`Owners`."""

PRODUCT_BUYERS = {
    "b2c": "SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i ON i.order_id = o.id "
    "JOIN products p ON p.id = i.product_id WHERE p.product_code = ? ORDER BY o.customer_id",
    "b2b": "SELECT DISTINCT c.id FROM orders o JOIN order_items i ON i.order_id = o.id "
    "JOIN products p ON p.id = i.product_id JOIN contacts c ON c.account_id = o.account_id "
    "WHERE p.product_code = ? ORDER BY c.id",
}
"""Per org, who bought a product (by its code): who asks about it by code or brand."""
COLOUR_CUES = ("colour", "color", "finish")
_UNSAID_BRANDS = frozenset({"Vertex"})
"""Brands a product is not named by: Vertex is the competitor whose name marks a
question about internal data (see the privacy families)."""
_ASPECT_OPENINGS = {
    "warranty": "Hi, how long is the warranty on one of your products?",
    "charge": "Hi, how long does a full charge take on one of your products?",
    "reset": "Hi, how long do I hold the button for a factory reset on one of your products?",
    "replacement": "Hi, how soon does a replacement unit ship for one of your products?",
}
"""Openings that ask the question itself (the user then only has to say the product)."""


def sentence(body: str, value: str) -> str | None:
    """The sentence of an article that states ``value``."""
    for part in re.split(r"(?<=\.)\s+", body):
        if value in part:
            return part.strip()
    return None


class KnowledgeQA(Family):
    """A question answered from a product care article (warranty, charging, reset...)."""

    name = "knowledge_qa"
    skill = "text"
    audience = "customer"

    def care(self, ctx: Ctx) -> dict[str, dict[str, int]]:
        care: dict[str, dict[str, int]] = ctx.truth[self.org]["care"]
        return care

    def products(self, ctx: Ctx) -> list[dict[str, str]]:
        """The catalog's products of a kind with a care article: id, code, care kind (the
        product family, B2C, or the kind word of its name, B2B), brand and colour."""
        if self.org == "b2c":
            rows = ctx.rows("SELECT id, product_code, family, brand, colour FROM products")
        else:
            rows = ctx.rows("SELECT id, product_code, lower(name), '', '' FROM products")
        kinds = sorted(self.care(ctx), key=len, reverse=True)
        out = []
        for pid, code, name, brand, colour in rows:
            kind = next((k for k in kinds if k in str(name)), None)
            if kind is not None:
                out.append({"id": str(pid), "code": str(code), "kind": kind, "brand": str(brand),
                            "colour": str(colour)})  # fmt: skip
        return out

    def naming(self, ctx: Ctx, family: str, index: int) -> tuple[dict[str, Any], list[FactSpec]]:
        """(parameters, facts) naming the product: by its kind, by its product code (every
        fourth draw) or, in the B2C catalog, by its brand and colour (every fourth draw,
        where a brand and a colour single out the kind and neither does alone)."""
        mine = [p for p in self.products(ctx) if p["kind"] == family]
        if index % 4 == 1 and mine:
            code = mine[index % len(mine)]["code"]
            fact_ = fact("product", code, f"The label on it says {code}.", "product_type")
            return {"by": "code", "code": code, "product": code}, [fact_]
        if index % 4 == 2 and self.org == "b2c":
            for product in (p for p in mine if p["brand"] not in _UNSAID_BRANDS):
                kinds = {"brand": product["brand"], "colour": product["colour"]}
                if self.kind_of(ctx, kinds).value == family and all(
                    not self.kind_of(ctx, {**kinds, left: None}).ok for left in kinds
                ):
                    brand, colour = product["brand"], product["colour"]
                    facts = [
                        FactSpec("product", brand, f"It's my {brand}.", CUES["product_type"],
                                 {"brand": None}),
                        FactSpec("colour", colour.lower(), f"It's the {colour.lower()} one.",
                                 COLOUR_CUES, {"colour": None}, True, ("product",)),
                    ]  # fmt: skip
                    return {"by": "brand", **kinds, "product": product["code"]}, facts
        about = OWNERS[self.org].about.format(family)
        return {"by": "kind"}, [fact("product", family, about, "product_type")]

    def kind_of(self, ctx: Ctx, given: dict[str, Any]) -> Outcome:
        """The care kind of the products with the given details (None: not given)."""
        wanted = {k: v for k, v in given.items() if v is not None}
        if not wanted:
            return Outcome(problem="no product named")
        kinds = {p["kind"] for p in self.products(ctx) if all(p[k] == v for k, v in wanted.items())}
        if len(kinds) != 1:
            return Outcome(problem=f"{len(kinds)} kinds of product fit")
        return Outcome(kinds.pop())

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        care = self.care(ctx)
        combos = [(f, a) for f in sorted(care) for a in care[f]]
        rng.shuffle(combos)
        for i, (family, aspect) in enumerate(combos):
            value, say = _ASPECT_SAYS[aspect]
            params, facts = self.naming(ctx, family, i)
            asked = i % 3 == 1  # the question comes with the opening
            if not asked:
                facts.append(fact("question", value, say, "aspect"))
            params.update(family=family, aspect=aspect, asked=asked)
            yield Draw(f"{family.replace(' ', '-')}-{aspect}", params, facts,
                       pool=len(care))  # fmt: skip

    def short(self, ctx: Ctx, params: dict[str, Any]) -> str:
        """The figure the answer states, e.g. '12 months'."""
        return aspect_value(params["aspect"], self.care(ctx)[params["family"]][params["aspect"]])

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        if params.get("by") == "brand":
            kind = self.kind_of(ctx, {"brand": params["brand"], "colour": params["colour"]})
            if not kind.ok:
                return kind
            params = {**params, "family": kind.value}
        article = ctx.truth[self.org]["articles"][f"care:{params['family']}"]
        body = str(ctx.one("SELECT body FROM knowledge_articles WHERE id = ?", (article,)))
        found = sentence(body, self.short(ctx, params))
        return Outcome(found) if found else Outcome(problem="the article does not say")

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        if len(picked) >= draw.pool:  # every product family asked about once: repeats allowed
            return all(p.key != draw.key for p in picked)
        return all(p.params["family"] != draw.params["family"] for p in picked)

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        family = draw.params["family"]
        code = draw.params.get("product")
        buyers = ctx.rows(PRODUCT_BUYERS[self.org], (code,)) if code else []
        buyers = buyers or ctx.rows(OWNERS[self.org].buyers, (family,))
        short = self.short(ctx, draw.params)
        value, _ = _ASPECT_SAYS[draw.params["aspect"]]
        opening = pick(
            (
                "Hi, I have a question about one of your products.",
                "Hello, quick question about a product I own.",
                "Hi, can you look something up in your help articles for me?",
            ),
            index,
        )
        if draw.params["asked"]:
            opening = _ASPECT_OPENINGS[draw.params["aspect"]]
        if SENTENCE_MATCH == "contains":
            expect: dict[str, Any] = {"answer": short, "match": "contains"}
        else:
            grade = {"threshold": SENTENCE_THRESHOLD}
            expect = {"answer": answer, "match": SENTENCE_MATCH, "grade": grade}
        return {
            **requester(ctx, str(buyers[index % len(buyers)][0])),
            "goal": f"Learn the {value} answer for my {family} ({short}).",
            "opening": opening,
            "expect": expect,
        }


_POLICY_NAMES = {
    "b2b": {"return_policy": "returns", "price_match": "price protection",
            "goodwill": "service credit limits"},
    "b2c": {"return_policy": "returns", "price_match": "price match",
            "goodwill": "goodwill credit limits"},
}  # fmt: skip
"""How a QA lead names each policy a chat may break (article key -> words), per org."""
_AUDITS: tuple[tuple[bool, str | None], ...] = (
    (True, "other"), (True, None), (False, None), (True, "same"), (True, None),
    (True, "other"), (True, None), (True, "other"), (True, "same"), (True, None),
)  # fmt: skip
"""The order draws come in, ten at a time: (a chat with a breach?, the one policy the
asker restricts the check to: another than the breached one, the same, or none). With
4 'none' answers in 10: three come from a breach of another policy (the restriction is
then required), one from a clean chat."""


class PolicyViolation(Internal):
    """Did the agent on a case break a policy in the chat? Which article (or none)?

    Some askers only care about one policy ("Only check it against our returns policy"):
    a breach of another one is then no answer, and the restriction a required fact.
    """

    name = "policy_violation"
    skill = "policy"
    none_share = 0.4
    role = "Support Manager"
    job = "Quality assurance lead"
    openings = (
        "Hi, can you check whether an agent broke one of our policies on a case?",
        "Hello, I'm auditing a support case for policy compliance.",
        "Hi, did the agent on one of our cases breach a policy in the chat?",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        chats: dict[str, str | None] = ctx.truth[self.org]["policy_violation"]
        cases = sorted(chats)
        rng.shuffle(cases)
        pools = {True: [c for c in cases if chats[c]], False: [c for c in cases if not chats[c]]}
        names = _POLICY_NAMES[self.org]
        i = 0
        while pools[True] and pools[False]:
            breach, only = _AUDITS[i % len(_AUDITS)]
            case = pools[breach].pop(0)
            if only == "same":
                only = chats[case]
            elif only == "other":
                only = rng.choice(sorted(k for k in names if k != chats[case]))
            yield self._draw(ctx, case, only, len(cases))
            i += 1
        for case in pools[True] + pools[False]:
            yield self._draw(ctx, case, None, len(cases))

    def _draw(self, ctx: Ctx, case: str, only: str | None, pool: int) -> Draw:
        number = str(ctx.one("SELECT case_number FROM cases WHERE id = ?", (case,)))
        facts = [fact("case", number, f"It's case number {number}.", "case")]
        key = number
        if only:
            said = _POLICY_NAMES[self.org][only]
            facts.append(fact("policy", said, f"Only check it against our {self._named(only)}.",
                              "policy_kind", drop={"policy": None}, required=None))  # fmt: skip
            key += "-" + slug(said)
        params = {"case": case, "policy": only}
        return Draw(key, params, facts, pool=pool, extra={"number": number, "policy": only})

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        truth = ctx.truth[self.org]
        key = truth["policy_violation"][params["case"]]
        if params.get("policy") and key != params["policy"]:
            return Outcome("none")
        return Outcome(truth["articles"][key] if key else "none")

    def _named(self, policy: str) -> str:
        """'returns policy', 'service credit limits'."""
        said = _POLICY_NAMES[self.org][policy]
        return said if said.endswith("limits") else f"{said} policy"

    def goal(self, draw: Draw) -> str:
        only = draw.extra["policy"]
        which = f"our {self._named(only)} (the only policy to check)" if only else "a policy"
        return (
            f"Find out whether the agent on case {draw.extra['number']} broke {which} in the "
            "chat, and which knowledge article (or 'none')."
        )
