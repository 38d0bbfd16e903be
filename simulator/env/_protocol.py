"""Environments: the world the agent acts on through tools."""

from __future__ import annotations

from typing import Any, Protocol

from simulator.agent._protocol import ToolSpec
from simulator.persona._schema import StateCheck


class ToolError(Exception):
    """A tool call the environment refused; its message goes back to the agent."""


class Environment(Protocol):
    """One dialogue's view of the world. Built fresh (or cheaply shared) per dialogue."""

    name: str

    def tools(self) -> list[ToolSpec]:
        """The tools offered to the agent (``submit_answer`` is added by the graph)."""
        ...

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        """Run one tool call and return its text result; raise ToolError on bad input."""
        ...

    def check_state(self, check: StateCheck) -> tuple[bool, Any]:
        """Evaluate a state check after the dialogue: (passed, observed value)."""
        ...

    def close(self) -> None:
        """Release what the dialogue held."""
        ...


class NoEnvironment:
    """The empty environment: no tools, no state."""

    name = "none"

    def tools(self) -> list[ToolSpec]:
        return []

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        raise ToolError(f"unknown tool '{name}': this dialogue has no environment tools")

    def check_state(self, check: StateCheck) -> tuple[bool, Any]:
        raise ToolError("this dialogue has no environment to check state against")

    def close(self) -> None:
        return None
