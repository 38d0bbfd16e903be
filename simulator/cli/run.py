"""``simulator run``: play personas against agents in several modes and judge every dialogue."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from simulator.agent import resolve_agent_spec
from simulator.errors import SimulatorError
from simulator.persona import Mode, load_personas
from simulator.record import DialogueRecord
from simulator.report import print_summary
from simulator.run import RECORDS_FILE, plan, read_records, run_jobs
from simulator.run._dialogue import DEFAULT_MAX_STEPS, DEFAULT_MAX_TURNS

DEFAULT_AGENTS = ["reference:careful", "reference:eager", "reference:leaky", "reference:guarded"]
DEFAULT_MODES = [Mode.FULL, Mode.SHARDED, Mode.ON_ASK]


def builtin_pack() -> Path:
    """The built-in CRM persona pack: ./personas/crm, else the one beside the package."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base / "personas" / "crm"
        if candidate.is_dir():
            return candidate
    raise SimulatorError("no --persona given and the built-in pack personas/crm was not found")


def run(
    persona: Annotated[
        list[Path] | None,
        typer.Option(
            "--persona",
            "-p",
            help="Persona file or folder (repeatable). Default: the built-in CRM pack.",
        ),
    ] = None,
    agent: Annotated[
        list[str] | None,
        typer.Option(
            "--agent",
            "-a",
            help="Agent: a spec file (agents/careful.yaml), reference:NAME, module:name or "
            "file.py:name (repeatable). Default: the four reference agents.",
        ),
    ] = None,
    mode: Annotated[
        list[Mode] | None,
        typer.Option(
            "--mode",
            "-m",
            help="full, concat, sharded or on_ask (repeatable). Default: full, sharded, on_ask.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the first repeat.")] = 0,
    repeats: Annotated[
        int,
        typer.Option(
            min=1, help="Dialogues per persona, agent and mode (seeds seed, seed+1, ...)."
        ),
    ] = 1,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Run folder. Default: runs/<timestamp>.")
    ] = None,
    max_turns: Annotated[
        int, typer.Option(min=1, help="User turns before the dialogue is cut.")
    ] = DEFAULT_MAX_TURNS,
    max_steps: Annotated[
        int, typer.Option(min=1, help="Agent steps allowed between two user turns.")
    ] = DEFAULT_MAX_STEPS,
    concurrency: Annotated[int, typer.Option(min=1, help="Dialogues run at once.")] = 8,
    step_timeout: Annotated[float, typer.Option(help="Seconds one agent step may take.")] = 60.0,
) -> None:
    """Run dialogues and print a table per agent and mode.

    Records go to OUT/dialogues.jsonl, one per dialogue, flushed as each ends; running
    again with the same OUT finishes what is missing.

    Examples:

        simulator run

        simulator run -p personas/crm -a reference:careful -m on_ask --out runs/careful

        simulator run -p my_persona.yaml -a my_agent.py:reply -m full -m sharded
    """
    personas = load_personas(persona or [builtin_pack()])
    if not personas:
        raise SimulatorError("no personas found in " + ", ".join(map(str, persona or [])))
    agents = [resolve_agent_spec(a) for a in (agent or DEFAULT_AGENTS)]
    names = [a.name for a in agents]
    if len(set(names)) != len(names):
        raise SimulatorError(f"two agents share a name: {', '.join(names)}")
    modes = mode or DEFAULT_MODES
    seeds = list(range(seed, seed + repeats))
    out_dir = out or Path("runs") / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    jobs = plan(personas, agents, modes, seeds)
    console = Console(stderr=True)
    console.print(
        f"Running {len(jobs)} dialogues: {len(personas)} personas × {len(agents)} agents × "
        f"{len(modes)} modes × {len(seeds)} seeds → {out_dir / RECORDS_FILE}"
    )
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("errors {task.fields[errors]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("dialogues", total=len(jobs), errors=0)
        errors = 0

        def done(record: DialogueRecord) -> None:
            nonlocal errors
            errors += record.end_reason.is_error
            progress.update(task, advance=1, errors=errors)

        asyncio.run(
            run_jobs(
                jobs,
                out_dir,
                concurrency=concurrency,
                max_turns=max_turns,
                max_steps=max_steps,
                step_timeout=step_timeout,
                on_done=done,
            )
        )
    wanted = {job.id for job in jobs}
    records = (r for r in read_records(out_dir / RECORDS_FILE) if r.id in wanted)
    print_summary(records, Console(), agent_order=names)
    records_file = out_dir / RECORDS_FILE
    Console().print(f"Records: {records_file}\nTranscripts: simulator show {records_file} -d ID")
