"""Cost of the CRM sandbox: building each org, and setting up one dialogue's environment.

    python benchmarks/crm_env.py                 # scales 1, 4 and 16 (a minute or so)
    python benchmarks/crm_env.py --scales 1,2    # quicker

Printed, per org and scale: build time (generation + loading into SQLite + the FTS5
index), database size and row count. Then, per org at scale 1 with the world already
built (as in a run): the time to set up one dialogue's environment and answer its first
query, and the memory one dialogue in flight holds, for

- read-only dialogues, which share the world through pooled read-only connections,
- writing dialogues, which get a private copy of the world on their first workflow
  action (copy on write), so their cost grows with the world's size.

Memory is reported two ways: Python objects (tracemalloc) and resident memory (RSS,
which also counts SQLite's own allocations), each divided by the number of dialogues
held open at once. Targets are printed beside the figures, never asserted.

The last line compares building one org at scale 1 and opening one dialogue's
environment with the figures measured before both orgs got every task family
(``BASELINE``), and says whether each is within ±20 % of it:

    python benchmarks/crm_env.py --compare       # only that line (a few seconds)

A stored baseline drifts with the machine's load (on a shared 2-core machine, by ±20 %
between runs of the same code), so ``--against REV`` measures the same figures for the
code of a git revision and for the working tree, alternately in fresh processes, and
compares those:

    python benchmarks/crm_env.py --against 5cb391f   # the code before a change
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = os.environ.get("CRM_ENV_SOURCE", str(ROOT))
"""Whose ``simulator`` package is measured: this checkout, or (``--against``) the
extracted code of another revision."""
sys.path.insert(0, SOURCE)

from simulator.env.crm import TABLES, CRMEnvironment, World, world  # noqa: E402

HELD = 200
"""Dialogues held open at once when measuring memory per dialogue."""

BASELINE = {
    ("b2b", "build"): 0.068,
    ("b2c", "build"): 0.144,
    ("b2b", "open"): 0.0144e-3,
    ("b2c", "open"): 0.0130e-3,
}
"""Seconds to build each org at scale 1 (median of five) and to open one read-only
dialogue's environment and answer its first query, measured before the B2B org got a
service desk and the B2C org a sales side (each org then had only its own families)."""
BAND = 0.20
"""How far from the baseline a figure may be and still count as unchanged."""


def rss() -> int:
    """Resident set size of this process, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * 4096


def build(org: str, scale: int) -> tuple[float, World, int]:
    started = time.perf_counter()
    w = World(org, 0, scale)
    took = time.perf_counter() - started
    rows = 0
    with w.reader() as guard:
        for table in TABLES[org]:
            result = guard.query(f"SELECT COUNT(*) FROM {table.name}", limit=1, time_limit=10)
            rows += int(result.rows[0][0])
    return took, w, rows


def setup_time(org: str, n: int = 2000) -> float:
    """Mean seconds to open an environment, run one query, and close it."""
    started = time.perf_counter()
    for _ in range(n):
        env = CRMEnvironment(org, 0)
        env.query("SELECT COUNT(*) FROM users")
        env.close()
    return (time.perf_counter() - started) / n


def write_setup_time(org: str, n: int = 200) -> float:
    """Mean seconds to open an environment, make its first write (the copy), and close it."""
    action = _write_action(org)
    started = time.perf_counter()
    for i in range(n):
        env = CRMEnvironment(org, 0)
        env.call(*action(env, i))
        env.close()
    return (time.perf_counter() - started) / n


def _write_action(org: str) -> Callable[[CRMEnvironment, int], tuple[str, dict[str, str]]]:
    """A valid first write for the org (assigning the first unrouted case or lead)."""
    if org == "b2c":

        def reassign(env: CRMEnvironment, i: int) -> tuple[str, dict[str, str]]:
            case = env.query("SELECT id FROM cases WHERE owner_id IS NULL LIMIT 1").rows[0][0]
            return "reassign_case", {"case_id": case, "owner_id": f"005Agt{1 + i % 10:07d}"}

        return reassign

    def route(env: CRMEnvironment, i: int) -> tuple[str, dict[str, str]]:
        lead = env.query("SELECT id FROM leads WHERE owner_id IS NULL LIMIT 1").rows[0][0]
        return "route_lead", {"lead_id": lead, "owner_id": f"005Rep{1 + i % 10:07d}"}

    return route


