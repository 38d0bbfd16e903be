"""Sales-call families: sales_insight_mining and lead_qualification.

They need reading call transcripts: their answers come from what the generator wrote
into the calls (``truth``), and a careful reader finds them in the buyer's reply to each
of the rep's questions (how they feel about a subtopic; whether a BANT factor is met).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_workflow import lead_words, opportunity_fact
from simulator.env.crm._personas import fact, filter_fact
from simulator.env.crm._task import Ctx, Draw, Outcome

_FACTORS: tuple[tuple[str, ...] | None, ...] = (None, ("budget", "authority"), None,
                                                 ("need", "timeline"))  # fmt: skip
"""The BANT factors a lead_qualification asker cares about (None: all four)."""


class _SalesCalls(Internal):
    """A sales manager's question answered from call transcripts: a set, or 'none'."""

    skill = "text"
    role = "Sales Manager"
    match = "set"


class SalesInsight(_SalesCalls):
    """Which subtopics of an opportunity's sales calls were negative (or positive)?"""

    name = "sales_insight_mining"
    job = "Sales manager"
    openings = (
        "Hi, what came up in our sales calls on one of our deals?",
        "Hello, can you mine the call transcripts of an opportunity for insights?",
        "Hi, I want to know how the buyer felt on our sales calls for a deal.",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        insights: dict[str, dict[str, str]] = ctx.truth[self.org]["insights"]
        unique = {
            str(r[0])
            for r in ctx.rows("SELECT name FROM opportunities GROUP BY name HAVING COUNT(*) = 1")
        }
        names = {str(o): str(n) for o, n, _ in ctx.rows("SELECT id, name, 1 FROM opportunities")}
        pool = sorted(insights)
        rng.shuffle(pool)
        for i, opp in enumerate(pool):
            sentiment = ("negative", "positive")[i % 2]
            other = "positive" if sentiment == "negative" else "negative"
            facts = [
                opportunity_fact(ctx, opp, names[opp], unique, i),
                fact("sentiment", sentiment, f"I'm interested in the {sentiment} ones.",
                     "sentiment", drop={"sentiment": other}),
            ]  # fmt: skip
            topics = sorted(insights[opp])[:2] if i % 3 == 2 else None
            if topics:
                said = " and ".join(topics)
                facts.append(filter_fact("topics", said, f"Only look at {said}.",
                                         drop={"topics": None}))  # fmt: skip
            params = {"opportunity": opp, "sentiment": sentiment, "topics": topics}
            key = f"{opp[-4:]}-{sentiment}" + ("-" + "-".join(topics) if topics else "")
            yield Draw(key, params, facts, pool=len(pool), extra={"name": names[opp]})

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        feelings = ctx.truth[self.org]["insights"][params["opportunity"]]
        wanted = params.get("topics")
        topics = sorted(
            t for t, s in feelings.items() if s == params["sentiment"] and t in (wanted or [t])
        )
        return Outcome(topics or "none")

    def goal(self, draw: Draw) -> str:
        topics = draw.params.get("topics")
        among = f" (among {' and '.join(topics)} only)" if topics else ""
        return (
            f"Learn which subtopics of the sales calls on {draw.extra['name']} were "
            f"{draw.params['sentiment']}{among}."
        )


class LeadQualification(_SalesCalls):
    """Which BANT factors fail for a lead, from its call transcript (or none)?"""

    name = "lead_qualification"
    none_share = 0.2
    job = "Sales development manager"
    openings = (
        "Hi, can you qualify one of our leads with BANT from the call transcripts?",
        "Hello, which BANT criteria does one of our leads fail?",
        "Hi, I need a BANT qualification check on a lead.",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        bant: dict[str, list[str]] = ctx.truth[self.org]["bant"]
        leads = sorted(bant)
        rng.shuffle(leads)
        for i, lead in enumerate(leads):
            name, company = ctx.rows(
                "SELECT first_name || ' ' || last_name, company FROM leads WHERE id = ?", (lead,)
            )[0]
            facts = [fact("lead", str(name), f"The lead is {lead_words(name, company)}.", "lead")]
            factors = _FACTORS[i % len(_FACTORS)]
            if factors:
                said = " and ".join(factors)
                facts.append(filter_fact("factors", said, f"I only care about {said}.",
                                         drop={"factors": None}))  # fmt: skip
            key = lead[-4:] + ("-" + "-".join(factors) if factors else "")
            yield Draw(key, {"lead": lead, "factors": factors}, facts, pool=len(leads),
                       extra={"name": name, "company": company})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        failing = ctx.truth[self.org]["bant"][params["lead"]]
        wanted = params.get("factors")
        return Outcome([f for f in failing if f in (wanted or [f])] or "none")

    def goal(self, draw: Draw) -> str:
        name, company = draw.extra["name"], draw.extra["company"]
        who = f"{name} of {company}" if company else name
        factors = draw.params.get("factors")
        which = " and ".join(factors) if factors else "budget, authority, need, timeline"
        return f"Find which BANT factors ({which}) fail for {who}, from the call (or 'none')."
