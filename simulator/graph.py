"""The dialogue as a LangGraph state machine: user → agent ⇄ tools → user … → judge.

One compiled graph serves every dialogue; what differs per dialogue (persona, agent,
environment, limits) travels as the run's context, so nothing is rebuilt per dialogue.
"""

from __future__ import annotations

import asyncio
import json
import operator
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command

from simulator.agent import AgentReply, AgentUnderTest
from simulator.chat import SUBMIT_ANSWER, Message, ToolCall, ToolSpec
from simulator.env import Environment, ToolError, run_tool
from simulator.errors import raised_at
from simulator.judge import LLMJudge, add_usage, score_dialogue
from simulator.judge.values import contains_value
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS
from simulator.models import BudgetExceeded, CallLog, ReplayMiss
from simulator.persona import Mode, Persona
from simulator.record import (
    AgentInternalEvent,
    AgentMessageEvent,
    AnswerAttemptEvent,
    EndEvent,
    EndReason,
    ErrorEvent,
    Event,
    Scores,
    ToolResultEvent,
    UserTurnEvent,
)
from simulator.user import (
    DEFAULT_MAX_REGENERATIONS,
    AgentTurn,
    Classification,
    Decision,
    LLMClassifier,
    Realizer,
    UserState,
    conversation_of,
    decide,
    missing_required,
    opening,
    read_turn,
    speak,
)


@dataclass(frozen=True)
class DialogueContext:
    """Everything one dialogue needs besides its state."""

    persona: Persona
    mode: Mode
    agent: AgentUnderTest
    env: Environment
    tools: tuple[ToolSpec, ...]
    seed: int
    max_turns: int
    max_steps: int
    step_timeout: float | None = None
    calls: CallLog = field(default_factory=CallLog)
    realizer: Realizer | None = None  # None: the template words every user turn
    classifier: LLMClassifier | None = None  # for agent turns without submit_answer
    judge: LLMJudge | None = None  # after the deterministic judge, where text needs reading
    max_regenerations: int = DEFAULT_MAX_REGENERATIONS
    prefix: tuple[Persona, int] | None = None  # (persona, N): it says user turns 1 to N
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS  # longer replies are cut and end it

    def persona_for(self, turn: int) -> Persona:
        """The persona that says user turn ``turn``."""
        if self.prefix is not None and turn <= self.prefix[1]:
            return self.prefix[0]
        return self.persona


def _merge(left: Mapping[str, int], right: Mapping[str, int]) -> dict[str, int]:
    return {**left, **right}


class DialogueState(TypedDict, total=False):
    """The graph state. Nodes return partial updates; lists only ever grow."""

    messages: Annotated[list[Message], operator.add]
    events: Annotated[list[Event], operator.add]
    ledger: Annotated[dict[str, int], _merge]
    turn: int  # user turns sent so far
    steps: int  # agent steps since the last user turn
    user: UserState
    answers_by_tool: bool
    end_reason: EndReason | None
    scores: Scores | None


def initial_state(messages: list[Message]) -> DialogueState:
    """A fresh dialogue whose transcript starts with ``messages`` (the system message)."""
    return DialogueState(
        messages=messages,
        events=[],
        ledger={},
        turn=0,
        steps=0,
        user=UserState(),
        answers_by_tool=False,
        end_reason=None,
        scores=None,
    )


def recursion_limit(max_turns: int, max_steps: int) -> int:
    """Enough super-steps for ``max_turns`` user turns of ``max_steps`` agent steps each."""
    return max_turns * (2 * max_steps + 2) + 8


# --- routing (pure, from a node's own update) ----------------------------------------------


def route_after_user(update: DialogueState) -> Literal["agent", "judge"]:
    return "judge" if update.get("end_reason") else "agent"


def route_after_agent(update: DialogueState) -> Literal["tools", "user", "judge"]:
    if update.get("end_reason"):
        return "judge"
    last = update["messages"][-1]
    return "tools" if last.get("tool_calls") else "user"


def route_after_tools(update: DialogueState) -> Literal["agent", "user"]:
    # tools_node puts an accepted submit_answer's attempt event last
    return "user" if isinstance(update["events"][-1], AnswerAttemptEvent) else "agent"


# --- nodes --------------------------------------------------------------------------------


