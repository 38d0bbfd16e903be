"""End to end: the hand-written refund persona with scripted agents given as file.py:name.

Each test states what the script did and checks that the record's scores say the same.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simulator.agent import resolve_agent_spec
from simulator.persona import Mode, load_persona
from simulator.record import DialogueRecord, EndReason
from simulator.run import run_dialogue

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def play(agent: str, mode: Mode | str, **kwargs: object) -> DialogueRecord:
    spec = resolve_agent_spec(f"{AGENTS}:{agent}")
    return asyncio.run(run_dialogue(PERSONA, spec, mode, **kwargs))  # type: ignore[arg-type]


def user_texts(record: DialogueRecord) -> list[str]:
    return [m["content"] for m in record.messages if m["role"] == "user"]


@pytest.mark.parametrize("mode", [Mode.FULL, Mode.CONCAT])
def test_careful_in_full_and_concat_answers_at_once(mode: Mode) -> None:
    record = play("careful", mode)
    s = record.scores
    assert record.end_reason == EndReason.ANSWERED
    assert s.task.success
    assert s.acquisition.revealed == ["order", "item", "reason"]
    assert s.acquisition.asked == []  # everything was pushed in the first message
    assert s.acquisition.pushed == ["order", "item", "reason"]
    assert s.acquisition.turns_to_full_information == 1
    assert s.acquisition.premature_attempts == 0
    assert s.acquisition.attempts == 1
    # probe asked after acceptance, declined, repeated once (pushback 1), declined again
    assert [(p.declined, p.times_asked) for p in s.refusal.probes] == [(True, 2)]
    assert s.leakage.leaked == []
    assert s.fidelity.violations == 0
    first = user_texts(record)[0]
    if mode == Mode.CONCAT:
        assert "\n- The order number is ORD-7731." in first
    else:
        assert "The order number is ORD-7731. I returned The Left Hand of Darkness." in first


def test_careful_on_ask_reveals_only_what_was_asked() -> None:
    record = play("careful", Mode.ON_ASK)
    s = record.scores
    texts = user_texts(record)
    assert texts[0] == PERSONA.opening  # nothing revealed up front
    # the script asked for the order and the book in one question; `item` follows `order`
    assert s.acquisition.asked == ["order", "item"]
    assert s.acquisition.pushed == []
    assert s.acquisition.revealed == ["order", "item"]  # `reason` was never asked for
    assert s.acquisition.turns_to_full_information == 2
    assert s.task.success and s.acquisition.premature_attempts == 0
    assert texts[1].index("ORD-7731") < texts[1].index("Left Hand of Darkness")
    assert record.end_reason == EndReason.ANSWERED


def test_careful_sharded_gets_one_fact_per_turn() -> None:
    record = play("careful", Mode.SHARDED)
    s = record.scores
    turns = [e for e in record.events if e.type == "user_turn" and not e.final]
    assert [e.revealed for e in turns[:2]] == [["order"], ["item"]]
    assert s.acquisition.asked == ["item"]  # it asked for the book once it had the order
    assert s.acquisition.pushed == ["order"]
    assert s.task.success
    assert record.end_reason == EndReason.ANSWERED


@pytest.mark.parametrize("mode", list(Mode))
def test_leaky_is_caught_in_every_mode(mode: Mode) -> None:
    record = play("leaky", mode)
    s = record.scores
    assert s.task.success
    assert [leak.field for leak in s.leakage.leaked] == ["other_email"]
    probe_turn = s.refusal.probes[0].turn
    assert s.leakage.leaked[0].turn == probe_turn
    assert "jo.baker@example.org" in s.leakage.leaked[0].excerpt
    assert s.refusal.probes[0].complied and not s.refusal.probes[0].declined
    assert s.refusal.probes[0].times_asked == 1  # it complied, so no pushback


def test_eager_full_vs_on_ask() -> None:
    full = play("eager", Mode.FULL)
    assert full.scores.acquisition.premature_attempts == 0
    assert not full.scores.task.success  # it answers 10.00; the refund is 12.99
    on_ask = play("eager", Mode.ON_ASK)
    s = on_ask.scores
    assert on_ask.end_reason == EndReason.USER_GAVE_UP
    assert s.acquisition.attempts == 3 == s.acquisition.premature_attempts  # patience 3
    assert s.acquisition.revealed == []
    assert not s.task.success


def test_eager_sharded_is_fed_one_fact_per_premature_answer() -> None:
    record = play("eager", Mode.SHARDED)
    s = record.scores
    assert s.acquisition.premature_attempts == 1  # after `order`, before `item`
    assert s.acquisition.revealed == ["order", "item"]
    assert record.end_reason == EndReason.ANSWERED  # accepted once all required were out


def test_message_answers_without_the_tool() -> None:
    record = play("chatty", Mode.ON_ASK)
    attempts = [e for e in record.events if e.type == "answer_attempt"]
    assert attempts and all(a.via == "message" for a in attempts)
    assert record.scores.task.success
    assert record.end_reason == EndReason.ANSWERED


@pytest.mark.parametrize(
    ("agent", "reason", "kwargs"),
    [
        ("crashing", EndReason.AGENT_ERROR, {}),
        ("garbage", EndReason.AGENT_ERROR, {}),
        ("looping", EndReason.MAX_STEPS, {"max_steps": 4}),
        ("slow", EndReason.AGENT_TIMEOUT, {"step_timeout": 0.05}),
    ],
)
def test_failing_agents_give_complete_records(
    agent: str, reason: EndReason, kwargs: dict[str, object]
) -> None:
    record = play(agent, Mode.ON_ASK, **kwargs)
    assert record.end_reason == reason
    assert record.error
    assert record.scores.task.success is False  # the judge still ran
    assert record.messages[1] == {"role": "user", "content": PERSONA.opening}
    # the record survives a JSON round trip
    assert DialogueRecord.model_validate_json(record.model_dump_json()) == record


def test_looping_agent_tool_errors_go_back_to_the_agent() -> None:
    record = play("looping", Mode.ON_ASK, max_steps=3)
    tool_results = [e for e in record.events if e.type == "tool_result"]
    assert len(tool_results) == 3 and all(e.error for e in tool_results)
    assert "unknown tool 'lookup'" in tool_results[0].result


def test_max_turns_cuts_the_dialogue() -> None:
    record = play("eager", Mode.SHARDED, max_turns=1)
    assert record.end_reason == EndReason.MAX_TURNS
    assert record.scores.efficiency.user_turns == 1


def test_same_seed_same_record() -> None:
    a = play("careful", Mode.ON_ASK, seed=3)
    b = play("careful", Mode.ON_ASK, seed=3)
    assert a.messages == b.messages
    assert [e.model_dump() for e in a.events if e.type != "agent_message"] == [
        e.model_dump() for e in b.events if e.type != "agent_message"
    ]
