"""Routing families the reference agents solve by rule, then carry out with an action.

case_routing and lead_routing rank owners by the routing policy and assign the record.
The user names the record by its number, id or who it is from, or describes it (the
case's subject, the lead's source), settling look-alikes with a detail (the case's
priority or channel, the day the lead came in); and may add constraints: a colleague on
leave, or (leads) territory owners only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from simulator.agent.reference import _described as d
from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import attempt, default_record, problem_with
from simulator.agent.reference._view import View

_POLICY = Slot("policy", "which routing criteria I should apply")
_AWAY = Slot("away", "whether any colleague is unavailable right now", required=False)


class Routing(Family):
    """Base: assign a new record to the owner its routing policy ranks first.

    ``slots`` are (record, detail, policy, ..., away); the record slot is named after the
    record kind, the detail slot is asked only when a description fits several records.
    """

    record: ClassVar[str]
    """The kind of record routed ('case', 'lead'): its slot, and its name in messages."""
    unrouted: ClassVar[str]
    """SQL for the newest record still without an owner (what an eager agent routes)."""
    owners: ClassVar[str]
    """Who can own the record, as 'No {owners} matches those criteria.' names them."""
    role: ClassVar[str]
    """``users.user_role`` of who can own the record."""
    action: ClassVar[str]
    """The workflow tool that assigns it (called with ``{record}_id`` and ``owner_id``)."""

    def find(self, text: str, view: View) -> str | None:
        """SQL matching the records a message names (see ``_match``)."""
        raise NotImplementedError

    def describe(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[str | None]:
        """The record slot's value for a description of the record, if any."""
        raise NotImplementedError

    def more(self, texts: Sequence[str]) -> Slots:
        """Further slots the family reads from the messages."""
        return {}

    def ranking(self, slots: Slots) -> str:
        """SQL ranking the possible owners under the policy, best first."""
        raise NotImplementedError

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        people = yield from memo.lookup(
            "colleagues",
            self.role,
            "SELECT id, first_name || ' ' || last_name FROM users WHERE user_role = "
            f"{p.sql_text(self.role)} AND is_active = 1 ORDER BY id",
        )
        names = [(str(r[0]), str(r[1])) for r in people.rows]
        said = [d.without_away(t, names) for t in texts]
        found = yield from match.latest(said, self.record, memo, lambda t: self.find(t, view))
        if found is None:
            found = yield from self.describe(said, view, memo)
        return {
            **d.record_slots(self.record, found),
            **present(
                {
                    "policy": p.last_match(texts, p.routing),
                    "away": p.last_match(texts, lambda t: d.away_in(t, names)),
                }
            ),
            **self.more(texts),
        }

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        slots = yield from default_record(
            {"policy": "workload", **known},
            self.record,
            self.unrouted,
            f"There are no new {self.record}s waiting to be routed.",
        )
        return slots if isinstance(slots, str) else d.settle(slots, self.record)

    def away(self, slots: Slots) -> str:
        """SQL condition (led by ' AND ') leaving out the colleague on leave, if any."""
        return f" AND u.id != {p.sql_text(slots['away'])}" if slots.get("away") else ""

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
    slots = (
        Slot("case", "which case this is (its case number)"),
        Slot(d.DETAIL, "which of the new cases about that it is (its priority, or the channel "
             "it came in by)"),
        _POLICY,
        _AWAY,
    )  # fmt: skip
    record = "case"
    unrouted = (
        "SELECT id FROM cases WHERE owner_id IS NULL AND status = 'New' "
        "ORDER BY created_date DESC LIMIT 1"
    )
    owners = "agent"
    role = "Support Agent"
    action = "reassign_case"

    def find(self, text: str, view: View) -> str | None:
        return match.case(text, view.people)

    def describe(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[str | None]:
        new = "FROM cases WHERE owner_id IS NULL AND status = 'New'"
        subject = yield from match.latest(
            texts,
            "case subject",
            memo,
            lambda t: (
                f"SELECT subject, subject, instr({_lower(t)}, lower(subject)) AS pos {new} "
                f"AND instr({_lower(t)}, lower(subject)) > 0"
            ),
        )
        if subject is None:
            return None
        priority = p.last_match(texts, d.priority_said)
        channel = p.last_match(texts, d.channel_said)
        where = f" AND subject = {p.sql_text(subject)}"
        where += f" AND priority = {p.sql_text(priority)}" if priority else ""
        where += f" AND origin = {p.sql_text(channel)}" if channel else ""
        return (yield from d.described(memo, "cases", where, f"SELECT id {new}{where} ORDER BY id"))

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
            f"'Support Agent' AND u.is_active = 1{self.away(slots)} ORDER BY {order} LIMIT 2"
        )


