"""One run at a time in a run folder: a second run into a folder a run is writing is
refused (it would run the dialogues the first has not finished yet, and the folder would
hold them twice); the report counts each dialogue once whatever the file holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.errors import SimulatorError
from simulator.report import write_run_outputs
from simulator.run import ResolvedStudy, Study, read_records, resolve_study, run_lock
from simulator.run._runner import run_study

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
HOLD = """
import sys, time
from pathlib import Path
from simulator.run import run_lock
with run_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _study(tmp_path: Path) -> ResolvedStudy:
    study = Study(personas=[str(REFUND)], agents=[f"{AGENTS}:careful"], modes=["full"], repeats=2)
    return resolve_study(study, tmp_path)


def test_a_second_run_into_a_folder_in_use_is_refused(tmp_path: Path) -> None:
    run = tmp_path / "run"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(run)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(
            SimulatorError, match=rf"is in use by another run \(process {holder.pid}\)"
        ):
            run_study(_study(tmp_path), run)
        assert not (run / "manifest.json").exists()  # refused before writing anything
    finally:
        holder.kill()
        holder.wait()
    assert run_study(_study(tmp_path), run).ran == 2  # the holder gone, the folder is free


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    with run_lock(tmp_path / "run"), run_lock(tmp_path / "run"):
        assert run_study(_study(tmp_path), tmp_path / "run").ran == 2


def test_a_folder_that_cannot_be_one_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    for out in (tmp_path / "afile", tmp_path / "afile" / "sub"):
        with pytest.raises(SimulatorError, match=r"cannot use .* as a run folder"):
            run_study(_study(tmp_path), out)


def test_the_report_counts_each_dialogue_once(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run_study(_study(tmp_path), run)
    records = run / "dialogues.jsonl"
    records.write_text(records.read_text() * 2)  # as two runs at once would have left it
    assert len(list(read_records(records))) == 4
    outputs = write_run_outputs(run)
    assert outputs.duplicates == 2
    assert sum(g.dialogues for g in outputs.metrics.groups.values()) == 2


def test_a_folder_that_holds_no_run_keeps_no_lock(tmp_path: Path) -> None:
    """A run that stops before its manifest (a folder that is no run, a start that fails)
    leaves no lock file, and no folder it made."""
    existing = tmp_path / "notes"
    existing.mkdir()
    with run_lock(existing):
        assert (existing / ".lock").exists()
    assert list(existing.iterdir()) == []
    made = tmp_path / "new" / "run"
    with pytest.raises(SimulatorError, match="stopped"), run_lock(made):
        raise SimulatorError("stopped before the manifest")
    assert not made.exists() and (tmp_path / "new").exists()
