"""``simulator report``: summary.csv, plots and a self-contained report.html for a run."""

from __future__ import annotations

from pathlib import Path
from shlex import quote
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from simulator.cli._records import records_file
from simulator.errors import RecordsFileError, SimulatorError
from simulator.report import print_summary, write_run_outputs
from simulator.run import (
    RECORDS_FILE,
    RESCORED_FILE,
    RescoreTally,
    completed_ids,
    read_manifest,
    rescore_file,
)


def report(
    run: Annotated[Path, typer.Argument(metavar="RUN", help="A run folder.")],
    rescore: Annotated[
        bool,
        typer.Option(
            help="Recompute every score from the recorded events first (no model is called); "
            f"the re-scored records go to RUN/{RESCORED_FILE}."
        ),
    ] = False,
) -> None:
    """Write RUN/summary.csv, the plots and RUN/report.html, and print the tables.

    report.html is one file that needs no network: tables, plots and every
    transcript, filterable by agent, mode, persona and outcome.

    Examples:

        simulator report runs/demo

        simulator report runs/demo --rescore
    """
    if not run.is_dir():
        raise SimulatorError(f"{run}: not a run folder")
    source = records_file(run)
    err = Console(stderr=True)
    if rescore:
        tally = RescoreTally()
        try:
            source = rescore_file(source, run / RESCORED_FILE, tally)
        except RecordsFileError:
            raise  # names the file and the line already
        except ValueError as exc:
            raise SimulatorError(f"{source}: not a dialogue record file ({exc})") from None
        err.print(
            f"Re-scored {tally.records} records ({tally.changed} with changed scores) → {source}",
            markup=False,
        )
        if tally.diverged:
            err.print(
                f"[yellow]warning:[/] {tally.diverged} records have a tool call whose result, "
                "run again now, differs from the recorded one (the environment changed since "
                "the run): their state checks may not see the world the agent saw"
            )
    try:
        outputs = write_run_outputs(run, records_file=source)
    except RecordsFileError:
        raise  # names the file and the line already
    except ValueError as exc:
        raise SimulatorError(f"{source}: not a dialogue record file ({exc})") from None
    print_summary(outputs.metrics, Console())
    if outputs.notice:
        err.print(outputs.notice, markup=False)
    Console().print("Wrote " + ", ".join(str(p) for p in outputs.files), markup=False)
    if outputs.duplicates:
        err.print(
            f"[yellow]notice:[/] {outputs.duplicates} records repeat a dialogue that came "
            "before in the file (two runs wrote into the folder at once): each dialogue is "
            "counted once, from its first record",
            soft_wrap=True,
        )
    missing = _missing(run)
    if missing:
        err.print(f"[yellow]notice:[/] {escape(missing)}", soft_wrap=True)


def _missing(run: Path) -> str | None:
    """What a stopped run lacks: the manifest plans more dialogues than were recorded."""
    try:
        planned = int(read_manifest(run)["dialogues"])
    except (SimulatorError, KeyError, TypeError, ValueError):
        return None  # a folder of records without a manifest: nothing planned to compare
    recorded = len(completed_ids(run / RECORDS_FILE))
    if recorded >= planned:
        return None
    return (
        f"the run is incomplete: {recorded} of its {planned} dialogues are recorded, and "
        f"the tables count only those. Finish it with: simulator run --resume {quote(str(run))}"
    )
