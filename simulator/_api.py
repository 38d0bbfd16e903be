"""The top-level API: one dialogue, a study, replay and fork, taking what a script has at hand.

What these add to ``simulator.run``: a persona may be given by its file, an agent by a spec
string or as the Python object itself, a study by its YAML file, and each function that
runs dialogues comes with a sync or async twin. ``import simulator`` imports this module
only when one of its names is first used (it imports LangGraph).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

from simulator.agent import (
    AgentSpec,
    AgentUnderTest,
    agent_from_object,
    is_in_memory,
    resolve_agent_spec,
)
from simulator.agent.reference import check_reference_pairs
from simulator.errors import SimulatorError
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS
from simulator.models import Budget, ModelRegistry, Roles
from simulator.persona import Mode, Persona, load_persona
from simulator.record import DialogueRecord
from simulator.run import (
    DEFAULT_MAX_STEPS,
    DEFAULT_MAX_TURNS,
    ReplayResult,
    ResolvedStudy,
    RunResult,
    Study,
    StudyError,
    append_fork,
    check_credentials,
    default_run_dir,
    fork_record,
    load_study,
    replay_record,
    resolve_study,
    start_run,
)
from simulator.run import run_dialogue as _run_dialogue
from simulator.run import run_study_async as _run_study_async

T = TypeVar("T")
PathLike = str | os.PathLike[str]


def _sync(name: str, twin: str, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``make()`` builds in a new event loop; refuse inside a running one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if running:
        raise RuntimeError(
            f"simulator.{name}() starts its own event loop, and one is already running here "
            f"(a notebook, an async function): use `await simulator.{twin}(...)` instead"
        )
    return asyncio.run(make())  # outside the except: its errors carry no chained one


def _whole(name: str, value: object, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected a whole number, got {value!r}")
    if value < least:
        raise ValueError(f"{name}: expected {least} or more, got {value}")


def _mode(mode: Mode | str) -> Mode:
    """``mode`` as a ``Mode``, or a ValueError that lists the modes."""
    try:
        return Mode(mode)
    except ValueError:
        modes = ", ".join(m.value for m in Mode)
        raise ValueError(f"mode: expected one of {modes}, got {mode!r}") from None


def _check_settings(
    *,
    seed: object,
    max_turns: object,
    max_steps: object,
    step_timeout: object,
    max_message_chars: object,
    roles: object,
    budget: object,
) -> None:
    """Raise TypeError or ValueError, naming the argument, for a setting a study's file
    would refuse: before the dialogue, not as a crash inside it or a bad record after."""
    _whole("seed", seed, -(2**63))
    _whole("max_turns", max_turns, 1)
    _whole("max_steps", max_steps, 1)
    _whole("max_message_chars", max_message_chars, 1)
    if step_timeout is not None:
        if isinstance(step_timeout, bool) or not isinstance(step_timeout, int | float):
            raise TypeError(f"step_timeout: expected seconds or None, got {step_timeout!r}")
        if not step_timeout > 0:
            raise ValueError(f"step_timeout: expected more than 0 seconds, got {step_timeout}")
    if roles is not None and not isinstance(roles, Roles):
        raise TypeError(
            "roles: expected simulator.models.Roles, e.g. "
            f"Roles(user=RoleConfig(model='openai:gpt-4.1-mini')), "
            f"got {type(roles).__name__}"
        )
    if budget is not None and not isinstance(budget, Budget):
        raise TypeError(
            f"budget: expected a simulator.models.Budget (e.g. Budget(5.0) for $5), "
            f"got {type(budget).__name__}"
        )


def _persona(persona: Persona | PathLike) -> Persona:
    return persona if isinstance(persona, Persona) else load_persona(persona)


def _agent(agent: object, name: str | None) -> tuple[AgentSpec, AgentUnderTest | None]:
    """The spec for the record, and the agent itself when it was given as an object."""
    if isinstance(agent, AgentSpec | str):
        spec = agent if isinstance(agent, AgentSpec) else resolve_agent_spec(agent)
        return (spec.model_copy(update={"name": name}) if name else spec), None
    spec, build = agent_from_object(agent, name=name)
    return spec, build()


# --- one dialogue -------------------------------------------------------------------------------


async def run_dialogue(
    persona: Persona | PathLike,
    agent: object,
    mode: Mode | str = Mode.FULL,
    *,
    name: str | None = None,
    seed: int = 0,
    max_turns: int = DEFAULT_MAX_TURNS,
    max_steps: int = DEFAULT_MAX_STEPS,
    step_timeout: float | None = 60.0,
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    roles: Roles | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> DialogueRecord:
    """Play one persona against one agent in one mode; return the judged record (async).

    ``persona``: a ``Persona`` or a persona file. ``agent``: an ``AgentSpec``, a spec
    string as on the command line (``reference:careful``, ``path/to/file.py:name``,
    ``module:attr``, ``openai:gpt-4.1-mini``), or the Python agent itself: a function
    ``fn(messages, tools)`` returning a string or an assistant message dict, an object
    with a ``step`` method, a LangChain chat model, a Runnable or compiled LangGraph
    graph, or a class or no-argument factory of one. ``name`` labels the agent in the
    record's id (default: the spec's or the object's name). ``mode``: ``full``,
    ``concat``, ``sharded`` or ``on_ask``. ``roles`` puts LLMs in the user, classifier
    and judge roles; ``budget`` caps what model calls may cost; ``models`` supplies the
    model clients. An agent that raises, loops or times out ends the dialogue with an
    error end reason; the record is still complete and scored.

    The sync twin is :func:`run_dialogue_sync`. ``simulator.run.run_dialogue`` is the
    building block under both (a spec only, and the replay and fork hooks).
    """
    _check_settings(
        seed=seed,
        max_turns=max_turns,
        max_steps=max_steps,
        step_timeout=step_timeout,
        max_message_chars=max_message_chars,
        roles=roles,
        budget=budget,
    )
    mode = _mode(mode)
    loaded = _persona(persona)
    spec, instance = _agent(agent, name)
    check_reference_pairs([spec], [loaded])
    return await _run_dialogue(
        loaded,
        spec,
        mode,
        seed=seed,
        max_turns=max_turns,
        max_steps=max_steps,
        step_timeout=step_timeout,
        max_message_chars=max_message_chars,
        agent_instance=instance,
        roles=roles,
        budget=budget,
        models=models,
    )


def run_dialogue_sync(
    persona: Persona | PathLike,
    agent: object,
    mode: Mode | str = Mode.FULL,
    *,
    name: str | None = None,
    seed: int = 0,
    max_turns: int = DEFAULT_MAX_TURNS,
    max_steps: int = DEFAULT_MAX_STEPS,
    step_timeout: float | None = 60.0,
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    roles: Roles | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> DialogueRecord:
    """:func:`run_dialogue` for scripts: runs it in a new event loop and returns the record.

    Takes the same arguments. Where an event loop is already running (a notebook, async
    code) it raises ``RuntimeError``: ``await simulator.run_dialogue(...)`` there.
    """
    return _sync(
        "run_dialogue_sync",
        "run_dialogue",
        lambda: run_dialogue(
            persona,
            agent,
            mode,
            name=name,
            seed=seed,
            max_turns=max_turns,
            max_steps=max_steps,
            step_timeout=step_timeout,
            max_message_chars=max_message_chars,
            roles=roles,
            budget=budget,
            models=models,
        ),
    )


# --- studies ------------------------------------------------------------------------------------


def _resolved(study: Study | ResolvedStudy | PathLike) -> ResolvedStudy:
    if isinstance(study, ResolvedStudy):
        return study
    if isinstance(study, Study):
        return resolve_study(study, Path.cwd())
    path = Path(study)
    if not path.is_file():
        raise StudyError(f"{path}: no such study file")
    return resolve_study(load_study(path), path.parent, path)


async def run_study_async(
    study: Study | ResolvedStudy | PathLike,
    out: PathLike | None = None,
    *,
    on_done: Callable[[DialogueRecord], None] | None = None,
) -> RunResult:
    """Run a study into a run folder and return what was run (async).

    ``study``: a ``Study`` (its relative paths taken from the working directory), a study
    YAML file (paths relative to its folder), or a ``ResolvedStudy``. ``out``: the run
    folder (default ``runs/<timestamp>-<name>``); it gets ``manifest.json`` first, then
    one record per dialogue in ``dialogues.jsonl`` (read them with :func:`read_records`).
    A folder that already holds the same study is resumed: only the dialogues missing
    from it are run. ``on_done`` is called with each record as its dialogue ends. Before
    any dialogue, a missing API key or a reference agent paired with a persona it cannot
    play fails with one clear error. The report (tables, ``report.html``) is written by
    ``simulator report RUN``.

    The sync twin is :func:`run_study`.
    """
    resolved = _resolved(study)
    check_reference_pairs(resolved.agents, resolved.personas)
    run_dir = Path(out) if out is not None else default_run_dir(resolved)
    await check_credentials(resolved)
    start_run(resolved, run_dir, ["simulator.run_study"])
    return await _run_study_async(resolved, run_dir, on_done=on_done)


def run_study(
    study: Study | ResolvedStudy | PathLike,
    out: PathLike | None = None,
    *,
    on_done: Callable[[DialogueRecord], None] | None = None,
) -> RunResult:
    """Run a study into a run folder and return what was run.

    Takes the same arguments as :func:`run_study_async`, and runs it in a new event loop;
    where one is already running (a notebook, async code) it raises ``RuntimeError``:
    ``await simulator.run_study_async(...)`` there.
    """
    return _sync(
        "run_study", "run_study_async", lambda: run_study_async(study, out, on_done=on_done)
    )


# --- replay and fork ----------------------------------------------------------------------------


def _in_memory_error(record: DialogueRecord, call: str) -> SimulatorError:
    return SimulatorError(
        f"{record.id}: its agent was a Python object that no import path names "
        f"({record.agent.get('target')}); hand it over again: {call}"
    )


def _replay_agent(record: DialogueRecord, agent: object | None) -> AgentUnderTest | None:
    """The agent to replay ``record`` with: None to build it from the record's spec."""
    if isinstance(agent, AgentSpec | str):
        raise TypeError(
            "replay(agent=...) takes the Python agent object the record was made with; "
            "to continue a recorded dialogue with another agent, fork it"
        )
    if agent is not None:
        return _agent(agent, None)[1]
    if is_in_memory(AgentSpec.model_validate(record.agent)):
        raise _in_memory_error(record, "replay(record, agent=...)")
    return None


