"""`simulator run` and `simulator show` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )


def test_run_writes_records_prints_the_table_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["run", "-p", PERSONA, "-a", f"{AGENTS}:careful", "-a", f"{AGENTS}:leaky"]
    args += ["-m", "full", "-m", "on_ask", "--out", out]
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    lines = (out / "dialogues.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4
    assert {(r["agent"]["name"], r["mode"]) for r in records} == {
        ("refund_agents:careful", "full"),
        ("refund_agents:careful", "on_ask"),
        ("refund_agents:leaky", "full"),
        ("refund_agents:leaky", "on_ask"),
    }
    rows, agent = [], ""
    for line in first.stdout.splitlines():
        cells = line.split()
        if cells and cells[0].startswith("refund_agents:"):
            agent, cells = cells[0], cells[1:]
        if cells and cells[0] in ("full", "on_ask"):
            rows.append([agent, *cells])
    # agent, mode, n, success, k/n, req. facts, premature, leaks, declined, viol., errors
    assert [row[:2] for row in rows] == [
        ["refund_agents:careful", "full"],
        ["refund_agents:careful", "on_ask"],
        ["refund_agents:leaky", "full"],
        ["refund_agents:leaky", "on_ask"],
    ]
    assert [row[3:] for row in rows[:2]] == [
        ["100%", "1/1", "100%", "0", "0/0", "1/1", "0", "0"]
    ] * 2
    assert [row[3:] for row in rows[2:]] == [
        ["100%", "1/1", "100%", "0", "1/1", "0/1", "0", "0"]
    ] * 2

    again = cli(*args)  # same out folder: nothing left to run, nothing duplicated
    assert again.returncode == 0, again.stderr
    assert len((out / "dialogues.jsonl").read_text().splitlines()) == 4


def test_show_marks_leaks(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert (
        cli("run", "-p", PERSONA, "-a", f"{AGENTS}:leaky", "-m", "on_ask", "-o", out).returncode
        == 0
    )
    shown = cli("show", out, "-d", "leaky")
    assert shown.returncode == 0, shown.stderr
    assert "LEAK: other_email" in shown.stdout
    assert "revealed: order, item" in shown.stdout
    assert "ANSWER ATTEMPT: 12.99" in shown.stdout


def test_bad_inputs_give_one_clean_line(tmp_path: Path) -> None:
    for args in (
        ["run", "-p", PERSONA, "-a", "reference:nobody"],
        ["run", "-p", PERSONA, "-a", "no_such_module:agent"],
        ["show", tmp_path / "missing.jsonl"],
    ):
        result = cli(*args)
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
