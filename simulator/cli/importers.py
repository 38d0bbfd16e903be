"""``simulator import``: personas from peer benchmarks' task files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from simulator.errors import SimulatorError

if TYPE_CHECKING:
    from simulator.importers import ImportResult

app = typer.Typer(
    help="Make personas from peer benchmarks' tasks (tau2-bench, LiC).",
    no_args_is_help=True,
)

_OUT = typer.Option("--out", "-o", help="Folder to write the personas to (one file each).")
_OVERWRITE = typer.Option("--overwrite", help="Replace persona files that already exist.")


def _report(result: ImportResult, out: Path, written: list[Path], source: Path, kind: str) -> None:
    for task_id, reason in result.skipped:
        typer.echo(f"skipped {task_id}: {reason}", err=True)
    noted = sum(1 for p in result.personas if result.notes.get(p.id))
    if not written:
        reasons = {reason for _, reason in result.skipped}
        if len(result.skipped) > 1 and len(reasons) == 1:
            raise SimulatorError(
                f"no persona imported: all {len(result.skipped)} tasks of {source} were skipped "
                f"for the same reason ({reasons.pop()}); is it {kind}?"
            )
        if not result.skipped:
            raise SimulatorError(f"no persona imported: {source} holds no task to import")
        raise SimulatorError(f"no persona imported ({len(result.skipped)} task(s) skipped)")
    tail = f"; {noted} with notes in their header" if noted else ""
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    typer.echo(f"wrote {len(written)} persona(s) to {out}{skipped}{tail}")


@app.command("tau2")
def tau2(
    tasks: Annotated[Path, typer.Argument(metavar="TASKS.json", help="A tau2-bench tasks file.")],
    out: Annotated[Path, _OUT],
    environment: Annotated[
        str,
        typer.Option(help="Environment the personas name (their tools, state checks)."),
    ] = "none",
    domain: Annotated[
        str | None,
        typer.Option(help="Domain when the tasks do not say (default: from the path)."),
    ] = None,
    overwrite: Annotated[bool, _OVERWRITE] = False,
) -> None:
    """Import tau2-bench tasks (Sierra Research, MIT) as personas.

    Known info becomes facts with cues, the reason for the call the opening,
    communicate_info the expected answer (match contains), the reference
    trajectory's writes required actions, other writes forbidden ones, and
    env_assertions state checks. See docs/importers.md.

    Example:

        simulator import tau2 data/tau2/domains/airline/tasks.json \\
            --out personas/imported/tau2/
    """
    from simulator.env import ENVIRONMENTS, parse_crm
    from simulator.importers import import_tau2, write_personas

    result = import_tau2(tasks, environment=environment, domain=domain)
    written = write_personas(result, out, overwrite=overwrite)
    _report(result, out, written, tasks, "a tau2-bench tasks file")
    if (
        environment not in ENVIRONMENTS
        and parse_crm(environment) is None
        and ":" not in environment
    ):
        typer.echo(
            f"note: environment '{environment}' is not built in ({', '.join(ENVIRONMENTS)}) "
            "nor package.module:factory: a run of these personas needs it registered with "
            "simulator.env.register_environment first",
            err=True,
        )


@app.command("lic")
def lic(
    shards: Annotated[
        Path,
        typer.Argument(metavar="SHARDS.json", help="A Lost in Conversation sharded file."),
    ],
    out: Annotated[Path, _OUT],
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task", "-t", help="Import only this task kind (repeatable): math, translation..."
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Success threshold of graded tasks (default 1.0)."),
    ] = None,
    overwrite: Annotated[bool, _OVERWRITE] = False,
) -> None:
    """Import Lost in Conversation sharded instructions (Microsoft, MIT).

    Shard 1 becomes the opening and each later shard a fact, in order, so
    the sharded mode plays their protocol. The reference answer becomes
    expect: a number (math), BLEU with a graded score (translation,
    data2text), or a judge rubric (database, actions). Code and summary
    tasks are skipped. See docs/importers.md.

    Example:

        simulator import lic data/sharded_instructions_600.json \\
            --task math --out personas/imported/lic/
    """
    from simulator.importers import import_lic, write_personas

    result = import_lic(shards, tasks=task or (), threshold=threshold)
    written = write_personas(result, out, overwrite=overwrite)
    _report(result, out, written, shards, "a Lost in Conversation sharded-instructions file")
