"""``simulator run``: run a study (a YAML file, or the default study) into a run folder."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from shlex import quote
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from simulator.agent.reference import check_reference_pairs
from simulator.cli._words import counted
from simulator.errors import SimulatorError
from simulator.models import RoleConfig, Roles
from simulator.persona import Mode
from simulator.record import DialogueRecord
from simulator.report import print_summary, write_run_outputs
from simulator.run import (
    RECORDS_FILE,
    ResolvedStudy,
    RunResult,
    Study,
    absolute_paths,
    check_credentials,
    check_ray_cluster,
    completed_ids,
    default_run_dir,
    default_study_file,
    load_study,
    note_resume,
    read_manifest,
    read_records,
    resolve_study,
    resume_study,
    run_lock,
    run_study_async,
    start_run,
)


class Executor(StrEnum):
    """Where the dialogues of a run go: this machine's processes, or a Ray cluster."""

    LOCAL = "local"
    RAY = "ray"


def _study(
    path: Path | None, overrides: dict[str, Any], user_model: str | None, judge_model: str | None
) -> ResolvedStudy:
    """The study file (or the default study) with the flags applied, resolved."""
    if path is not None and not path.is_file():
        raise SimulatorError(f"{path}: no such study file")
    source = path or default_study_file()
    study = load_study(source) if source is not None else Study()
    if user_model or judge_model:
        roles = study.roles
        overrides["roles"] = Roles(
            user=RoleConfig(model=user_model) if user_model else roles.user,
            classifier=roles.classifier,
            judge=RoleConfig(model=judge_model) if judge_model else roles.judge,
        )
    base = source.parent if source is not None else Path.cwd()
    return resolve_study(study.with_overrides(overrides), base, source)


def _resumed(
    run_dir: Path, how: dict[str, Any], command: list[str], ray_address: str | None = None
) -> tuple[ResolvedStudy, Path]:
    """The study of a stopped run, from its manifest; only concurrency, workers, executor
    and budget may change."""
    manifest = read_manifest(run_dir)
    resolved = resume_study(manifest)
    resolved = replace(resolved, study=resolved.study.with_overrides(how))
    asyncio.run(check_credentials(resolved))
    _check_executor(resolved, ray_address)
    note_resume(run_dir, manifest, command)
    return resolved, run_dir


def _check_executor(resolved: ResolvedStudy, ray_address: str | None) -> None:
    """``--ray-address`` names a cluster only a Ray run uses (a missing Ray extra is
    caught by ``check_credentials``, before the run folder is made)."""
    if ray_address is not None and resolved.study.executor != "ray":
        raise SimulatorError("--ray-address is for --executor ray")
    if resolved.study.executor == "ray":
        check_ray_cluster(ray_address)


@dataclass
class _Errors:
    """The dialogues of this invocation that ended in an error: how many of each end
    reason, and the first one's id and error."""

    reasons: Counter[str] = field(default_factory=Counter)
    first: tuple[str, str] | None = None

    def add(self, record: DialogueRecord) -> None:
        if not record.end_reason.is_error:
            return
        self.reasons[record.end_reason.value] += 1
        if self.first is None:
            at = next(
                (e.raised_at for e in record.events if e.type == "error" and e.raised_at),
                None,
            )
            detail = (record.error or record.end_reason.value) + (f" (at {at})" if at else "")
            self.first = (record.id, detail)

    def warning(self, ran: int, out_dir: Path) -> str | None:
        total = sum(self.reasons.values())
        if not total or self.first is None:
            return None
        kinds = ", ".join(f"{reason} {n}" for reason, n in self.reasons.most_common())
        first, error = escape(self.first[0]), escape(self.first[1])
        return (
            f"[yellow]warning:[/] {total} of the {ran} dialogues run ended in an error "
            f"({kinds}). The first, {first}: {error}\n"
            f"  see it with: simulator show {escape(quote(str(out_dir)))} -d '{first}'"
        )


