"""The plan steps the families share: a query, an action, and what to say when either fails.

Each is a small plan (see ``_families``) that a family's own plan runs with ``yield from``.
"""

from __future__ import annotations

from typing import Any

from simulator.agent.reference._families import Call, Plan, Slots
from simulator.agent.reference._view import Rows


def fetch(sql: str) -> Plan[Rows]:
    """One sql_query call."""
    rows = yield sql
    return rows


def act(name: str, **arguments: Any) -> Plan[Rows]:
    """One workflow action (its JSON result comes back as a one-cell row, errors as error)."""
    rows = yield Call(name, arguments)
    return rows


def attempt(doing: str, name: str, /, **arguments: Any) -> Plan[str | None]:
    """Carry out a workflow action; what to tell the user if it failed ('I couldn't
    {doing}: ...'), None when it worked."""
    done = yield from act(name, **arguments)
    return f"I couldn't {doing}: {done.error}" if done.error else None


def problem_with(rows: Rows, what: str) -> str | None:
    """Why there is no answer, if the lookup failed or found no ``what``."""
    if rows.error:
        return f"The lookup failed: {rows.error}."
    if not rows.rows:
        return f"No {what} matches those criteria."
    return None


def default_record(slots: Slots, name: str, sql: str, none: str) -> Plan[Slots | str]:
    """``slots`` with the record ``name`` filled in, when the user named none, by the first
    id ``sql`` finds; ``none`` when it finds nothing (what an eager agent assumes)."""
    if name not in slots:
        rows = yield sql
        if rows.error or not rows.rows:
            return none
        slots[name] = str(rows.rows[0][0])
    return slots
