"""Killing a run mid-way, as a crash would: shared by the resume tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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