async def replay_async(
    record: DialogueRecord,
    *,
    agent: object | None = None,
    search_from: PathLike | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    models: ModelRegistry | None = None,
) -> ReplayResult:
    """Run a recorded dialogue again, every model call served from the record (async).

    Nothing reaches a network. The result says whether the new record is ``identical``
    (wall-clock fields aside) and, if not, its first ``divergence``: the agent, the user
    or the judge changed behaviour since. The agent is rebuilt from the record's spec;
    a record of a Python object that no import path names (a function defined in a
    notebook, a lambda, an instance) needs that object handed over again as ``agent``.
    ``search_from`` is where a relative ``file.py`` agent is also looked for (the records
    file's folder); the other settings default to the record's. See docs/replay.md.

    The sync twin is :func:`replay`.
    """
    instance = _replay_agent(record, agent)
    return await replay_record(
        record,
        search_from=Path(search_from) if search_from is not None else None,
        roles=roles,
        step_timeout=step_timeout,
        models=models,
        agent_instance=instance,
    )


def replay(
    record: DialogueRecord,
    *,
    agent: object | None = None,
    search_from: PathLike | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    models: ModelRegistry | None = None,
) -> ReplayResult:
    """Run a recorded dialogue again from its recorded model calls, and compare.

    Takes the same arguments as :func:`replay_async`, and runs it in a new event loop;
    where one is already running it raises ``RuntimeError``:
    ``await simulator.replay_async(...)`` there.
    """
    return _sync(
        "replay",
        "replay_async",
        lambda: replay_async(
            record,
            agent=agent,
            search_from=search_from,
            roles=roles,
            step_timeout=step_timeout,
            models=models,
        ),
    )


