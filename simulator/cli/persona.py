"""``simulator persona``: check persona files, scaffold a new one, print the JSON Schema."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import PersonaError, SimulatorError
from simulator.persona import (
    PERSONA_ID_PATTERN,
    PERSONA_ID_RULE,
    display_path,
    iter_personas,
    persona_json_schema,
    scaffold_persona,
)

app = typer.Typer(
    help="Work with persona files: validate, scaffold, print the JSON Schema.",
    no_args_is_help=True,
)


class Environment(StrEnum):
    """Environments a scaffolded persona can name."""

    NONE = "none"
    CRM = "crm"
    CRM_B2B = "crm-b2b"
    CRM_B2C = "crm-b2c"


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Persona files or folders (searched recursively)."),
    ],
    all_errors: Annotated[
        bool,
        typer.Option(
            "--all-errors", help="Report every broken file, not just the first (each in full)."
        ),
    ] = False,
    root: Annotated[
        Path | None,
        typer.Option(help="Folder 'extends' must stay in (default: nearest 'personas' folder)."),
    ] = None,
) -> None:
    """Validate persona files; report every problem by file, line and column.

    Example:

        simulator persona check personas/

    Files under a styles/ folder are skipped: they are partial personas for
    'extends'.
    """
    ok = 0
    broken = 0
    for file, result in iter_personas(paths, root=root):
        if isinstance(result, PersonaError):
            if not all_errors:
                raise result  # main() prints it, and the file's other problems
            for problem in result.all:
                typer.echo(f"error: {problem}", err=True)
            broken += 1
            continue
        ok += 1
        typer.echo(f"{typer.style('ok', fg='green')}  {result.id}  ({display_path(file)})")
    if ok + broken == 0:
        raise SimulatorError(f"no persona files (*.yaml, *.yml) in {', '.join(map(str, paths))}")
    summary = f"{ok} persona{'' if ok == 1 else 's'} ok"
    if broken:
        # SimulatorError, not typer.Exit: main() prints it and exits with status 2.
        raise SimulatorError(f"{summary}, {broken} broken")
    typer.echo(summary)


_NOT_PERSONA_FILES = frozenset({".txt", ".md", ".json", ".jsonl", ".csv", ".py", ".toml"})


def _persona_id(value: str) -> str:
    if not re.match(PERSONA_ID_PATTERN, value):
        raise typer.BadParameter(f"expected {PERSONA_ID_RULE}, got {value!r}")
    return value


@app.command()
def new(
    persona_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Id of the new persona: letters, digits, '_', '.' and '-'.",
            callback=_persona_id,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (.yaml, .yml), or a folder, made if missing, that gets ID.yaml; "
            "default: print to stdout.",
        ),
    ] = None,
    environment: Annotated[
        Environment, typer.Option(help="Environment the agent's tools act on.")
    ] = Environment.NONE,
    name: Annotated[str, typer.Option(help="Name of the simulated user.")] = "Dana Whitfield",
) -> None:
    """Write a commented persona template that is valid as is; edit it to taste.

    Example:

        simulator persona new crm.refund.acme --environment crm-b2c \\
            --out personas/mine/
    """
    text = scaffold_persona(persona_id, name=name, environment=environment.value)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.suffix in _NOT_PERSONA_FILES and not out.is_dir():
        raise SimulatorError(
            f"--out {out}: a persona file ends in .yaml or .yml (or give a folder for ID.yaml)"
        )
    is_file = out.suffix in (".yaml", ".yml") and not out.is_dir()
    target = out if is_file else out / f"{persona_id}.yaml"
    if target.exists():
        raise SimulatorError(f"{target} already exists; not overwriting it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise SimulatorError(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write; default: print to stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of persona files, for editor completion and checks.

    Example: simulator persona schema --out .vscode/persona.schema.json
    """
    text = json.dumps(persona_json_schema(), indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SimulatorError(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {out}")
