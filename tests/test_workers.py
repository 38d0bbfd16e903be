"""``workers``: a run shared among processes gives the records of a one-process run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from _kill import lines, records_by_id, run_and_kill
from hypothesis import given
from hypothesis import strategies as st

from simulator.cli import main
from simulator.run import StudyError, load_study, read_records, resolve_study
from simulator.run._parallel import SharedBudget, shard, split
from simulator.run._runner import run_study

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
SLOW = ROOT / "tests" / "fixtures" / "slow_agents.py"
CRM = ROOT / "personas" / "crm"
MIXED = f"""\
name: workers
personas:
  - {REFUND}
  - {CRM / "crm.activity_priority.b2b-0107.yaml"}
  - {CRM / "crm.best_region.b2c-quickest-q2-2025-min15.yaml"}
agents: ['{AGENTS}:careful', '{AGENTS}:leaky', 'reference:careful', 'reference:eager']
modes: [full, on_ask]
repeats: 2
concurrency: 3
"""
KILLED = f"""\
name: workers-resume
personas: [{REFUND}]
agents: ['{AGENTS}:careful', '{AGENTS}:leaky', '{AGENTS}:chatty']
modes: [full, concat, sharded, on_ask]
repeats: 8
concurrency: 4
workers: 2
"""


def test_two_workers_give_the_records_of_one(tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(MIXED, encoding="utf-8")
    study = load_study(study_file)
    runs = {}
    for workers in (1, 2):
        resolved = resolve_study(study.with_overrides({"workers": workers}), tmp_path, study_file)
        out = tmp_path / f"w{workers}"
        seen: list[str] = []
        result = run_study(resolved, out, on_done=lambda r, seen=seen: seen.append(r.id))
        assert result.ran == resolved.total == 3 * 4 * 2 * 2
        runs[workers] = records_by_id(out / "dialogues.jsonl", whole_lines=True)
        assert sorted(seen) == sorted(runs[workers])  # progress saw every record once
    assert runs[1] == runs[2]


def test_killed_run_resumed_with_two_workers_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(KILLED, encoding="utf-8")
    total = 1 * 3 * 4 * 8
    env = {**os.environ, "COLUMNS": "120"}
    killed = tmp_path / "killed"
    records = killed / "dialogues.jsonl"
    done = run_and_kill(study_file, killed)
    assert 10 <= done < total, f"the kill should land mid-run ({done} of {total} written)"
    with records.open("a", encoding="utf-8") as fh:  # and a write torn by the kill
        fh.write('{"schema_version": 1, "id": "torn')

    again = ["run", "--resume", str(killed), "--workers", "2", "--no-report"]
    resumed = subprocess.run(
        [sys.executable, "-m", "simulator", *again],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} dialogues were already in" in resumed.stderr

    straight = tmp_path / "straight"
    one = load_study(study_file).with_overrides({"workers": 1})
    run_study(resolve_study(one, tmp_path, study_file), straight)
    resumed = records_by_id(records, whole_lines=True)
    assert resumed == records_by_id(straight / "dialogues.jsonl", whole_lines=True)
    assert lines(records) == total


@pytest.mark.parametrize("value", ["0", "-2"])
def test_workers_below_one_are_refused(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["simulator", "run", "-p", str(REFUND), "--workers", value])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "error: Invalid value for '--workers': expected 1 or more (see: simulator run --help)\n"
    )


def test_study_key_workers_below_one_is_refused(tmp_path: Path) -> None:
    study_file = tmp_path / "study.yaml"
    study_file.write_text(f"personas: [{REFUND}]\nworkers: 0\n", encoding="utf-8")
    with pytest.raises(
        StudyError, match=r"study.yaml:2:\d+: workers: expected a whole number of at least 1, got 0"
    ):
        load_study(study_file)


def test_shards_deal_every_job_once() -> None:
    assert shard(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]  # type: ignore[arg-type]


def test_shared_budget_is_one_counter() -> None:
    budget = SharedBudget.new(1.0, spent_usd=0.25)
    assert budget.spent_usd == 0.25 and not budget.exhausted
    budget.spend(0.75)
    assert budget.exhausted
    with pytest.raises(Exception, match=r"budget of \$1.00 reached \(\$1.0000 spent\)"):
        budget.check()


class _Canned:
    """A model that answers every agent request with the refund amount."""

    limit_key = "canned"

    async def complete(self, request: object) -> object:
        from simulator.models._client import ChatResponse

        return ChatResponse(text="Your refund is $12.99.")


def _register_canned() -> None:
    from simulator.models import default_registry

    default_registry().register("openai:canned", _Canned())


def _run_with(initializer: Callable[[], None], out: Path) -> int:
    import asyncio

    from simulator.agent import AgentSpec
    from simulator.persona import Mode, load_persona
    from simulator.run import DialogueJob
    from simulator.run._parallel import run_jobs_in_processes

    persona = load_persona(REFUND)
    agent = AgentSpec(name="canned", kind="openai", model="canned")
    jobs = [DialogueJob(persona, agent, Mode.FULL, seed) for seed in range(4)]
    settings = {
        "workers": 2, "concurrency": 2, "max_turns": 6, "max_steps": 4, "step_timeout": 10.0,
        "max_message_chars": 65_536, "roles": None, "budget": None,
    }  # fmt: skip
    return asyncio.run(run_jobs_in_processes(jobs, out, initializer=initializer, **settings))


def test_an_initializer_prepares_each_worker(tmp_path: Path) -> None:
    """What a worker needs that cannot be pickled (a model client) is set up by the
    initializer in each worker, as for ProcessPoolExecutor."""
    ran = _run_with(_register_canned, tmp_path)
    records = list(read_records(tmp_path / "dialogues.jsonl"))
    assert ran == 4 and len(records) == 4
    assert all(r.end_reason.value != "agent_error" for r in records)
    texts = [e.content for r in records for e in r.events if e.type == "agent_message"]
    assert texts and all(t == "Your refund is $12.99." for t in texts)


def test_the_run_concurrency_is_shared_among_the_workers() -> None:
    """``concurrency`` is the run's total: N workers keep as many dialogues in flight as
    one process does, each with an even share."""
    assert split(64, 2) == [32, 32]
    assert split(64, 3) == [22, 21, 21]
    assert split(1, 4) == [1]  # one dialogue in flight: one worker
    assert split(3, 8) == [1, 1, 1]


@given(concurrency=st.integers(1, 5000), workers=st.integers(1, 256))
def test_shares_add_up_and_differ_by_at_most_one(concurrency: int, workers: int) -> None:
    shares = split(concurrency, workers)
    assert sum(shares) == concurrency
    assert len(shares) == min(concurrency, workers)
    assert min(shares) >= 1 and max(shares) - min(shares) <= 1


def test_a_run_that_calls_no_model_uses_every_core_by_default() -> None:
    """Unset ``workers``: every core (one per 100 dialogues) for a rule-based run of 200
    or more dialogues; one for a smaller run or one that calls a model; a set value is
    always kept."""
    from simulator.run._runner import cores, workers_for

    assert workers_for(None, 1056, []) == min(cores(), 10)
    assert workers_for(None, 250, []) == min(cores(), 2)
    assert workers_for(None, 199, []) == 1
    assert workers_for(None, 5000, ["openai:gpt-4.1-mini"]) == 1
    assert workers_for(3, 10, ["openai:gpt-4.1-mini"]) == 3
    assert workers_for(1, 5000, []) == 1


def _refuse_to_start() -> None:
    raise ValueError("no model for this worker")


def _die_at_start() -> None:
    os._exit(3)


def test_a_worker_that_fails_is_reported_with_its_error(tmp_path: Path) -> None:
    from simulator.errors import SimulatorError

    with pytest.raises(SimulatorError, match="worker process failed: ValueError: no model"):
        _run_with(_refuse_to_start, tmp_path)


def test_a_worker_that_dies_is_reported_with_its_exit_code(tmp_path: Path) -> None:
    from simulator.errors import SimulatorError

    with pytest.raises(SimulatorError, match=r"worker process died \(exit code 3\)"):
        _run_with(_die_at_start, tmp_path)


def test_workers_of_a_killed_run_exit_with_it(tmp_path: Path) -> None:
    """A worker whose parent is killed leaves at once, not when its dialogues end: nobody
    would write their records, and their model calls would cost for nothing."""
    pids = tmp_path / "pids"
    pids.mkdir()
    study_file = tmp_path / "study.yaml"
    study_file.write_text(
        f"personas: [{REFUND}]\nagents: ['{SLOW}:stuck']\n"
        "repeats: 4\nconcurrency: 4\nworkers: 2\nstep_timeout: 300\n",
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "simulator",
        "run",
        str(study_file),
        "--out",
        str(tmp_path / "run"),
    ]
    env = {**os.environ, "STUCK_AGENT_PIDS": str(pids)}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while len({p.name for p in pids.iterdir()}) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = {int(p.name) for p in pids.iterdir()}
        assert len(workers) == 2, "both workers are inside the agent's minute-long step"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 20  # a third of the agent's wait: they did not sit it out
    while {pid for pid in workers if _alive(pid)} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not {pid for pid in workers if _alive(pid)}


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, which init reaps soon, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
