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
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._personas import fact
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


def _ranked(rows: list[tuple[Any, ...]], key: Any, what: str) -> Outcome:
    """The first of ``rows`` sorted by ``key``, unless the top two keys are equal."""
    ordered = sorted(rows, key=key)
    if not ordered:
        return Outcome(problem=f"no {what} qualifies")
    if len(ordered) > 1 and key(ordered[0]) == key(ordered[1]):
        return Outcome(problem=f"tie: {ordered[0][0]} and {ordered[1][0]}")
    return Outcome(ordered[0][0])


def _unique_names(ctx: Ctx, sql: str) -> set[str]:
    return {str(r[0]) for r in ctx.rows(sql)}


def _policy(value: str, say: str) -> FactSpec:
    """The routing policy; without it an agent falls back on the lightest workload."""
    return fact("policy", value, say, "routing", drop={"policy": "workload"}, required=None)


class CaseRouting(Internal):
    """Route a new case: issue expertise, then product expertise, then lightest workload."""

    name = "case_routing"
    skill = "workflow"
    role = "Support Manager"
    job = "Support dispatcher"
    openings = (
        "Hi, can you route one of the new support cases to the right agent?",
        "Hello, a new case needs an owner; can you assign it?",
        "Hi, please assign one of the unrouted cases to an agent.",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        who = SHAPES[self.org].requester
        cases = ctx.rows(
            f"SELECT c.id, c.case_number, cu.first_name || ' ' || cu.last_name, c.{who.column} "
            f"FROM cases c JOIN {who.table} cu ON cu.id = c.{who.column} "
            "WHERE c.owner_id IS NULL AND c.status = 'New' ORDER BY c.id"
        )
        unique = _unique_names(
            ctx,
            f"SELECT first_name || ' ' || last_name FROM {who.table} GROUP BY 1 "
            "HAVING COUNT(*) = 1",
        )
        per_customer: dict[str, int] = {}
        for row in cases:
            per_customer[row[3]] = per_customer.get(row[3], 0) + 1
        rng.shuffle(cases)
        policy = _policy(
            "issue expertise first",
            "Use our standard routing: issue expertise first, then product expertise, then the "
            "lightest open workload.",
        )
        for i, (case_id, number, customer, customer_id) in enumerate(cases):
            by_name = i % 5 in (1, 3) and customer in unique and per_customer[customer_id] == 1
            if by_name:
                case = fact("case", customer, f"It's the new case from {customer}.", "case")
            else:
                case = fact("case", number, f"It's case number {number}.", "case")
            yield Draw(
                number, {"case": case_id, "policy": "standard"}, [case, policy], pool=len(cases)
            )

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        issue, product = ctx.rows(
            "SELECT issue_id, product_id FROM cases WHERE id = ?", (params["case"],)
        )[0]
        rows = ctx.rows(
            "SELECT u.id, "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status = 'Closed' "
            "AND c.issue_id = ?), "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status = 'Closed' "
            "AND c.product_id = ?), "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status != 'Closed') "
            "FROM users u WHERE u.user_role = 'Support Agent' AND u.is_active = 1",
            (issue, product),
        )
        if params["policy"] == "workload":
            return _ranked(rows, lambda r: r[3], "agent")
        return _ranked(rows, lambda r: (-r[1], -r[2], r[3]), "agent")

    def goal(self, draw: Draw) -> str:
        return f"Get new case {draw.key} assigned to the right agent under the routing policy."

    def state_query(self, draw: Draw) -> str:
        return f"SELECT owner_id FROM cases WHERE id = '{draw.params['case']}'"