def _run_with_progress(
    resolved: ResolvedStudy,
    out_dir: Path,
    console: Console,
    errors_seen: _Errors,
    ray_address: str | None = None,
) -> RunResult:
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("errors {task.fields[errors]}"),
        TextColumn("cost ${task.fields[cost]:.4f}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        wanted = {job.id for job in resolved.jobs()}
        already = len(completed_ids(out_dir / RECORDS_FILE) & wanted)
        task = progress.add_task(
            "dialogues", total=resolved.total, completed=already, errors=0, cost=0.0
        )
        errors, cost, count = 0, 0.0, already
        step = max(1, resolved.total // 10)  # off a terminal: a line every tenth of the run

        def done(record: DialogueRecord) -> None:
            nonlocal errors, cost, count
            errors += record.end_reason.is_error
            errors_seen.add(record)
            cost += sum(u.cost_usd for u in record.scores.efficiency.models.values())
            progress.update(task, advance=1, errors=errors, cost=cost)
            count += 1
            if not console.is_terminal and (count % step == 0 or count == resolved.total):
                console.print(
                    f"dialogues {count}/{resolved.total} · errors {errors} · cost ${cost:.4f}"
                )

        return asyncio.run(
            run_study_async(resolved, out_dir, on_done=done, ray_address=ray_address)
        )


def run(
    study_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="STUDY.yaml",
            help="Study file. Default: studies/default.yaml (the built-in CRM pack with the "
            "four reference agents).",
        ),
    ] = None,
    persona: Annotated[
        list[Path] | None,
        typer.Option("--persona", "-p", help="Persona file or folder (repeatable)."),
    ] = None,
    agent: Annotated[
        list[str] | None,
        typer.Option(
            "--agent",
            "-a",
            help="Agent: a spec file (agents/careful.yaml), reference:NAME, module:name, "
            "file.py:name or transcript:FILE#ID (repeatable).",
        ),
    ] = None,
    mode: Annotated[
        list[Mode] | None,
        typer.Option("--mode", "-m", help="full, concat, sharded or on_ask (repeatable)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the first repeat.")] = None,
    repeats: Annotated[
        int | None,
        typer.Option(min=1, help="Dialogues per persona, agent and mode (seeds seed, seed+1, …)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Run folder. Default: runs/<run-id>."),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(help="Finish a run that was stopped: run what its folder is missing."),
    ] = None,
    per_family: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Keep N personas of each task family in each environment, spread over the "
            "family's (0: all). --persona resets the study's "
            "selection (per_family, exclude_tags) to all of yours.",
        ),
    ] = None,
    max_turns: Annotated[
        int | None, typer.Option(min=1, help="User turns before the dialogue is cut.")
    ] = None,
    max_steps: Annotated[
        int | None, typer.Option(min=1, help="Agent steps allowed between two user turns.")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Dialogues in flight at once, in total, shared among the --workers (with "
            "--executor ray: in each Ray task).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes to share the dialogues among (default: every core for a run of "
            "200+ dialogues that calls no model, else 1).",
        ),
    ] = None,
    executor: Annotated[
        Executor | None,
        typer.Option(
            help="Where dialogues run: local (this machine, --workers processes) or ray "
            "(Ray tasks on the cluster at RAY_ADDRESS, else a local Ray; needs the ray extra).",
        ),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            metavar="HOST:PORT", help="Ray cluster for --executor ray (default: RAY_ADDRESS)."
        ),
    ] = None,
    step_timeout: Annotated[
        float | None, typer.Option(help="Seconds one agent step may take.")
    ] = None,
    max_message_chars: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Characters of one agent reply kept (default 65536); a longer reply is cut "
            "and ends the dialogue as agent_oversized.",
        ),
    ] = None,
    user_model: Annotated[
        str | None, typer.Option(help="LLM wording the user's turns, e.g. anthropic:MODEL.")
    ] = None,
    judge_model: Annotated[
        str | None, typer.Option(help="LLM judge for what text rules cannot read.")
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(min=0, metavar="USD", help="Stop starting dialogues once this is spent."),
    ] = None,
    report: Annotated[
        bool, typer.Option(help="Write summary.csv, plots and report.html at the end.")
    ] = True,
) -> None:
    """Run a study: every persona × agent × mode × seed, judged, into a run folder.

    The folder gets manifest.json (study, versions, seeds), dialogues.jsonl (one
    record per dialogue, flushed as each ends), summary.csv, plots and
    report.html. Flags override the study's keys. A killed run is finished with
    --resume RUN.

    Examples:

        simulator run

        simulator run studies/default.yaml --repeats 5 --out runs/five

        simulator run -p personas/crm -a reference:careful -m on_ask \\
            --out runs/careful

        simulator run --resume runs/careful
    """
    console = Console(stderr=True)
    command = ["simulator", *sys.argv[1:]]
    if resume is not None:
        study_flags = (study_file, persona, agent, mode, seed, repeats, out, per_family)
        limits = (max_turns, max_steps, step_timeout, max_message_chars, user_model, judge_model)
        if any(flag is not None for flag in (*study_flags, *limits)):
            raise SimulatorError(
                "--resume takes only --concurrency, --workers, --executor, --ray-address "
                "and --budget besides RUN"
            )
        how = {
            "concurrency": concurrency,
            "workers": workers,
            "executor": executor.value if executor else None,
            "budget_usd": budget,
        }
        if not resume.is_dir():
            raise SimulatorError(f"{resume}: not a run folder")
        with run_lock(resume):
            resolved, out_dir = _resumed(resume, how, command, ray_address)
            _announce_and_run(resolved, out_dir, report, console, ray_address)
    else:
        overrides = absolute_paths([str(p) for p in persona or []], agent or [], Path.cwd())
        overrides |= {
            "modes": mode or None,
            "seed": seed,
            "repeats": repeats,
            "per_family": per_family,
            "max_turns": max_turns,
            "max_steps": max_steps,
            "concurrency": concurrency,
            "workers": workers,
            "executor": executor.value if executor else None,
            "step_timeout": step_timeout,
            "max_message_chars": max_message_chars,
            "budget_usd": budget,
        }
        if study_file is None and (persona or agent):
            # an ad-hoc run is not the default study: name it after its folder
            overrides["name"] = out.name if out is not None and out.name else "ad-hoc"
        if persona:  # your own personas: all of them, unless you select again
            overrides["exclude_tags"] = []
            overrides["per_family"] = per_family or 0
        resolved = _study(study_file, overrides, user_model, judge_model)
        check_reference_pairs(resolved.agents, resolved.personas)
        out_dir = out or default_run_dir(resolved)
        asyncio.run(check_credentials(resolved))
        _check_executor(resolved, ray_address)
        with run_lock(out_dir):
            start_run(resolved, out_dir, command)
            _announce_and_run(resolved, out_dir, report, console, ray_address)


