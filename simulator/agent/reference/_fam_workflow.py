"""Workflow families the reference agents solve by rule, then carry out with an action.

case_routing and lead_routing rank owners by the routing policy and assign the record;
wrong_stage compares an opportunity's stage with its completed activities (read against
the org's 'Opportunity stage criteria' article) and corrects it; activity_priority lists
the open tasks that belong to another stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import attempt, default_record, fetch, problem_with
from simulator.agent.reference._view import Rows, View

STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation")
CRITERIA = "SELECT body FROM knowledge_articles WHERE title = 'Opportunity stage criteria'"
"""The company's stage criteria: which activities belong to which open stage."""
_CRITERION = re.compile(r"(?:^|\. )([A-Z][A-Za-z ]*?): ((?:'[^']+'(?: or )?)+) completed")


def stage_criteria(rows: Rows) -> dict[str, str]:
    """Activity subject (lower case) -> its stage, read from the stage criteria article
    ("Prospecting: 'Intro call' or 'Research account' completed. ...")."""
    body = str(rows.rows[0][0]) if rows.rows else ""
    return {
        activity.lower(): stage
        for stage, activities in _CRITERION.findall(body)
        for activity in re.findall(r"'([^']+)'", activities)
    }


_POLICY = Slot("policy", "which routing criteria I should apply")
_OPPORTUNITY = Slot("opportunity", "which opportunity (its name or id)")


class Routing(Family):
    """Base: assign a new record to the owner its routing policy ranks first.

    ``slots`` are (record, policy); the record slot is named after the record kind.
    """

    record: ClassVar[str]
    """The kind of record routed ('case', 'lead'): its slot, and its name in messages."""
    unrouted: ClassVar[str]
    """SQL for the newest record still without an owner (what an eager agent routes)."""
    owners: ClassVar[str]
    """Who can own the record, as 'No {owners} matches those criteria.' names them."""
    action: ClassVar[str]
    """The workflow tool that assigns it (called with ``{record}_id`` and ``owner_id``)."""

    def find(self, text: str, view: View) -> str | None:
        """SQL matching the records a message names (see ``_match``)."""
        raise NotImplementedError

    def ranking(self, slots: Slots) -> str:
        """SQL ranking the possible owners under the policy, best first."""
        raise NotImplementedError

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        found = yield from match.latest(texts, self.record, memo, lambda t: self.find(t, view))
        return present({self.record: found, "policy": p.last_match(texts, p.routing)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {"policy": "workload", **known},
                self.record,
                self.unrouted,
                f"There are no new {self.record}s waiting to be routed.",
            )
        )

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        rows = yield self.ranking(slots)
        problem = problem_with(rows, self.owners)
        if problem:
            return problem
        owner = str(rows.rows[0][0])
        record = slots[self.record]
        arguments = {f"{self.record}_id": record, "owner_id": owner}
        failed = yield from attempt(f"assign the {self.record}", self.action, **arguments)
        if failed:
            return failed
        return Answer(owner, f"I assigned {self.record} {record} to {owner}.")


class CaseRouting(Routing):
    """Assign a new case: issue expertise, then product expertise, then lightest workload."""

    name = "case_routing"
    keywords = ("route", "routing", "assign", "new case", "unrouted", "owner", "new support cases")
    slots = (Slot("case", "which case this is (its case number)"), _POLICY)
    record = "case"
    unrouted = (
        "SELECT id FROM cases WHERE owner_id IS NULL AND status = 'New' "
        "ORDER BY created_date DESC LIMIT 1"
    )
    owners = "agent"
    action = "reassign_case"

    def find(self, text: str, view: View) -> str | None:
        return match.case(text, view.people)

    def ranking(self, slots: Slots) -> str:
        case = p.sql_text(slots["case"])
        count = "SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND "
        order = (
            "open_cases, u.id"
            if slots["policy"] == "workload"
            else "same_issue DESC, same_product DESC, open_cases, u.id"
        )
        return (
            f"SELECT u.id, ({count}c.status = 'Closed' AND c.issue_id = (SELECT issue_id FROM "
            f"cases WHERE id = {case})) AS same_issue, ({count}c.status = 'Closed' AND "
            f"c.product_id = (SELECT product_id FROM cases WHERE id = {case})) AS same_product, "
            f"({count}c.status != 'Closed') AS open_cases FROM users u WHERE u.user_role = "
            f"'Support Agent' AND u.is_active = 1 ORDER BY {order} LIMIT 2"
        )


