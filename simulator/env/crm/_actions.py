"""Workflow actions: the only way an agent changes the CRM, each validated and audited.

An action checks its arguments against the data (the record exists, is in a state that
allows the change, the new owner has the right role, the stage or article is valid) and
raises :class:`ToolError` with a message the agent can act on. A valid action runs as
one transaction on the dialogue's private copy: the change itself, a ``case_history``
row where Salesforce would write one, and an ``audit_log`` row.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.chat import ToolSpec
from simulator.env._protocol import ToolError
from simulator.env.crm._tables import TODAY
from simulator.env.crm._tables_sales import OPEN_STAGES

_NOTE = {"type": "string", "description": "Optional note recorded in the audit log."}


def _spec(name: str, description: str, props: dict[str, Any], required: list[str]) -> ToolSpec:
    return ToolSpec(
        name=name,
        description=description,
        parameters={
            "type": "object",
            "properties": {**props, "note": _NOTE},
            "required": required,
            "additionalProperties": False,
        },
    )


def _id(what: str, example: str) -> dict[str, str]:
    return {"type": "string", "description": f"The {what} id, like {example}."}


REASSIGN_CASE = _spec(
    "reassign_case",
    "Assign a support case to a support agent (routing a new case or transferring an open "
    "one). Writes cases.owner_id, a case_history row and an audit_log row.",
    {
        "case_id": _id("case", "500Cas0000123"),
        "owner_id": _id("support agent's user", "005Agt0000004"),
    },
    ["case_id", "owner_id"],
)
ROUTE_LEAD = _spec(
    "route_lead",
    "Assign an open lead to a sales rep. Writes leads.owner_id and an audit_log row.",
    {"lead_id": _id("lead", "00QLea0000123"), "owner_id": _id("sales rep's user", "005Rep0000004")},
    ["lead_id", "owner_id"],
)
UPDATE_STAGE = _spec(
    "update_opportunity_stage",
    "Move an open opportunity to another open stage ("
    + ", ".join(OPEN_STAGES)
    + "). Closing a deal happens through its contract, not here. Writes "
    "opportunities.stage_name and an audit_log row.",
    {
        "opportunity_id": _id("opportunity", "006Opp0000123"),
        "stage_name": {"type": "string", "enum": list(OPEN_STAGES), "description": "New stage."},
    },
    ["opportunity_id", "stage_name"],
)
APPROVE_QUOTE = _spec(
    "approve_quote",
    "Approve a quote whose status is 'Needs Review'. Writes quotes.status and an audit_log row.",
    {"quote_id": _id("quote", "0Q0Quo0000012")},
    ["quote_id"],
)
REJECT_QUOTE = _spec(
    "reject_quote",
    "Reject a quote whose status is 'Needs Review', citing the knowledge article of the "
    "policy it breaks. Writes quotes.status, quotes.rejection_article_id and an audit_log row.",
    {
        "quote_id": _id("quote", "0Q0Quo0000012"),
        "article_id": _id("knowledge article", "ka0Kav0000003"),
    },
    ["quote_id", "article_id"],
)

_ALL = (REASSIGN_CASE, ROUTE_LEAD, UPDATE_STAGE, APPROVE_QUOTE, REJECT_QUOTE)
ACTIONS: dict[str, tuple[ToolSpec, ...]] = {"b2b": _ALL, "b2c": _ALL}
"""The workflow tools each org offers: both have a service desk and a sales side."""


@dataclass(frozen=True)
class Change:
    """One audited field change."""

    action: str
    table: str
    record_id: str
    field: str
    old: Any
    new: Any

    def result(self) -> str:
        return json.dumps(
            {
                "ok": True,
                "action": self.action,
                "record_id": self.record_id,
                "field": self.field,
                "old_value": self.old,
                "new_value": self.new,
            },
            separators=(",", ":"),
        )


Read = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


def _record(
    read: Read, noun: str, table: str, columns: str, record_id: str, example: str, note: str = ""
) -> tuple[Any, ...]:
    """The record's ``columns``; a ToolError showing what ids look like when there is none."""
    rows = read(f"SELECT {columns} FROM {table} WHERE id = ?", (record_id,))
    if not rows:
        raise ToolError(f"no {noun} with id '{record_id}'; {noun} ids look like {example}{note}")
    return rows[0]


def plan(name: str, args: dict[str, Any], read: Read) -> list[Change]:
    """Validate an action against the data and return the changes it makes."""
    if name == "reassign_case":
        return [_reassign_case(args, read)]
    if name == "route_lead":
        return [_route_lead(args, read)]
    if name == "update_opportunity_stage":
        return [_update_stage(args, read)]
    if name in ("approve_quote", "reject_quote"):
        return _decide_quote(name, args, read)
    raise ToolError(f"unknown workflow action '{name}'")  # pragma: no cover - dispatch guards


