"""Find the records a user names, by matching their words against database content.

Each matcher sends the user's message to SQLite and lets it find which names, numbers
or codes occur in it (``instr`` over the table), once per message (see ``Memo``). Ids
are recognised by their shape and then checked against the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from simulator.agent.reference._families import Memo, Plan
from simulator.agent.reference._parse import sql_text


def _lower(text: str) -> str:
    return f"lower({sql_text(text)})"


def _latest(rows: Sequence[Sequence[Any]]) -> Any:
    """The id of the match found latest in the text (longest name on a tie)."""
    best = max(rows, key=lambda r: (int(r[-1]), len(str(r[1]))), default=None)
    return None if best is None else best[0]


def latest(
    texts: Sequence[str], kind: str, memo: Memo, sql: Callable[[str], str | None]
) -> Plan[str | None]:
    """The record id ``sql(text)`` finds in the latest text that names one."""
    value: str | None = None
    for text in texts:
        query = sql(text)
        if query is None:
            continue
        rows = yield from memo.lookup(kind, text, query)
        found = _latest(rows.rows) if rows.rows else None
        if found is not None:
            value = str(found)
    return value


def _by_id(text: str, pattern: str, table: str, label: str) -> str | None:
    """The record of ``table`` whose id (shaped like ``pattern``) the text names last."""
    ids = re.findall(pattern, text)
    if not ids:
        return None
    return f"SELECT id, {label}, 1 AS pos FROM {table} WHERE id = {sql_text(ids[-1])}"


def _by_number(text: str, table: str, column: str) -> str | None:
    """The records of ``table`` whose eight-digit ``column`` the text names."""
    numbers = re.findall(r"\b\d{8}\b", text)
    if not numbers:
        return None
    listed = ", ".join(sql_text(n) for n in numbers)
    return f"SELECT id, {column}, 1 AS pos FROM {table} WHERE {column} IN ({listed})"


def product(text: str) -> str:
    """Products named by full name or product code."""
    t = _lower(text)
    return (
        "SELECT id, name, MAX(instr("
        + t
        + ", lower(name)), instr("
        + t
        + ", lower(product_code))) "
        "AS pos FROM products WHERE instr(" + t + ", lower(name)) > 0 "
        "OR instr(" + t + ", lower(product_code)) > 0"
    )


def case(text: str, people: tuple[str, str] = ("customers", "customer_id")) -> str | None:
    """A case by its eight-digit case number, or a new case by the name of who opened it
    (``people``: their table and the cases' column naming them)."""
    t = _lower(text)
    table, column = people
    return _by_number(text, "cases", "case_number") or (
        "SELECT c.id, cu.first_name || ' ' || cu.last_name AS who, "
        f"instr({t}, lower(cu.first_name || ' ' || cu.last_name)) AS pos FROM cases c "
        f"JOIN {table} cu ON cu.id = c.{column} WHERE c.owner_id IS NULL AND "
        f"c.status = 'New' AND instr({t}, lower(cu.first_name || ' ' || cu.last_name)) > 0"
    )


def lead(text: str) -> str:
    """A lead by id, or by name (the company, when also named, settles namesakes)."""
    t = _lower(text)
    full = "lower(first_name || ' ' || last_name)"
    return _by_id(text, r"\b00QLea\d{7}\b", "leads", "id") or (
        f"SELECT id, first_name || ' ' || last_name, instr({t}, {full}) "
        f"+ COALESCE(instr({t}, lower(company)) > 0, 0) * 100000 AS pos FROM leads "
        f"WHERE instr({t}, {full}) > 0"
    )


def opportunity(text: str) -> str:
    """An opportunity by id or by its name."""
    t = _lower(text)
    return _by_id(text, r"\b006Opp\d{7}\b", "opportunities", "name") or (
        f"SELECT id, name, instr({t}, lower(name)) AS pos FROM opportunities "
        f"WHERE instr({t}, lower(name)) > 0"
    )


def quote(text: str) -> str | None:
    """A quote by its eight-digit quote number (or its id)."""
    return _by_id(text, r"\b0Q0Quo\d{7}\b", "quotes", "id") or _by_number(
        text, "quotes", "quote_number"
    )
