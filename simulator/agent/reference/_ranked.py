"""Families that rank reps, agents or states over a period, in the direction asked for.

A ranked family has these slots, in this order: the direction (the user's words mapped
onto two canonical ones), the period, and one or two optional conditions (a minimum
count, a filter such as a priority or a channel). The base reads and defaults them all
and runs the ranking; a subclass declares its words and defaults, its query and its
answer sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from simulator.agent.reference import _parse as p
from simulator.agent.reference import _when as when
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slots, present
from simulator.agent.reference._steps import problem_with
from simulator.agent.reference._view import View


def period_in(texts: Sequence[str], view: View) -> when.Range | None:
    """The period named in the latest message that names one."""
    return p.last_match(texts, lambda t: when.period(t, view.today))


def minimum(slots: Slots) -> int:
    """The minimum count a ranked row needs (1: no minimum)."""
    return int(slots.get("minimum", 1))


def directions(**synonyms: str) -> dict[str, str]:
    """A direction word map: each canonical direction, and each of the space-separated
    words given for it, maps to that direction (``fastest="shortest quickest"``)."""
    return {
        w: canonical for canonical, more in synonyms.items() for w in (canonical, *more.split())
    }


class Ranked(Family):
    """Base: the top row of a ranking, with ``slots`` = (direction, period, conditions...)."""

    DIRECTIONS: ClassVar[dict[str, str]]
    """The direction words the user may say, each mapped to its canonical direction
    (built with :func:`directions`)."""
    default_direction: ClassVar[str]
    descending: ClassVar[str]
    """The canonical direction that ranks the measure from the top (DESC)."""
    ranks: ClassVar[str]
    """What is ranked, as 'No {ranks} matches those criteria.' names it."""
    counted: ClassVar[str] = ""
    """A regex of the nouns a minimum counts ('deals?|contracts?')."""

    def condition(self, text: str) -> Any:
        """The optional condition's value in one message: by default, a minimum count."""
        return p.minimum(text, self.counted)

    def conditions(self) -> dict[str, Any]:
        """Each optional slot (after direction and period) and its parser of one message:
        by default the one ``condition``."""
        return {self.slots[2].name: self.condition}

    def default_period(self, today: dt.date) -> when.Range:
        """The period an eager agent assumes: by default, the last quarter."""
        return when.last_quarter(today)

    def query(self, slots: Slots, span: when.Range, order: str, view: View) -> str:
        """The ranking's SQL, sorted ``order`` (ASC or DESC) by its measure, two rows."""
        raise NotImplementedError

    def answer(self, row: list[Any], slots: Slots, span: when.Range) -> Answer:
        """The answer read from the ranking's top row."""
        raise NotImplementedError

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        return present(
            {
                "direction": p.last_match(texts, lambda t: p.word_map(t, self.DIRECTIONS)),
                "period": period_in(texts, view),
                **{name: p.last_match(texts, find) for name, find in self.conditions().items()},
            }
        )
        yield ""  # pragma: no cover - makes this a generator

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return {
            "direction": self.default_direction,
            "period": self.default_period(view.today),
            **known,
        }
        yield ""  # pragma: no cover - makes this a generator

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        span: when.Range = slots["period"]
        order = "DESC" if slots["direction"] == self.descending else "ASC"
        rows = yield self.query(slots, span, order, view)
        problem = problem_with(rows, self.ranks)
        if problem:
            return problem
        return self.answer(rows.rows[0], slots, span)
