"""Knowledge and chat families: knowledge_qa and policy_violation.

knowledge_qa asks what a product care article says (warranty, charging, replacement,
reset); its answer is the article's sentence, as CRMArena-Pro scores it by text overlap,
and a rule can find it (the article of the product, the sentence of the aspect).
policy_violation needs reading chat transcripts: its personas carry ``tags:
[llm-only]``, and its answers come from what the generator wrote into the chats
(``truth``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_people import requester
from simulator.env.crm._personas import fact, pick
from simulator.env.crm._task import Ctx, Draw, Family, Outcome
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

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        care = self.care(ctx)
        combos = [(f, a) for f in sorted(care) for a in care[f]]
        rng.shuffle(combos)
        for family, aspect in combos:
            value, say = _ASPECT_SAYS[aspect]
            facts = [
                fact("product", family, OWNERS[self.org].about.format(family), "product_type"),
                fact("question", value, say, "aspect"),
            ]
            yield Draw(f"{family.replace(' ', '-')}-{aspect}", {"family": family,
                       "aspect": aspect}, facts, pool=len(care))  # fmt: skip

    def short(self, ctx: Ctx, params: dict[str, Any]) -> str:
        """The figure the answer states, e.g. '12 months'."""
        return aspect_value(params["aspect"], self.care(ctx)[params["family"]][params["aspect"]])

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
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
        buyers = ctx.rows(OWNERS[self.org].buyers, (family,))
        short = self.short(ctx, draw.params)
        if SENTENCE_MATCH == "contains":
            expect: dict[str, Any] = {"answer": short, "match": "contains"}
        else:
            grade = {"threshold": SENTENCE_THRESHOLD}
            expect = {"answer": answer, "match": SENTENCE_MATCH, "grade": grade}
        return {
            **requester(ctx, str(buyers[index % len(buyers)][0])),
            "goal": f"Learn the {draw.facts[1].value} answer for my {family} ({short}).",
            "opening": pick(
                (
                    "Hi, I have a question about one of your products.",
                    "Hello, quick question about a product I own.",
                    "Hi, can you look something up in your help articles for me?",
                ),
                index,
            ),
            "expect": expect,
        }


class PolicyViolation(Internal):
    """Did the agent on a case break a policy in the chat? Which article (or none)?"""

    name = "policy_violation"
    skill = "policy"
    llm_only = True
    none_share = 0.4
    role = "Support Manager"
    job = "Quality assurance lead"
    openings = (
        "Hi, can you check whether an agent broke one of our policies on a case?",
        "Hello, I'm auditing a support case for policy compliance.",
        "Hi, did the agent on one of our cases breach a policy in the chat?",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        cases = sorted(ctx.truth[self.org]["policy_violation"])
        rng.shuffle(cases)
        for case in cases:
            number = str(ctx.one("SELECT case_number FROM cases WHERE id = ?", (case,)))
            facts = [fact("case", number, f"It's case number {number}.", "case")]
            yield Draw(number, {"case": case}, facts, pool=len(cases))

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        truth = ctx.truth[self.org]
        key = truth["policy_violation"][params["case"]]
        return Outcome(truth["articles"][key] if key else "none")

    def goal(self, draw: Draw) -> str:
        return (
            f"Find out whether the agent on case {draw.key} broke a policy in the chat, "
            "and which knowledge article (or 'none')."
        )
