"""The ``simulator`` command line: thin commands over the Python API."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from simulator.errors import SimulatorError

app = typer.Typer(
    name="simulator",
    help="Test conversational agents with simulated users over many turns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from simulator import __version__

        typer.echo(f"simulator {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Test conversational agents with simulated users over many turns."""


def _register() -> None:
    from simulator.cli import crm, persona
    from simulator.cli import diff as diff_cmd
    from simulator.cli import export as export_cmd
    from simulator.cli import importers as import_cmd
    from simulator.cli import replay as replay_cmd
    from simulator.cli import report as report_cmd
    from simulator.cli import run as run_cmd
    from simulator.cli import show as show_cmd

    app.command("run")(run_cmd.run)
    app.command("report")(report_cmd.report)
    app.command("show")(show_cmd.show)
    app.command("replay")(replay_cmd.replay)
    app.command("diff")(diff_cmd.diff)
    app.command("export")(export_cmd.export)
    app.add_typer(persona.app, name="persona")
    app.add_typer(crm.app, name="crm")
    app.add_typer(import_cmd.app, name="import")


_register()


def main() -> None:
    """Entry point: run the app, printing SimulatorError as one clean line (exit 2)."""
    try:
        app()
    except SimulatorError as exc:
        typer.echo(f"error: {exc}", err=True)
        for other in exc.others:
            typer.echo(f"error: {other}", err=True)  # the same file's further problems
        sys.exit(2)
