"""``executor: ray``: a run as Ray tasks gives the records of a local run, resumes after a
kill without losing or duplicating a dialogue, keeps to its budget, and without Ray fails
in one line.

Ray is an optional extra (``simulator[ray]``): the tests that need it are skipped without
it. They share one local Ray instance (2 CPUs, on the loopback interface only).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _kill import lines, records_by_id, run_and_kill
from _model_server import model_server as serving

import simulator
from simulator.cli import main
from simulator.errors import SimulatorError
from simulator.run import (
    Study,
    StudyError,
    default_study_file,
    load_study,
    read_records,
    resolve_study,
)
from simulator.run._ray import RAY_MISSING, batch_size
from simulator.run._runner import run_study

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
CRM = ROOT / "personas" / "crm"
SMALL = f"""\
name: ray-small
personas:
  - {REFUND}
  - {CRM / "crm.activity_priority.b2b-0107.yaml"}
agents: ['{AGENTS}:careful', '{AGENTS}:leaky', 'reference:careful', 'reference:eager']
modes: [full, on_ask]
repeats: 2
concurrency: 3
"""
KILLED = f"""\
name: ray-resume
personas: [{REFUND}]
agents: ['{AGENTS}:careful', '{AGENTS}:leaky', '{AGENTS}:chatty']
modes: [full, concat, sharded, on_ask]
repeats: 16
concurrency: 2
executor: ray
"""
# Ray reads this when it is imported: a local instance then listens on 127.0.0.1 only
LOOPBACK = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A local Ray instance for the module (the runs find it initialised and use it)."""
    saved = os.environ.get(LOOPBACK)
    os.environ[LOOPBACK] = "0"
    try:
        ray = pytest.importorskip("ray")
        context = ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
        try:
            yield str(context.address_info["address"])
        finally:
            ray.shutdown()
    finally:
        if saved is None:
            os.environ.pop(LOOPBACK, None)
        else:
            os.environ[LOOPBACK] = saved


def _local_and_ray(study: Study, tmp_path: Path, source: Path) -> dict[str, Any]:
    runs = {}
    for executor in ("local", "ray"):
        how = study.with_overrides({"executor": executor})
        resolved = resolve_study(how, source.parent, source)
        out = tmp_path / executor
        seen: list[str] = []
        result = run_study(resolved, out, on_done=lambda r, seen=seen: seen.append(r.id))
        assert result.ran == resolved.total and result.missing == 0
        runs[executor] = records_by_id(out / "dialogues.jsonl", whole_lines=True)
        assert sorted(seen) == sorted(runs[executor])  # progress saw every record once
    return runs


