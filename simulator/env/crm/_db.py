"""Worlds built once per process, shared read-only, copied only when a dialogue writes.

A *world* is one org at one seed and scale. It is generated once, loaded into a named
in-memory SQLite database (the ``memdb`` VFS) and serialised. Dialogues read through a
small pool of connections opened on that database with ``mode=ro``, so reading costs a
dialogue no memory of its own and no dialogue can change what another reads. A dialogue
that calls a workflow action gets its private copy (``deserialize`` of the image) on its
first write, and reads its own copy from then on.

Every agent-facing connection is guarded three ways: SQLite opens it read-only (or, for
a private copy, with ``PRAGMA query_only``), an authorizer allows only reads and plain
functions (no ATTACH, PRAGMA, DDL, writes or extension loading), and ``ATTACH`` is
limited to zero databases. A progress handler stops queries that run past the time
limit, or that make SQLite hold ``MEMORY_LIMIT`` more bytes (sorts, ``DISTINCT``: their
temporary files are in memory). SQLite refuses to build a string or blob longer than
``VALUE_LIMIT`` bytes (``SELECT randomblob(1000000000)`` fails at once, before allocating)
or a result of more than ``COLUMN_LIMIT`` columns, and rows are fetched one at a time
while they fit in ``RESULT_LIMIT`` characters. A statement-type check in front only makes
error messages clearer.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import itertools
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from simulator.env._protocol import ToolError
from simulator.env.crm._build import Generated, load
from simulator.env.crm._tables import ORGS, Table

ROW_LIMIT = 50
"""Default number of rows a query may return before the result is truncated."""

TIME_LIMIT = 2.0
"""Default seconds a query may run before it is interrupted."""

RESULT_LIMIT = 65_536
"""Default characters of JSON a query's rows may take; rows past it are left out."""

VALUE_LIMIT = 100_000
"""Longest string or blob, in bytes, a query may build (``SQLITE_LIMIT_LENGTH``): 25 times
the longest text in the CRM; larger values are refused at once, before any is allocated."""

COLUMN_LIMIT = 100
"""Most columns a query's result may have (``SQLITE_LIMIT_COLUMN``; the widest table has 16)."""

MEMORY_LIMIT = 256 * 1024 * 1024
"""Bytes of memory SQLite may take on for one query before the query is interrupted."""

_ALLOWED_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, 33}  # 33: RECURSIVE
)
_READ_PRAGMAS = frozenset(
    {"data_version", "table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list"}
)
"""Pragmas that only read (FTS5 checks data_version; agents use pragma_table_info)."""
_DENIED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})
_ACTION_NAMES = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_")
    for name in (
        "SQLITE_ALTER_TABLE",
        "SQLITE_ANALYZE",
        "SQLITE_ATTACH",
        "SQLITE_CREATE_INDEX",
        "SQLITE_CREATE_TABLE",
        "SQLITE_CREATE_TEMP_INDEX",
        "SQLITE_CREATE_TEMP_TABLE",
        "SQLITE_CREATE_TEMP_TRIGGER",
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
    )
    if hasattr(sqlite3, name)
}
_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_READ_KEYWORDS = ("select", "with", "values")
_PROGRESS_EVERY = 2000


def _memory_counter() -> Callable[[], int] | None:
    """``sqlite3_memory_used`` of the SQLite library the ``sqlite3`` module runs on: the
    bytes SQLite holds now, in the whole process. None where it cannot be reached (a build
    that does not export it): queries then have only the time limit."""
    spec = importlib.util.find_spec("_sqlite3")
    try:
        used = ctypes.CDLL(spec.origin).sqlite3_memory_used if spec and spec.origin else None
    except (OSError, AttributeError):
        return None
    if used is None:
        return None
    used.restype = ctypes.c_int64
    used.argtypes = []
    counter: Callable[[], int] = used
    return counter


_memory_used = _memory_counter()


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of one query, and whether rows were cut at the limit."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool  # more rows matched than the row limit, or than fit in the result limit

    def to_json(self) -> str:
        """Compact JSON text, the format the agent sees."""
        body = {"columns": self.columns, "rows": self.rows, "truncated": self.truncated}
        return _COMPACT.encode(body)


_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
"""Compact JSON, made once (``json.dumps`` with settings builds an encoder per call)."""


