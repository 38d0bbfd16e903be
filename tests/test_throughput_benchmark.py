"""The throughput benchmark's own measurements, run small: they must keep measuring what
``benchmarks/throughput.py`` says they measure (its figures are printed, never asserted,
so nothing else would notice one going stale)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import throughput
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return throughput


def _counted(bench: ModuleType, coro: Any) -> dict[str, Any]:
    with asyncio.Runner(loop_factory=bench.CountingLoop) as runner:
        result: dict[str, Any] = runner.run(coro)
    return result


@pytest.mark.parametrize("env", ["none", "crm"])
def test_the_cpu_runs_play_five_turn_dialogues_to_an_answer(bench: ModuleType, env: str) -> None:
    n = 3
    r = _counted(bench, bench.measure(env, n, 1, 0.0))
    assert (r["answered"], r["user_turns"]) == (n, n * bench.USER_TURNS)
    calls_per_turn = {"none": 2, "crm": 3}[env]  # user and agent; with the CRM, agent again
    assert r["model_s"] == pytest.approx(
        (bench.USER_TURNS * calls_per_turn + 1) * bench.LATENCY  # plus the closing line
    )
    assert bench.model_calls_per_dialogue(env) == bench.USER_TURNS * calls_per_turn + 1


@pytest.mark.parametrize("env", ["none", "crm"])
def test_our_code_adds_no_event_loop_pass_to_langgraphs(bench: ModuleType, env: str) -> None:
    """docs/architecture.md says so: a dialogue's passes are LangGraph's own (its node task
    and the callbacks' end of a step), as many as in the empty graph of the same shape.
    (A run adds a few passes of its own once, to start and end: two runs of different
    sizes cancel them.)"""

    def passes(coro: Any, turns: int) -> float:
        return float(_counted(bench, coro)["passes_per_turn"]) * turns

    turns = bench.USER_TURNS
    per_dialogue = passes(bench.measure(env, 4, 1, 0.0), 4 * turns) - passes(
        bench.measure(env, 2, 1, 0.0), 2 * turns
    )
    floor = passes(bench.measure_floor(env, 4), 4 * turns) - passes(
        bench.measure_floor(env, 2), 2 * turns
    )
    assert per_dialogue == pytest.approx(floor) and floor > 0


def test_the_corpus_turns_are_the_agents_turns_before_its_answer(bench: ModuleType) -> None:
    turns = bench.corpus_turns()
    assert len(turns) > 100 and all(t.strip() for t in turns)
    bench.CORPUS_TURNS.extend(turns)
    try:
        r = _counted(bench, bench.measure("none", 2, 1, 0.0))
    finally:
        bench.CORPUS_TURNS.clear()
        bench._NEXT_TURN[0] = 0
    assert (r["answered"], r["user_turns"]) == (2, 2 * bench.USER_TURNS)
