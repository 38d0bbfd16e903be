"""``simulator replay``: re-execute recorded dialogues with no network, or fork one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from simulator.agent import resolve_agent_spec
from simulator.cli._records import matching, one_record, records_file
from simulator.cli._words import counted
from simulator.errors import SimulatorError
from simulator.models import Budget, ModelConfigError, Roles
from simulator.record import DialogueRecord, ErrorEvent
from simulator.run import (
    FORKS_FILE,
    MANIFEST_FILE,
    ReplayResult,
    Study,
    append_fork,
    fork_record,
    read_manifest,
    replay_records,
)


def _short(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run_settings(path: Path) -> tuple[Roles | None, float | None]:
    """Roles and step timeout from the run's manifest, when replaying a run folder."""
    if not (path.is_dir() and (path / MANIFEST_FILE).is_file()):
        return None, None
    study = Study.model_validate(read_manifest(path)["config"])
    roles = study.roles if study.roles.model_dump(exclude_none=True) else None
    return roles, study.step_timeout


def _differing(expected: Any, got: Any) -> tuple[Any, Any]:
    """Of two events, only the fields that differ (with their type and turn)."""
    if not (isinstance(expected, dict) and isinstance(got, dict)):
        return expected, got
    keys = [k for k in sorted(set(expected) | set(got)) if expected.get(k) != got.get(k)]
    keep = ["type", "turn", *keys]
    return {k: expected.get(k) for k in keep}, {k: got.get(k) for k in keep}