def test_a_ray_run_gives_the_records_of_a_local_run(tmp_path: Path, ray_address: str) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(SMALL, encoding="utf-8")
    runs = _local_and_ray(load_study(study_file), tmp_path, study_file)
    assert len(runs["ray"]) == 2 * 4 * 2 * 2
    assert runs["ray"] == runs["local"]  # ids, transcripts, scores, turns
    manifest = json.loads((tmp_path / "ray" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["executor"] == "ray"


def test_the_default_study_on_ray_gives_the_records_of_a_local_run(
    tmp_path: Path, ray_address: str
) -> None:
    """The offline default study (rule-based agents), a few seconds each way."""
    source = default_study_file()
    assert source is not None
    runs = _local_and_ray(load_study(source), tmp_path, source)
    assert runs["ray"].keys() == runs["local"].keys() and len(runs["ray"]) > 100
    assert runs["ray"] == runs["local"]


def test_a_killed_ray_run_resumes_without_losing_or_duplicating(
    tmp_path: Path, ray_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver is killed mid-run; ``--resume --executor ray`` (a fresh driver on the
    same cluster, found through RAY_ADDRESS) submits only the missing dialogues."""
    monkeypatch.setenv("RAY_ADDRESS", ray_address)
    study_file = tmp_path / "study.yaml"
    study_file.write_text(KILLED, encoding="utf-8")
    total = 1 * 3 * 4 * 16
    killed = tmp_path / "killed"
    records = killed / "dialogues.jsonl"
    done = run_and_kill(study_file, killed)
    assert 10 <= done < total, f"the kill should land mid-run ({done} of {total} written)"
    with records.open("a", encoding="utf-8") as fh:  # and a write torn by the kill
        fh.write('{"schema_version": 1, "id": "torn')

    again = ["run", "--resume", str(killed), "--executor", "ray", "--no-report"]
    resumed = subprocess.run(
        [sys.executable, "-m", "simulator", *again],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "120"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} dialogues were already in" in resumed.stderr
    assert f"ran {total - done}." in resumed.stderr

    straight = tmp_path / "straight"
    local = load_study(study_file).with_overrides({"executor": "local"})
    run_study(resolve_study(local, tmp_path, study_file), straight)
    resumed = records_by_id(records, whole_lines=True)
    assert resumed == records_by_id(straight / "dialogues.jsonl", whole_lines=True)
    assert lines(records) == total


@pytest.fixture
def model_server() -> Iterator[str]:
    with serving() as url:
        yield url


def test_a_ray_run_keeps_to_its_budget_and_a_resume_finishes_it(
    tmp_path: Path, ray_address: str, model_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every call costs $0.431 (a price file, one of the driver's SIMULATOR_* settings the
    tasks are given); the budget stops new dialogues, and a resume with a larger one
    finishes."""
    prices = tmp_path / "prices.yaml"
    prices.write_text("openai-compatible:fake: {input: 1000, output: 1000}\n")
    monkeypatch.setenv("SIMULATOR_PRICES", str(prices))
    monkeypatch.setenv("SIMULATOR_CACHE", "off")  # every call is live, so it costs
    study = Study(
        personas=[str(REFUND)],
        agents=[f"openai-compatible:fake@{model_server}"],
        modes=["full"],  # type: ignore[list-item]
        repeats=12,
        concurrency=1,
        executor="ray",
        budget_usd=1.2,
    )
    out = tmp_path / "run"
    result = run_study(resolve_study(study, tmp_path), out)
    assert result.budget is not None
    spent = result.budget.spent_usd
    # at most one call in flight per task past the limit: 2 CPUs, 2 tasks a CPU
    assert 1.2 <= spent <= 1.2 + 4 * 0.431 + 1e-6
    assert 0 < result.ran < 12 and result.missing == 12 - result.ran
    recorded = sum(
        u.cost_usd for r in read_records(out) for u in r.scores.efficiency.models.values()
    )
    assert recorded == pytest.approx(spent)

    cut = sum(r.end_reason == "budget_exceeded" for r in read_records(out))
    bigger = resolve_study(study.with_overrides({"budget_usd": 100.0}), tmp_path)
    again = run_study(bigger, out)
    assert again.rerun == cut  # the dialogues the budget cut short run again
    assert again.already == result.ran - cut and again.ran == 12 - again.already
    assert len(records_by_id(out / "dialogues.jsonl", whole_lines=True)) == 12
    assert {r.end_reason.value for r in read_records(out)} == {"answered"}


def test_without_ray_the_run_fails_in_one_line_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    out = tmp_path / "run"
    args = ["-p", str(REFUND), "-a", f"{AGENTS}:careful", "-m", "full", "--out", str(out)]
    monkeypatch.setattr(sys, "argv", ["simulator", "run", *args, "--executor", "ray"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err == f"error: {RAY_MISSING}\n"
    assert "pip install 'simulator[ray]'" in err
    assert not out.exists()

    study = Study(personas=[str(REFUND)], agents=[f"{AGENTS}:careful"], executor="ray")
    for run in (simulator.run_study, run_study):  # the package's face, and the runner's
        with pytest.raises(SimulatorError, match=r"^--executor ray needs Ray.*simulator\[ray\]"):
            run(resolve_study(study, tmp_path), out)
        assert not out.exists()


def test_ray_address_without_the_ray_executor_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    args = ["-p", str(REFUND), "-a", f"{AGENTS}:careful", "--out", str(out)]
    args += ["--ray-address", "127.0.0.1:6379"]
    monkeypatch.setattr(sys, "argv", ["simulator", "run", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "error: --ray-address is for --executor ray\n"
    assert not out.exists()


def test_batches_fill_a_task_and_even_out() -> None:
    assert batch_size(432, slots=2, concurrency=8) == 54  # 8 batches: 4 per CPU
    assert batch_size(20, slots=2, concurrency=8) == 8  # never below the concurrency
    assert batch_size(100_000, slots=4, concurrency=8) == 64  # nor above 8 × it
    assert batch_size(1, slots=64, concurrency=1) == 1


def test_an_unknown_executor_is_refused(tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(f"personas: [{REFUND}]\nexecutor: dask\n", encoding="utf-8")
    with pytest.raises(
        StudyError, match=r"study.yaml:2:\d+: executor: expected one of 'local', 'ray', got 'dask'"
    ):
        load_study(study_file)


def test_a_cluster_that_does_not_answer_is_one_line_and_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ray itself would retry for minutes (an unreachable address hung a run for 200 s)."""
    import socket

    pytest.importorskip("ray")

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "run"
    args = ["-p", str(REFUND), "-a", f"{AGENTS}:careful", "--out", str(out), "--executor", "ray"]
    monkeypatch.setattr(
        sys, "argv", ["simulator", "run", *args, "--ray-address", f"127.0.0.1:{port}"]
    )
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach the Ray cluster at 127.0.0.1:{port}: ")
    assert err.count("\n") == 1 and not out.exists()
