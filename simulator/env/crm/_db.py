"""Build the CRM once per seed, then hand each dialogue its own read-only in-memory copy.

Writes are impossible at the SQLite level: ``PRAGMA query_only=ON`` plus an authorizer that
allows only SELECT, column reads, functions and recursive CTEs. A statement-type check in
front of it only makes the error message clearer.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

from simulator.env._protocol import ToolError
from simulator.env.crm._data import generate, load

ROW_LIMIT = 50
"""Default number of rows a query may return before the result is truncated."""

_MAX_PROGRESS_CALLS = 20_000
"""Progress-handler calls (each 1,000 VM steps) before a runaway query is interrupted."""

_ALLOWED_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, 33}  # 33: RECURSIVE
)
_DENIED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})
_ACTION_NAMES = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_")
    for name in (
        "SQLITE_ALTER_TABLE",
        "SQLITE_ANALYZE",
        "SQLITE_ATTACH",
        "SQLITE_CREATE_INDEX",
        "SQLITE_CREATE_TABLE",
        "SQLITE_CREATE_TEMP_TABLE",
        "SQLITE_CREATE_TEMP_VIEW",
        "SQLITE_CREATE_TRIGGER",
        "SQLITE_CREATE_VIEW",
        "SQLITE_CREATE_VTABLE",
        "SQLITE_DELETE",
        "SQLITE_DETACH",
        "SQLITE_DROP_INDEX",
        "SQLITE_DROP_TABLE",
        "SQLITE_DROP_TRIGGER",
        "SQLITE_DROP_VIEW",
        "SQLITE_DROP_VTABLE",
        "SQLITE_INSERT",
        "SQLITE_PRAGMA",
        "SQLITE_REINDEX",
        "SQLITE_SAVEPOINT",
        "SQLITE_TRANSACTION",
        "SQLITE_UPDATE",
        "SQLITE_FUNCTION",
    )
    if hasattr(sqlite3, name)
}
_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_READ_KEYWORDS = ("select", "with", "values")

_images: dict[int, bytes] = {}
_lock = threading.Lock()


def build(seed: int) -> sqlite3.Connection:
    """A fresh, writable in-memory CRM for ``seed`` (generation runs every call)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    load(conn, generate(seed))
    return conn


def image(seed: int) -> bytes:
    """The serialized database for ``seed``, generated once per process and cached."""
    with _lock:
        data = _images.get(seed)
        if data is None:
            conn = build(seed)
            data = conn.serialize()
            conn.close()
            _images[seed] = data
        return data


def dump(seed: int) -> str:
    """The whole database as SQL text (for determinism checks)."""
    conn = open_copy(seed)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def open_copy(seed: int) -> sqlite3.Connection:
    """A private, writable in-memory copy of the cached database (cheap: no regeneration)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.deserialize(image(seed))
    return conn


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of one query, and whether rows were cut at the limit."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool

    def to_json(self) -> str:
        """Compact JSON text, the format the agent sees."""
        body = {"columns": self.columns, "rows": self.rows, "truncated": self.truncated}
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


class ReadOnlyDB:
    """One dialogue's read-only connection to its own copy of the CRM."""

    def __init__(self, seed: int, *, row_limit: int = ROW_LIMIT) -> None:
        self.row_limit = row_limit
        self.conn = open_copy(seed)
        self.conn.execute("PRAGMA query_only=ON")
        self._denied: list[str] = []
        self._steps = 0
        self.conn.set_authorizer(self._authorize)
        self.conn.set_progress_handler(self._progress, 1000)

    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, src: str | None
    ) -> int:
        if action in _ALLOWED_ACTIONS:
            if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
                self._denied.append(f"function {arg2}()")
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        self._denied.append(_ACTION_NAMES.get(action, f"action {action}"))
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        self._steps += 1
        return 1 if self._steps > _MAX_PROGRESS_CALLS else 0

    def query(self, sql: str, *, limit: int | None = None) -> QueryResult:
        """Run one read-only statement; raise ToolError with a clear message otherwise."""
        if not isinstance(sql, str) or not sql.strip():
            raise ToolError("'query' must be a non-empty SQL SELECT statement")
        head = _LEADING_COMMENTS.sub("", sql, count=1)
        first = head.split(None, 1)[0].lower() if head.split() else ""
        first = first.split("(", 1)[0]
        if first not in _READ_KEYWORDS:
            raise ToolError(
                f"only read-only SELECT queries are allowed (got '{first.upper()}'): "
                "the CRM is read-only; use describe_schema to see the tables"
            )
        self._denied.clear()
        self._steps = 0
        cap = self.row_limit if limit is None else limit
        try:
            cursor = self.conn.execute(sql)
            fetched = cursor.fetchmany(cap + 1)
        except (sqlite3.ProgrammingError, sqlite3.Warning) as exc:
            if "one statement" in str(exc):
                raise ToolError(
                    "only one SQL statement per call is allowed; remove the ';' and what follows it"
                ) from None
            raise ToolError(f"SQL error: {exc}") from None
        except sqlite3.Error as exc:
            raise ToolError(self._explain(exc)) from None
        columns = [d[0] for d in cursor.description or ()]
        rows = [[_clean(v) for v in row] for row in fetched[:cap]]
        return QueryResult(columns, rows, truncated=len(fetched) > cap)

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if self._denied:
            return (
                f"not allowed: {', '.join(dict.fromkeys(self._denied))}. The CRM is read-only: "
                "only SELECT queries are allowed"
            )
        if "interrupted" in text:
            return "query interrupted: it took too long; add filters or a LIMIT"
        if "readonly" in text or "read-only" in text:
            return f"not allowed: {text}. The CRM is read-only: only SELECT queries are allowed"
        return f"SQL error: {text}"

    def close(self) -> None:
        self.conn.close()


def _clean(value: Any) -> Any:
    """JSON-friendly cell values; floats rounded to hide binary noise (0.1 + 0.2)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, bytes):
        return value.hex()
    return value