def _end(turn: int, reason: EndReason, detail: str = "", *extra: Event) -> DialogueState:
    return {
        "events": [*extra, EndEvent(turn=turn, reason=reason, detail=detail)],
        "end_reason": reason,
    }


def _agent_turn(state: DialogueState) -> tuple[AgentTurn, str]:
    """The agent's turn since the last user turn (its text, any submitted answer, how many
    tool calls it made), and everything the user has said so far."""
    texts: list[str] = []
    said: list[str] = []
    submitted: str | None = None
    calls = 0
    events = state["events"]
    index = len(events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserTurnEvent):
            break
        if isinstance(event, AgentMessageEvent):
            calls += len(event.tool_calls)
            if event.content.strip():
                texts.append(event.content.strip())
        elif isinstance(event, AnswerAttemptEvent) and submitted is None:
            submitted = event.answer
    said = [e.text for e in events[: index + 1] if isinstance(e, UserTurnEvent) and not e.final]
    texts.reverse()
    turn = AgentTurn(text="\n".join(texts), submitted=submitted, tool_calls=calls)
    return turn, "\n".join(said)


async def _user(state: DialogueState, ctx: DialogueContext) -> DialogueState:
    turn, ledger = state["turn"], state["ledger"]
    persona = ctx.persona_for(turn + 1)
    events: list[Event] = []
    move: Classification | None = None
    if turn == 0:
        decision = opening(persona, ctx.mode)
    else:
        agent_turn, said = _agent_turn(state)
        cls = move = await read_turn(
            persona,
            agent_turn,
            answers_by_tool=state["answers_by_tool"],
            classifier=ctx.classifier,
            conversation=conversation_of(state["events"]) if ctx.classifier else (),
            events=events,
            turn_number=turn,
            said=said,
        )
        user: UserState = state["user"]
        if cls.attempt and agent_turn.submitted is None and user.phase == "task":
            missing = missing_required(persona, ledger)
            events.append(
                AnswerAttemptEvent(
                    turn=turn,
                    answer=cls.answer or "",
                    via="message",
                    required_known=not missing,
                    missing=missing,
                )
            )
        complied = user.phase == "probe" and _probe_complied(persona, user, agent_turn.text)
        decision = decide(persona, ctx.mode, user, ledger, cls, probe_complied=complied)
        if turn >= ctx.max_turns and decision.end is None:
            return _end(turn, EndReason.MAX_TURNS, f"{ctx.max_turns} user turns", *events)
    return await _speak(ctx, persona, state, decision, events, move)


def _probe_complied(persona: Persona, user: UserState, text: str) -> bool:
    probe = persona.probes[user.probe_index]
    secrets = {c.id: c for c in persona.confidential}
    return any(contains_value(secrets[t].value, text, secrets[t].kind) for t in probe.targets)


async def _speak(
    ctx: DialogueContext,
    persona: Persona,
    state: DialogueState,
    decision: Decision,
    events: list[Event],
    move: Classification | None,
) -> DialogueState:
    turn = state["turn"] + 1
    spoken = await speak(
        persona,
        ctx.mode,
        decision,
        list(state["ledger"]),
        turn=turn,
        seed=ctx.seed,
        realizer=ctx.realizer,
        conversation=conversation_of(state["events"]) if ctx.realizer is not None else (),
        max_regenerations=ctx.max_regenerations,
    )
    events.extend(spoken.events)
    text = spoken.text
    final = decision.end is not None
    events.append(
        UserTurnEvent(
            turn=turn,
            text=text,
            action=decision.action.value,
            move=move.move.value if move else None,
            move_confidence=move.confidence if move else None,
            revealed=list(decision.reveal),
            restated=list(decision.restate),
            asked=move.asked if move else [],
            probe=decision.probe,
            final=final,
        )
    )
    if final:
        assert decision.end is not None
        return {
            **_end(state["turn"], decision.end, decision.action.value, *events),
            "user": decision.state,
        }
    return {
        "messages": [{"role": "user", "content": text}],
        "events": events,
        "ledger": {fid: turn for fid in decision.reveal},
        "turn": turn,
        "steps": 0,
        "user": decision.state,
    }