def generate(org: str, seed: int, scale: int) -> Generated:
    """The rows, documents and ground truth of one world (no caching)."""
    if org not in ORGS:
        raise ValueError(f"unknown CRM org '{org}'; expected one of: {', '.join(ORGS)}")
    if scale < 1:
        raise ValueError(f"scale must be at least 1 (got {scale})")
    if org == "b2b":
        from simulator.env.crm._gen_b2b import generate_b2b

        return generate_b2b(seed, scale)
    from simulator.env.crm._gen_b2c import generate_b2c

    return generate_b2c(seed, scale)


def build(org: str, seed: int = 0, scale: int = 1) -> sqlite3.Connection:
    """A fresh, writable in-memory CRM (generation runs on every call; for tests and tools)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    load(conn, generate(org, seed, scale))
    return conn


class Guard:
    """One guarded connection: read-only queries with a row cap and a time limit."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._denied: list[str] = []
        self._deadline = 0.0
        self._memory_from = 0  # SQLite's memory when the running query started
        self._out_of_memory = False
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT)
        conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, COLUMN_LIMIT)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("PRAGMA temp_store=MEMORY")  # counted, so MEMORY_LIMIT covers sorts
        # FTS5 prepares its own statements (touching sqlite_master) on first use
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("SELECT COUNT(*) FROM text_search WHERE text_search MATCH 'x'").close()
        self._arm()

    def _arm(self) -> None:
        self.conn.set_authorizer(self._authorize)
        self.conn.set_progress_handler(self._progress, _PROGRESS_EVERY)

    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, src: str | None
    ) -> int:
        if action in _ALLOWED_ACTIONS:
            if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
                self._denied.append(f"function {arg2}()")
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        self._denied.append(_ACTION_NAMES.get(action, f"action {action}"))
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        if time.perf_counter() > self._deadline:
            return 1
        if _memory_used is not None and _memory_used() - self._memory_from > MEMORY_LIMIT:
            self._out_of_memory = True
            return 1
        return 0

    def query(
        self,
        sql: str,
        *,
        limit: int,
        time_limit: float,
        params: tuple[Any, ...] = (),
        result_limit: int = RESULT_LIMIT,
    ) -> QueryResult:
        """Run one read-only statement; raise ToolError with a clear message otherwise.

        At most ``limit`` rows are returned, and only as many as fit in ``result_limit``
        characters of JSON (``truncated`` says that more matched); a first row larger
        than that is refused.
        """
        if not isinstance(sql, str) or not sql.strip():
            raise ToolError("'query' must be a non-empty SQL SELECT statement")
        head = _LEADING_COMMENTS.sub("", sql, count=1)
        first = head.split(None, 1)[0].lower() if head.split() else ""
        first = first.split("(", 1)[0]
        if first not in _READ_KEYWORDS:
            raise ToolError(
                f"only read-only SELECT queries are allowed (got '{first.upper()}'): "
                "the CRM can only be changed through the workflow tools; use describe_schema "
                "to see the tables"
            )
        self._denied.clear()
        self._out_of_memory = False
        self._memory_from = _memory_used() if _memory_used is not None else 0
        self._deadline = time.perf_counter() + time_limit
        cursor = None
        try:
            cursor = self.conn.execute(sql, params)
            columns = [d[0] for d in cursor.description or ()]
            rows, truncated = _fetch(cursor, limit, result_limit)
        except (sqlite3.ProgrammingError, sqlite3.Warning) as exc:
            if "one statement" in str(exc):
                raise ToolError(
                    "only one SQL statement per call is allowed; remove the ';' and what follows it"
                ) from None
            raise ToolError(f"SQL error: {exc}") from None
        except sqlite3.Error as exc:
            raise ToolError(self._explain(exc, time_limit)) from None
        finally:
            if cursor is not None:
                cursor.close()
        return QueryResult(columns, rows, truncated)

    def _explain(self, exc: sqlite3.Error, time_limit: float) -> str:
        text = str(exc)
        if self._denied:
            return (
                f"not allowed: {', '.join(dict.fromkeys(self._denied))}. sql_query is read-only: "
                "only SELECT queries are allowed"
            )
        if "interrupted" in text and self._out_of_memory:
            return (
                f"query interrupted: it needed more than {MEMORY_LIMIT // 2**20} MB of memory; "
                "add filters or a LIMIT, or sort fewer or shorter columns"
            )
        if "interrupted" in text:
            return f"query interrupted: it ran longer than {time_limit:g} s; add filters or a LIMIT"
        if "too big" in text:
            return (
                f"query refused: a string or blob in it would be longer than {VALUE_LIMIT:,} "
                "bytes; select a part of it (substr) or its length instead"
            )
        if "too many columns" in text:
            return f"SQL error: {text} (at most {COLUMN_LIMIT}); select fewer columns"
        if "readonly" in text or "read-only" in text:
            return f"not allowed: {text}. sql_query is read-only: only SELECT queries are allowed"
        return f"SQL error: {text}"

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """Lift the guards for one transaction of trusted, parameterised workflow writes."""
        conn = self.conn
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
        conn.execute("PRAGMA query_only=OFF")
        conn.execute("BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            conn.execute("PRAGMA query_only=ON")
            self._arm()

    def close(self) -> None:
        self.conn.close()


_names = itertools.count(1)


class World:
    """One org at one seed and scale: an immutable database shared by every dialogue."""

    def __init__(self, org: str, seed: int, scale: int) -> None:
        data = generate(org, seed, scale)
        self.org, self.seed, self.scale = org, seed, scale
        self.tables: tuple[Table, ...] = data.tables
        self.truth = data.truth
        self._uri = f"file:/crm-{org}-{seed}-{scale}-{os.getpid()}-{next(_names)}?vfs=memdb"
        self._keeper = sqlite3.connect(
            self._uri, uri=True, isolation_level=None, check_same_thread=False
        )  # serialised on first use, by whichever thread makes the first private copy
        load(self._keeper, data)
        self._image: bytes | None = None
        self._pool: list[Guard] = []
        self._lock = threading.Lock()

    @property
    def image(self) -> bytes:
        """The serialised database, made on first use: read-only dialogues share the
        world through pooled connections and never need it; a writer's private copy and
        the persona generator start from it."""
        if self._image is None:
            with self._lock:
                if self._image is None:
                    self._image = self._keeper.serialize()
        return self._image

    def _open_reader(self) -> Guard:
        conn = sqlite3.connect(
            self._uri + "&mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        return Guard(conn)

    @contextmanager
    def reader(self) -> Iterator[Guard]:
        """Borrow a read-only connection for one query (readers are pooled, never closed)."""
        with self._lock:
            guard = self._pool.pop() if self._pool else None
        if guard is None:
            guard = self._open_reader()
        try:
            yield guard
        finally:
            with self._lock:
                self._pool.append(guard)

    def private_copy(self) -> Guard:
        """A writable copy of the world for one dialogue, guarded like a reader."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.deserialize(self.image)
        return Guard(conn)

    @property
    def size(self) -> int:
        """Bytes of the serialised database."""
        return len(self.image)


_worlds: dict[tuple[str, int, int], World] = {}
_worlds_lock = threading.Lock()


def world(org: str, seed: int = 0, scale: int = 1) -> World:
    """The shared world for (org, seed, scale), built on first use and cached."""
    key = (org, seed, scale)
    with _worlds_lock:
        found = _worlds.get(key)
        if found is None:
            found = _worlds[key] = World(org, seed, scale)
        return found


def dump(org: str, seed: int = 0, scale: int = 1) -> str:
    """The cached world as SQL text (for determinism checks)."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(world(org, seed, scale).image)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _fetch(cursor: sqlite3.Cursor, limit: int, result_limit: int) -> tuple[list[list[Any]], bool]:
    """Up to ``limit`` rows, one at a time, while their JSON fits in ``result_limit``
    characters; and whether any row was left out."""
    rows: list[list[Any]] = []
    size = 0
    for row in cursor:
        if len(rows) == limit:
            return rows, True
        cleaned = [_clean(v) for v in row]
        size += len(_COMPACT.encode(cleaned)) + 1
        if size > result_limit:
            if not rows:
                raise ToolError(
                    f"result too large: its first row is over {result_limit:,} characters; "
                    "select fewer or shorter columns (substr, length)"
                )
            return rows, True
        rows.append(cleaned)
    return rows, False


def _clean(value: Any) -> Any:
    """JSON-friendly cell values; floats rounded to hide binary noise (0.1 + 0.2)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, bytes):
        return value.hex()
    return value
