"""Turn task families into persona YAML: ``simulator crm generate`` and the built-in pack.

For each family the generator walks the family's candidate draws in a seeded order,
runs the solvability check on each, and keeps the first ``n`` that pass (with the
family's share of 'none' answers). A family that cannot fill its quota is an error:
an unsolvable task is never written.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.env.crm._db import world
from simulator.env.crm._personas import assemble
from simulator.env.crm._registry import FAMILIES, family_names
from simulator.env.crm._tables import ORGS
from simulator.env.crm._task import Ctx, Draw, Family, check, is_none
from simulator.errors import SimulatorError

DEFAULT_N = 10
"""Personas per family per org in the built-in pack."""


@dataclass(frozen=True)
class Solved:
    """A draw that passed the solvability check, with its gold answer."""

    draw: Draw
    answer: Any


def context(org: str, seed: int, scale: int) -> Ctx:
    """A generator's private, unguarded view of a world."""
    w = world(org, seed, scale)
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(w.image)
    return Ctx(org, seed, scale, conn, w.truth)


def solve(family: Family, ctx: Ctx, n: int) -> list[Solved]:
    """The first ``n`` solvable, mutually distinct draws of ``family``."""
    rng = random.Random(f"{family.org}:{family.name}:{ctx.seed}:{ctx.scale}")
    nones = math.floor(n * family.none_share + 0.5) if family.none_share else 0
    picked: list[Solved] = []
    tried = 0
    for draw in family.draws(ctx, rng):
        if len(picked) == n:
            break
        tried += 1
        if not family.distinct(draw, [s.draw for s in picked]):
            continue
        problems, decided = check(family, ctx, draw)
        if problems:
            continue
        answer = family.answer(ctx, decided.params).value
        have_none = sum(is_none(s.answer) for s in picked)
        if is_none(answer) and have_none >= nones:
            continue
        if not is_none(answer) and len(picked) - have_none >= n - nones:
            continue
        picked.append(Solved(decided, answer))
    if len(picked) < n:
        raise SimulatorError(
            f"{family.org} family '{family.name}': only {len(picked)} of {n} solvable, "
            f"distinct tasks in its {tried} draws; ask for fewer per family, or try another "
            "seed or a larger scale (some families draw from a fixed set of tasks)"
        )
    return picked


def personas(family: Family, ctx: Ctx, n: int) -> list[dict[str, Any]]:
    """Persona dicts for ``n`` solvable tasks of ``family``."""
    out = []
    for index, solved in enumerate(solve(family, ctx, n)):
        body = family.persona(ctx, solved.draw, solved.answer, index)
        out.append(assemble(family, solved.draw, body, index, ctx.seed, ctx.scale))
    return out


def generate_pack(
    *,
    orgs: Sequence[str] = ORGS,
    families: Iterable[str] | None = None,
    n: int = DEFAULT_N,
    seed: int = 0,
    scale: int = 1,
) -> dict[str, str]:
    """File name -> YAML text for the chosen orgs and families (deterministic)."""
    wanted = set(families) if families is not None else None
    known = {name for org in orgs for name in family_names(org)}
    unknown = sorted((wanted or set()) - known)
    if unknown:
        raise SimulatorError(
            f"unknown CRM famil{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)} "
            f"for org {'/'.join(orgs)}; known: {', '.join(sorted(known))}"
        )
    files: dict[str, str] = {}
    for org in orgs:
        if org not in ORGS:
            raise SimulatorError(f"unknown CRM org '{org}'; expected one of: {', '.join(ORGS)}")
        ctx = context(org, seed, scale)
        try:
            for family in FAMILIES[org]:
                if wanted is not None and family.name not in wanted:
                    continue
                for persona in personas(family, ctx, n):
                    files[f"{persona['id']}.yaml"] = dump(persona)
        finally:
            ctx.conn.close()
    return files


def write_pack(out_dir: Path, **options: Any) -> list[Path]:
    """Write the personas into ``out_dir`` (created if missing); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate_pack(**options).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def dump(persona: dict[str, Any]) -> str:
    return yaml.safe_dump(persona, sort_keys=False, allow_unicode=True, width=100)
