"""Killing a run mid-way, as a crash would, and reading what it wrote: shared by the
resume, worker and Ray tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from simulator.run import read_records
from simulator.run._replay import comparable

ROOT = Path(__file__).resolve().parents[1]


def lines(path: Path) -> int:
    """Whole lines written to ``path`` so far (0 before it exists)."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def run_and_kill(study_file: Path, out: Path, *, after: int = 10) -> int:
    """Start ``simulator run STUDY --out OUT``, SIGKILL it once ``after`` records are
    written, and return how many it wrote."""
    records = out / "dialogues.jsonl"
    command = [sys.executable, "-m", "simulator", "run", str(study_file), "--out", str(out)]
    env = {**os.environ, "COLUMNS": "120"}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while lines(records) < after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    return lines(records)


def records_by_id(path: Path, *, whole_lines: bool = False) -> dict[str, dict[str, object]]:
    """Each record of ``path`` by id, in the form replays compare, after checking that no
    id comes twice (and, with ``whole_lines``, that every line is one whole JSON record:
    no torn or interleaved writes)."""
    if whole_lines:
        for line in path.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    records: dict[str, dict[str, object]] = {}
    for record in read_records(path):
        assert record.id not in records, f"duplicate record {record.id}"
        records[record.id] = comparable(record)
    return records
