"""``simulator crm``: the embedded CRM sandbox (persona generation, schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The embedded CRM sandbox.", no_args_is_help=True)


@app.command()
def generate(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write persona YAML into.")
    ] = Path("personas/crm"),
    seed: Annotated[int, typer.Option(help="Seed of the generated CRM world.")] = 0,
) -> None:
    """Write the CRM persona pack: tasks with answers computed from the seeded database.

    Example:

        simulator crm generate --out personas/crm --seed 0
    """
    from simulator.env.crm import write_pack

    paths = write_pack(out, seed)
    typer.echo(f"wrote {len(paths)} personas to {out}")


@app.command()
def schema() -> None:
    """Print the CRM's tables, columns and descriptions (what describe_schema returns).

    Example:

        simulator crm schema
    """
    from simulator.env.crm import describe

    typer.echo(describe())