_OWNERS = {"cases": ("case", "Support Agent"), "leads": ("lead", "Sales Rep")}
"""Tables whose records the actions assign an owner: (record noun, the owners' role)."""


def _user(read: Read, uid: str, role: str) -> None:
    row = read("SELECT user_role, is_active FROM users WHERE id = ?", (uid,))
    if not row or row[0][0] != role or not row[0][1]:
        raise ToolError(
            f"'{uid}' is not an active {role.lower()}; look up users with user_role = '{role}'"
        )


def _assign(read: Read, action: str, table: str, record_id: str, old: Any, owner: str) -> Change:
    """A new owner for an open record: an active user of the right role, not the same one."""
    noun, role = _OWNERS[table]
    _user(read, owner, role)
    if old == owner:
        raise ToolError(f"{noun} {record_id} is already assigned to {owner}")
    return Change(action, table, record_id, "owner_id", old, owner)


def _reassign_case(args: dict[str, Any], read: Read) -> Change:
    case_id, owner = args["case_id"], args["owner_id"]
    status, old = _record(read, "case", "cases", "status, owner_id", case_id, "500Cas0000123",
                          " (case_number is a different field)")  # fmt: skip
    if status == "Closed":
        raise ToolError(f"case {case_id} is closed; closed cases cannot be reassigned")
    return _assign(read, "reassign_case", "cases", case_id, old, owner)


def _route_lead(args: dict[str, Any], read: Read) -> Change:
    lead_id, owner = args["lead_id"], args["owner_id"]
    status, old = _record(read, "lead", "leads", "status, owner_id", lead_id, "00QLea0000123")
    if str(status).startswith("Closed"):
        raise ToolError(f"lead {lead_id} is '{status}'; only open leads can be routed")
    return _assign(read, "route_lead", "leads", lead_id, old, owner)


def _update_stage(args: dict[str, Any], read: Read) -> Change:
    opp_id, stage = args["opportunity_id"], args["stage_name"]
    old, closed = _record(read, "opportunity", "opportunities", "stage_name, is_closed", opp_id,
                          "006Opp0000123")  # fmt: skip
    if closed:
        raise ToolError(f"opportunity {opp_id} is {old}; closed opportunities keep their stage")
    if old == stage:
        raise ToolError(f"opportunity {opp_id} is already at stage '{stage}'")
    return Change("update_opportunity_stage", "opportunities", opp_id, "stage_name", old, stage)


def _decide_quote(name: str, args: dict[str, Any], read: Read) -> list[Change]:
    quote_id = args["quote_id"]
    (status,) = _record(read, "quote", "quotes", "status", quote_id, "0Q0Quo0000012",
                        " (quote_number is a different field)")  # fmt: skip
    if status != "Needs Review":
        raise ToolError(
            f"quote {quote_id} has status '{status}'; only quotes with status 'Needs Review' "
            "can be approved or rejected"
        )
    if name == "approve_quote":
        return [Change(name, "quotes", quote_id, "status", status, "Approved")]
    article = args["article_id"]
    if not read("SELECT id FROM knowledge_articles WHERE id = ?", (article,)):
        raise ToolError(
            f"no knowledge article with id '{article}'; cite the policy article the quote "
            "breaks (ids look like ka0Kav0000003)"
        )
    return [
        Change(name, "quotes", quote_id, "status", status, "Rejected"),
        Change(name, "quotes", quote_id, "rejection_article_id", None, article),
    ]


def apply(
    conn: sqlite3.Connection, changes: list[Change], *, actor: str | None, note: str | None
) -> None:
    """Write validated changes with their history and audit rows (inside a transaction)."""
    (count,) = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    moment = dt.datetime.combine(TODAY, dt.time(9, 0)) + dt.timedelta(minutes=int(count))
    when = moment.isoformat(timespec="seconds")
    for change in changes:
        conn.execute(
            f"UPDATE {change.table} SET {change.field} = ? WHERE id = ?",
            (change.new, change.record_id),
        )
        if change.table == "cases":
            conn.execute(
                "INSERT INTO case_history VALUES (?, ?, 'Owner', ?, ?, ?)",
                (f"017Act{int(count) + 1:07d}", change.record_id, change.old, change.new, when),
            )
        conn.execute(
            "INSERT INTO audit_log VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (when, actor, change.action, change.table, change.record_id, change.field,
             None if change.old is None else str(change.old), str(change.new), note),
        )  # fmt: skip