def memory_per_dialogue(org: str, writing: bool) -> tuple[float, float]:
    """(tracemalloc bytes, RSS bytes) per dialogue, with HELD dialogues open at once."""
    action = _write_action(org)
    gc.collect()
    before_rss = rss()
    tracemalloc.start()
    held = []
    for i in range(HELD):
        env = CRMEnvironment(org, 0)
        env.query("SELECT COUNT(*) FROM users")
        if writing:
            env.call(*action(env, i))
        held.append(env)
    python_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = rss() - before_rss
    for env in held:
        env.close()
    return python_bytes / HELD, grown / HELD


def build_time(org: str, repeats: int = 5) -> float:
    """Median seconds to build the org at seed 0, scale 1 (generate, load, serialise)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        World(org, 0, 1)
        times.append(time.perf_counter() - started)
    return sorted(times)[repeats // 2]


def compare() -> str:
    """One line: build and open figures against ``BASELINE``, each within ±20 % or not."""
    then = {f"{org} {what}": seconds for (org, what), seconds in BASELINE.items()}
    return f"vs baseline (±{BAND:.0%}): " + _changes(then, figures())


def _changes(then: dict[str, float], now: dict[str, float]) -> str:
    """'b2b build 0.068 -> 0.07 s (+3%, within); ...' for each figure of ``then``."""
    parts = []
    for key, before in then.items():
        change = now[key] / before - 1
        unit, scale = ("s", 1.0) if key.endswith("build") else ("ms", 1e3)
        verdict = "within" if abs(change) <= BAND else "outside"
        parts.append(
            f"{key} {before * scale:.4g} -> {now[key] * scale:.4g} {unit} "
            f"({change:+.0%}, {verdict})"
        )
    return "; ".join(parts)


def figures() -> dict[str, float]:
    """Build and open figures of each org, as ``compare`` measures them."""
    out: dict[str, float] = {}
    for org in ("b2b", "b2c"):
        world(org, 0, 1)
        setup_time(org, 50)  # warm the reader pool
        out[f"{org} build"] = build_time(org)
        out[f"{org} open"] = setup_time(org)
    return out


def _figures(source: Path) -> dict[str, float]:
    """``figures()`` of the code under ``source``, in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, "--figures"],
        env={**os.environ, "CRM_ENV_SOURCE": str(source)},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def against(revision: str, rounds: int = 3) -> str:
    """Figures of ``revision`` and of the working tree, measured alternately; one line."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "simulator"],
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        old: dict[str, list[float]] = {}
        new: dict[str, list[float]] = {}
        for _ in range(rounds):
            for into, source in ((old, Path(tmp)), (new, ROOT)):
                for key, value in _figures(source).items():
                    into.setdefault(key, []).append(value)
    medians = {key: statistics.median(values) for key, values in old.items()}
    now = {key: statistics.median(values) for key, values in new.items()}
    return f"vs {revision}, measured alternately (±{BAND:.0%}): " + _changes(medians, now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16", help="comma-separated world sizes")
    parser.add_argument(
        "--compare", action="store_true", help="only the line comparing with the baseline"
    )
    parser.add_argument(
        "--against", metavar="REV", help="A/B against the code of a git revision instead"
    )
    parser.add_argument("--figures", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.figures:
        print(json.dumps(figures()))
        return
    if args.against:
        print(against(args.against))
        return
    if args.compare:
        print(compare())
        return
    scales = [int(s) for s in args.scales.split(",")]
    print("Build (generate + load + FTS5 index); target: scale 1 under 1 s")
    print(f"  {'org':4} {'scale':>5} {'build s':>8} {'size MB':>8} {'rows':>9}")
    for org in ("b2b", "b2c"):
        for scale in scales:
            took, w, rows = build(org, scale)
            print(f"  {org:4} {scale:>5} {took:>8.2f} {w.size / 1e6:>8.1f} {rows:>9,}")
            del w
            gc.collect()
    print()
    print(f"Per dialogue at scale 1, world already built ({HELD} dialogues held open)")
    print("  target: read-only set-up well under 1 ms and a few KB; a writer pays one copy")
    header = f"  {'org':4} {'dialogue':10} {'set-up ms':>10} {'python KB':>10} {'RSS KB':>9}"
    print(header)
    for org in ("b2b", "b2c"):
        w = world(org, 0, 1)
        print(f"  ({org} world: {w.size / 1e6:.1f} MB serialised)")
        setup_time(org, 50)  # warm the reader pool
        for writing in (False, True):
            took = write_setup_time(org) if writing else setup_time(org)
            py, res = memory_per_dialogue(org, writing)
            kind = "writing" if writing else "read-only"
            print(f"  {org:4} {kind:10} {took * 1e3:>10.3f} {py / 1e3:>10.1f} {res / 1e3:>9.1f}")
    print()
    print(compare())


if __name__ == "__main__":
    main()
