"""What the reference agents know about a task family: slots, questions, lookups.

Extractors and solvers are generators (*plans*): they ``yield`` SQL for ``sql_query`` or
a :class:`Call` for any other tool, receive the parsed result, and return their value,
so the environment does the computing and every lookup shows up in the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from simulator.agent.reference._view import Rows, View

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """A tool call other than ``sql_query`` (a workflow action or ``search_text``)."""

    name: str
    arguments: dict[str, Any]


Step = str | Call
Plan = Generator[Step, Rows, T]
Slots = dict[str, Any]


@dataclass(frozen=True)
class Slot:
    """A piece of information the task needs, and how to ask for it."""

    name: str
    question: str
    required: bool = True


@dataclass(frozen=True)
class Answer:
    """The value to submit and a sentence for the user."""

    value: str
    sentence: str


class Memo:
    """Per-agent cache of lookups keyed by (kind, text): a user message is matched against
    the database once, however often the agent re-reads the transcript."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], Rows] = {}

    def lookup(self, kind: str, text: str, sql: str) -> Plan[Rows]:
        key = (kind, text)
        if key not in self._seen:
            rows = yield sql
            if rows.error:
                return rows  # not cached: a later turn may succeed
            self._seen[key] = rows
        return self._seen[key]


class Family:
    """Base: a task family's slots and its lookups."""

    name: ClassVar[str]
    org: ClassVar[str | None] = None
    audiences: ClassVar[tuple[str, ...]] = ("internal",)
    keywords: ClassVar[tuple[str, ...]]
    slots: ClassVar[tuple[Slot, ...]] = ()

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        """Slot values found in the user's messages (later messages win)."""
        raise NotImplementedError

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        """``known`` completed with guesses for what is missing (what an eager agent does)."""
        raise NotImplementedError

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        """Compute the answer through the tools (and act, for workflow families)."""
        raise NotImplementedError

    def score(self, text: str) -> int:
        return sum(1 for k in self.keywords if re.search(rf"\b{re.escape(k)}\b", text, re.I))


def present(found: dict[str, Any]) -> Slots:
    """The slots that were found."""
    return {k: v for k, v in found.items() if v is not None}