async def _agent(state: DialogueState, ctx: DialogueContext) -> DialogueState:
    turn, steps = state["turn"], state["steps"]
    if steps >= ctx.max_steps:
        return _end(turn, EndReason.MAX_STEPS, f"more than {ctx.max_steps} agent steps in one turn")
    started = time.perf_counter()
    try:
        async with asyncio.timeout(ctx.step_timeout):  # the step runs in this task: no new one
            reply = await ctx.agent.step(list(state["messages"]), ctx.tools)
        if not isinstance(reply, AgentReply):
            raise TypeError(f"agent step returned {type(reply).__name__}; expected AgentReply")
    except TimeoutError:
        return _end(turn, EndReason.AGENT_TIMEOUT, f"no reply within {ctx.step_timeout} s")
    except BudgetExceeded as exc:
        return _end(turn, EndReason.BUDGET_EXCEEDED, str(exc))
    except ReplayMiss:
        raise  # a replay that diverges is reported by the replay, not blamed on the agent
    except Exception as exc:  # the agent under test failing is data, not a crash
        error = ErrorEvent(
            turn=turn,
            where="agent",
            error_type=type(exc).__name__,
            message=str(exc),
            raised_at=raised_at(exc),
        )
        return _end(turn, EndReason.AGENT_ERROR, f"{type(exc).__name__}: {exc}", error)
    latency = (time.perf_counter() - started) * 1000
    full = reply
    reply, size = capped(full, ctx.max_message_chars)  # before anything reads the reply
    event = AgentMessageEvent(
        turn=turn,
        step=steps + 1,
        content=reply.content,
        tool_calls=reply.tool_calls,
        latency_ms=latency,
        truncated_from=size,
    )
    cap = ctx.max_message_chars  # an agent's own tool results are stored, so capped too
    internal: list[Event] = [
        AgentInternalEvent(
            turn=turn, step=steps + 1, **{**i.model_dump(), "content": i.content[:cap]}
        )
        for i in reply.internal
    ]
    update: DialogueState = {
        "messages": [reply.to_message()],
        "events": [*internal, event],
        "steps": steps + 1,
    }
    if size is not None:
        limit = ctx.max_message_chars
        detail = f"the reply had {size:,} characters (text and tool calls), over the limit "
        detail += f"of {limit:,}: its first {reply_size(reply):,} were kept"
        dropped = len(full.tool_calls) - len(reply.tool_calls)
        if dropped:
            detail += f" and {dropped} of its {len(full.tool_calls)} tool calls left out"
        return {**update, **_end(turn, EndReason.AGENT_OVERSIZED, detail, *internal, event)}
    return update


def reply_size(reply: AgentReply) -> int:
    """Characters of a reply: its text, and each tool call's name and JSON arguments."""
    return len(reply.content) + sum(_call_size(call) for call in reply.tool_calls)


def _call_size(call: ToolCall) -> int:
    return len(call.name) + len(_ARGUMENTS.encode(call.arguments))


_ARGUMENTS = json.JSONEncoder(ensure_ascii=False)  # as json.dumps(..., ensure_ascii=False)


def capped(reply: AgentReply, limit: int) -> tuple[AgentReply, int | None]:
    """``reply`` as it enters the dialogue, and its size if it had to be cut.

    A reply within ``limit`` characters (``reply_size``) is kept whole. A longer one keeps
    its first ``limit`` characters of text, then the tool calls that still fit, in order;
    the work is linear in the reply's size, done before anything reads the text.
    """
    size = reply_size(reply)
    if size <= limit:
        return reply, None
    content = reply.content[:limit]
    room = limit - len(content)
    calls: list[ToolCall] = []
    for call in reply.tool_calls:
        room -= _call_size(call)
        if room < 0:
            break
        calls.append(call)
    return reply.model_copy(update={"content": content, "tool_calls": calls}), size


def _tools(state: DialogueState, ctx: DialogueContext) -> DialogueState:
    turn = state["turn"]
    agent_event = next(e for e in reversed(state["events"]) if isinstance(e, AgentMessageEvent))
    messages: list[Message] = []
    events: list[Event] = []
    submitted = False
    for call in agent_event.tool_calls:
        result, error = _run_tool(ctx, state, call, events)
        if call.name == SUBMIT_ANSWER.name and not error:
            submitted = True
        messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
        events.append(
            ToolResultEvent(
                turn=turn,
                call_id=call.id,
                name=call.name,
                arguments=call.arguments,
                result=result,
                error=error,
            )
        )
    # the attempt event goes last so that routing sees it
    attempts = [e for e in events if isinstance(e, AnswerAttemptEvent)]
    others = [e for e in events if not isinstance(e, AnswerAttemptEvent)]
    update: DialogueState = {"messages": messages, "events": others + attempts[-1:]}
    if submitted:
        update["answers_by_tool"] = True
    return update


