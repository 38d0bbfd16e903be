"""Replay reproduces records exactly and points at the first divergence; forks and diffs."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.agent import resolve_agent_spec
from simulator.cli import app
from simulator.persona import load_persona
from simulator.record import DialogueRecord, EndReason
from simulator.run import read_records, run_dialogue
from simulator.run._diff import diff_records
from simulator.run._replay import (
    first_divergence,
    fork_record,
    replay_record,
    replay_records,
)

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def refund_record(agent: str, mode: str = "on_ask") -> DialogueRecord:
    spec = resolve_agent_spec(f"{AGENTS}:{agent}")
    return asyncio.run(run_dialogue(load_persona(REFUND), spec, mode, seed=3))


def write(path: Path, *records: DialogueRecord) -> Path:
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


def demo_run(base: Path) -> Path:
    """The default study, run once per test session exactly as ``make demo`` runs it."""
    out = base / "demo"
    if not (out / "report.html").exists():
        result = subprocess.run(
            [sys.executable, "-m", "simulator", "run", "--out", str(out)],
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "120"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    return out


def test_every_dialogue_of_the_default_study_replays_identically(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = demo_run(tmp_path_factory.getbasetemp())
    manifest = json.loads((run / "manifest.json").read_text())

    async def replay_all() -> tuple[int, list[str]]:
        done, diverged = 0, []
        async for result in replay_records(read_records(run / "dialogues.jsonl")):
            done += 1
            if not result.identical:
                diverged.append(f"{result.record.id}: {result.divergence}")
        return done, diverged

    done, diverged = asyncio.run(replay_all())
    assert done == manifest["dialogues"]
    assert diverged == []


def test_replay_is_identical_and_ignores_wall_clock_fields() -> None:
    record = refund_record("leaky")
    result = asyncio.run(replay_record(record))
    assert result.identical, result.divergence
    assert result.replayed is not None and result.replayed.id == record.id
    slower = record.model_copy(update={"started_at": "2000-01-01T00:00:00+00:00"})
    slower.scores.efficiency.duration_s = 99.0
    assert first_divergence(slower, record) is None


def test_replay_points_at_the_first_divergent_event() -> None:
    record = refund_record("careful")
    index, event = next(
        (i, e) for i, e in enumerate(record.events) if e.type == "agent_message" and e.turn == 2
    )
    events = list(record.events)
    events[index] = event.model_copy(update={"content": "I remember it differently."})
    tampered = record.model_copy(update={"events": events})
    result = asyncio.run(replay_record(tampered))
    assert not result.identical
    d = result.divergence
    assert d is not None
    assert (d.where, d.index) == (f"events[{index}]", index)
    assert d.expected["content"] == "I remember it differently."
    assert d.got["content"] == event.content


def test_a_request_the_record_does_not_hold_is_a_divergence() -> None:
    (record,) = read_records(ROOT / "dialogues" / "chatty-budget-exceeded.jsonl")
    events = [
        e.model_copy(update={"request_hash": "0" * 64}) if e.type == "model_call" else e
        for e in record.events
    ]
    result = asyncio.run(replay_record(record.model_copy(update={"events": events})))
    assert result.divergence is not None and result.divergence.where == "model call"
    assert "ReplayMiss" in result.divergence.got


def test_fork_keeps_the_turns_and_links_its_parent() -> None:
    parent = refund_record("eager")  # answers $10 at once; the user gives up
    assert parent.end_reason == EndReason.USER_GAVE_UP
    careful = resolve_agent_spec(f"{AGENTS}:careful")
    fork = asyncio.run(fork_record(parent, at=2, agent=careful))
    record = fork.record
    assert record.id == f"{parent.id}~fork2-refund_agents:careful"
    assert (record.parent, record.fork_turn) == (parent.id, 2)
    assert record.agent["name"] == "refund_agents:careful"
    assert record.end_reason == EndReason.ANSWERED and record.scores.task.success
    assert fork.user_turn_changed is None
    # the first user turns and the parent's turn-1 replies are kept as they were
    kept = [e.model_dump(exclude={"latency_ms"}) for e in parent.events if e.turn < 2]
    assert [e.model_dump(exclude={"latency_ms"}) for e in record.events[: len(kept)]] == kept
    DialogueRecord.model_validate_json(record.model_dump_json())  # a valid record
    assert asyncio.run(replay_record(record)).identical  # and a replayable one

    diff = diff_records(parent, record)
    assert diff.turn == 2 and diff.left is not None and diff.right is not None
    assert diff.left.user == diff.right.user  # the same nudge; the agents part here
    assert diff.left.agent != diff.right.agent


def test_fork_with_a_changed_trait() -> None:
    parent = refund_record("eager")
    fork = asyncio.run(fork_record(parent, at=1, traits={"patience": "1"}))
    assert fork.record.id.endswith("~fork1-patience=1")
    assert fork.record.persona["traits"]["patience"] == 1
    assert fork.record.scores.efficiency.user_turns < parent.scores.efficiency.user_turns
    with pytest.raises(Exception, match="unknown trait"):
        asyncio.run(fork_record(parent, at=1, traits={"mood": "x"}))
    with pytest.raises(Exception, match="user turns 1 to"):
        asyncio.run(fork_record(parent, at=9, traits={"patience": "1"}))


def test_replay_fork_and_diff_on_the_command_line(tmp_path: Path) -> None:
    parent = refund_record("eager")
    file = write(tmp_path / "records.jsonl", parent, refund_record("careful"))
    runner = CliRunner()
    ok = runner.invoke(app, ["replay", str(file)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("identical") == 3  # two records and the summary line
    assert "Replayed 2 dialogues: 2 identical, 0 diverged" in ok.output

    events = list(parent.events)
    events[1] = events[1].model_copy(update={"content": "something else"})
    bad = write(tmp_path / "bad.jsonl", parent.model_copy(update={"events": events}))
    diverged = runner.invoke(app, ["replay", str(bad)])
    assert diverged.exit_code == 1
    assert (
        "DIVERGED" in diverged.output and "at events[1] (agent_message, turn 1)" in diverged.output
    )

    forks = tmp_path / "forks.jsonl"
    args = ["replay", str(file), "-d", "eager", "--fork-at", "2"]
    forked = runner.invoke(app, [*args, "-a", f"{AGENTS}:careful", "-o", str(forks)])
    assert forked.exit_code == 0, forked.output
    (fork,) = read_records(forks)
    assert fork.parent == parent.id
    shown = runner.invoke(app, ["diff", f"{file}#{parent.id}", str(forks)])
    assert shown.exit_code == 0, shown.output
    assert "part in user turn 2" in shown.output
    same = runner.invoke(app, ["diff", f"{file}#{parent.id}", f"{file}#{parent.id}"])
    assert "identical" in same.output