class LeadRouting(Routing):
    """Assign a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    keywords = ("route", "routing", "assign", "new lead", "new leads", "owner")
    slots = (Slot("lead", "which lead this is (the lead's name or id)"), _POLICY)
    record = "lead"
    unrouted = "SELECT id FROM leads WHERE owner_id IS NULL ORDER BY created_date DESC LIMIT 1"
    owners = "rep"
    action = "route_lead"

    def find(self, text: str, view: View) -> str | None:
        return match.lead(text)

    def ranking(self, slots: Slots) -> str:
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
        return (
            "SELECT u.id, (SELECT COUNT(*) FROM quotes q WHERE q.owner_id = u.id AND "
            "q.status = 'Accepted') AS accepted, (SELECT COUNT(*) FROM leads l WHERE "
            "l.owner_id = u.id AND l.status IN ('Open - Not Contacted', 'Working - Contacted')) "
            f"AS open_leads FROM users u WHERE u.user_role = 'Sales Rep' AND u.is_active = 1"
            f"{territory} ORDER BY {order} LIMIT 2"
        )


class OnOpportunity(Family):
    """Base: a check of one opportunity, with one yes-or-no choice that defaults to yes.

    ``slots`` are (opportunity, choice); :meth:`choice` reads the choice from a message.
    """

    def choice(self, text: str) -> bool | None:
        raise NotImplementedError

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        opp = yield from match.latest(texts, "opportunity", memo, match.opportunity)
        return present({"opportunity": opp, self.slots[1].name: p.last_match(texts, self.choice)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {self.slots[1].name: True, **known},
                "opportunity",
                "SELECT id FROM opportunities WHERE is_closed = 0 "
                "ORDER BY created_date DESC LIMIT 1",
                "I couldn't find an open opportunity.",
            )
        )


class WrongStage(OnOpportunity):
    """Correct an opportunity whose stage disagrees with its completed activities."""

    name = "wrong_stage"
    keywords = ("right stage", "stage might be off", "opportunity's stage", "stage is wrong",
                "wrong stage")  # fmt: skip
    slots = (
        _OPPORTUNITY,
        Slot("fix", "whether I should update the stage in the CRM if it is wrong"),
    )

    def choice(self, text: str) -> bool | None:
        return p.fix_intent(text)

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        opp = slots["opportunity"]
        rows = yield from fetch(
            "SELECT o.stage_name, t.subject FROM opportunities o LEFT JOIN tasks t ON "
            f"t.what_id = o.id AND t.status = 'Completed' WHERE o.id = {p.sql_text(opp)}"
        )
        problem = problem_with(rows, "opportunity")
        if problem:
            return problem
        stage_of = stage_criteria((yield from fetch(CRITERIA)))
        recorded = str(rows.rows[0][0])
        reached = [STAGES.index(stage_of[str(r[1]).lower()]) for r in rows.rows
                   if str(r[1]).lower() in stage_of]  # fmt: skip
        if not reached:
            return f"{opp} has no completed activities to judge its stage by."
        right = STAGES[max(reached)]
        if right == recorded:
            return Answer("none", f"{opp} is at the right stage already ({recorded}).")
        if not slots.get("fix"):
            return Answer(right, f"{opp} is at {recorded}, but its activities put it at {right}.")
        failed = yield from attempt(
            "update the stage", "update_opportunity_stage", opportunity_id=opp, stage_name=right
        )
        if failed:
            return failed
        return Answer(right, f"I moved {opp} from {recorded} to {right}, as its activities show.")


class ActivityPriority(OnOpportunity):
    """The open tasks on an opportunity that belong to another stage."""

    name = "activity_priority"
    keywords = ("tasks", "task list", "prioritise", "prioritize", "activities on", "task")
    slots = (
        _OPPORTUNITY,
        Slot("open_only", "whether to include completed tasks or only the open ones"),
    )

    def choice(self, text: str) -> bool | None:
        return p.open_only(text)

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        opp = slots["opportunity"]
        where = " AND t.status != 'Completed'" if slots.get("open_only", True) else ""
        rows = yield from fetch(
            "SELECT o.stage_name, t.id, t.subject FROM opportunities o LEFT JOIN tasks t ON "
            f"t.what_id = o.id{where} WHERE o.id = {p.sql_text(opp)} ORDER BY t.id"
        )
        problem = problem_with(rows, "opportunity")
        if problem:
            return problem
        stage = str(rows.rows[0][0])
        stage_of = stage_criteria((yield from fetch(CRITERIA)))
        stray = [
            str(r[1]) for r in rows.rows if r[1] and stage_of.get(str(r[2]).lower(), stage) != stage
        ]
        if not stray:
            return Answer("none", f"Every task on {opp} fits its stage ({stage}).")
        return Answer(
            ", ".join(stray), f"These tasks don't fit the {stage} stage: {', '.join(stray)}."
        )
