"""Task families and the solvability check every generated task must pass.

A family draws candidate tasks from a world's data (:class:`Draw`: parameters plus the
facts that carry them), computes the gold answer from the data (:class:`Outcome`), and
turns a solvable draw into a persona. The check (:func:`check`) makes sure that

- the answer is computable (the family found one),
- it is unique: no tie at the top of a ranking, unless the answer is a set,
- every required fact is needed: answering without it (under the reading an agent
  would fall back on: the other direction, the default period, no filter...) changes
  the answer or breaks it (no way to tell which record is meant).

Facts whose ``required`` is left open are required exactly when they are needed, like a
filter that changes the winner in one month and not in another. Draws that fail are
never shipped: the generator moves on to the next candidate.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

BREAKS = "breaks"
"""``FactSpec.drop`` for facts that name the record: without them there is no task."""

SKILLS = ("query", "text", "workflow", "policy", "privacy")
"""Business skills: database querying and computation, information retrieval and text
reasoning, workflow execution, policy compliance; and confidentiality."""


@dataclass(frozen=True)
class FactSpec:
    """One fact of a task: how the user says it, and what an agent assumes without it."""

    id: str
    value: str
    say: str
    cues: tuple[str, ...]
    drop: dict[str, Any] | str = BREAKS
    required: bool | None = True
    after: tuple[str, ...] = ()
    kind: str = "auto"


@dataclass(frozen=True)
class Outcome:
    """A computed answer, or the reason there is none (``problem``)."""

    value: Any = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def tie(ranked: list[tuple[Any, float]], *, margin: float, what: str) -> Outcome:
    """The top of a (key, score) ranking if it beats the runner-up by ``margin``."""
    if not ranked:
        return Outcome(problem=f"no {what} qualifies")
    if len(ranked) > 1 and abs(ranked[0][1] - ranked[1][1]) < margin:
        return Outcome(problem=f"tie: {ranked[0][0]} and {ranked[1][0]} ({ranked[0][1]:g})")
    return Outcome(ranked[0][0])


@dataclass
class Draw:
    """A candidate task: parameters, facts, and what the persona is built from."""

    key: str
    params: dict[str, Any]
    facts: list[FactSpec]
    pool: int = 2
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ctx:
    """What a family reads while drawing: one world's data and hidden truth."""

    org: str
    seed: int
    scale: int
    conn: sqlite3.Connection
    truth: dict[str, Any]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.execute(sql, params).fetchall()]

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]


class Family:
    """Base of the task families (env side): draws, gold answers, personas.

    A family is written once for both orgs and instantiated per org (``Family("b2c")``);
    what differs between the orgs' schemas comes from ``SHAPES[self.org]``.
    """

    name: ClassVar[str]
    skill: ClassVar[str]
    audience: ClassVar[str] = "internal"
    llm_only: ClassVar[bool] = False
    none_share: ClassVar[float] = 0.0
    """Share of the personas whose correct answer is 'none' (families that allow it)."""

    def __init__(self, org: str) -> None:
        self.org = org

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.org!r})"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        """Candidate tasks in a seeded random order."""
        raise NotImplementedError

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        """The gold answer for these parameters, computed from the data."""
        raise NotImplementedError

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        """The persona body (everything but id, traits and environment)."""
        raise NotImplementedError

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        """Whether ``draw`` differs enough from the tasks already picked."""
        return all(p.key != draw.key for p in picked)


def is_none(value: Any) -> bool:
    return isinstance(value, str) and value == "none"


def check(family: Family, ctx: Ctx, draw: Draw) -> tuple[list[str], Draw]:
    """Problems of a draw (empty when solvable) and the draw with ``required`` decided."""
    problems: list[str] = []
    outcome = family.answer(ctx, draw.params)
    if not outcome.ok:
        return [f"no unique answer: {outcome.problem}"], draw
    decided: list[FactSpec] = []
    for fact in draw.facts:
        if fact.drop == BREAKS:
            needed = draw.pool > 1
            reason = f"only {draw.pool} candidate record(s)"
        else:
            assert isinstance(fact.drop, dict)
            other = family.answer(ctx, {**draw.params, **fact.drop})
            needed = not other.ok or _differs(other.value, outcome.value)
            reason = f"the answer is {outcome.value!r} without it too"
        if fact.required is True and not needed:
            problems.append(f"fact '{fact.id}' is not needed: {reason}")
        required = needed if fact.required is None else fact.required
        decided.append(replace(fact, required=required))
    if not any(f.required for f in decided) and decided:
        problems.append("no fact is required")
    problems += _wording(decided)
    return problems, replace(draw, facts=decided)


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) != sorted(map(str, b))
    return str(a) != str(b)


def _wording(facts: list[FactSpec]) -> list[str]:
    """Each say holds its own value and no other fact's value (the verifier needs both)."""
    problems = []
    for fact in facts:
        if fact.value.lower() not in fact.say.lower():
            problems.append(f"fact '{fact.id}': its say does not contain {fact.value!r}")
        for other in facts:
            if other.id != fact.id and other.value.lower() in fact.say.lower():
                problems.append(f"fact '{fact.id}': its say gives away '{other.id}'")
    return problems
