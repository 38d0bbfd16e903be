"""Environments: the world the agent acts on through tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from simulator.chat import ToolSpec
from simulator.persona import StateCheck


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
        """Evaluate a ``query`` state check after the dialogue: (passed, observed value).

        Checks by ``call`` go to :meth:`Observable.observe` instead; an environment
        without queries may raise ToolError here.
        """
        ...

    def close(self) -> None:
        """Release what the dialogue held."""
        ...


@runtime_checkable
class Observable(Protocol):
    """An environment whose state can be checked by named state functions.

    ``expect.state: {call: NAME, args: {...}, equals: VALUE}`` (and ``forbid`` states)
    call ``observe(NAME, args)`` after the dialogue and compare what it returns with
    ``VALUE`` (:func:`state_matches`). Any environment with this one method can be
    checked; raise ToolError for an unknown name or bad arguments.
    """

    def observe(self, name: str, args: Mapping[str, Any]) -> Any:
        """The value of state function ``name`` with ``args`` now."""
        ...


def run_tool(
    env: Environment, name: str, arguments: dict[str, Any]
) -> tuple[str, Exception | None]:
    """Run one tool call as a dialogue does: (the text the agent gets back, the failure).

    A refused call (``ToolError``) and an environment's own bug both come back as text
    starting "Error:"; the exception is returned beside it, so the caller can tell the
    two apart (the graph records a bug as an error event). A re-score runs the recorded
    calls again through here, so a fresh environment gets the same text and state.
    """
    try:
        return env.call(name, arguments), None
    except ToolError as exc:
        return f"Error: {exc}", exc
    except Exception as exc:  # an environment bug must not kill the dialogue
        return f"Error: the tool failed ({type(exc).__name__}: {exc})", exc


def state_matches(observed: Any, expected: Any) -> bool:
    """Whether an observed state value is the expected one.

    Both None, equal, or equal as text (``5`` and ``"5"``; the CRM's own rule).
    """
    if observed is None or expected is None:
        return observed is None and expected is None
    return bool(observed == expected) or str(observed) == str(expected)


def check_state(env: Environment, check: StateCheck) -> tuple[bool, Any]:
    """Evaluate one state check on ``env``: (passed, observed value).

    A ``query`` goes to the environment's own ``check_state``; a ``call`` to its
    ``observe`` method. Raises ToolError when the environment cannot answer it.
    """
    if check.call is None:
        return env.check_state(check)
    if not isinstance(env, Observable):
        raise ToolError(
            f"environment '{env.name}' has no state functions (no observe method); "
            f"cannot check '{check.call}'"
        )
    observed = env.observe(check.call, dict(check.args))
    return state_matches(observed, check.equals), observed


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