def _announce_and_run(
    resolved: ResolvedStudy,
    out_dir: Path,
    report: bool,
    console: Console,
    ray_address: str | None,
) -> None:
    """Say what runs, run it with a progress bar, then the tables and outputs."""
    s = resolved.study
    console.print(
        f"Study {s.name}: {counted(resolved.total, 'dialogue')} = "
        f"{counted(len(resolved.personas), 'persona')} × {counted(len(resolved.agents), 'agent')}"
        f" × {counted(len(s.modes), 'mode')} × {counted(len(resolved.seeds), 'seed')} "
        f"→ {out_dir / RECORDS_FILE}",
        markup=False,
    )
    if resolved.left_out:
        tags = ", ".join(s.exclude_tags)
        console.print(
            f"Left out ({tags}): {', '.join(resolved.left_out)}. These tasks need reading "
            "text, which no rule-based agent does: run them with an LLM agent, e.g. "
            "--persona personas/crm --agent agents/gpt-4.1-mini.yaml.",
            markup=False,
        )
    errors = _Errors()
    stopped_by: list[int] = []

    def terminated(signum: int, _frame: object) -> None:
        stopped_by.append(signum)
        raise KeyboardInterrupt  # stops the run as Ctrl-C does

    before = signal.signal(signal.SIGTERM, terminated)
    try:
        result = _run_with_progress(resolved, out_dir, console, errors, ray_address)
    except KeyboardInterrupt:
        done = len(completed_ids(out_dir / RECORDS_FILE) & {job.id for job in resolved.jobs()})
        console.print(
            f"Stopped: {done} of {resolved.total} dialogues are in {out_dir / RECORDS_FILE} "
            "(those in flight were dropped). Finish with: simulator run --resume "
            + quote(str(out_dir)),
            markup=False,
        )
        raise typer.Exit(128 + (stopped_by[0] if stopped_by else signal.SIGINT)) from None
    finally:
        signal.signal(signal.SIGTERM, before)
    _finish(resolved, result, report, console)
    warning = errors.warning(result.ran, out_dir)
    if warning:
        console.print(warning, soft_wrap=True)


def _finish(resolved: ResolvedStudy, result: RunResult, report: bool, console: Console) -> None:
    """After the dialogues: what happened, the tables, and the outputs."""
    out_dir = result.run_dir
    if result.already:
        console.print(
            f"{result.already} dialogues were already in {out_dir}; ran {result.ran}.",
            markup=False,
        )
    if result.rerun:
        console.print(
            f"{counted(result.rerun, 'dialogue')} the budget had cut short "
            f"{'was' if result.rerun == 1 else 'were'} taken out of {RECORDS_FILE} to run again."
        )
    if result.workers > 1 and resolved.study.workers is None:
        console.print(
            f"Ran in {result.workers} worker processes: the run calls no model, so it used "
            "every core (--workers 1 keeps it in one)."
        )
    if result.missing:
        spent = result.budget.spent_usd if result.budget else 0.0
        console.print(
            f"Budget reached (${spent:.4f} spent): {result.missing} dialogues not run; "
            f"finish with: simulator run --resume {quote(str(out_dir))} --budget USD",
            markup=False,
        )
    wanted = {job.id for job in resolved.jobs()}
    names = [a.name for a in resolved.agents]
    stdout = Console()
    if report:
        outputs = write_run_outputs(out_dir, agent_order=names, wanted=wanted)
        print_summary(outputs.metrics, stdout)
        if outputs.notice:
            console.print(outputs.notice, markup=False)
        files = ", ".join(p.name for p in outputs.files)
        stdout.print(
            f"Run folder: {out_dir} ({RECORDS_FILE}, manifest.json, {files})", markup=False
        )
    else:
        records = (r for r in read_records(out_dir / RECORDS_FILE) if r.id in wanted)
        print_summary(records, stdout, names)
        stdout.print(f"Run folder: {out_dir}", markup=False)
    stdout.print(
        f"Transcripts: simulator show {quote(str(out_dir))} -d ID · "
        f"report: simulator report {quote(str(out_dir))}",
        markup=False,
    )
