"""``CRMEnvironment``: one dialogue's view of a CRM org, offered to the agent as tools.

Reads go to the world every dialogue shares; the first workflow action gives this
dialogue its private copy, so no dialogue ever sees another's writes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from simulator.chat import ToolSpec
from simulator.env._protocol import ToolError
from simulator.env.crm import _actions as actions
from simulator.env.crm._db import (
    RESULT_LIMIT,
    ROW_LIMIT,
    TIME_LIMIT,
    VALUE_LIMIT,
    Guard,
    QueryResult,
    World,
    world,
)
from simulator.env.crm._tables import COMPANIES, TODAY, describe
from simulator.persona import StateCheck

_SQL_DESCRIPTION = (
    "Run one read-only SQLite SELECT query against the company CRM and get the result as "
    'JSON {{"columns": [...], "rows": [[...]], "truncated": bool}}. At most {} rows and '
    "{:,} characters are returned (truncated is true when more matched: aggregate, filter "
    "or select fewer columns instead), a query may run {:g} s and build strings of at most "
    "{:,} bytes. Writes, PRAGMA, ATTACH and multiple statements are refused. Call "
    "describe_schema first to see the tables."
)
DESCRIBE_SCHEMA = ToolSpec(
    name="describe_schema",
    description=(
        "List the CRM's tables with their columns, types and one-line descriptions (or one "
        "table's). Columns marked [internal] are for employees only."
    ),
    parameters={
        "type": "object",
        "properties": {"table": {"type": "string", "description": "Only this table."}},
        "additionalProperties": False,
    },
)
SEARCH_TEXT = ToolSpec(
    name="search_text",
    description=(
        "Full-text search (SQLite FTS5, ranked by BM25) over knowledge articles and "
        "transcripts: voice calls, live chats and case e-mails. Give plain words (common "
        "words are ignored; any word may match); results "
        "list source, record_id, parent_id (the case, lead or opportunity), visibility, "
        "title and a snippet with matches in [brackets]."
    ),
    parameters={
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "Words to look for."},
            "source": {
                "type": "string",
                "enum": ["all", "knowledge", "call", "chat", "email"],
                "description": "Only this kind of document (default all).",
            },
            "limit": {"type": "integer", "description": "Results to return, 1 to 10 (default 5)."},
        },
        "required": ["query"],
        "additionalProperties": False,
    },
)

_STOPWORDS = frozenset(
    """a an and are as at be but by can could did do does for from had has have how i if in
    into is it its me my no not of on or our so than that the their them then there these
    they this to us was we were what when where which who why will with would you your""".split()
)

_ORG_WORDS = {
    "b2b": "accounts, contacts, leads, opportunities, quotes, contracts, orders, products, "
    "price books, territories, tasks, events, sales-call transcripts, support cases with "
    "their history, live-chat transcripts, case e-mails, known issues and knowledge articles",
    "b2c": "store customers, their orders, products, support cases with their history, "
    "live-chat transcripts, case e-mails, known issues, leads, opportunities and quotes for "
    "home packages, contracts, price books, territories, tasks, events, sales-call "
    "transcripts and knowledge articles",
}


@lru_cache(maxsize=64)
def _sql_tool(row_limit: int, result_limit: int, time_limit: float) -> ToolSpec:
    """The ``sql_query`` tool for these limits: one object for every dialogue with them,
    so the request hash finds its JSON already made."""
    return ToolSpec(
        name="sql_query",
        description=_SQL_DESCRIPTION.format(row_limit, result_limit, time_limit, VALUE_LIMIT),
        parameters={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "One SQLite SELECT statement."}
            },
            "required": ["query"],
            "additionalProperties": False,
        },
    )


def instructions(org: str) -> str:
    """The system message's opening for an agent working in ``org``."""
    acts = ", ".join(t.name for t in actions.ACTIONS[org])
    return (
        f"You are an assistant working for {COMPANIES[org]}. You have access to the company "
        f"CRM ({_ORG_WORDS[org]}) through tools: describe_schema, sql_query (read-only SQL), "
        f"search_text (full-text search), and the workflow actions {acts}, which change the "
        "CRM. Look up what you need and compute the answer from the data; do not guess. When "
        "you have the final answer, call submit_answer with just the answer (for example an "
        f"id, a number or 'none'). Today's date is {TODAY.isoformat()}."
    )


