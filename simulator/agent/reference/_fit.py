"""Which personas the reference agents can play, checked before a run starts.

The reference agents know the CRM task families and act only through the CRM tools. On
any other persona (``environment: none``, such as personas/examples/refund.yaml) they can
only decline, so every dialogue would score 0 % with over-refusals: a run that pairs them
stops before its first dialogue instead, naming the agents, the personas and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator.env import parse_crm
from simulator.errors import AgentSpecError

if TYPE_CHECKING:
    from simulator.agent._spec import AgentSpec
    from simulator.persona import Persona

MAX_LISTED = 10
"""Persona ids named in the error before '... and N more'."""


def cannot_play(persona: Persona) -> str | None:
    """Why the reference agents cannot play ``persona``, or None when they can."""
    if parse_crm(persona.environment) is None:
        return f"environment: {persona.environment}"
    return None


def check_reference_pairs(agents: Sequence[AgentSpec], personas: Sequence[Persona]) -> None:
    """Raise AgentSpecError, one line, when a reference agent among ``agents`` is paired
    with a persona it cannot play (no CRM environment); every pair of a run is played, so
    one such persona is enough."""
    reference = [a for a in agents if a.kind == "reference"]
    unfit = [(p, why) for p in personas if (why := cannot_play(p)) is not None]
    if not reference or not unfit:
        return
    names = ", ".join(
        f"'{a.name}'" if a.name == a.target else f"'{a.name}' (reference:{a.target})"
        for a in reference
    )
    ids = [p.id for p, _ in unfit]
    listed = ", ".join(ids[:MAX_LISTED])
    if len(ids) > MAX_LISTED:
        listed += f" and {len(ids) - MAX_LISTED} more"
    if len(ids) == len(personas):
        which = f"{'persona' if len(ids) == 1 else 'personas'} {listed}"
    else:
        which = f"{len(ids)} of the {len(personas)} personas, {listed}"
    reasons = ", ".join(dict.fromkeys(why for _, why in unfit))
    agent_word = "reference agent" if len(reference) == 1 else "reference agents"
    raise AgentSpecError(
        f"{agent_word} {names} cannot play {which} ({reasons}): the reference agents know "
        "only the CRM task families and act through the CRM tools, so every dialogue would "
        "score 0 %; run them on CRM personas (e.g. --persona personas/crm) and test personas "
        "without a CRM with an agent of your own (agents/README.md)"
    )
