"""Running a study into a run folder: manifest first, then the dialogues, resumable at any point.

``start_run`` writes ``manifest.json`` (or, for a folder that already holds the same
study, notes a resume in it); ``run_study`` runs every dialogue not yet in
``dialogues.jsonl``. A killed run is finished by running it again: nothing is lost or
duplicated, because each record is appended whole and ids already present are skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from shlex import quote
from typing import Any, TypedDict

from pydantic import ValidationError

from simulator.agent import LLM_KINDS
from simulator.models import Budget, ModelRegistry, default_registry
from simulator.record import DialogueRecord
from simulator.run._batch import (
    RECORDS_FILE,
    completed_ids,
    drop_budget_cut,
    read_records,
    run_jobs,
)
from simulator.run._lock import run_lock
from simulator.run._manifest import (
    MANIFEST_FILE,
    build_manifest,
    changed_agent_code,
    new_run_id,
    note_resume,
    read_manifest,
    write_manifest,
)
from simulator.run._parallel import SharedBudget, run_jobs_in_processes
from simulator.run._study import ResolvedStudy, Study, StudyError


@dataclass
class RunResult:
    """What a call of ``run_study`` did."""

    run_dir: Path
    total: int  # dialogues in the study
    already: int  # found in the folder before this call
    ran: int  # run by this call
    budget: Budget | None
    workers: int = 1  # processes the local run used (1 for Ray)
    rerun: int = 0  # dialogues the budget had cut short before, run again by this call

    @property
    def missing(self) -> int:
        """Dialogues still not run (the budget ran out)."""
        return max(0, self.total - self.already - self.ran)


def default_run_dir(resolved: ResolvedStudy) -> Path:
    """``runs/<YYYYmmdd-HHMMSS>-<study name>``: where a run goes when no folder is given."""
    return Path("runs") / new_run_id(resolved.study.name)


def _same_study(manifest: dict[str, Any], fresh: dict[str, Any]) -> bool:
    keys = ("config", "personas", "agents", "modes", "seeds")
    try:  # a manifest written before a study key existed holds its default
        config = Study.model_validate(manifest.get("config")).model_dump(mode="json")
        manifest = {**manifest, "config": config}
    except ValidationError:
        return False
    return all(
        json.dumps(manifest.get(k), sort_keys=True) == json.dumps(fresh.get(k), sort_keys=True)
        for k in keys
    )


def start_run(resolved: ResolvedStudy, run_dir: Path, command: list[str]) -> dict[str, Any]:
    """Write the manifest of a new run; a folder holding the same study is resumed instead."""
    fresh = build_manifest(resolved, run_id=run_dir.name, command=command)
    if (run_dir / MANIFEST_FILE).exists():
        manifest = read_manifest(run_dir)
        # concurrency, workers, executor and budget change no dialogue: they may differ on a
        # resume (a manifest written before the executor key existed holds its default)
        how = ("concurrency", "workers", "executor", "budget_usd")
        kept = {k: manifest["config"].get(k, Study.model_fields[k].default) for k in how}
        fresh["config"] = {**fresh["config"], **kept}
        if not _same_study(manifest, fresh):
            raise StudyError(
                f"{run_dir} holds another study's run; write this one to another folder "
                f"(--out), or finish that one (simulator run --resume {quote(str(run_dir))})"
            )
        changed = changed_agent_code(manifest, resolved.agents)
        if changed:
            raise StudyError(
                f"{run_dir} holds this study's run, but {changed} it ran: its "
                f"{RECORDS_FILE} holds the old code's dialogues. Give another --out, or "
                f"delete {run_dir} to run it again"
            )
        note_resume(run_dir, manifest, command)
        return manifest
    records = run_dir / RECORDS_FILE
    if records.exists() and records.stat().st_size > 0:
        raise StudyError(
            f"{run_dir} holds a {RECORDS_FILE} but no {MANIFEST_FILE}: records of no known "
            "study, which this run's tables would count as its own; write this run to "
            "another folder (--out)"
        )
    write_manifest(run_dir, fresh)
    return fresh


def spent_so_far(records_file: Path) -> float:
    """Model cost of the records already in a run (so a resume honours the budget)."""
    if not records_file.exists():
        return 0.0
    return sum(
        usage.cost_usd
        for record in read_records(records_file)
        for usage in record.scores.efficiency.models.values()
    )


AUTO_WORKERS_FROM = 200
"""Dialogues still to run from which a run that calls no model uses every core by default."""


def cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(workers: int | None, pending: int, models: list[str]) -> int:
    """The processes a local run uses: ``workers`` when set. Unset: every core when the
    run calls no model (rule-based agents and roles: the run is CPU-bound) and has at least
    ``AUTO_WORKERS_FROM`` dialogues to run (a worker's start-up, about a second, would
    cost a smaller run more than it saves), one worker per 100 of them; else 1 (a run
    that waits on models overlaps them in one process, and its provider limits, which
    count per process, stay exact)."""
    if workers is not None:
        return workers
    if models or pending < AUTO_WORKERS_FROM:
        return 1
    return max(1, min(cores(), pending // (AUTO_WORKERS_FROM // 2)))


def study_models(resolved: ResolvedStudy) -> list[str]:
    """The model strings a study calls: its LLM agents' and its LLM roles'."""
    models = [spec.model_string for spec in resolved.agents if spec.kind in LLM_KINDS]
    roles = resolved.study.roles
    models += [role.model for role in (roles.user, roles.classifier, roles.judge) if role]
    return list(dict.fromkeys(models))


async def check_credentials(resolved: ResolvedStudy, models: ModelRegistry | None = None) -> None:
    """Fail before the first dialogue if a model the study calls has no key configured
    (``ModelConfigError``, one line naming the variable), rather than recording every
    dialogue as an ``agent_error``; and, for ``executor: ray``, if Ray is not installed
    (one line naming the extra), before the run folder is made."""
    if resolved.study.executor == "ray":
        from simulator.run._ray import import_ray

        import_ray()
    check_model_credentials(study_models(resolved), models)


def check_ray_cluster(address: str | None) -> None:
    """For ``executor: ray``: fail in one line if the cluster named does not answer (see
    ``simulator.run._ray.check_ray_address``), before the run folder is made."""
    from simulator.run._ray import check_ray_address

    check_ray_address(address)


def check_model_credentials(model_strings: list[str], models: ModelRegistry | None = None) -> None:
    """``check_credentials`` for a list of model strings (a Ray task checks its node)."""
    registry = models if models is not None else default_registry()
    for model in model_strings:
        check = getattr(registry.client(model), "check_credentials", None)
        if check is not None:
            check()


class _Limits(TypedDict):
    """The per-dialogue limits and the concurrency a run passes to its runner."""

    concurrency: int
    max_turns: int
    max_steps: int
    step_timeout: float | None
    max_message_chars: int


async def run_study_async(
    resolved: ResolvedStudy,
    run_dir: Path,
    *,
    on_done: Callable[[DialogueRecord], None] | None = None,
    ray_address: str | None = None,
) -> RunResult:
    """Run the dialogues of ``resolved`` missing from ``run_dir`` (its manifest must exist).

    With ``executor: ray`` they run as Ray tasks on the cluster at ``ray_address`` (None:
    ``RAY_ADDRESS``, else a local Ray); see ``simulator.run._ray``."""
    with run_lock(run_dir):
        return await _run_study(resolved, run_dir, on_done, ray_address)


async def _run_study(
    resolved: ResolvedStudy,
    run_dir: Path,
    on_done: Callable[[DialogueRecord], None] | None,
    ray_address: str | None,
) -> RunResult:
    study = resolved.study
    records_file = run_dir / RECORDS_FILE
    rerun, cut_spend = _release_budget_cut(run_dir)
    wanted = {job.id for job in resolved.jobs()}
    done = completed_ids(records_file)
    already = len(done & wanted)
    prior = spent_so_far(records_file) + cut_spend if study.budget_usd is not None else 0.0
    roles = study.roles if study.roles.model_dump(exclude_none=True) else None
    limits: _Limits = {
        "concurrency": study.concurrency,
        "max_turns": study.max_turns,
        "max_steps": study.max_steps,
        "step_timeout": study.step_timeout,
        "max_message_chars": study.max_message_chars,
    }
    budget: Budget | None = None
    if study.executor == "ray":
        from simulator.run._ray import run_jobs_on_ray

        if study.budget_usd is not None:
            budget = Budget(study.budget_usd)
            budget.spend(prior)
        ran = await run_jobs_on_ray(
            [job for job in resolved.jobs() if job.id not in done],
            run_dir,
            settings={**limits, "roles": roles},
            budget=budget,
            models=study_models(resolved),
            address=ray_address,
            on_done=on_done,
        )
        return RunResult(run_dir, resolved.total, already, ran, budget, rerun=rerun)
    workers = workers_for(study.workers, len(wanted) - already, study_models(resolved))
    if workers > 1:
        shared = SharedBudget.new(study.budget_usd, prior) if study.budget_usd is not None else None
        ran = await run_jobs_in_processes(
            [job for job in resolved.jobs() if job.id not in done],
            run_dir,
            workers=workers,
            roles=roles,
            budget=shared,
            on_done=on_done,
            **limits,
        )
        return RunResult(run_dir, resolved.total, already, ran, shared, workers, rerun)
    if study.budget_usd is not None:
        budget = Budget(study.budget_usd)
        budget.spend(prior)
    ran = await run_jobs(
        resolved.jobs(), run_dir, on_done=on_done, roles=roles, budget=budget, **limits
    )
    return RunResult(run_dir, resolved.total, already, ran, budget, rerun=rerun)


def _release_budget_cut(run_dir: Path) -> tuple[int, float]:
    """Take the dialogues the budget cut short out of the folder, to run again; return
    how many, and what every dialogue so taken out ever spent (kept in the manifest, so
    the budget still counts it)."""
    dropped, spent = drop_budget_cut(run_dir / RECORDS_FILE)
    manifest = read_manifest(run_dir) if (run_dir / MANIFEST_FILE).exists() else None
    if manifest is None:
        return dropped, spent
    ledger = manifest.setdefault("budget_cut", {"dialogues": 0, "spent_usd": 0.0})
    if dropped:
        ledger["dialogues"] += dropped
        ledger["spent_usd"] += spent
        write_manifest(run_dir, manifest)
    return dropped, float(ledger["spent_usd"])


def run_study(
    resolved: ResolvedStudy,
    run_dir: Path,
    *,
    command: list[str] | None = None,
    on_done: Callable[[DialogueRecord], None] | None = None,
    ray_address: str | None = None,
) -> RunResult:
    """``start_run`` then ``run_study_async``, for scripts and notebooks."""
    asyncio.run(check_credentials(resolved))
    with run_lock(run_dir):
        start_run(resolved, run_dir, command or [])
        return asyncio.run(
            run_study_async(resolved, run_dir, on_done=on_done, ray_address=ray_address)
        )
