"""Running one dialogue: build its context, run the graph, turn the final state into a record."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from simulator import __version__
from simulator.agent._protocol import AgentUnderTest, Message
from simulator.agent._spec import AgentSpec, build_agent
from simulator.env import open_environment
from simulator.env._protocol import Environment
from simulator.graph import (
    SUBMIT_ANSWER,
    DialogueContext,
    build_graph,
    initial_state,
    recursion_limit,
)
from simulator.models._log import CallLog
from simulator.models._roles import Budget, Roles
from simulator.persona._schema import Mode, Persona
from simulator.record import DialogueRecord, EndReason, ModelCallEvent, dialogue_id

DEFAULT_MAX_TURNS = 12
DEFAULT_MAX_STEPS = 10


def system_message(persona: Persona, env: Environment) -> Message:
    """The first message of every transcript: the environment's instructions and context."""
    instructions = str(getattr(env, "instructions", "") or "You are an assistant helping a user.")
    context = persona.context.model_dump(mode="json", exclude_none=True)
    lines = [instructions.strip(), "", "Dialogue context:"]
    lines += [f"- {key}: {value}" for key, value in context.items()]
    return {"role": "system", "content": "\n".join(lines)}


async def run_dialogue(
    persona: Persona,
    agent: AgentSpec,
    mode: Mode | str,
    *,
    seed: int = 0,
    max_turns: int = DEFAULT_MAX_TURNS,
    max_steps: int = DEFAULT_MAX_STEPS,
    step_timeout: float | None = 60.0,
    agent_instance: AgentUnderTest | None = None,
    replay_calls: Sequence[ModelCallEvent] | None = None,
    live_from: int | None = None,
    roles: Roles | None = None,
    budget: Budget | None = None,
) -> DialogueRecord:
    """Play one persona against one agent in one mode and return the judged record.

    The agent under test failing (raising, looping, timing out) ends the dialogue with an
    error end reason; the record is still complete and scored. With ``replay_calls``,
    every model call is served from those recorded calls and none reaches a network
    (until user turn ``live_from``, for a fork). ``roles`` puts LLMs in the user and judge
    roles; ``budget`` is the run's shared spending limit.
    """
    mode = Mode(mode)
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    env = open_environment(persona)
    try:
        instance = agent_instance if agent_instance is not None else build_agent(agent)
        ctx = DialogueContext(
            persona=persona,
            mode=mode,
            agent=instance,
            env=env,
            tools=(*env.tools(), SUBMIT_ANSWER),
            seed=seed,
            max_turns=max_turns,
            max_steps=max_steps,
            step_timeout=step_timeout,
            calls=CallLog(replay_calls, live_from=live_from),
        )
        state = initial_state([system_message(persona, env)])
        config: dict[str, Any] = {"recursion_limit": recursion_limit(max_turns, max_steps)}
        final = await build_graph().ainvoke(state, config=config, context=ctx)
    finally:
        env.close()
    reason: EndReason = final["end_reason"]
    scores = final["scores"]
    scores.efficiency.duration_s = round(time.perf_counter() - started, 4)
    error = next((e.detail for e in reversed(final["events"]) if e.type == "end"), None)
    return DialogueRecord(
        id=dialogue_id(persona.id, agent.name, mode.value, seed),
        persona=persona.model_dump(mode="json"),
        agent=agent.model_dump(mode="json"),
        mode=mode.value,
        seed=seed,
        max_turns=max_turns,
        max_steps=max_steps,
        end_reason=reason,
        error=error if reason.is_error else None,
        messages=final["messages"],
        events=final["events"],
        scores=scores,
        started_at=started_at,
        simulator_version=__version__,
    )
