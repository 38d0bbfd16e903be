"""A run killed with SIGKILL and resumed holds exactly the dialogues of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _kill import lines, records_by_id, run_and_kill

from simulator.cli import main
from simulator.errors import RecordsFileError
from simulator.run import load_study, resolve_study
from simulator.run._runner import run_study

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
STUDY = f"""\
name: resume
personas: [{REFUND}]
agents: ['{AGENTS}:careful', '{AGENTS}:leaky', '{AGENTS}:chatty']
modes: [full, concat, sharded, on_ask]
repeats: 8
concurrency: 4
"""


def test_sigkill_then_resume_gives_the_uninterrupted_run(tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(STUDY, encoding="utf-8")
    total = 1 * 3 * 4 * 8
    env = {**os.environ, "COLUMNS": "120"}
    killed = tmp_path / "killed"
    records = killed / "dialogues.jsonl"
    done = run_and_kill(study_file, killed)
    assert 10 <= done < total, f"the kill should land mid-run ({done} of {total} written)"
    assert (killed / "manifest.json").exists()
    with records.open("a", encoding="utf-8") as fh:  # and a write torn by the kill
        fh.write('{"schema_version": 1, "id": "torn')

    resumed = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "--resume", str(killed), "--no-report"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} dialogues were already in" in resumed.stderr
    manifest = json.loads((killed / "manifest.json").read_text())
    assert len(manifest["resumed"]) == 1

    straight = tmp_path / "straight"
    source = load_study(study_file)
    run_study(resolve_study(source, tmp_path, study_file), straight)
    assert records_by_id(records) == records_by_id(straight / "dialogues.jsonl")
    assert lines(records) == total


def test_resume_takes_no_study_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, message in (
        (["--resume", str(tmp_path), "--repeats", "2"], "error: --resume takes only"),
        (["--resume", str(tmp_path / "nope")], "not a run folder"),
    ):
        monkeypatch.setattr(sys, "argv", ["simulator", "run", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err


def test_ctrl_c_says_how_far_the_run_got_and_how_to_finish_it(tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(STUDY, encoding="utf-8")
    stopped = tmp_path / "stopped"
    records = stopped / "dialogues.jsonl"
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", str(study_file), "--out", str(stopped)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while lines(records) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    done = lines(records)
    assert 10 <= done < 96
    assert (
        f"Stopped: {done} of 96 dialogues are in {records} (those in flight were dropped). "
        f"Finish with: simulator run --resume {stopped}"
    ) in " ".join(err.split())
    assert "Traceback" not in err

    report = subprocess.run(
        [sys.executable, "-m", "simulator", "report", str(stopped)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert (
        f"notice: the run is incomplete: {done} of its 96 dialogues are recorded, and the "
        f"tables count only those. Finish it with: simulator run --resume {stopped}"
    ) in " ".join(report.stderr.split())


def test_sigterm_stops_the_run_like_ctrl_c_and_a_resume_shows_progress_from_there(
    tmp_path: Path,
) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(STUDY, encoding="utf-8")
    stopped = tmp_path / "stopped"
    records = stopped / "dialogues.jsonl"
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", str(study_file), "--out", str(stopped)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while lines(records) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.terminate()  # SIGTERM, as a job scheduler or `kill` sends
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    done = lines(records)
    assert f"Stopped: {done} of 96 dialogues" in " ".join(err.split())

    resumed = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "--resume", str(stopped), "--no-report"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    # off a terminal, a line every tenth of the run, counted from what was already there
    progress = [line for line in resumed.stderr.splitlines() if line.startswith("dialogues ")]
    counts = [int(line.split()[1].split("/")[0]) for line in progress]
    assert counts == sorted(counts) and counts[-1] == 96 and counts[0] > done
    assert all(line.endswith("· errors 0 · cost $0.0000") for line in progress)


def test_a_last_record_without_its_newline_is_kept_and_a_stray_line_refused(
    tmp_path: Path,
) -> None:
    """A whole record that lost only its newline is a record: a resume keeps it. A line
    in the middle that is not a record was written by something else: the resume stops
    before running anything, naming it."""
    study_file = tmp_path / "study.yaml"
    study_file.write_text(STUDY.replace("repeats: 8", "repeats: 2"), encoding="utf-8")
    resolved = resolve_study(load_study(study_file), tmp_path, study_file)
    straight = tmp_path / "straight"
    run_study(resolved, straight)
    whole = (straight / "dialogues.jsonl").read_text(encoding="utf-8").splitlines()

    cut = tmp_path / "cut"
    run_study(resolved, cut)
    (cut / "dialogues.jsonl").write_text("\n".join(whole[:10]), encoding="utf-8")  # no "\n"
    result = run_study(resolved, cut)
    assert (result.already, result.ran) == (10, len(whole) - 10)
    assert records_by_id(cut / "dialogues.jsonl", whole_lines=True) == records_by_id(
        straight / "dialogues.jsonl"
    )

    stray = tmp_path / "stray"
    run_study(resolved, stray)
    kept = [*whole[:5], "garbage{", *whole[5:8]]
    (stray / "dialogues.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(RecordsFileError, match=r"dialogues.jsonl:6: not a dialogue record; a run"):
        run_study(resolved, stray)
    assert (stray / "dialogues.jsonl").read_text(encoding="utf-8").splitlines() == kept