async def fork_async(
    record: DialogueRecord,
    at: int,
    agent: object | None = None,
    *,
    name: str | None = None,
    traits: Mapping[str, Any] | None = None,
    out: PathLike | None = None,
    search_from: PathLike | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> DialogueRecord:
    """Keep a record's first ``at`` user turns and continue live; return the new record (async).

    The parent's agent replies are served from the record for the turns before ``at``;
    from user turn ``at`` on, ``agent`` answers (a spec, a spec string or a Python agent,
    as for :func:`run_dialogue`; default: the parent's agent), and the user speaks with
    ``traits`` changed (``{"patience": 1}``), if given; at least one of the two is needed.
    The fork is a complete, judged record with ``parent`` and ``fork_turn`` set, and its
    id is ``<parent id>~fork<at>-<agent>``. With ``out``, it is also appended to that
    records file (as ``simulator replay --fork-at`` does; a fork made again gets ``~2``)
    and returned as written. ``budget`` caps what live model calls may cost.

    The sync twin is :func:`fork`.
    """
    spec: AgentSpec | None = None
    instance: AgentUnderTest | None = None
    if agent is not None:
        spec, instance = _agent(agent, name)
    elif is_in_memory(AgentSpec.model_validate(record.agent)):
        raise _in_memory_error(record, f"fork(record, {at}, agent=..., traits=...)")
    result = await fork_record(
        record,
        at=at,
        agent=spec,
        traits=traits,
        search_from=Path(search_from) if search_from is not None else None,
        roles=roles,
        step_timeout=step_timeout,
        models=models,
        budget=budget,
        agent_instance=instance,
    )
    fork = result.record
    return append_fork(fork, Path(out)) if out is not None else fork


def fork(
    record: DialogueRecord,
    at: int,
    agent: object | None = None,
    *,
    name: str | None = None,
    traits: Mapping[str, Any] | None = None,
    out: PathLike | None = None,
    search_from: PathLike | None = None,
    roles: Roles | None = None,
    step_timeout: float | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> DialogueRecord:
    """Keep a record's first ``at`` user turns and continue live with another agent or
    changed user traits; return the new record.

    Takes the same arguments as :func:`fork_async`, and runs it in a new event loop;
    where one is already running it raises ``RuntimeError``:
    ``await simulator.fork_async(...)`` there.
    """
    return _sync(
        "fork",
        "fork_async",
        lambda: fork_async(
            record,
            at,
            agent,
            name=name,
            traits=traits,
            out=out,
            search_from=search_from,
            roles=roles,
            step_timeout=step_timeout,
            budget=budget,
            models=models,
        ),
    )
