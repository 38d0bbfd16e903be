"""Replay and fork: re-execute a record from its recorded model calls, or branch it.

A replay runs the same persona, agent, mode, seed and limits again with every model call
served from the record (``replay_calls``), so nothing reaches a network, and compares the
new record with the old one event by event, ignoring wall-clock fields. A fork keeps the
first N user turns (the agent's recorded replies are served back for the turns before N)
and continues live with another agent or a persona with a changed trait.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.agent import AgentReply, AgentSpec, AgentUnderTest
from simulator.chat import Message, ToolSpec
from simulator.errors import SimulatorError
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS
from simulator.models import Budget, ModelRegistry, ReplayMiss, RoleConfig, Roles
from simulator.persona import Persona, validation_problems
from simulator.record import (
    AgentMessageEvent,
    DialogueRecord,
    EndReason,
    ModelCallEvent,
    UserTurnEvent,
)
from simulator.run._batch import completed_ids, drop_torn_tail
from simulator.run._gc import tuned_gc

VOLATILE = frozenset(
    {
        "latency_ms",
        "started_at",
        "duration_s",
        "agent_latency_ms",
        "simulator_version",
        "raised_at",
    }
)
"""Fields that measure wall-clock time, or say which software ran (its version, the line
of the agent's code an error came from), not the dialogue."""

DEFAULT_STEP_TIMEOUT = 60.0

FORKS_FILE = "forks.jsonl"
"""Where ``simulator replay --fork-at`` appends forks by default: beside the parent's records."""


@dataclass(frozen=True)
class Divergence:
    """Where a replayed record first differs from the recorded one."""

    where: str  # "events[12]", "messages[3]", "scores", "end_reason", ...
    index: int | None  # the event index, for differences in events
    expected: Any
    got: Any


@dataclass(frozen=True)
class ReplayResult:
    """A replay: the recorded ``record``, the ``replayed`` one (None when a model request
    was missing from the record) and where they first differ (None: ``identical``)."""

    record: DialogueRecord
    replayed: DialogueRecord | None
    divergence: Divergence | None

    @property
    def identical(self) -> bool:
        return self.divergence is None


# --- comparing --------------------------------------------------------------------------------


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def comparable(record: DialogueRecord) -> dict[str, Any]:
    """The record as JSON data without its volatile fields."""
    data: dict[str, Any] = _strip(record.model_dump(mode="json"))
    return data


def first_divergence(expected: DialogueRecord, got: DialogueRecord) -> Divergence | None:
    """The first difference: in events (by index), then messages, then any other field."""
    a, b = comparable(expected), comparable(got)
    for key in ("events", "messages"):
        xs, ys = a.pop(key), b.pop(key)
        for i in range(max(len(xs), len(ys))):
            x = xs[i] if i < len(xs) else None
            y = ys[i] if i < len(ys) else None
            if x != y:
                return Divergence(f"{key}[{i}]", i if key == "events" else None, x, y)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return Divergence(key, None, a.get(key), b.get(key))
    return None


# --- what a replay needs besides the record ---------------------------------------------------


def replay_spec(spec: AgentSpec, search_from: Path | None) -> AgentSpec:
    """``spec`` with a relative ``file.py:name`` target made absolute.

    Such a target is looked for from the working directory, then from ``search_from``
    (the record file's folder) and each folder above it: curated records name agents by
    repository-relative paths and replay from any checkout.
    """
    if spec.kind != "python":
        return spec
    location, _, attr = spec.target.rpartition(":")
    is_file = location.endswith(".py") or "/" in location or "\\" in location
    if not is_file or Path(location).is_absolute():
        return spec
    bases = [Path.cwd()]
    if search_from is not None:
        start = search_from.resolve()
        bases += [start, *start.parents]
    for base in bases:
        if (base / location).is_file():
            return spec.model_copy(update={"target": f"{(base / location).resolve()}:{attr}"})
    raise SimulatorError(f"agent file {location} not found from {bases[-1]} or the working dir")


def recorded_step_timeout(record: DialogueRecord) -> float:
    """The step timeout a record ran with: read from an ``agent_timeout`` end, else 60 s."""
    if record.end_reason == EndReason.AGENT_TIMEOUT:
        end = next((e for e in reversed(record.events) if e.type == "end"), None)
        found = re.search(r"within ([0-9.]+) s", end.detail if end is not None else "")
        if found:
            return float(found.group(1))
    return DEFAULT_STEP_TIMEOUT


def recorded_roles(record: DialogueRecord) -> Roles | None:
    """The LLM roles a record used, from its model calls (default settings assumed)."""
    models: dict[str, str] = {}
    for event in record.events:
        if isinstance(event, ModelCallEvent) and event.role != "agent":
            models.setdefault(event.role, event.model)
    if not models:
        return None
    return Roles(**{role: RoleConfig(model=model) for role, model in models.items()})


class PrefixAgent:
    """Serves the recorded agent replies for user turns before ``at``, then hands over.

    ``then`` is the agent ``run_dialogue`` built from the spec (passed in through its
    ``agent_wrapper``), so an LLM agent taking over logs its model calls into the
    dialogue's record like any other: a fork to an LLM agent replays like any record.
    """

    def __init__(self, record: DialogueRecord, at: int, then: AgentUnderTest) -> None:
        self.at = at
        self.then = then
        self.replies: dict[int, deque[AgentReply]] = defaultdict(deque)
        for event in record.events:
            if isinstance(event, AgentMessageEvent) and event.turn < at:
                reply = AgentReply(content=event.content, tool_calls=list(event.tool_calls))
                self.replies[event.turn].append(reply)

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        turn = sum(1 for m in messages if m.get("role") == "user")
        if turn >= self.at:
            return await self.then.step(messages, tools)
        queue = self.replies.get(turn)
        if not queue:
            raise RuntimeError(f"the parent record has no further agent step in turn {turn}")
        return queue.popleft()


# --- replay -----------------------------------------------------------------------------------


async def _rerun(
    record: DialogueRecord,
    persona: Persona,
    spec: AgentSpec,
    *,
    fork_at: int | None,
    said: Persona | None,
    live_from: int | None,
    step_timeout: float | None,
    roles: Roles | None,
    models: ModelRegistry | None,
    budget: Budget | None = None,
    agent_instance: AgentUnderTest | None = None,
) -> DialogueRecord:
    """``record``'s dialogue run again with ``persona`` and ``spec``, its model calls served
    from the record (until user turn ``live_from``). With ``fork_at``, the record's agent
    replies serve the user turns before it, and ``said`` (when set) says turns 1 to
    ``fork_at``. ``agent_instance``, when given, is the agent (``spec`` then only labels
    it). Settings not given are the record's."""
    from simulator.run._dialogue import run_dialogue  # LangGraph: only where dialogues run

    wrapper: Callable[[AgentUnderTest], AgentUnderTest] | None = None
    if fork_at is not None:
        at = fork_at

        def wrapper(built: AgentUnderTest) -> AgentUnderTest:
            return PrefixAgent(record, at, built)

    return await run_dialogue(
        persona,
        spec,
        record.mode,
        seed=record.seed,
        max_turns=record.max_turns,
        max_steps=record.max_steps,
        step_timeout=step_timeout if step_timeout is not None else recorded_step_timeout(record),
        max_message_chars=record.max_message_chars or DEFAULT_MAX_MESSAGE_CHARS,
        agent_instance=agent_instance,
        agent_wrapper=wrapper,
        prefix=(said, fork_at) if said is not None and fork_at is not None else None,
        replay_calls=[e for e in record.events if isinstance(e, ModelCallEvent)],
        live_from=live_from,
        roles=roles if roles is not None else recorded_roles(record),
        models=models,
        budget=budget,
    )


async def replay_record(
    record: DialogueRecord,
    *,
    search_from: Path | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    models: ModelRegistry | None = None,
    agent_instance: AgentUnderTest | None = None,
) -> ReplayResult:
    """Re-run ``record`` from its recorded model calls and compare; no network is used.

    ``models`` holds the model clients (default: the process-wide registry); in a replay
    no client is ever called, every response comes from the record. ``agent_instance``
    replaces the agent built from the record's spec (a Python object given directly to
    ``run_dialogue``, which no import path names).
    """
    persona = Persona.model_validate(record.persona)
    live = replay_spec(AgentSpec.model_validate(record.agent), search_from)
    fork_turn = record.fork_turn
    said = None
    if fork_turn is not None and record.traits_before_fork:
        said = changed_traits(persona, record.traits_before_fork)
    try:
        got = await _rerun(
            record,
            persona,
            live,
            fork_at=fork_turn,
            said=said,
            live_from=None,
            step_timeout=step_timeout,
            roles=roles,
            models=models,
            agent_instance=agent_instance,
        )
    except ReplayMiss as exc:
        miss = Divergence("model call", None, "a recorded request", f"ReplayMiss: {exc}")
        return ReplayResult(record, None, miss)
    got = got.model_copy(
        update={
            "id": record.id,
            "agent": record.agent,
            "parent": record.parent,
            "fork_turn": record.fork_turn,
            "traits_before_fork": record.traits_before_fork,
            "max_message_chars": record.max_message_chars,  # None: before it was recorded
        }
    )
    return ReplayResult(record, got, first_divergence(record, got))


async def replay_records(
    records: Iterable[DialogueRecord],
    *,
    concurrency: int = 8,
    search_from: Path | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    models: ModelRegistry | None = None,
) -> AsyncIterator[ReplayResult]:
    """Replay many records, ``concurrency`` at a time, yielding results as they finish.

    Records are pulled lazily, so a run of any size replays in constant memory.
    """
    source = iter(records)
    running: set[asyncio.Task[ReplayResult]] = set()

    def top_up() -> None:
        for record in source:
            task = asyncio.ensure_future(
                replay_record(
                    record,
                    search_from=search_from,
                    roles=roles,
                    step_timeout=step_timeout,
                    models=models,
                )
            )
            running.add(task)
            if len(running) >= concurrency:
                return

    with tuned_gc():
        top_up()
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.discard(task)
                yield task.result()
            top_up()


# --- fork -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForkResult:
    """A fork: its new, judged ``record`` (linked to its parent by ``parent``)."""

    record: DialogueRecord


def append_fork(fork: DialogueRecord, path: Path) -> DialogueRecord:
    """Append ``fork`` to the records file ``path``; return the record as written.

    Making the same fork again (same parent, turn and agent or traits) is a new run of
    the agent, so both are kept: a fork whose id ``path`` already holds is written as
    ``<id>~2`` (then ``~3``, ...), and every id in the file stays unique.
    """
    drop_torn_tail(path)
    taken = completed_ids(path)
    if fork.id in taken:
        n = 2
        while f"{fork.id}~{n}" in taken:
            n += 1
        fork = fork.model_copy(update={"id": f"{fork.id}~{n}"})
    with path.open("a", encoding="utf-8") as fh:
        fh.write(fork.model_dump_json() + "\n")
    return fork


def user_turns(record: DialogueRecord) -> list[UserTurnEvent]:
    """The user turns the agent saw (closing lines excluded)."""
    return [e for e in record.events if isinstance(e, UserTurnEvent) and not e.final]


def changed_traits(persona: Persona, traits: Mapping[str, Any]) -> Persona:
    """``persona`` with traits replaced (values as given on the command line, or as
    recorded), validated."""
    data = persona.model_dump(mode="json")
    for key, value in traits.items():
        if key not in data["traits"]:
            known = ", ".join(data["traits"])
            raise SimulatorError(f"trait {key!r}: unknown trait; known: {known}")
        data["traits"][key] = value
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        _, message = validation_problems(exc, data)[0]
        raise SimulatorError(f"changed trait: {message}") from None


def speaker_of_turns(record: DialogueRecord, at: int) -> Persona:
    """The persona that said ``record``'s user turns 1 to ``at``: its own, or for a trait
    fork kept up to its fork turn, the parent's (rebuilt from ``traits_before_fork``)."""
    persona = Persona.model_validate(record.persona)
    if record.traits_before_fork and record.fork_turn is not None:
        if at > record.fork_turn:
            raise SimulatorError(
                f"fork at user turn {at}: {record.id} changed the user's traits at turn "
                f"{record.fork_turn}, so turns 1 to {at} were said by two personas; fork it "
                f"at turn {record.fork_turn} or before, or fork its parent {record.parent}"
            )
        return changed_traits(persona, record.traits_before_fork)
    return persona


def _trait_changes(now: Persona, before: Persona) -> dict[str, Any]:
    """The traits of ``before`` whose values ``now`` changes."""
    new = now.model_dump(mode="json")["traits"]
    old = before.model_dump(mode="json")["traits"]
    return {key: old[key] for key in old if new.get(key) != old[key]}


async def fork_record(
    record: DialogueRecord,
    *,
    at: int,
    agent: AgentSpec | None = None,
    traits: Mapping[str, str] | None = None,
    search_from: Path | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    models: ModelRegistry | None = None,
    budget: Budget | None = None,
    agent_instance: AgentUnderTest | None = None,
) -> ForkResult:
    """Keep ``record``'s first ``at`` user turns and continue live; a new record, linked.

    Any agent can take over, an LLM agent too: its live calls (from turn ``at`` on) are
    logged into the fork record, so the fork replays with no network. ``models`` holds
    the model clients (default: the process-wide registry); ``budget`` caps what the live
    calls may cost (the fork then ends with ``budget_exceeded``). ``agent_instance``, when
    given, is the agent that takes over (``agent`` is then its spec, for the record).
    """
    kept = user_turns(record)
    if not 1 <= at <= len(kept):
        raise SimulatorError(
            f"fork at user turn {at}: {record.id} has user turns 1 to {len(kept)}; pick one of them"
        )
    if agent is None and not traits:
        raise SimulatorError(
            "a fork needs another agent or changed user traits, or both "
            "(--agent SPEC / --trait KEY=VALUE; in Python agent= / traits=)"
        )
    parent_spec = AgentSpec.model_validate(record.agent)
    spec = agent if agent is not None else parent_spec
    said = speaker_of_turns(record, at)
    persona = Persona.model_validate(record.persona)
    if traits:
        persona = changed_traits(persona, traits)
    before = _trait_changes(persona, said)
    live = replay_spec(spec, search_from)
    got = await _rerun(
        record,
        persona,
        live,
        fork_at=at,
        said=said if before else None,
        live_from=at,
        step_timeout=step_timeout,
        roles=roles,
        models=models,
        budget=budget,
        agent_instance=agent_instance,
    )
    label = agent.name if agent is not None else ""
    if traits:
        label += ("," if label else "") + ",".join(f"{k}={v}" for k, v in traits.items())
    fork = got.model_copy(
        update={
            "id": f"{record.id}~fork{at}-{label}",
            "agent": spec.to_record(),
            "parent": record.id,
            "fork_turn": at,
            "traits_before_fork": before or None,
        }
    )
    return ForkResult(fork)
