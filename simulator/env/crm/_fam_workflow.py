"""Workflow families: the agent must change the CRM, and is judged by the state after.

case_routing and lead_routing assign an owner by policy; wrong_stage corrects an
opportunity whose stage disagrees with its activities; activity_priority lists the open
tasks that do not fit an opportunity's stage (a read, but part of the same workflow).
As CRMArena-Pro scores them, the routing families and wrong_stage expect the id or
stage the agent names (``answer``), and beside it the database state after the action.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, ClassVar

from simulator.env.crm import _text_b2b, _text_home
from simulator.env.crm._describe import (
    Record,
    detail_fact,
    month_words,
    naming,
    resolve,
    said,
)
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_routing import CaseRouting, LeadRouting, lead_words, unique_names
from simulator.env.crm._personas import CUES, fact
from simulator.env.crm._strata import by_required
from simulator.env.crm._tables import SHAPES
from simulator.env.crm._tables_sales import OPEN_STAGES
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome

STAGE_OF = {
    org: {subject: stage for stage, subjects in activities.items() for subject in subjects}
    for org, activities in (
        ("b2b", _text_b2b.STAGE_ACTIVITIES),
        ("b2c", _text_home.STAGE_ACTIVITIES),
    )
}
"""Per org, activity subject -> the open stage it belongs to (its stage criteria)."""

__all__ = ["ActivityPriority", "CaseRouting", "LeadRouting", "WrongStage", "lead_words"]


def right_stage(ctx: Ctx, opp: str) -> str | None:
    """The latest open stage with a completed activity on the opportunity."""
    done = ctx.rows("SELECT subject FROM tasks WHERE what_id = ? AND status = 'Completed'", (opp,))
    stage_of = STAGE_OF[ctx.org]
    stages = [OPEN_STAGES.index(stage_of[s]) for (s,) in done if s in stage_of]
    return OPEN_STAGES[max(stages)] if stages else None


def opportunity_fact(ctx: Ctx, opp: str, name: str, unique: set[str], index: int) -> FactSpec:
    """The opportunity by its name when the name is unique (two times in three), else by id."""
    if name in unique and index % 3 != 1:
        return fact("opportunity", name, f"It's the {name} opportunity.", "opportunity")
    return fact("opportunity", opp, f"The opportunity id is {opp}.", "opportunity")


KIND_CUES = ("type", "kind of deal", "what kind")
STAGE_CUES = ("current stage", "stage it is at", "stage it's at")
CLOSE_CUES = ("due to close", "close date", "closing", "close")
TASK_PRIORITY_CUES = ("priority", "urgency", "urgent")


BUYER_COMBOS = [("buyer",), ("buyer", "kind")]
KIND_COMBOS = [("kind", "stage"), ("kind", "close"), ("kind", "stage", "close")]
"""How an opportunity may be described: by whom it is with (and its kind), or by its
kind and its current stage or closing month."""


def opportunities(ctx: Ctx) -> list[Record]:
    """The open opportunities, with the details an employee may name one by: the account
    (or customer) it is with, its kind (the part of its name after ' - ') and the month
    it is due to close."""
    buyer = SHAPES[ctx.org].buyer
    who = "b.name" if buyer.table == "accounts" else "b.first_name || ' ' || b.last_name"
    rows = ctx.rows(
        f"SELECT o.id, o.name, {who}, o.stage_name, substr(o.close_date, 1, 7) FROM "
        f"opportunities o JOIN {buyer.table} b ON b.id = o.{buyer.column} WHERE o.is_closed = 0 "
        "ORDER BY o.id"
    )
    keys = ("id", "name", "buyer", "stage", "close")
    out = [dict(zip(keys, map(str, r), strict=True)) for r in rows]
    for r in out:
        r["kind"] = r["name"].rsplit(" - ", 1)[-1]
    return out


class _OpenOpportunity(Internal):
    """A task about one open opportunity, named by the user, and one switch it turns on.

    The switch (``flag``) is a parameter that is True in every draw; its fact
    (``flag_fact``) is required only where turning it off changes the answer. The user
    names the opportunity by its name or id, or describes it: the account it is with
    (and its kind, where the account has several), or its kind and closing month.
    """

    skill = "workflow"
    none_share = 0.2
    flag: ClassVar[str]
    flag_fact: ClassVar[FactSpec]
    traits = ("buyer", "kind", "stage", "close")

    def keep(self, ctx: Ctx, opp: str, stage: str) -> bool:
        """Whether the opportunity suits the family."""
        return True

    def more(self, ctx: Ctx, draw: Draw, index: int) -> Draw:
        """The draw with any further fact the family adds."""
        return draw

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        opps = opportunities(ctx)
        unique = unique_names(
            ctx, "SELECT name FROM opportunities GROUP BY name HAVING COUNT(*) = 1"
        )
        rng.shuffle(opps)
        kept = [opp for opp in opps if self.keep(ctx, opp["id"], opp["stage"])]
        for i, opp in enumerate(kept):
            params: dict[str, Any] = {"opportunity": opp["id"], self.flag: True}
            params.update({t: None for t in self.traits})
            combos = ([], KIND_COMBOS + BUYER_COMBOS, BUYER_COMBOS + KIND_COMBOS)[i % 3]
            combo = naming(opps, opp, combos)
            if combo:
                params["opportunity"] = None
                params.update(combo)
                facts = described(opp, combo)
            else:
                facts = [opportunity_fact(ctx, opp["id"], opp["name"], unique, i)]
            draw = Draw(opp["id"][-4:], params, [*facts, self.flag_fact], pool=len(opps),
                        extra={"id": opp["id"], "name": opp["name"], "stage": opp["stage"],
                               "words": words(opp, combo)})  # fmt: skip
            yield self.more(ctx, draw, i)

    def opportunity(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        """The opportunity the parameters name (by id, or described)."""
        if params["opportunity"] is not None:
            return Outcome(params["opportunity"])
        return resolve(opportunities(ctx), params, self.traits, "open opportunity")


def described(opp: Record, combo: dict[str, str]) -> list[FactSpec]:
    """The facts describing an opportunity by ``combo``'s details, the first naming it."""
    if "buyer" in combo:
        say = said(f"It's the open deal with {opp['buyer']}")
        first = FactSpec("opportunity", opp["buyer"], say, CUES["opportunity"], {"buyer": None})
    else:
        first = FactSpec("opportunity", opp["kind"], f"It's one of the {opp['kind']} deals.",
                         CUES["opportunity"], {"kind": None})  # fmt: skip
    facts = [first]
    if "kind" in combo and "buyer" in combo:
        facts.append(detail_fact("kind", opp["kind"], f"It's the {opp['kind']} one.", KIND_CUES,
                                 "kind", first="opportunity"))  # fmt: skip
    if "stage" in combo:
        say = f"It's the one currently at {opp['stage']}."
        facts.append(detail_fact("stage", opp["stage"], say, STAGE_CUES, "stage",
                                 first="opportunity"))  # fmt: skip
    if "close" in combo:
        month = month_words(opp["close"] + "-01")
        facts.append(detail_fact("close", month, f"It's due to close in {month}.", CLOSE_CUES,
                                 "close", first="opportunity"))  # fmt: skip
    return facts