class LeadRouting(Internal):
    """Route a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    skill = "workflow"
    role = "Sales Manager"
    job = "Sales manager"
    openings = (
        "Hi, can you route a new lead to the right rep?",
        "Hello, one of our new leads needs an owner; can you assign it?",
        "Hi, please assign a new lead to one of the reps.",
    )

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        leads = ctx.rows(
            "SELECT id, first_name || ' ' || last_name, company FROM leads "
            "WHERE owner_id IS NULL ORDER BY id"
        )
        unique = _unique_names(
            ctx, "SELECT first_name || ' ' || last_name FROM leads GROUP BY 1 HAVING COUNT(*) = 1"
        )
        rng.shuffle(leads)
        policy = _policy(
            "territory match first",
            "Follow the routing policy: territory match first, then the most accepted quotes, "
            "then the fewest open leads.",
        )
        for i, (lead_id, name, company) in enumerate(leads):
            if i % 5 in (1, 3) or name not in unique:
                lead = fact("lead", lead_id, f"The lead id is {lead_id}.", "lead")
            else:
                lead = fact("lead", name, f"The lead is {lead_words(name, company)}.", "lead")
            yield Draw(lead_id[-4:], {"lead": lead_id, "policy": "standard"}, [lead, policy],
                       pool=len(leads), extra={"name": name, "company": company})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        covered = (
            "u.id IN (SELECT a.user_id FROM user_territory_associations a JOIN territories t "
            "ON t.id = a.territory_id WHERE instr(',' || t.states || ',', ',' || ? || ',') > 0)"
        )
        state = ctx.one("SELECT state FROM leads WHERE id = ?", (params["lead"],))
        where = "" if params["policy"] == "workload" else f" AND {covered}"
        rows = ctx.rows(
            "SELECT u.id, "
            "(SELECT COUNT(*) FROM quotes q WHERE q.owner_id = u.id AND q.status = 'Accepted'), "
            "(SELECT COUNT(*) FROM leads l WHERE l.owner_id = u.id AND l.status IN "
            "('Open - Not Contacted', 'Working - Contacted')) "
            f"FROM users u WHERE u.user_role = 'Sales Rep' AND u.is_active = 1{where}",
            () if params["policy"] == "workload" else (state,),
        )
        if params["policy"] == "workload":
            return _ranked(rows, lambda r: r[2], "rep")
        return _ranked(rows, lambda r: (-r[1], r[2]), "rep")

    def goal(self, draw: Draw) -> str:
        who = lead_words(draw.extra["name"], draw.extra["company"])
        return f"Get the new lead {who} assigned to the right rep under the routing policy."

    def state_query(self, draw: Draw) -> str:
        return f"SELECT owner_id FROM leads WHERE id = '{draw.params['lead']}'"


def lead_words(name: str, company: str | None) -> str:
    """'Dana Park from Globex Labs', or just the name of a consumer lead."""
    return f"{name} from {company}" if company else name


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


class _OpenOpportunity(Internal):
    """A task about one open opportunity, named by the user, and one switch it turns on.

    The switch (``flag``) is a parameter that is True in every draw; its fact
    (``flag_fact``) is required only where turning it off changes the answer.
    """

    skill = "workflow"
    none_share = 0.2
    flag: ClassVar[str]
    flag_fact: ClassVar[FactSpec]

    def keep(self, ctx: Ctx, opp: str, stage: str) -> bool:
        """Whether the opportunity suits the family."""
        return True

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        opps = ctx.rows(
            "SELECT id, name, stage_name FROM opportunities WHERE is_closed = 0 ORDER BY id"
        )
        unique = _unique_names(
            ctx, "SELECT name FROM opportunities GROUP BY name HAVING COUNT(*) = 1"
        )
        rng.shuffle(opps)
        for i, (opp, name, stage) in enumerate(opps):
            if not self.keep(ctx, opp, stage):
                continue
            facts = [opportunity_fact(ctx, opp, name, unique, i), self.flag_fact]
            yield Draw(opp[-4:], {"opportunity": opp, self.flag: True}, facts, pool=len(opps),
                       extra={"name": name, "stage": stage})  # fmt: skip


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
        recorded = ctx.one(
            "SELECT stage_name FROM opportunities WHERE id = ?", (params["opportunity"],)
        )
        right = right_stage(ctx, params["opportunity"])
        if right is None:
            return Outcome(problem="no completed activity to judge the stage by")
        if right == recorded:
            return Outcome("none")
        return Outcome(right if params["fix"] else f"report {right}")

    def goal(self, draw: Draw) -> str:
        return (
            f"Make sure {draw.extra['name']} is at the stage its activities support "
            "(answer 'none' if it already is)."
        )

    def state_query(self, draw: Draw) -> str:
        return f"SELECT stage_name FROM opportunities WHERE id = '{draw.params['opportunity']}'"

    def state_equals(self, draw: Draw, answer: Any) -> Any:
        """The corrected stage, or the recorded one when it was right ('none')."""
        return draw.extra["stage"] if answer == "none" else answer


class ActivityPriority(_OpenOpportunity):
    """The open tasks on an opportunity that do not belong to its current stage."""

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

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        stage = ctx.one(
            "SELECT stage_name FROM opportunities WHERE id = ?", (params["opportunity"],)
        )
        where = " AND status != 'Completed'" if params["only_open"] else ""
        tasks = ctx.rows(
            f"SELECT id, subject FROM tasks WHERE what_id = ?{where} ORDER BY id",
            (params["opportunity"],),
        )
        stage_of = STAGE_OF[ctx.org]
        stray = [str(t) for t, subject in tasks if stage_of.get(subject, stage) != stage]
        return Outcome(stray or "none")

    def goal(self, draw: Draw) -> str:
        return (
            f"List the open tasks on {draw.extra['name']} that do not match its stage "
            "(task ids, or 'none')."
        )
