"""``CRMEnvironment``: one dialogue's read-only CRM, offered to the agent as tools."""

from __future__ import annotations

from typing import Any

from simulator.agent._protocol import ToolSpec
from simulator.env._protocol import ToolError
from simulator.env.crm._db import ROW_LIMIT, ReadOnlyDB
from simulator.env.crm._tables import COMPANY, TODAY, describe
from simulator.persona._schema import StateCheck

_SQL_DESCRIPTION = (
    "Run one read-only SQLite SELECT query against the company CRM and get the result as "
    'JSON {{"columns": [...], "rows": [[...]], "truncated": bool}}. At most {} rows are '
    "returned; truncated is true when more matched (aggregate or filter instead). Writes, "
    "PRAGMA, ATTACH and multiple statements are refused. Call describe_schema first to see "
    "the tables."
)
SQL_QUERY = ToolSpec(
    name="sql_query",
    description=_SQL_DESCRIPTION.format(ROW_LIMIT),
    parameters={
        "type": "object",
        "properties": {
            "query": {
                "type": "string",
                "description": "One SQLite SELECT (or WITH ... SELECT) statement.",
            }
        },
        "required": ["query"],
        "additionalProperties": False,
    },
)
DESCRIBE_SCHEMA = ToolSpec(
    name="describe_schema",
    description=(
        "List the CRM's tables with their columns, types and one-line descriptions. "
        "Columns marked [internal] are for employees only."
    ),
    parameters={"type": "object", "properties": {}, "additionalProperties": False},
)


def sql_query_spec(row_limit: int = ROW_LIMIT) -> ToolSpec:
    """The ``sql_query`` tool, its description naming the row cap."""
    return SQL_QUERY.model_copy(update={"description": _SQL_DESCRIPTION.format(row_limit)})


INSTRUCTIONS = (
    f"You are an assistant working for {COMPANY}. You have read-only access to the company "
    "CRM (a SQLite database of accounts, contacts, products, opportunities, store customers "
    "and their orders, support cases, quotes and knowledge articles) through the tools "
    "describe_schema and sql_query. Look up what you need with the tools and compute the "
    "answer from the data; do not guess. When you have the final answer, call submit_answer "
    "with just the answer (for example an id or a number). Today's date is "
    f"{TODAY.isoformat()}."
)


class CRMEnvironment:
    """The CRM sandbox for one dialogue: its own in-memory copy, writes impossible."""

    name = "crm"
    instructions = INSTRUCTIONS

    def __init__(self, seed: int = 0, *, row_limit: int = ROW_LIMIT) -> None:
        self.seed = seed
        self._sql_spec = SQL_QUERY if row_limit == ROW_LIMIT else sql_query_spec(row_limit)
        self._db: ReadOnlyDB | None = ReadOnlyDB(seed, row_limit=row_limit)

    @property
    def db(self) -> ReadOnlyDB:
        """The dialogue's database; raises ToolError once the environment is closed."""
        if self._db is None:
            raise ToolError("the CRM environment of this dialogue is closed")
        return self._db

    def tools(self) -> list[ToolSpec]:
        """``describe_schema`` and ``sql_query`` (``submit_answer`` is added by the graph)."""
        return [DESCRIBE_SCHEMA, self._sql_spec]

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        """Run one tool call; bad input raises ToolError with a message for the agent."""
        if not isinstance(arguments, dict):
            raise ToolError(f"arguments of '{name}' must be a JSON object")
        if name == "describe_schema":
            _no_extra(name, arguments, set())
            return describe()
        if name == "sql_query":
            _no_extra(name, arguments, {"query"})
            query = arguments.get("query")
            if not isinstance(query, str):
                raise ToolError("sql_query needs a 'query' string argument")
            return self.db.query(query).to_json()
        known = ", ".join(t.name for t in self.tools())
        raise ToolError(f"unknown tool '{name}'; available tools: {known}")

    def check_state(self, check: StateCheck) -> tuple[bool, Any]:
        """Run ``check.query``; compare the first column of its first row to ``check.equals``."""
        result = self.db.query(check.query, limit=1)
        observed = result.rows[0][0] if result.rows and result.rows[0] else None
        if observed is None or check.equals is None:
            return observed is None and check.equals is None, observed
        return str(observed) == str(check.equals), observed

    def close(self) -> None:
        """Drop the dialogue's copy of the database."""
        if self._db is not None:
            self._db.close()
            self._db = None


def _no_extra(name: str, arguments: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(arguments) - allowed)
    if extra:
        expected = ", ".join(sorted(allowed)) or "no arguments"
        raise ToolError(f"{name}: unexpected argument(s) {', '.join(extra)}; expected {expected}")