def words(opp: Record, combo: dict[str, str] | None) -> str:
    """How the goal names the opportunity: as the user knows it."""
    if not combo:
        return opp["name"]
    if "buyer" in combo:
        return f"the open deal with {opp['buyer']}" + (
            f" (the {opp['kind']} one)" if "kind" in combo else ""
        )
    stage = f" currently at {opp['stage']}" if "stage" in combo else ""
    close = f" due to close in {month_words(opp['close'] + '-01')}" if "close" in combo else ""
    return f"the {opp['kind']} deal{stage}{close}"


class WrongStage(_OpenOpportunity):
    """Is the opportunity's stage consistent with its activities? If not, correct it."""

    name = "wrong_stage"
    role = "Sales Operations"
    job = "Sales operations analyst"
    openings = (
        "Hi, can you check whether one of our opportunities is at the right stage?",
        "Hello, I think an opportunity's stage might be off; can you check it against its "
        "activities?",
        "Hi, please verify an opportunity's stage against its completed activities.",
    )
    flag = "fix"
    flag_fact = fact(
        "fix",
        "correct it in the CRM",
        "If the stage is wrong, please correct it in the CRM.",
        "fix",
        drop={"fix": False},
        required=None,
    )

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.opportunity(ctx, params)
        if not found.ok:
            return found
        recorded = ctx.one("SELECT stage_name FROM opportunities WHERE id = ?", (found.value,))
        right = right_stage(ctx, found.value)
        if right is None:
            return Outcome(problem="no completed activity to judge the stage by")
        if right == recorded:
            return Outcome("none")
        return Outcome(right if params["fix"] else f"report {right}")

    def goal(self, draw: Draw) -> str:
        return (
            f"Make sure {draw.extra['words']} is at the stage its activities support "
            "(answer 'none' if it already is)."
        )

    def state_query(self, draw: Draw) -> str:
        return f"SELECT stage_name FROM opportunities WHERE id = '{draw.extra['id']}'"

    def state_equals(self, draw: Draw, answer: Any) -> Any:
        """The corrected stage, or the recorded one when it was right ('none')."""
        return draw.extra["stage"] if answer == "none" else answer


