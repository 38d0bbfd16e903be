"""``simulator crm``: the embedded CRM sandbox (persona generation, schema)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="The embedded CRM sandbox: two generated orgs, B2B and B2C.", no_args_is_help=True
)


class Org(StrEnum):
    """The CRM orgs."""

    B2B = "b2b"
    B2C = "b2c"


@app.command()
def generate(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write persona YAML into.")
    ] = Path("personas/crm"),
    org: Annotated[
        list[Org] | None,
        typer.Option(help="Org(s) to generate for (repeatable; default both)."),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option("--family", "-f", help="Task family (repeatable; default all of the org)."),
    ] = None,
    n: Annotated[int, typer.Option("--n", min=1, help="Personas per family and org.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the generated CRM world.")] = 0,
    scale: Annotated[int, typer.Option(min=1, help="Size of the world (1 = default).")] = 1,
) -> None:
    """Write CRM personas drawn from the seeded world, each checked solvable.

    Every task's answer is computed from the data, unique, and needs each of its
    required facts; draws that fail the check are replaced, never written.

    Example:

        simulator crm generate --org b2c --family handle_time --n 5 \\
            --seed 0 --out personas/crm
    """
    from simulator.env.crm import ORGS, write_pack

    orgs = [o.value for o in org] if org else list(ORGS)
    paths = write_pack(out, orgs=orgs, families=family, n=n, seed=seed, scale=scale)
    typer.echo(f"wrote {len(paths)} personas to {out}")


@app.command()
def schema(
    org: Annotated[Org, typer.Option(help="Which org's tables.")] = Org.B2C,
    table: Annotated[str | None, typer.Option(help="Only this table.")] = None,
) -> None:
    """Print an org's tables, columns and descriptions (as describe_schema does).

    Example:

        simulator crm schema --org b2b --table quotes
    """
    from simulator.env.crm import TABLES, describe
    from simulator.errors import SimulatorError

    tables = TABLES[org.value]
    if table is not None and table not in {t.name for t in tables}:
        known = ", ".join(t.name for t in tables)
        raise SimulatorError(f"no table '{table}' in the {org.value} org; tables: {known}")
    typer.echo(describe(tables, table))
