"""The ``simulator`` command line: thin commands over the Python API."""

from __future__ import annotations

import os
import re
import sys
from typing import Annotated

import typer
from typer.exceptions import TyperException

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
    """Entry point: run the app, printing SimulatorError and a command line the options of
    which are wrong as one clean line each (exit 2)."""
    try:
        status = app(prog_name="simulator", standalone_mode=False)
    except SimulatorError as exc:
        typer.echo(f"error: {exc}", err=True)
        for other in exc.others:
            typer.echo(f"error: {other}", err=True)  # the same file's further problems
        sys.exit(2)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except TyperException as exc:  # a wrong command line: the options' own errors
        sys.exit(_usage_error(exc))
    except BrokenPipeError:  # the reader went (simulator show ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a path the command cannot read or write
        typer.echo(f"error: {_os_problem(exc)}", err=True)
        sys.exit(2)
    sys.exit(status if isinstance(status, int) else 0)


def _os_problem(exc: OSError) -> str:
    """An operating-system error as one line: the path (the target of a rename) and why."""
    path = exc.filename2 if exc.filename2 is not None else exc.filename
    reason = exc.strerror or str(exc)
    if path is None:
        return reason
    if isinstance(exc, FileExistsError):
        return f"{path}: already exists; not overwriting it (give another path)"
    return f"{path}: {reason}"


_PLAIN = [
    (re.compile(r"Input should be a valid integer, unable to parse string as an integer"),
     "expected a whole number"),
    (re.compile(r"Input should be a valid number, unable to parse string as a number"),
     "expected a number"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"expected \1 or more"),
    (re.compile(r"Input should be greater than (\S+)"), r"expected more than \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"expected \1 or less"),
]  # fmt: skip
"""The option parser's wording of a bad value, put the way the rest of the CLI says it."""


def _command_path(argv: list[str]) -> str:
    """``simulator export`` for ``export RUN -f``: the (sub)commands named on the line."""
    command: object = typer.main.get_command(app)
    path = ["simulator"]
    for token in argv:
        commands = getattr(command, "commands", None)
        if not isinstance(commands, dict) or token not in commands:
            continue
        path.append(token)
        command = commands[token]
    return " ".join(path)


def _usage_error(exc: TyperException) -> int:
    """Print a command-line error as one line that says where to look; a group called
    without a command prints its help. Returns the exit status (2)."""
    ctx = getattr(exc, "ctx", None)
    format_message = getattr(exc, "format_message", None)
    text = format_message() if format_message is not None else str(exc)
    if type(exc).__name__ == "NoArgsIsHelpError":  # "simulator persona": its help
        if text.strip():
            typer.echo(text, err=True)
    else:
        command = ctx.command_path if ctx is not None else "simulator"
        if command == "simulator":  # an option's missing value is reported at the top
            command = _command_path(sys.argv[1:])
        for raw, plain in _PLAIN:
            text = raw.sub(plain, text)
        typer.echo(f"error: {text} (see: {command} --help)", err=True)
    code = getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) else 2
