"""Workflow families: the agent must change the CRM, and is judged by the state after.

case_routing (B2C) and lead_routing assign an owner by policy; wrong_stage corrects an
opportunity whose stage disagrees with its activities; activity_priority lists the open
tasks that do not fit an opportunity's stage (a read, but part of the same workflow).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from simulator.env.crm._fam_service import internal
from simulator.env.crm._personas import fact, pick
from simulator.env.crm._tables_b2b import OPEN_STAGES
from simulator.env.crm._task import Ctx, Draw, Family, Outcome
from simulator.env.crm._text_b2b import STAGE_ACTIVITIES

STAGE_OF = {subject: stage for stage, subjects in STAGE_ACTIVITIES.items() for subject in subjects}
"""Activity subject -> the open stage it belongs to."""


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


class CaseRouting(Family):
    """Route a new case: issue expertise, then product expertise, then lightest workload."""

    name = "case_routing"
    org = "b2c"
    skill = "workflow"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        cases = ctx.rows(
            "SELECT c.id, c.case_number, cu.first_name || ' ' || cu.last_name, c.customer_id "
            "FROM cases c JOIN customers cu ON cu.id = c.customer_id "
            "WHERE c.owner_id IS NULL AND c.status = 'New' ORDER BY c.id"
        )
        unique = _unique_names(
            ctx,
            "SELECT first_name || ' ' || last_name FROM customers GROUP BY 1 HAVING COUNT(*) = 1",
        )
        per_customer: dict[str, int] = {}
        for row in cases:
            per_customer[row[3]] = per_customer.get(row[3], 0) + 1
        rng.shuffle(cases)
        for i, (case_id, number, customer, customer_id) in enumerate(cases):
            by_name = i % 5 in (1, 3) and customer in unique and per_customer[customer_id] == 1
            if by_name:
                case = fact("case", customer, f"It's the new case from {customer}.", "case")
            else:
                case = fact("case", number, f"It's case number {number}.", "case")
            policy = fact(
                "policy",
                "issue expertise first",
                "Use our standard routing: issue expertise first, then product expertise, "
                "then the lightest open workload.",
                "routing",
                drop={"policy": "workload"},
                required=None,
            )
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

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        case_id = draw.params["case"]
        return {
            **internal(ctx, "Support Manager", "Support dispatcher", index),
            "goal": f"Get new case {draw.key} assigned to the right agent under the routing "
            "policy.",
            "opening": pick(
                (
                    "Hi, can you route one of the new support cases to the right agent?",
                    "Hello, a new case needs an owner; can you assign it?",
                    "Hi, please assign one of the unrouted cases to an agent.",
                ),
                index,
            ),
            "expect": {
                "state": {
                    "query": f"SELECT owner_id FROM cases WHERE id = '{case_id}'",
                    "equals": answer,
                }
            },
        }


class LeadRouting(Family):
    """Route a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    org = "b2b"
    skill = "workflow"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        leads = ctx.rows(
            "SELECT id, first_name || ' ' || last_name, company FROM leads "
            "WHERE owner_id IS NULL ORDER BY id"
        )
        unique = _unique_names(
            ctx, "SELECT first_name || ' ' || last_name FROM leads GROUP BY 1 HAVING COUNT(*) = 1"
        )
        rng.shuffle(leads)
        for i, (lead_id, name, company) in enumerate(leads):
            if i % 5 in (1, 3) or name not in unique:
                lead = fact("lead", lead_id, f"The lead id is {lead_id}.", "lead")
            else:
                lead = fact("lead", name, f"The lead is {name} from {company}.", "lead")
            policy = fact(
                "policy",
                "territory match first",
                "Follow the routing policy: territory match first, then the most accepted "
                "quotes, then the fewest open leads.",
                "routing",
                drop={"policy": "workload"},
                required=None,
            )
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

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        lead = draw.params["lead"]
        return {
            **internal(ctx, "Sales Manager", "Sales manager", index),
            "goal": f"Get the new lead {draw.extra['name']} ({draw.extra['company']}) assigned "
            "to the right rep under the routing policy.",
            "opening": pick(
                (
                    "Hi, can you route a new lead to the right rep?",
                    "Hello, one of our new leads needs an owner; can you assign it?",
                    "Hi, please assign a new lead to one of the reps.",
                ),
                index,
            ),
            "expect": {
                "state": {
                    "query": f"SELECT owner_id FROM leads WHERE id = '{lead}'",
                    "equals": answer,
                }
            },
        }


