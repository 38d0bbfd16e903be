"""simulator: test conversational agents with simulated users over many turns.

The public API, in one namespace (each name is documented where it is defined)::

    import simulator

    persona = simulator.load_persona("personas/examples/refund.yaml")
    record = simulator.run_dialogue_sync(persona, my_agent, "on_ask")
    print(record.end_reason, record.scores.task.success)

- Personas: ``load_persona``, ``load_personas``, ``Persona``, ``Mode``.
- One dialogue: ``run_dialogue`` (async) and ``run_dialogue_sync``; the result is a
  ``DialogueRecord`` with its ``EndReason`` and its ``Scores`` (``TaskScore``,
  ``AcquisitionScore``, ``LeakageScore`` with its ``Leak`` s, ``RefusalScore`` with its
  ``ProbeResult`` s, ``FidelityScore``, ``EfficiencyScore``).
- Studies: ``Study``, ``run_study`` and ``run_study_async`` (a run folder, a
  ``RunResult``), ``read_records``.
- Replay and fork: ``replay`` / ``replay_async`` (a ``ReplayResult``), ``fork`` /
  ``fork_async``, ``diff_records``.
- Agents: ``AgentUnderTest``, ``AgentReply``, ``ToolCall``, ``ToolSpec``, ``AgentSpec``,
  ``resolve_agent_spec``, ``wrap_agent``; the CRM sandbox ``CRMEnvironment``.

Functions that run dialogues come in pairs: an async one to ``await`` (in a notebook or
async code) and a sync one for scripts. ``run_dialogue`` is async, as in
``simulator.run``; the others are sync, with an ``_async`` twin.

The names are imported on first use, so ``import simulator`` stays fast (LangChain,
LangGraph and the model SDKs cost about half a second; the CLI's quick commands never pay
it). The sub-packages (``simulator.persona``, ``simulator.agent``, ``simulator.run``, ...)
hold the rest. See docs/python.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from simulator._api import (
        fork,
        fork_async,
        replay,
        replay_async,
        run_dialogue,
        run_dialogue_sync,
        run_study,
        run_study_async,
    )
    from simulator.agent import (
        AgentReply,
        AgentSpec,
        AgentUnderTest,
        ToolCall,
        ToolSpec,
        resolve_agent_spec,
        wrap_agent,
    )
    from simulator.env.crm import CRMEnvironment
    from simulator.persona import Mode, Persona, load_persona, load_personas
    from simulator.record import (
        AcquisitionScore,
        DialogueRecord,
        EfficiencyScore,
        EndReason,
        FidelityScore,
        Leak,
        LeakageScore,
        ProbeResult,
        RefusalScore,
        Scores,
        TaskScore,
    )
    from simulator.run import ReplayResult, RunResult, Study, diff_records, read_records

_HOMES: dict[str, tuple[str, ...]] = {
    "simulator._api": (
        "fork",
        "fork_async",
        "replay",
        "replay_async",
        "run_dialogue",
        "run_dialogue_sync",
        "run_study",
        "run_study_async",
    ),
    "simulator.agent": (
        "AgentReply",
        "AgentSpec",
        "AgentUnderTest",
        "ToolCall",
        "ToolSpec",
        "resolve_agent_spec",
        "wrap_agent",
    ),
    "simulator.env.crm": ("CRMEnvironment",),
    "simulator.persona": ("Mode", "Persona", "load_persona", "load_personas"),
    "simulator.record": (
        "AcquisitionScore",
        "DialogueRecord",
        "EfficiencyScore",
        "EndReason",
        "FidelityScore",
        "Leak",
        "LeakageScore",
        "ProbeResult",
        "RefusalScore",
        "Scores",
        "TaskScore",
    ),
    "simulator.run": ("ReplayResult", "RunResult", "Study", "diff_records", "read_records"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "AcquisitionScore",
    "AgentReply",
    "AgentSpec",
    "AgentUnderTest",
    "CRMEnvironment",
    "DialogueRecord",
    "EfficiencyScore",
    "EndReason",
    "FidelityScore",
    "Leak",
    "LeakageScore",
    "Mode",
    "Persona",
    "ProbeResult",
    "RefusalScore",
    "ReplayResult",
    "RunResult",
    "Scores",
    "Study",
    "TaskScore",
    "ToolCall",
    "ToolSpec",
    "diff_records",
    "fork",
    "fork_async",
    "load_persona",
    "load_personas",
    "read_records",
    "replay",
    "replay_async",
    "resolve_agent_spec",
    "run_dialogue",
    "run_dialogue_sync",
    "run_study",
    "run_study_async",
    "wrap_agent",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its sub-package on first use, then keep it here."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