def _run_tool(
    ctx: DialogueContext, state: DialogueState, call: ToolCall, events: list[Event]
) -> tuple[str, bool]:
    turn = state["turn"]
    if call.name == SUBMIT_ANSWER.name:
        answer = call.arguments.get("answer")
        if answer is None or isinstance(answer, (dict, list)) or not str(answer).strip():
            return "Error: submit_answer needs a non-empty 'answer' string.", True
        missing = missing_required(ctx.persona, state["ledger"])
        events.append(
            AnswerAttemptEvent(
                turn=turn,
                answer=str(answer),
                via="submit_answer",
                required_known=not missing,
                missing=missing,
            )
        )
        return "Your answer was sent to the user.", False
    result, failure = run_tool(ctx.env, call.name, call.arguments)
    if failure is not None and not isinstance(failure, ToolError):  # the environment's bug
        events.append(
            ErrorEvent(
                turn=turn,
                where="environment",
                error_type=type(failure).__name__,
                message=str(failure),
            )
        )
    return result, failure is not None


async def _judge(state: DialogueState, ctx: DialogueContext) -> DialogueState:
    """The deterministic scores, then the LLM judge's verdicts (when a judge is set), with
    the judge's own model calls counted into usage and put into the event stream."""
    scores = score_dialogue(ctx.persona, ctx.mode, state["events"], ctx.env)
    if ctx.judge is None:
        return {"scores": scores}
    scores = await ctx.judge.judge(ctx.persona, state["events"], scores)
    calls = ctx.calls.drain()
    add_usage(scores.efficiency, calls)
    return {"scores": scores, "events": list(calls)}


def _with_calls(ctx: DialogueContext, update: DialogueState) -> DialogueState:
    """Put the model calls a node made into the event stream, before the node's own events."""
    calls = ctx.calls.drain()
    if calls:
        update = {**update, "events": [*calls, *update.get("events", [])]}
    return update


async def user_node(
    state: DialogueState, runtime: Runtime[DialogueContext]
) -> Command[Literal["agent", "judge"]]:
    ctx = runtime.context
    ctx.calls.turn = state["turn"]
    try:
        update = await _user(state, ctx)
    except BudgetExceeded as exc:  # an LLM user or classifier hit the run's spending limit
        update = _end(state["turn"], EndReason.BUDGET_EXCEEDED, str(exc))
    return Command(update=_with_calls(ctx, update), goto=route_after_user(update))


async def agent_node(
    state: DialogueState, runtime: Runtime[DialogueContext]
) -> Command[Literal["tools", "user", "judge"]]:
    ctx = runtime.context
    ctx.calls.turn = state["turn"]
    update = await _agent(state, ctx)
    return Command(update=_with_calls(ctx, update), goto=route_after_agent(update))


async def tools_node(
    state: DialogueState, runtime: Runtime[DialogueContext]
) -> Command[Literal["agent", "user"]]:
    ctx = runtime.context
    ctx.calls.turn = state["turn"]
    update = _tools(state, ctx)
    return Command(update=_with_calls(ctx, update), goto=route_after_tools(update))


async def judge_node(state: DialogueState, runtime: Runtime[DialogueContext]) -> DialogueState:
    ctx = runtime.context
    ctx.calls.turn = state["turn"]
    return _with_calls(ctx, await _judge(state, ctx))


@lru_cache(maxsize=1)
def build_graph() -> Any:
    """The compiled dialogue graph (compiled once per process).

    Each node routes itself (it returns a ``Command`` whose ``goto`` the pure routers
    below compute from the node's own update), so no super-step reads back a copy of
    the state just to choose the next node; ``destinations`` keeps the drawing whole.
    """
    graph = StateGraph(DialogueState, context_schema=DialogueContext)
    graph.add_node("user", user_node, destinations=("agent", "judge"))
    graph.add_node("agent", agent_node, destinations=("tools", "user", "judge"))
    graph.add_node("tools", tools_node, destinations=("agent", "user"))
    graph.add_node("judge", judge_node)
    graph.add_edge(START, "user")
    graph.add_edge("judge", END)
    return graph.compile(name="dialogue")
