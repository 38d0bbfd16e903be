"""Running one dialogue: build its context, run the graph, turn the final state into a record."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Any

from simulator import __version__
from simulator.agent import AgentSpec, AgentUnderTest, build_agent
from simulator.chat import SUBMIT_ANSWER, Message
from simulator.env import Environment, open_environment
from simulator.graph import (
    DialogueContext,
    build_graph,
    initial_state,
    recursion_limit,
)
from simulator.judge import LLMJudge
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_MAX_STEPS, DEFAULT_MAX_TURNS
from simulator.models import Budget, CallLog, ModelRegistry, Roles, default_registry
from simulator.persona import Mode, Persona
from simulator.record import DialogueRecord, EndReason, ModelCallEvent, dialogue_id
from simulator.user import LLMClassifier, LLMRealizer


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
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    agent_instance: AgentUnderTest | None = None,
    replay_calls: Sequence[ModelCallEvent] | None = None,
    live_from: int | None = None,
    roles: Roles | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
    agent_wrapper: Callable[[AgentUnderTest], AgentUnderTest] | None = None,
    prefix: tuple[Persona, int] | None = None,
) -> DialogueRecord:
    """Play one persona against one agent in one mode and return the judged record.

    The agent under test failing (raising, looping, timing out) ends the dialogue with an
    error end reason; the record is still complete and scored. With ``replay_calls``,
    every model call is served from those recorded calls and none reaches a network
    (until user turn ``live_from``, for a fork). ``roles`` puts LLMs in the user,
    classifier and judge roles; ``budget`` is the run's shared spending limit (reaching it
    ends the dialogue with ``budget_exceeded``); ``models`` holds the clients, request
    cache, prices and limits shared by the run (default: the process-wide registry).
    ``agent_wrapper`` wraps the agent built from the spec (bound to this dialogue's call
    log and budget), e.g. to serve a fork's recorded prefix before it takes over.
    ``prefix`` = (persona, N): that persona says user turns 1 to N, ``persona`` the rest
    (a fork with changed traits keeps the parent's words for the turns it keeps).
    An agent reply longer than ``max_message_chars`` characters is cut to that length
    before anything reads it, and ends the dialogue with ``agent_oversized``.
    """
    mode = Mode(mode)
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    registry = models if models is not None else default_registry()
    calls = CallLog(replay_calls, live_from=live_from)
    if agent.max_steps is not None:
        max_steps = min(max_steps, agent.max_steps)
    env = open_environment(persona)
    try:
        instance = (
            agent_instance
            if agent_instance is not None
            else build_agent(agent, calls=calls, budget=budget, models=registry)
        )
        if agent_wrapper is not None:
            instance = agent_wrapper(instance)
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
            calls=calls,
            prefix=prefix,
            max_message_chars=max_message_chars,
            **_llm_roles(roles, calls, budget, registry),
        )
        state = initial_state([system_message(persona, env)])
        config: dict[str, Any] = {"recursion_limit": recursion_limit(max_turns, max_steps)}
        # version "v2" streams only the state's values, not each node's update as well
        output = await build_graph().ainvoke(state, config=config, context=ctx, version="v2")
        final = output.value
    finally:
        env.close()
    reason: EndReason = final["end_reason"]
    scores = final["scores"]
    scores.efficiency.duration_s = round(time.perf_counter() - started, 4)
    error = next((e.detail for e in reversed(final["events"]) if e.type == "end"), None)
    return DialogueRecord(
        id=dialogue_id(persona.id, agent.name, mode.value, seed),
        persona=persona.model_dump(mode="json"),
        agent=agent.to_record(),
        mode=mode.value,
        seed=seed,
        max_turns=max_turns,
        max_steps=max_steps,
        max_message_chars=max_message_chars,
        end_reason=reason,
        error=error if reason.is_error else None,
        messages=final["messages"],
        events=final["events"],
        scores=scores,
        started_at=started_at,
        simulator_version=__version__,
        roles=roles.model_dump(mode="json", exclude_none=True) if roles is not None else None,
    )


def _llm_roles(
    roles: Roles | None, calls: CallLog, budget: Budget | None, models: ModelRegistry
) -> dict[str, Any]:
    """The realizer, classifier and judge the roles ask for, bound to this dialogue."""
    if roles is None:
        return {}
    out: dict[str, Any] = {}
    if roles.user is not None:
        out["realizer"] = LLMRealizer(roles.user, calls=calls, budget=budget, models=models)
    if roles.classifier is not None:
        out["classifier"] = LLMClassifier(
            roles.classifier, calls=calls, budget=budget, models=models
        )
    if roles.judge is not None:
        out["judge"] = LLMJudge(roles.judge, calls=calls, budget=budget, models=models)
    return out