def right_stage(ctx: Ctx, opp: str) -> str | None:
    """The latest open stage with a completed activity on the opportunity."""
    done = ctx.rows("SELECT subject FROM tasks WHERE what_id = ? AND status = 'Completed'", (opp,))
    stages = [OPEN_STAGES.index(STAGE_OF[s]) for (s,) in done if s in STAGE_OF]
    return OPEN_STAGES[max(stages)] if stages else None


def opportunity_fact(ctx: Ctx, opp: str, name: str, unique: set[str], index: int) -> Any:
    """The opportunity by its name when the name is unique (two times in three), else by id."""
    if name in unique and index % 3 != 1:
        return fact("opportunity", name, f"It's the {name} opportunity.", "opportunity")
    return fact("opportunity", opp, f"The opportunity id is {opp}.", "opportunity")


def _open_opportunities(ctx: Ctx, rng: random.Random) -> tuple[list[tuple[Any, ...]], set[str]]:
    opps = ctx.rows(
        "SELECT id, name, stage_name FROM opportunities WHERE is_closed = 0 ORDER BY id"
    )
    unique = _unique_names(ctx, "SELECT name FROM opportunities GROUP BY name HAVING COUNT(*) = 1")
    rng.shuffle(opps)
    return opps, unique


class WrongStage(Family):
    """Is the opportunity's stage consistent with its activities? If not, correct it."""

    name = "wrong_stage"
    org = "b2b"
    skill = "workflow"
    none_share = 0.2

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        opps, unique = _open_opportunities(ctx, rng)
        for i, (opp, name, _stage) in enumerate(opps):
            fix = fact(
                "fix",
                "correct it in the CRM",
                "If the stage is wrong, please correct it in the CRM.",
                "fix",
                drop={"fix": False},
                required=None,
            )
            facts = [opportunity_fact(ctx, opp, name, unique, i), fix]
            yield Draw(opp[-4:], {"opportunity": opp, "fix": True}, facts, pool=len(opps),
                       extra={"name": name})  # fmt: skip

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

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        opp = draw.params["opportunity"]
        expect: dict[str, Any] = {"answer": "none", "match": "exact"}
        if answer != "none":
            query = f"SELECT stage_name FROM opportunities WHERE id = '{opp}'"
            expect = {"state": {"query": query, "equals": answer}}
        return {
            **internal(ctx, "Sales Operations", "Sales operations analyst", index),
            "goal": f"Make sure {draw.extra['name']} is at the stage its activities support "
            "(answer 'none' if it already is).",
            "opening": pick(
                (
                    "Hi, can you check whether one of our opportunities is at the right stage?",
                    "Hello, I think an opportunity's stage might be off; can you check it "
                    "against its activities?",
                    "Hi, please verify an opportunity's stage against its completed activities.",
                ),
                index,
            ),
            "expect": expect,
        }


class ActivityPriority(Family):
    """The open tasks on an opportunity that do not belong to its current stage."""

    name = "activity_priority"
    org = "b2b"
    skill = "workflow"
    none_share = 0.2

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        opps, unique = _open_opportunities(ctx, rng)
        for i, (opp, name, stage) in enumerate(opps):
            if right_stage(ctx, opp) != stage:
                continue  # the stage itself is wrong: that is wrong_stage's business
            status = fact(
                "status",
                "open tasks",
                "Only look at open tasks, not completed ones.",
                "task_status",
                drop={"only_open": False},
                required=None,
            )
            facts = [opportunity_fact(ctx, opp, name, unique, i), status]
            yield Draw(opp[-4:], {"opportunity": opp, "only_open": True}, facts, pool=len(opps),
                       extra={"name": name})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        stage = ctx.one(
            "SELECT stage_name FROM opportunities WHERE id = ?", (params["opportunity"],)
        )
        where = " AND status != 'Completed'" if params["only_open"] else ""
        tasks = ctx.rows(
            f"SELECT id, subject FROM tasks WHERE what_id = ?{where} ORDER BY id",
            (params["opportunity"],),
        )
        stray = [str(t) for t, subject in tasks if STAGE_OF.get(subject, stage) != stage]
        return Outcome(stray or "none")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        expect: dict[str, Any] = {"answer": "none", "match": "exact"}
        if answer != "none":
            expect = {"answer": answer, "match": "set"}
        return {
            **internal(ctx, "Sales Manager", "Sales manager", index),
            "goal": f"List the open tasks on {draw.extra['name']} that do not match its stage "
            "(task ids, or 'none').",
            "opening": pick(
                (
                    "Hi, which tasks on one of our deals don't fit its stage?",
                    "Hello, help me prioritise the activities on an opportunity: which tasks "
                    "don't belong to its stage?",
                    "Hi, I want to clean up the task list of an opportunity.",
                ),
                index,
            ),
            "expect": expect,
        }
