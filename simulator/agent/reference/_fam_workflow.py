"""Workflow families the reference agents solve by rule, then carry out with an action.

case_routing and lead_routing rank owners by the routing policy and assign the record;
wrong_stage compares an opportunity's stage with its completed activities and corrects
it; activity_priority lists the open tasks that belong to another stage.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference._fam_service import _top
from simulator.agent.reference._families import (
    Answer,
    Family,
    Memo,
    Plan,
    Slot,
    Slots,
    act,
    fetch,
    present,
)
from simulator.agent.reference._view import View

STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")
ACTIVITY_STAGE = {
    "intro call": "Prospecting",
    "research account": "Prospecting",
    "discovery call": "Qualification",
    "qualify budget and authority": "Qualification",
    "needs assessment workshop": "Needs Analysis",
    "solution demo": "Needs Analysis",
    "send proposal": "Proposal",
    "prepare pricing": "Proposal",
    "negotiate terms": "Negotiation",
    "legal review of contract": "Negotiation",
}
"""The company's stage criteria: which activities belong to which open stage."""

_POLICY = Slot("policy", "which routing criteria I should apply")


def _assigned(rows: object, what: str) -> str | None:
    error = getattr(rows, "error", None)
    return f"I couldn't assign the {what}: {error}" if error else None


