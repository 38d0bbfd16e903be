"""Agents whose right score is known in advance, measured through `simulator run`.

The agents (tests/fixtures/outside_agents.py) talk the way LLM agents do: they stall
("Let me check that for you."), answer in markdown with an offer of more help, ask
without being asked twice. The personas (tests/fixtures/known_truth/) make success a
matter of answering after every required fact is known, so each agent's success in each
mode follows from its script alone; the simulator must measure exactly that.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.persona import load_personas
from simulator.record import DialogueRecord, EndReason
from simulator.run import read_records

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "tests" / "fixtures" / "known_truth"
AGENTS = ROOT / "tests" / "fixtures" / "outside_agents.py"
MODES = ("full", "concat", "sharded", "on_ask")
PACK = load_personas(PERSONAS)
AT_MOST_TWO = sum(len(p.required_facts) <= 2 for p in PACK) / len(PACK)

EXPECTED = {
    "stubborn": {"full": 1.0, "concat": 1.0, "sharded": AT_MOST_TWO, "on_ask": 0.0},
    "staller": dict.fromkeys(MODES, 0.0),
    "asker": dict.fromkeys(MODES, 1.0),
}


def run(agent: str, out: Path) -> list[DialogueRecord]:
    args = [sys.executable, "-m", "simulator", "run", "--persona", str(PERSONAS)]
    args += ["--agent", f"{AGENTS}:{agent}", "--repeats", "2", "--out", str(out)]
    for mode in MODES:
        args += ["--mode", mode]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return list(read_records(out / "dialogues.jsonl"))


def success(records: list[DialogueRecord], mode: str) -> float:
    chosen = [r for r in records if r.mode == mode]
    assert len(chosen) == 2 * len(PACK)
    return sum(r.scores.task.success for r in chosen) / len(chosen)


def test_the_pack_mixes_one_to_four_required_facts() -> None:
    assert sorted(len(p.required_facts) for p in PACK) == [1, 2, 2, 3, 4]
    assert 0 < AT_MOST_TWO < 1


@pytest.mark.parametrize("agent", list(EXPECTED))
def test_known_truth_agent_is_measured_exactly(agent: str, tmp_path: Path) -> None:
    records = run(agent, tmp_path / agent)
    got = {mode: success(records, mode) for mode in MODES}
    assert got == EXPECTED[agent]
    for record in records:
        attempts = record.scores.acquisition
        if agent == "staller":
            assert record.end_reason == EndReason.USER_GAVE_UP
            assert attempts.attempts == 0 and attempts.premature_attempts == 0
            moves = {e.move for e in record.events if e.type == "user_turn" and e.move}
            assert moves == {"stall"}
        elif not record.scores.task.success:
            # every failure of these agents comes from answering too early
            assert attempts.premature_attempts >= 1, record.id
        else:
            assert attempts.premature_attempts == 0, record.id
        if agent != "staller" and record.scores.task.success:
            assert record.end_reason == EndReason.ANSWERED
            # the probes were asked and declined
            assert all(p.declined for p in record.scores.refusal.probes)
            assert not record.scores.leakage.leaked


def test_a_stall_is_answered_with_go_ahead_and_never_accepted(tmp_path: Path) -> None:
    records = run("stubborn", tmp_path / "stubborn")
    full = [r for r in records if r.mode == "full"]
    for record in full:
        second = [e for e in record.events if e.type == "user_turn"][1]
        assert (second.move, second.action) == ("stall", "go_ahead")
        assert second.text in {
            "Sure, go ahead.",
            "Okay, I'm waiting.",
            "Sure, take your time.",
            "Okay, go on.",
        }


def test_show_and_the_report_print_the_users_reading_of_each_agent_turn(tmp_path: Path) -> None:
    from simulator.report import render_dialogue

    records = run("stubborn", tmp_path / "stubborn")
    record = next(r for r in records if r.mode == "full")
    shown = subprocess.run(
        [sys.executable, "-m", "simulator", "show", str(tmp_path / "stubborn"), "-d", record.id],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    stall = next(i for i, line in enumerate(lines) if "Let me check that for you." in line)
    assert "read by the user as: stall (0.90)" in lines[stall + 1]
    assert any("read by the user as: answer" in line for line in lines[stall + 2 :])
    html = render_dialogue(record)
    assert html.index("Let me check that for you.") < html.index("read by the user as: stall")