class ActivityPriority(_OpenOpportunity):
    """The open tasks on an opportunity that do not belong to its current stage (maybe
    only those of one priority)."""

    name = "activity_priority"
    role = "Sales Manager"
    job = "Sales manager"
    openings = (
        "Hi, which tasks on one of our deals don't fit its stage?",
        "Hello, help me prioritise the activities on an opportunity: which tasks don't belong "
        "to its stage?",
        "Hi, I want to clean up the task list of an opportunity.",
    )
    match = "set"
    flag = "only_open"
    flag_fact = fact(
        "status",
        "open tasks",
        "Only look at open tasks, not completed ones.",
        "task_status",
        drop={"only_open": False},
        required=None,
    )

    def keep(self, ctx: Ctx, opp: str, stage: str) -> bool:
        return right_stage(ctx, opp) == stage  # else the stage itself is wrong: wrong_stage's

    def more(self, ctx: Ctx, draw: Draw, index: int) -> Draw:
        """Every other draw keeps only the stray tasks of one priority, where the strays
        have several (and there is room for a fourth fact)."""
        draw.params["task_priority"] = None
        stray = self.answer(ctx, draw.params)
        if index % 2 or not isinstance(stray.value, list) or len(draw.facts) > 3:
            return draw
        marks = ", ".join("?" for _ in stray.value)
        levels = [str(r[0]) for r in ctx.rows(
            f"SELECT DISTINCT priority FROM tasks WHERE id IN ({marks}) ORDER BY priority",
            tuple(stray.value),
        )]  # fmt: skip
        level = next((v for v in levels if v in ("High", "Low")), None)
        if len(levels) < 2 or level is None:
            return draw
        value = f"{level.lower()}-priority tasks"
        draw.params["task_priority"] = level
        draw.facts.append(FactSpec("priority", value, f"Only the {value}, please.",
                                   TASK_PRIORITY_CUES, {"task_priority": None}, None))  # fmt: skip
        draw.extra["priority"] = value
        return draw

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.opportunity(ctx, params)
        if not found.ok:
            return found
        stage = ctx.one("SELECT stage_name FROM opportunities WHERE id = ?", (found.value,))
        where = " AND status != 'Completed'" if params["only_open"] else ""
        args: tuple[Any, ...] = (found.value,)
        if params.get("task_priority"):
            where += " AND priority = ?"
            args += (params["task_priority"],)
        tasks = ctx.rows(
            f"SELECT id, subject FROM tasks WHERE what_id = ?{where} ORDER BY id", args
        )
        stage_of = STAGE_OF[ctx.org]
        stray = [str(t) for t, subject in tasks if stage_of.get(subject, stage) != stage]
        return Outcome(stray or "none")

    def goal(self, draw: Draw) -> str:
        only = f", {draw.extra['priority']} only" if draw.extra.get("priority") else ""
        return (
            f"List the open tasks on {draw.extra['words']} that do not match its stage{only} "
            "(task ids, or 'none')."
        )
