"""``simulator crm``: the embedded CRM sandbox (persona generation, schema)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import SimulatorError

app = typer.Typer(
    help="The embedded CRM sandbox: two generated orgs, B2B and B2C.",
    invoke_without_command=True,
)


@app.callback()
def overview(ctx: typer.Context) -> None:
    """The embedded CRM sandbox: two generated orgs, B2B and B2C.

    Without a command: every org's task families (as crm families), then the
    commands.
    """
    if ctx.invoked_subcommand is None:
        families(org=None, pack_dir=PACK_DIR)
        typer.echo(ctx.get_help())


class Org(StrEnum):
    """The CRM orgs."""

    B2B = "b2b"
    B2C = "b2c"


PACK_DIR = Path("personas/crm")
"""Where the built-in pack lives (relative to the repository root)."""


@app.command()
def pack(
    per_family: Annotated[
        int,
        typer.Option("--per-family", "-n", min=1, help="Personas per family and org."),
    ] = 10,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder of the pack (its CRM personas are replaced)."),
    ] = PACK_DIR,
    seed: Annotated[int, typer.Option(help="Seed of the generated CRM worlds.")] = 0,
    scale: Annotated[
        int,
        typer.Option(
            min=1,
            help="Size of the worlds (1 = default): more records, so more tasks in the "
            "families whose tasks are drawn from the data.",
        ),
    ] = 1,
) -> None:
    """(Re)write the built-in persona pack: every family of both orgs, N each.

    The folder's crm.*.yaml files are removed first, so the pack holds exactly
    what the generator makes (other files are left alone). Every task is
    checked solvable; a family that cannot fill its quota is an error, and
    then nothing is written.

    Examples:

        simulator crm pack --per-family 10

        simulator crm pack --per-family 12 --out /tmp/crm
    """
    from simulator.env.crm import generate_pack

    files = generate_pack(n=per_family, seed=seed, scale=scale)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("crm.*.yaml"):
        old.unlink()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    orgs = sorted({name.split(".")[2].split("-")[0] for name in files})
    families = len({name.split(".")[1] for name in files})
    typer.echo(
        f"wrote {len(files)} personas to {out}: {families} families x {len(orgs)} orgs "
        f"x {per_family}"
    )


@app.command()
def generate(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write persona YAML into.")
    ] = PACK_DIR,
    org: Annotated[
        list[Org] | None,
        typer.Option(help="Org(s) to generate for (repeatable; default both)."),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option("--family", "-f", help="Task family (repeatable; default all of the org)."),
    ] = None,
    n: Annotated[int, typer.Option("--n", min=1, help="Personas per family and org.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the generated CRM world.")] = 0,
    scale: Annotated[int, typer.Option(min=1, help="Size of the world (1 = default).")] = 1,
) -> None:
    """Write CRM personas drawn from the seeded world, each checked solvable.

    Every task's answer is computed from the data, unique, and needs each of its
    required facts; draws that fail the check are replaced, never written.
    Files already in the folder are kept (crm pack rewrites the whole pack).

    Example:

        simulator crm generate --org b2b --family handle_time --n 5 \\
            --seed 3 --out personas/mine
    """
    from simulator.env.crm import ORGS, write_pack

    orgs = [o.value for o in org] if org else list(ORGS)
    paths = write_pack(out, orgs=orgs, families=family, n=n, seed=seed, scale=scale)
    typer.echo(f"wrote {len(paths)} personas to {out}")


@app.command()
def families(
    org: Annotated[
        list[Org] | None, typer.Option(help="Org(s) to list (repeatable; default both).")
    ] = None,
    pack_dir: Annotated[
        Path, typer.Option("--pack", help="Persona folder whose personas are counted.")
    ] = PACK_DIR,
) -> None:
    """List each org's task families: skill, who asks, personas in the pack.

    The 19 CRMArena-Pro business families and the three confidentiality
    categories, in both orgs. An 'llm-only' column appears when a family
    needs reading free text no rule-based agent reads (none today: the
    reference agents read chats and calls by rule).

    Example:

        simulator crm families --org b2b
    """
    from rich.console import Console
    from rich.table import Table

    from simulator.env.crm import FAMILIES, ORGS

    have_pack = pack_dir.is_dir()
    if not have_pack and pack_dir != PACK_DIR:
        raise SimulatorError(f"--pack {pack_dir}: no such folder")
    orgs = [o.value for o in org] if org else list(ORGS)
    for name in orgs:
        business = sum(f.skill != "privacy" for f in FAMILIES[name])
        title = (
            f"{name}: {business} business families, "
            f"{len(FAMILIES[name]) - business} confidentiality categories"
        )
        table = Table(title=title, title_justify="left")
        flagged = any(f.llm_only for f in FAMILIES[name])  # the column only when it says something
        columns = ("family", "skill", "asked by", *(("llm-only",) if flagged else ()), "in pack")
        for column in columns:
            table.add_column(column, justify="right" if column == "in pack" else "left")
        for family in FAMILIES[name]:
            pattern = f"crm.{family.name}.{name}-*.yaml"
            count = str(len(list(pack_dir.glob(pattern)))) if have_pack else "-"
            llm_only = ("yes" if family.llm_only else "",) if flagged else ()
            table.add_row(family.name, family.skill, family.audience, *llm_only, count)
        Console(width=100).print(table)


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

    tables = TABLES[org.value]
    if table is not None and table not in {t.name for t in tables}:
        known = ", ".join(t.name for t in tables)
        raise SimulatorError(f"no table '{table}' in the {org.value} org; tables: {known}")
    typer.echo(describe(tables, table))
