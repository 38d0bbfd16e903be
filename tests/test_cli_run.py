"""`simulator run` and `simulator show` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main

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


def _rows(stdout: str, title: str) -> list[list[str]]:
    """Rows of one printed table: [agent, mode, cells...], the agent carried down."""
    lines = stdout.split(title, 1)[1].splitlines()
    rows, agent = [], ""
    for line in lines[3:]:
        cells = line.split()
        if not cells:
            break
        if cells[0].startswith("refund_agents:"):
            agent, cells = cells[0], cells[1:]
        if cells and cells[0] in ("full", "on_ask"):
            rows.append([agent, *cells])
    return rows


def test_run_writes_records_prints_the_tables_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["run", "-p", PERSONA, "-a", f"{AGENTS}:careful", "-a", f"{AGENTS}:leaky"]
    args += ["-m", "full", "-m", "on_ask", "--repeats", "1", "--out", out]
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
    success = _rows(first.stdout, "Task success by agent and mode")
    # agent, mode, n, success, k/n, 95% CI (2 cells), Δ full and its CI, A90, U90-10, pass^1
    assert [row[:2] for row in success] == [
        ["refund_agents:careful", "full"],
        ["refund_agents:careful", "on_ask"],
        ["refund_agents:leaky", "full"],
        ["refund_agents:leaky", "on_ask"],
    ]
    # Wilson: one success in one dialogue is no proof of 100 %
    assert success[0][2:] == ["1", "100%", "1/1", "[21,", "100]", "100%", "0%", "100%"]
    assert success[1][2:7] == ["1", "100%", "1/1", "[21,", "100]"]
    assert success[1][7:9] == ["+0pp", "-"]  # a paired interval needs two personas
    behaviour = _rows(first.stdout, "Acquisition, leakage and refusal")
    # req. facts, asked, →full, redund., premat., leaks, declined, over-ref., viol., errors
    assert behaviour[1][2:] == ["100%", "100%", "2.0", "0", "0", "0/0", "1/1", "0", "0", "0"]
    assert behaviour[3][2:] == ["100%", "100%", "2.0", "0", "0", "1/1", "0/1", "0", "0", "0"]
    assert {p.name for p in out.iterdir()} >= {"manifest.json", "summary.csv", "report.html"}

    again = cli(*args, "--no-report")  # same out folder: nothing left to run or duplicate
    assert again.returncode == 0, again.stderr
    assert "4 dialogues were already in" in again.stderr
    assert len((out / "dialogues.jsonl").read_text().splitlines()) == 4


def test_show_marks_leaks(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ("run", "-p", PERSONA, "-a", f"{AGENTS}:leaky", "-m", "on_ask", "-o", out)
    assert cli(*args, "--repeats", "1", "--no-report").returncode == 0
    shown = cli("show", out, "-d", "leaky")
    assert shown.returncode == 0, shown.stderr
    assert "LEAK: other_email" in shown.stdout
    assert "revealed: order, item" in shown.stdout
    assert "ANSWER ATTEMPT: 12.99" in shown.stdout


def test_bad_inputs_give_one_clean_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text("name: x\nrepeat: 2\n")
    for args in (
        ["run", "-p", PERSONA, "-a", "reference:nobody"],
        ["run", "-p", PERSONA, "-a", "no_such_module:agent"],
        ["run", tmp_path / "bad.yaml"],
        ["run", tmp_path / "missing.yaml"],
        ["show", tmp_path / "missing.jsonl"],
        ["report", tmp_path],
        ["replay", tmp_path / "missing.jsonl"],
        ["diff", tmp_path / "a.jsonl", tmp_path / "b.jsonl"],
    ):
        monkeypatch.setattr(sys, "argv", ["simulator", *map(str, args)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        err = capsys.readouterr().err
        assert exit_info.value.code == 2, (args, err)
        assert err.startswith("error: ") and err.count("\n") == 1, (args, err)
    assert "bad.yaml:2:1: unknown key 'repeat'" in cli("run", tmp_path / "bad.yaml").stderr


def test_a_study_whose_model_has_no_key_stops_before_its_first_dialogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    for agent, variable in (
        (ROOT / "agents" / "gpt-4.1-mini.yaml", "OPENAI_API_KEY"),
        (ROOT / "agents" / "claude-haiku-5-5.yaml", "ANTHROPIC_API_KEY"),
    ):
        out = tmp_path / agent.stem
        args = ["run", "-p", PERSONA, "-a", agent, "--out", out]
        monkeypatch.setattr(sys, "argv", ["simulator", *map(str, args)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and err.count("\n") == 1, err
        assert err.startswith("error: ") and variable in err
        assert not out.exists()  # nothing was started


def test_messages_print_brackets_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paths, notices and error texts are printed as text: rich markup would eat a
    ``[report]`` or a ``[redacted]``."""
    from simulator.report import _outputs

    hint = "plots skipped: matplotlib is not installed (pip install 'simulator[report]')"
    monkeypatch.setattr(_outputs, "plots_unavailable", lambda: hint)
    out = tmp_path / "run [green]"
    args = ["run", "-p", PERSONA, "-a", f"{ROOT / 'tests' / 'fixtures' / 'slow_agents.py'}:broken"]
    monkeypatch.setattr(sys, "argv", ["simulator", *map(str, [*args, "--out", out])])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 0
    captured = capsys.readouterr()
    assert hint in captured.err
    assert f"Run folder: {out} (" in captured.out
    assert "ValueError: bad [redacted] value" in captured.err
    assert f"see it with: simulator show '{out}' -d" in captured.err  # quoted for a shell


def test_a_path_that_cannot_be_written_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import simulator

    record = simulator.run_dialogue_sync(PERSONA, f"{AGENTS}:careful", "full")
    records = tmp_path / "records.jsonl"
    records.write_text(record.model_dump_json() + "\n", encoding="utf-8")
    before = records.read_text(encoding="utf-8")
    (tmp_path / "folder").mkdir()
    lic = ROOT / "tests" / "fixtures" / "imports" / "lic_shards.json"
    for args, expected in (
        (["export", records, "-f", "csv", "-o", tmp_path / "folder"], "is a folder; give a file"),
        (["import", "lic", lic, "-t", "math", "-o", records], "already exists; not overwriting"),
        (["crm", "generate", "--family", "handle_time", "--n", "1", "--out", records], "already"),
        (["crm", "families", "--pack", tmp_path / "missing"], "missing: no such folder"),
    ):
        monkeypatch.setattr(sys, "argv", ["simulator", *map(str, args)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        err = capsys.readouterr().err
        assert exit_info.value.code == 2, (args, err)
        assert err.startswith("error: ") and err.count("\n") == 1 and expected in err, (args, err)
    assert records.read_text(encoding="utf-8") == before
    assert [p.name for p in (tmp_path / "folder").iterdir()] == []


def test_an_option_without_its_value_points_at_its_own_commands_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, command in (
        (["export", "runs/x", "-f"], "simulator export"),
        (["crm", "generate", "--family"], "simulator crm generate"),
    ):
        monkeypatch.setattr(sys, "argv", ["simulator", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.endswith(f"requires an argument. (see: {command} --help)\n"), err
