"""Replay reproduces records exactly and points at the first divergence; forks and diffs."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.agent import AgentSpec, ToolCall, resolve_agent_spec
from simulator.cli import app, main
from simulator.errors import SimulatorError
from simulator.models import ModelRegistry, use_registry
from simulator.models._client import ChatRequest, ChatResponse
from simulator.models._cost import Price
from simulator.models._limits import ProviderLimits
from simulator.models._roles import Budget
from simulator.persona import load_persona
from simulator.record import DialogueRecord, EndReason, ModelCallEvent, Usage, UserTurnEvent
from simulator.run import read_records, run_dialogue
from simulator.run._diff import diff_records
from simulator.run._replay import (
    changed_traits,
    first_divergence,
    fork_record,
    replay_record,
    replay_records,
    user_turns,
)

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
GAVE_UP = ROOT / "dialogues" / "eager-on-ask-gave-up.jsonl"  # reference agent eager, CRM
FAKE_AGENT = "openai:fake-agent"


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


def test_a_trait_fork_keeps_the_parents_words_and_replays() -> None:
    def said(record: DialogueRecord) -> list[str]:
        return [e.text for e in record.events if isinstance(e, UserTurnEvent)]

    parent = refund_record("careful")
    fork = asyncio.run(fork_record(parent, at=2, traits={"tone": "frustrated"})).record
    assert fork.traits_before_fork == {"tone": "friendly"}
    assert fork.persona["traits"]["tone"] == "frustrated"
    # a frustrated user words turn 2 differently, but the fork keeps the parent's words
    frustrated = changed_traits(load_persona(REFUND), {"tone": "frustrated"})
    careful = resolve_agent_spec(f"{AGENTS}:careful")
    scratch = asyncio.run(run_dialogue(frustrated, careful, "on_ask", seed=3))
    assert said(scratch)[1] != said(parent)[1]
    assert said(fork)[:2] == said(parent)[:2]
    assert asyncio.run(replay_record(fork)).identical
    # after the fork turn the new trait speaks
    sharded = refund_record("careful", "sharded")
    early = asyncio.run(fork_record(sharded, at=1, traits={"tone": "frustrated"})).record
    assert said(early)[0] == said(sharded)[0] and said(early)[1] != said(sharded)[1]
    assert said(early)[1].startswith(said(scratch)[1].split(".")[0])  # "Okay, okay"
    # an agent fork of the trait fork, within its kept turns, keeps the parent's words too
    again = asyncio.run(fork_record(fork, at=2, agent=careful)).record
    assert again.traits_before_fork == {"tone": "friendly"}
    assert said(again)[:2] == said(parent)[:2]
    assert asyncio.run(replay_record(again)).identical
    with pytest.raises(SimulatorError, match="said by two personas"):
        asyncio.run(fork_record(fork, at=3, agent=careful))


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


# --- forking to an LLM agent (a fake model client; no network) --------------------------------


class FakeAgentModel:
    """An LLM agent by rule: a ``sql_query`` on each user message, then a question.

    Remembers how many user messages each request held, to show when it was called.
    """

    limit_key = "fake"

    def __init__(self) -> None:
        self.user_messages: list[int] = []

    async def complete(self, request: ChatRequest) -> ChatResponse:
        users = sum(1 for m in request.messages if m.get("role") == "user")
        self.user_messages.append(users)
        usage = Usage(input_tokens=100 + users, output_tokens=10)
        if request.messages[-1].get("role") == "user" and any(
            t.name == "sql_query" for t in request.tools
        ):
            call = ToolCall(id=f"q{users}", name="sql_query", arguments={"query": "SELECT 1"})
            return ChatResponse(tool_calls=[call], stop_reason="tool_use", usage=usage)
        return ChatResponse(text="Which period and which priority do you mean?", usage=usage)


class NoCallsModel:
    """A model client that fails the test if a replay ever calls it."""

    limit_key = "fake"

    async def complete(self, request: ChatRequest) -> ChatResponse:
        raise AssertionError(f"a replay called the model: {request.model}")


def fake_registry(client: Any) -> ModelRegistry:
    models = ModelRegistry(cache=False, limits=ProviderLimits({}, default=8))
    models.register(FAKE_AGENT, client)
    return models


FAKE_SPEC = AgentSpec(name="fake-agent", kind="openai", model="fake-agent", temperature=0)


def test_fork_to_an_llm_agent_records_its_calls_from_the_fork_turn() -> None:
    (parent,) = read_records(GAVE_UP)
    assert parent.agent["kind"] == "reference" and parent.scores.efficiency.user_turns >= 3
    model = FakeAgentModel()
    fork = asyncio.run(fork_record(parent, at=2, agent=FAKE_SPEC, models=fake_registry(model)))
    record = fork.record
    assert record.id == f"{parent.id}~fork2-fake-agent"
    assert (record.parent, record.fork_turn) == (parent.id, 2)
    assert record.agent == FAKE_SPEC.to_record()
    # the parent's first user turns verbatim, and everything of turn 1 as it was
    assert [t.text for t in user_turns(record)[:2]] == [t.text for t in user_turns(parent)[:2]]
    kept = [e.model_dump(exclude={"latency_ms"}) for e in parent.events if e.turn < 2]
    assert [e.model_dump(exclude={"latency_ms"}) for e in record.events[: len(kept)]] == kept
    # the LLM agent was called from user turn 2 on only, and each call is in the record
    assert model.user_messages and min(model.user_messages) >= 2
    calls = [e for e in record.events if isinstance(e, ModelCallEvent)]
    assert len(calls) == len(model.user_messages)
    assert {(c.role, c.model) for c in calls} == {("agent", FAKE_AGENT)}
    assert min(c.turn for c in calls) == 2
    assert all(c.response is not None and c.error is None for c in calls)
    assert record.scores.efficiency.user_turns >= 2
    DialogueRecord.model_validate_json(record.model_dump_json())  # a valid record


def test_a_fork_to_an_llm_agent_replays_identically_with_no_model_call() -> None:
    (parent,) = read_records(GAVE_UP)
    fork = asyncio.run(
        fork_record(parent, at=2, agent=FAKE_SPEC, models=fake_registry(FakeAgentModel()))
    ).record
    assert any(isinstance(e, ModelCallEvent) for e in fork.events)
    result = asyncio.run(replay_record(fork, models=fake_registry(NoCallsModel())))
    assert result.identical, result.divergence
    assert result.replayed is not None and result.replayed.fork_turn == 2

    async def replay_all() -> list[bool]:
        found = replay_records([fork, parent], models=fake_registry(NoCallsModel()))
        return [r.identical async for r in found]

    assert asyncio.run(replay_all()) == [True, True]


def test_fork_to_an_llm_agent_on_the_command_line(tmp_path: Path) -> None:
    spec_file = tmp_path / "fake-agent.yaml"
    spec_file.write_text("kind: openai\nmodel: fake-agent\ntemperature: 0\n")
    forks = tmp_path / "forks.jsonl"
    args = ["replay", str(GAVE_UP), "--fork-at", "2", "-a", str(spec_file), "-o", str(forks)]
    runner = CliRunner()
    with use_registry(fake_registry(FakeAgentModel())):
        forked = runner.invoke(app, args)
    assert forked.exit_code == 0, forked.output
    assert "~fork2-fake-agent" in forked.output
    (fork,) = read_records(forks)
    assert fork.fork_turn == 2 and fork.agent["kind"] == "openai"
    assert any(e.type == "model_call" and e.role == "agent" for e in fork.events)
    with use_registry(fake_registry(NoCallsModel())):
        replayed = runner.invoke(app, ["replay", str(forks)])
    assert replayed.exit_code == 0, replayed.output
    assert "Replayed 1 dialogue: 1 identical, 0 diverged" in replayed.output


def test_fork_to_an_llm_agent_without_its_key_is_one_clean_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    forks = tmp_path / "forks.jsonl"
    agent = ROOT / "agents" / "gpt-4.1-mini.yaml"
    args = ["replay", str(GAVE_UP), "--fork-at", "2", "-a", str(agent), "-o", str(forks)]
    monkeypatch.setattr(sys, "argv", ["simulator", *args])
    with use_registry(ModelRegistry(cache=False)), pytest.raises(SystemExit) as exit_info:
        main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "OPENAI_API_KEY" in err and "gpt-4.1-mini" in err
    assert not forks.exists()  # no record of a fork that never reached its agent


def test_a_fork_budget_stops_the_llm_agent_and_the_fork_still_replays() -> None:
    (parent,) = read_records(GAVE_UP)
    models = fake_registry(FakeAgentModel())
    models.prices.update({FAKE_AGENT: Price(input=1_000.0, output=1_000.0)})  # $ per 1M
    budget = Budget(0.25)  # the first live call (~110 tokens) costs about $0.12
    fork = asyncio.run(fork_record(parent, at=2, agent=FAKE_SPEC, models=models, budget=budget))
    record = fork.record
    assert record.end_reason == EndReason.BUDGET_EXCEEDED
    calls = [e for e in record.events if isinstance(e, ModelCallEvent)]
    *paid, refused = calls
    assert refused.error is not None and refused.error.startswith("budget exceeded")
    # the calls went on until the spend crossed the budget, and not one call further
    assert sum(c.cost_usd for c in paid) == pytest.approx(budget.spent_usd)
    assert sum(c.cost_usd for c in paid[:-1]) < 0.25 <= budget.spent_usd
    result = asyncio.run(replay_record(record, models=fake_registry(NoCallsModel())))
    assert result.identical, result.divergence


def test_a_bad_trait_value_is_worded_as_a_persona_error() -> None:
    persona = load_persona(REFUND)
    with pytest.raises(
        SimulatorError,
        match=r"^changed trait: traits.patience: expected a whole number, got 'abc'$",
    ):
        changed_traits(persona, {"patience": "abc"})
    with pytest.raises(SimulatorError, match=r"traits\.tone: expected one of 'neutral', "):
        changed_traits(persona, {"tone": "angry"})