_SOURCES = {
    "web form": "Web",
    "website": "Web",
    "web": "Web",
    "referral": "Referral",
    "referred": "Referral",
    "partner": "Partner",
    "cold call": "Cold Call",
    "cold-call": "Cold Call",
    "trade show": "Trade Show",
    "tradeshow": "Trade Show",
}
"""How people say where a lead came from -> ``leads.lead_source``."""


def owners_only(text: str) -> bool | None:
    """Whether only the territory's owners may take the lead (not its support reps)."""
    if re.search(r"\bsupport(?:ing)? reps? (?:are|is) fine\b|\bany rep (?:who )?cover", text, re.I):
        return False
    if re.search(r"\bterritory owners?\b", text, re.I) and re.search(r"\bonly\b", text, re.I):
        return True
    return None


class LeadRouting(Routing):
    """Assign a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    keywords = ("route", "routing", "assign", "new lead", "new leads", "owner")
    slots = (
        Slot("lead", "which lead this is (the lead's name or id)"),
        Slot(d.DETAIL, "when it came in (the date)"),
        _POLICY,
        Slot("owners_only", "whether the rep must own the territory or may just support it",
             required=False),
        _AWAY,
    )  # fmt: skip
    record = "lead"
    unrouted = "SELECT id FROM leads WHERE owner_id IS NULL ORDER BY created_date DESC LIMIT 1"
    owners = "rep"
    role = "Sales Rep"
    action = "route_lead"

    def find(self, text: str, view: View) -> str | None:
        return match.lead(text)

    def describe(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[str | None]:
        source = p.last_match(texts, lambda t: p.word_map(t, _SOURCES))
        if source is None:
            return None
        day = p.last_match(texts, lambda t: d.day_said(t, view.today))
        where = f" AND lead_source = {p.sql_text(source)}"
        where += f" AND created_date = {p.sql_text(day)}" if day else ""
        sql = f"SELECT id FROM leads WHERE owner_id IS NULL{where} ORDER BY id"
        return (yield from d.described(memo, "leads", where, sql))

    def more(self, texts: Sequence[str]) -> Slots:
        return present({"owners_only": p.last_match(texts, owners_only)})

    def ranking(self, slots: Slots) -> str:
        lead = p.sql_text(slots["lead"])
        territory = ""
        order = "open_leads, u.id"
        if slots["policy"] != "workload":
            role = " AND a.role_in_territory = 'Owner'" if slots.get("owners_only") else ""
            territory = (
                " AND u.id IN (SELECT a.user_id FROM user_territory_associations a JOIN "
                "territories t ON t.id = a.territory_id WHERE instr(',' || t.states || ',', "
                f"',' || (SELECT state FROM leads WHERE id = {lead}) || ',') > 0{role})"
            )
            order = "accepted DESC, open_leads, u.id"
        return (
            "SELECT u.id, (SELECT COUNT(*) FROM quotes q WHERE q.owner_id = u.id AND "
            "q.status = 'Accepted') AS accepted, (SELECT COUNT(*) FROM leads l WHERE "
            "l.owner_id = u.id AND l.status IN ('Open - Not Contacted', 'Working - Contacted')) "
            f"AS open_leads FROM users u WHERE u.user_role = 'Sales Rep' AND u.is_active = 1"
            f"{territory}{self.away(slots)} ORDER BY {order} LIMIT 2"
        )


def _lower(text: str) -> str:
    return f"lower({p.sql_text(text)})"