class CRMEnvironment:
    """The CRM sandbox for one dialogue: shared reads, a private copy once it writes."""

    instructions: str

    def __init__(
        self,
        org: str = "b2c",
        seed: int = 0,
        *,
        scale: int = 1,
        row_limit: int = ROW_LIMIT,
        time_limit: float = TIME_LIMIT,
        result_limit: int = RESULT_LIMIT,
        actor_id: str | None = None,
    ) -> None:
        self.world: World = world(org, seed, scale)
        self.org, self.seed, self.scale = org, seed, scale
        self.name = f"crm-{org}"
        self.instructions = instructions(org)
        self.row_limit = row_limit
        self.time_limit = time_limit
        self.result_limit = result_limit
        self.actor_id = actor_id
        self._own: Guard | None = None
        self._closed = False
        sql = _sql_tool(row_limit, result_limit, time_limit)
        self._tools = [DESCRIBE_SCHEMA, sql, SEARCH_TEXT, *actions.ACTIONS[org]]
        self._specs = {t.name: t for t in self._tools}

    @property
    def has_private_copy(self) -> bool:
        """Whether this dialogue has written (and so holds its own copy of the world)."""
        return self._own is not None

    def tools(self) -> list[ToolSpec]:
        """Schema, SQL, search and the org's workflow actions (``submit_answer`` is the graph's)."""
        return list(self._tools)

    def query(
        self, sql: str, *, limit: int | None = None, params: tuple[Any, ...] = ()
    ) -> QueryResult:
        """Run one read-only query on this dialogue's view of the world."""
        if self._closed:
            raise ToolError("the CRM environment of this dialogue is closed")
        cap = self.row_limit if limit is None else limit
        limits: dict[str, Any] = {"time_limit": self.time_limit, "result_limit": self.result_limit}
        if self._own is not None:
            return self._own.query(sql, limit=cap, params=params, **limits)
        with self.world.reader() as guard:
            return guard.query(sql, limit=cap, params=params, **limits)

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        """Run one tool call; bad input raises ToolError with a message for the agent."""
        if not isinstance(arguments, dict):
            raise ToolError(f"arguments of '{name}' must be a JSON object")
        spec = self._specs.get(name)
        if spec is None:
            known = ", ".join(self._specs)
            raise ToolError(f"unknown tool '{name}'; available tools: {known}")
        validate(spec, arguments)
        if name == "describe_schema":
            return self._describe(arguments.get("table"))
        if name == "sql_query":
            return self.query(arguments["query"]).to_json()
        if name == "search_text":
            return self._search(arguments).to_json()
        return self._act(name, arguments)

    def _describe(self, table: str | None) -> str:
        names = [t.name for t in self.world.tables]
        if table is not None and table not in names:
            raise ToolError(f"no table '{table}'; tables: {', '.join(names)}")
        return describe(self.world.tables, table)

    def _search(self, arguments: dict[str, Any]) -> QueryResult:
        words = [
            w
            for w in re.findall(r"[A-Za-z0-9]+", arguments["query"])
            if w.lower() not in _STOPWORDS
        ]
        if not words:
            raise ToolError("search_text needs at least one word to look for")
        limit = arguments.get("limit", 5)
        if not 1 <= limit <= 10:
            raise ToolError(f"search_text: 'limit' must be between 1 and 10 (got {limit})")
        source = arguments.get("source", "all")
        match = " OR ".join(f'"{w.lower()}"' for w in words[:20])
        where = "" if source == "all" else " AND source = ?"
        params: tuple[Any, ...] = (match,) if source == "all" else (match, source)
        return self.query(
            "SELECT source, record_id, parent_id, visibility, title, "
            "snippet(text_search, 5, '[', ']', '...', 12) AS snippet FROM text_search "
            f"WHERE text_search MATCH ?{where} ORDER BY rank LIMIT {int(limit)}",
            params=params,
        )

    def _act(self, name: str, arguments: dict[str, Any]) -> str:
        if self._closed:
            raise ToolError("the CRM environment of this dialogue is closed")

        def read(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in self.query(sql, limit=5, params=params).rows]

        changes = actions.plan(name, arguments, read)
        if self._own is None:
            self._own = self.world.private_copy()
        with self._own.writing() as conn:
            actions.apply(conn, changes, actor=self.actor_id, note=arguments.get("note"))
        return changes[0].result()

    def check_state(self, check: StateCheck) -> tuple[bool, Any]:
        """Run ``check.query``; compare the first column of its first row to ``check.equals``."""
        if check.query is None:
            raise ToolError("the CRM is checked by SQL ('query'); it has no state functions")
        result = self.query(check.query, limit=1)
        observed = result.rows[0][0] if result.rows and result.rows[0] else None
        if observed is None or check.equals is None:
            return observed is None and check.equals is None, observed
        return str(observed) == str(check.equals), observed

    def close(self) -> None:
        """Drop the dialogue's private copy, if it wrote; reads held nothing."""
        if self._own is not None:
            self._own.close()
            self._own = None
        self._closed = True


_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,)}


def validate(spec: ToolSpec, arguments: dict[str, Any]) -> None:
    """Check arguments against the tool's JSON schema (required, types, enums, no extras)."""
    props: dict[str, Any] = spec.parameters.get("properties", {})
    extra = sorted(set(arguments) - set(props))
    if extra:
        expected = ", ".join(props) or "no arguments"
        raise ToolError(
            f"{spec.name}: unexpected argument(s) {', '.join(extra)}; expected {expected}"
        )
    for key in spec.parameters.get("required", []):
        if arguments.get(key) is None:
            raise ToolError(f"{spec.name} needs a '{key}' argument ({props[key]['description']})")
    for key, value in arguments.items():
        schema = props[key]
        kinds = _TYPES.get(schema.get("type", ""), ())
        if value is None or (kinds and (not isinstance(value, kinds) or isinstance(value, bool))):
            raise ToolError(f"{spec.name}: '{key}' must be a {schema.get('type')}")
        if "enum" in schema and value not in schema["enum"]:
            raise ToolError(
                f"{spec.name}: '{key}' must be one of {', '.join(map(str, schema['enum']))} "
                f"(got {value!r})"
            )
        if isinstance(value, str) and not value.strip():
            raise ToolError(f"{spec.name}: '{key}' must not be empty")
