"""A read-only view of the transcript: dialogue context, user turns, past answers, results.

Everything the reference agents decide is derived from the messages themselves, so an
agent dropped into a forked or replayed transcript behaves as if it had been there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.agent._protocol import Message, ToolSpec

COMPANIES = {"Brightline Supply": "b2b", "Brightline Home": "b2c"}
"""The company each CRM org belongs to, as the system message names it."""
PEOPLE = {"b2b": ("contacts", "contact_id"), "b2c": ("customers", "customer_id")}
"""Per org, the table of who opens cases and chats, and the column naming one."""

_CONTEXT_LINE = re.compile(r"^\s*-\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*?)\s*$")


def text_of(message: Message) -> str:
    """The text content of a message (string, list of parts, or None)."""
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") if isinstance(p, dict) else str(p) for p in content]
        return "".join(str(p) for p in parts)
    return str(content)


def tool_calls_of(message: Message) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, name, arguments) of each tool call on an assistant message."""
    calls: list[tuple[str, str, dict[str, Any]]] = []
    for call in message.get("tool_calls") or []:
        if not isinstance(call, dict):
            continue
        inner = call.get("function")
        fn: dict[str, Any] = inner if isinstance(inner, dict) else call
        name = str(fn.get("name", ""))
        raw = fn.get("arguments", fn.get("args", {}))
        try:
            args = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        except (ValueError, TypeError):
            args = {}
        calls.append((str(call.get("id", "")), name, args if isinstance(args, dict) else {}))
    return calls


def parse_context(system_text: str) -> dict[str, str]:
    """The ``- key: value`` lines of the system message's "Dialogue context:" block."""
    _, marker, rest = system_text.partition("Dialogue context:")
    lines = rest.splitlines() if marker else system_text.splitlines()
    context: dict[str, str] = {}
    for line in lines:
        m = _CONTEXT_LINE.match(line)
        if m:
            context[m.group(1)] = m.group(2)
        elif context and line.strip():
            break
    return context


@dataclass(frozen=True)
class Rows:
    """A parsed ``sql_query`` result, or the error the tool returned."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    error: str | None = None

    @classmethod
    def parse(cls, content: str) -> Rows:
        try:
            data = json.loads(content)
        except ValueError:
            return cls(error=content.strip() or "empty tool result")
        if isinstance(data, dict) and data.get("ok") is True:  # a workflow action's result
            return cls(["result"], [[content]])
        if not isinstance(data, dict) or "rows" not in data:
            return cls(error=content.strip())
        return cls(
            list(data.get("columns", [])),
            [list(r) for r in data["rows"]],
            bool(data.get("truncated")),
        )

    def first(self) -> list[Any] | None:
        return self.rows[0] if self.rows else None


@dataclass(frozen=True)
class View:
    """What the agent knows at this step."""

    messages: Sequence[Message]
    tool_names: frozenset[str]
    context: dict[str, str]

    @classmethod
    def of(cls, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> View:
        system = next((text_of(m) for m in messages if m.get("role") == "system"), "")
        return cls(messages, frozenset(t.name for t in tools), parse_context(system))

    @property
    def today(self) -> dt.date:
        try:
            return dt.date.fromisoformat(self.context.get("today", "")[:10])
        except ValueError:
            return dt.date.today()

    @property
    def audience(self) -> str:
        return self.context.get("audience", "internal").lower()

    @property
    def org(self) -> str | None:
        """'b2c' or 'b2b': the company the system message says the agent works for (both
        orgs offer every workflow tool), else the workflow tools offered, else a business
        account in the context; None when nothing tells."""
        system = next((text_of(m) for m in self.messages if m.get("role") == "system"), "")
        for company, org in COMPANIES.items():
            if company in system:
                return org
        b2c, b2b = "reassign_case" in self.tool_names, "route_lead" in self.tool_names
        if b2c != b2b:
            return "b2c" if b2c else "b2b"
        return "b2b" if "account_id" in self.context else None

    @property
    def people(self) -> tuple[str, str]:
        """(table, column) of who opens cases: contacts (B2B) or customers (B2C)."""
        return PEOPLE[self.org or "b2c"]

    @property
    def user_id(self) -> str | None:
        return self.context.get("user_id") or None

    @property
    def last_role(self) -> str:
        return str(self.messages[-1].get("role", "")) if self.messages else ""

    def user_turns(self, before: int | None = None) -> list[tuple[int, str]]:
        """(message index, text) of the user's messages, optionally only those before an index."""
        end = len(self.messages) if before is None else before
        return [
            (i, text_of(m))
            for i, m in enumerate(self.messages[:end])
            if m.get("role") in ("user", "human")
        ]

    @property
    def last_user(self) -> str:
        turns = self.user_turns()
        return turns[-1][1] if turns else ""

    def submissions(self) -> list[tuple[int, str]]:
        """(message index, answer) of every submit_answer call so far."""
        out = []
        for i, m in enumerate(self.messages):
            for _, name, args in tool_calls_of(m):
                if name == "submit_answer":
                    out.append((i, str(args.get("answer", ""))))
        return out

    def assistant_texts(self) -> list[str]:
        return [text_of(m) for m in self.messages if m.get("role") in ("assistant", "ai")]

    def tool_call_count(self) -> int:
        return sum(len(tool_calls_of(m)) for m in self.messages)

    def tool_result(self, call_id: str) -> str | None:
        """The content of the tool message answering ``call_id``, if present."""
        for m in reversed(self.messages):
            if m.get("role") == "tool" and str(m.get("tool_call_id", "")) == call_id:
                return text_of(m)
        return None
