"""Rule-based reference agents that really solve the CRM families through the tools.

``careful`` asks for what is missing, then queries, acts and submits; ``eager`` assumes
and never revises; ``leaky`` solves like careful but repeats private and internal data;
``guarded`` declines other customers' and internal data. Transcripts (chats, sales
calls) are read by rule. They give the framework known baselines without any model or
network.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.agent._protocol import AgentUnderTest
from simulator.agent.reference._agents import CarefulAgent, EagerAgent, GuardedAgent, LeakyAgent
from simulator.agent.reference._base import ReferenceAgent
from simulator.agent.reference._fit import cannot_play, check_reference_pairs
from simulator.errors import AgentSpecError

REFERENCE_AGENTS: dict[str, Callable[[], AgentUnderTest]] = {
    "careful": CarefulAgent,
    "eager": EagerAgent,
    "leaky": LeakyAgent,
    "guarded": GuardedAgent,
}


def make_reference_agent(name: str) -> AgentUnderTest:
    """A new reference agent for one dialogue; unknown names raise AgentSpecError."""
    try:
        factory = REFERENCE_AGENTS[name]
    except KeyError:
        known = ", ".join(sorted(REFERENCE_AGENTS))
        raise AgentSpecError(f"unknown reference agent '{name}'; known: {known}") from None
    return factory()


__all__ = [
    "REFERENCE_AGENTS",
    "CarefulAgent",
    "EagerAgent",
    "GuardedAgent",
    "LeakyAgent",
    "ReferenceAgent",
    "cannot_play",
    "check_reference_pairs",
    "make_reference_agent",
]
