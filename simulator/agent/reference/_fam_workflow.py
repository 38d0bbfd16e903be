"""Workflow families the reference agents solve by rule, then carry out with an action.

case_routing and lead_routing rank owners by the routing policy and assign the record;
wrong_stage compares an opportunity's stage with its completed activities (read against
the org's 'Opportunity stage criteria' article) and corrects it; activity_priority lists
the open tasks that belong to another stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.agent.reference import _described as d
from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._fam_routing import CaseRouting, LeadRouting, Routing
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import attempt, default_record, fetch, problem_with
from simulator.agent.reference._view import Rows, View

__all__ = ["ActivityPriority", "CaseRouting", "LeadRouting", "Routing", "WrongStage"]

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


_OPPORTUNITY = Slot("opportunity", "which opportunity (its name or id)")
_DETAIL = Slot(
    d.DETAIL, "which of those deals it is (its type, its current stage, or the month it's due "
    "to close)"
)  # fmt: skip


class OnOpportunity(Family):
    """Base: a check of one opportunity, with one yes-or-no choice that defaults to yes.

    ``slots`` are (opportunity, detail, choice, ...); :meth:`choice` reads the choice from
    a message. The user names the opportunity, or describes it: whom it is with, its
    kind (the part of its name after ' - '), its current stage, the month it closes.
    """

    def choice(self, text: str) -> bool | None:
        raise NotImplementedError

    def more(self, texts: Sequence[str]) -> Slots:
        """Further slots the family reads from the messages."""
        return {}

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        opp = yield from match.latest(texts, "opportunity", memo, match.opportunity)
        if opp is None:
            opp = yield from self.describe(texts, view, memo)
        choice = p.last_match(texts, self.choice)
        return {
            **d.record_slots("opportunity", opp),
            **present({self.slots[2].name: choice}),
            **self.more(texts),
        }

    def describe(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[str | None]:
        """The opportunity slot's value for a description of the opportunity."""
        org = view.org or "b2b"
        table, column, name = d.BUYERS[org]
        buyer = yield from match.latest(
            texts,
            "opportunity buyer",
            memo,
            lambda x: d.buyer_sql(x, org, "opportunities", "r.is_closed = 0"),
        )
        kinds = yield from memo.lookup(
            "opportunity kinds",
            "",
            "SELECT DISTINCT substr(name, instr(name, ' - ') + 3) FROM opportunities "
            "WHERE instr(name, ' - ') > 0",
        )
        known = [(str(r[0]), [str(r[0])]) for r in kinds.rows]
        kind = p.last_match(texts, lambda x: p.name_in(x, known))
        if buyer is None and kind is None:
            return None
        stage = p.last_match(texts, lambda x: p.name_in(x, [(s, [s]) for s in STAGES]))
        close = p.last_match(texts, lambda x: when.period(x, view.today))
        where = f" AND {name} = {p.sql_text(buyer)}" if buyer else ""
        where += f" AND o.name LIKE {p.sql_text('% - ' + kind)}" if kind else ""
        where += f" AND o.stage_name = {p.sql_text(stage)}" if stage else ""
        if close is not None:
            where += f" AND o.close_date >= '{close.start}' AND o.close_date < '{close.end}'"
        sql = (
            f"SELECT o.id FROM opportunities o JOIN {table} b ON b.id = o.{column} "
            f"WHERE o.is_closed = 0{where} ORDER BY o.id"
        )
        return (yield from d.described(memo, "opportunities", where, sql))

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = yield from default_record(
            {self.slots[2].name: True, **known},
            "opportunity",
            "SELECT id FROM opportunities WHERE is_closed = 0 ORDER BY created_date DESC LIMIT 1",
            "I couldn't find an open opportunity.",
        )
        return slots if isinstance(slots, str) else d.settle(slots, "opportunity")


class WrongStage(OnOpportunity):
    """Correct an opportunity whose stage disagrees with its completed activities."""

    name = "wrong_stage"
    keywords = ("right stage", "stage might be off", "opportunity's stage", "stage is wrong",
                "wrong stage")  # fmt: skip
    slots = (
        _OPPORTUNITY,
        _DETAIL,
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
        _DETAIL,
        Slot("open_only", "whether to include completed tasks or only the open ones"),
        Slot("priority", "whether I should only look at tasks of a certain priority",
             required=False),
    )  # fmt: skip

    def choice(self, text: str) -> bool | None:
        return p.open_only(text)

    def more(self, texts: Sequence[str]) -> Slots:
        return present({"priority": p.last_match(texts, p.priority)})

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        opp = slots["opportunity"]
        where = " AND t.status != 'Completed'" if slots.get("open_only", True) else ""
        if slots.get("priority") not in (None, p.NO_FILTER):
            where += f" AND t.priority = {p.sql_text(slots['priority'])}"
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