def _print_result(console: Console, result: ReplayResult) -> None:
    if result.identical:
        console.print(f"[green]identical[/]  {result.record.id}", highlight=False, soft_wrap=True)
        return
    d = result.divergence
    assert d is not None
    where = d.where
    if d.index is not None and isinstance(d.expected, dict):
        where += f" ({d.expected.get('type')}, turn {d.expected.get('turn')})"
    expected, got = _differing(d.expected, d.got)
    console.print(
        f"[red]DIVERGED[/]   {result.record.id} at {where}", highlight=False, soft_wrap=True
    )
    console.print(f"  expected: {_short(expected)}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"  got:      {_short(got)}", markup=False, highlight=False, soft_wrap=True)


def _task(record: DialogueRecord) -> str:
    return "success" if record.scores.task.success else "failure"


def _agent_setup_error(fork: DialogueRecord) -> str | None:
    """The message of an agent that could not be set up (a missing API key, say), if any.

    The graph records any agent failure as data (an ``agent_error`` end); for a fork that
    is a configuration problem of this command, reported as one line, no record written.
    """
    for event in fork.events:
        if (
            isinstance(event, ErrorEvent)
            and event.where == "agent"
            and event.error_type == ModelConfigError.__name__
        ):
            return event.message
    return None


def _parse_traits(traits: list[str]) -> dict[str, str]:
    out = {}
    for item in traits:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SimulatorError(f"--trait {item!r}: expected KEY=VALUE, e.g. tone=frustrated")
        out[key.strip()] = value.strip()
    return out


def replay(
    path: Annotated[
        Path, typer.Argument(metavar="RECORD|RUN", help="A records file or a run folder.")
    ],
    dialogue: Annotated[
        str | None,
        typer.Option(
            "--dialogue",
            "-d",
            help="Dialogue id, a unique part of it, or a pattern (sales*eager~full).",
        ),
    ] = None,
    fork_at: Annotated[
        int | None,
        typer.Option(
            metavar="TURN", help="Keep user turns 1..TURN of the dialogue, then go on live."
        ),
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option(
            "--agent",
            "-a",
            help="With --fork-at: the agent taking over: a spec file (agents/gpt-4.1.yaml), "
            "reference:NAME, module:name, file.py:name or a model (openai:MODEL).",
        ),
    ] = None,
    trait: Annotated[
        list[str] | None,
        typer.Option(help="With --fork-at: change a persona trait, KEY=VALUE (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="With --fork-at: records file for the fork."),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            min=0,
            metavar="USD",
            help="With --fork-at: the most the fork's live model calls may cost.",
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Dialogues replayed at once.")] = 8,
) -> None:
    """Replay recorded dialogues with no network; report the first divergence.

    Nothing reaches a network: every model call is served from the record. Each
    dialogue is reported "identical", or DIVERGED with the first differing event
    (index, expected and got); the exit status is 1 when any diverged.

    With --fork-at TURN the dialogue is kept up to that user turn and continued
    live with --agent and/or --trait; the new record (linked to its parent) is
    appended to --out (default: forks.jsonl beside the records); the same fork
    made again is kept beside the first, its id ending in ~2 (~3, ...). An LLM
    agent taking over calls its model (its provider's key must be set) and its
    calls are recorded, so the fork replays with no network like any record.
    --budget caps what those calls may cost: the fork then ends with
    budget_exceeded.

    Examples:

        simulator replay dialogues/careful-on-ask-answered.jsonl

        simulator replay runs/demo

        simulator replay runs/demo -d 'sales_amount.b2b*eager~sharded~s0' \\
            --fork-at 2 -a reference:careful

        simulator replay dialogues/eager-on-ask-gave-up.jsonl \\
            --fork-at 2 -a agents/gpt-4.1.yaml
    """
    file = records_file(path)
    roles, step_timeout = _run_settings(path)
    console = Console()
    if fork_at is None:
        if agent is not None or trait or out is not None or budget is not None:
            raise SimulatorError("--agent, --trait, --out and --budget go with --fork-at")
        _replay_all(console, file, dialogue, concurrency, roles, step_timeout)
        return
    record = one_record(file, dialogue)
    spec = resolve_agent_spec(agent) if agent is not None else None
    result = asyncio.run(
        fork_record(
            record,
            at=fork_at,
            agent=spec,
            traits=_parse_traits(trait or []),
            search_from=file.parent,
            roles=roles,
            step_timeout=step_timeout,
            budget=Budget(budget) if budget is not None else None,
        )
    )
    setup = _agent_setup_error(result.record)
    if setup is not None:
        name = spec.name if spec is not None else record.agent.get("name", "the agent")
        raise SimulatorError(f"fork of {record.id}: agent {name} cannot be called: {setup}")
    target = out or file.parent / FORKS_FILE
    fork = append_fork(result.record, target)
    kept = "1" if fork_at == 1 else f"1–{fork_at}"
    lines = [f"Fork {fork.id}"]
    if fork.id != result.record.id:
        lines.append(f"  (made again: {target} already holds {result.record.id}; both are kept)")
    lines += [
        f"  parent: end {record.end_reason.value}, task {_task(record)}; kept user turns {kept}",
        f"  fork:   end {fork.end_reason.value}, task {_task(fork)}, "
        f"{fork.scores.efficiency.user_turns} user turns → {target}",
    ]
    lines.append(f"Compare: simulator diff '{file}#{record.id}' '{target}#{fork.id}'")
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True, markup=False)


def _replay_all(
    console: Console,
    file: Path,
    dialogue: str | None,
    concurrency: int,
    roles: Roles | None,
    step_timeout: float | None,
) -> None:
    counts = {"identical": 0, "diverged": 0, "calls": 0}

    async def go() -> None:
        async for result in replay_records(
            matching(file, dialogue),
            concurrency=concurrency,
            search_from=file.parent,
            roles=roles,
            step_timeout=step_timeout,
        ):
            counts["identical" if result.identical else "diverged"] += 1
            counts["calls"] += sum(1 for e in result.record.events if e.type == "model_call")
            _print_result(console, result)

    asyncio.run(go())
    total = counts["identical"] + counts["diverged"]
    if total == 0:
        what = f"no dialogue matches {dialogue!r}" if dialogue else "no records"
        raise SimulatorError(f"{file}: {what}")
    console.print(
        f"Replayed {counted(total, 'dialogue')}: {counts['identical']} identical, "
        f"{counts['diverged']} diverged; {counted(counts['calls'], 'model call')} served from "
        "the records, "
        "none made.",
        soft_wrap=True,
    )
    if counts["diverged"]:
        raise typer.Exit(1)