class CaseRouting(Family):
    """Assign a new case: issue expertise, then product expertise, then lightest workload."""

    name = "case_routing"
    org = "b2c"
    keywords = ("route", "routing", "assign", "new case", "unrouted", "owner", "new support cases")
    slots = (Slot("case", "which case this is (its case number)"), _POLICY)

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        case = yield from match.latest(texts, "case", memo, match.case)
        return present({"case": case, "policy": p.last_match(texts, p.routing)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = {"policy": "workload", **known}
        if "case" not in slots:
            rows = yield (
                "SELECT id FROM cases WHERE owner_id IS NULL AND status = 'New' "
                "ORDER BY created_date DESC LIMIT 1"
            )
            if rows.error or not rows.rows:
                return "There are no new cases waiting to be routed."
            slots["case"] = str(rows.rows[0][0])
        return slots

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        case = p.sql_text(slots["case"])
        count = "SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND "
        order = (
            "open_cases, u.id"
            if slots["policy"] == "workload"
            else "same_issue DESC, same_product DESC, open_cases, u.id"
        )
        rows = yield (
            f"SELECT u.id, ({count}c.status = 'Closed' AND c.issue_id = (SELECT issue_id FROM "
            f"cases WHERE id = {case})) AS same_issue, ({count}c.status = 'Closed' AND "
            f"c.product_id = (SELECT product_id FROM cases WHERE id = {case})) AS same_product, "
            f"({count}c.status != 'Closed') AS open_cases FROM users u WHERE u.user_role = "
            f"'Support Agent' AND u.is_active = 1 ORDER BY {order} LIMIT 2"
        )
        problem = _top(rows, "agent")
        if problem:
            return problem
        agent = str(rows.rows[0][0])
        done = yield from act("reassign_case", case_id=slots["case"], owner_id=agent)
        failed = _assigned(done, "case")
        if failed:
            return failed
        return Answer(agent, f"I assigned case {slots['case']} to {agent}.")


class LeadRouting(Family):
    """Assign a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    org = "b2b"
    keywords = ("route", "routing", "assign", "new lead", "new leads", "owner")
    slots = (Slot("lead", "which lead this is (the lead's name or id)"), _POLICY)

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        lead = yield from match.latest(texts, "lead", memo, match.lead)
        return present({"lead": lead, "policy": p.last_match(texts, p.routing)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = {"policy": "workload", **known}
        if "lead" not in slots:
            rows = yield (
                "SELECT id FROM leads WHERE owner_id IS NULL ORDER BY created_date DESC LIMIT 1"
            )
            if rows.error or not rows.rows:
                return "There are no new leads waiting to be routed."
            slots["lead"] = str(rows.rows[0][0])
        return slots

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        lead = p.sql_text(slots["lead"])
        territory = ""
        order = "open_leads, u.id"
        if slots["policy"] != "workload":
            territory = (
                " AND u.id IN (SELECT a.user_id FROM user_territory_associations a JOIN "
                "territories t ON t.id = a.territory_id WHERE instr(',' || t.states || ',', "
                f"',' || (SELECT state FROM leads WHERE id = {lead}) || ',') > 0)"
            )
            order = "accepted DESC, open_leads, u.id"
        rows = yield (
            "SELECT u.id, (SELECT COUNT(*) FROM quotes q WHERE q.owner_id = u.id AND "
            "q.status = 'Accepted') AS accepted, (SELECT COUNT(*) FROM leads l WHERE "
            "l.owner_id = u.id AND l.status IN ('Open - Not Contacted', 'Working - Contacted')) "
            f"AS open_leads FROM users u WHERE u.user_role = 'Sales Rep' AND u.is_active = 1"
            f"{territory} ORDER BY {order} LIMIT 2"
        )
        problem = _top(rows, "rep")
        if problem:
            return problem
        rep = str(rows.rows[0][0])
        done = yield from act("route_lead", lead_id=slots["lead"], owner_id=rep)
        failed = _assigned(done, "lead")
        if failed:
            return failed
        return Answer(rep, f"I assigned lead {slots['lead']} to {rep}.")


def _stage_of(subject: object) -> str | None:
    return ACTIVITY_STAGE.get(str(subject).lower())


def _opportunity_slots(texts: Sequence[str], memo: Memo) -> Plan[str | None]:
    return (yield from match.latest(texts, "opportunity", memo, match.opportunity))


class WrongStage(Family):
    """Correct an opportunity whose stage disagrees with its completed activities."""

    name = "wrong_stage"
    org = "b2b"
    keywords = ("right stage", "stage might be off", "opportunity's stage", "stage is wrong",
                "wrong stage")  # fmt: skip
    slots = (
        Slot("opportunity", "which opportunity (its name or id)"),
        Slot("fix", "whether I should update the stage in the CRM if it is wrong"),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        opp = yield from _opportunity_slots(texts, memo)
        return present({"opportunity": opp, "fix": p.last_match(texts, p.fix_intent)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = {"fix": True, **known}
        if "opportunity" not in slots:
            rows = yield (
                "SELECT id FROM opportunities WHERE is_closed = 0 "
                "ORDER BY created_date DESC LIMIT 1"
            )
            if rows.error or not rows.rows:
                return "I couldn't find an open opportunity."
            slots["opportunity"] = str(rows.rows[0][0])
        return slots

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        opp = slots["opportunity"]
        rows = yield from fetch(
            "SELECT o.stage_name, t.subject FROM opportunities o LEFT JOIN tasks t ON "
            f"t.what_id = o.id AND t.status = 'Completed' WHERE o.id = {p.sql_text(opp)}"
        )
        problem = _top(rows, "opportunity")
        if problem:
            return problem
        recorded = str(rows.rows[0][0])
        reached = [STAGES.index(s) for s in (_stage_of(r[1]) for r in rows.rows) if s]
        if not reached:
            return f"{opp} has no completed activities to judge its stage by."
        right = STAGES[max(reached)]
        if right == recorded:
            return Answer("none", f"{opp} is at the right stage already ({recorded}).")
        if not slots.get("fix"):
            return Answer(right, f"{opp} is at {recorded}, but its activities put it at {right}.")
        done = yield from act("update_opportunity_stage", opportunity_id=opp, stage_name=right)
        if done.error:
            return f"I couldn't update the stage: {done.error}"
        return Answer(right, f"I moved {opp} from {recorded} to {right}, as its activities show.")


class ActivityPriority(Family):
    """The open tasks on an opportunity that belong to another stage."""

    name = "activity_priority"
    org = "b2b"
    keywords = ("tasks", "task list", "prioritise", "prioritize", "activities on", "task")
    slots = (
        Slot("opportunity", "which opportunity (its name or id)"),
        Slot("open_only", "whether to include completed tasks or only the open ones"),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        opp = yield from _opportunity_slots(texts, memo)
        return present({"opportunity": opp, "open_only": p.last_match(texts, p.open_only)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (yield from WrongStage().defaults({"open_only": True, **known}, view))

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        opp = slots["opportunity"]
        where = " AND t.status != 'Completed'" if slots.get("open_only", True) else ""
        rows = yield from fetch(
            "SELECT o.stage_name, t.id, t.subject FROM opportunities o LEFT JOIN tasks t ON "
            f"t.what_id = o.id{where} WHERE o.id = {p.sql_text(opp)} ORDER BY t.id"
        )
        problem = _top(rows, "opportunity")
        if problem:
            return problem
        stage = str(rows.rows[0][0])
        stray = [str(r[1]) for r in rows.rows if r[1] and _stage_of(r[2]) not in (None, stage)]
        if not stray:
            return Answer("none", f"Every task on {opp} fits its stage ({stage}).")
        return Answer(
            ", ".join(stray), f"These tasks don't fit the {stage} stage: {', '.join(stray)}."
        )
