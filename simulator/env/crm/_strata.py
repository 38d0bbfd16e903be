"""Draws taken in turns by difficulty: how many facts the solvability check requires.

A family's candidate draws come in a seeded order; most of them need two or three facts,
and those needing one or four are rare. :func:`by_required` runs the check on every
candidate and hands the solvable ones out in turns, one needing the most facts, then one
needing fewer, down to the fewest, and round again, each stratum in its seeded order. The
first ``n`` a pack keeps then span the family's range instead of its most common count
(the hardest first). Draws answered 'none' form strata of their own, so that where they
are rationed the strata of real answers still get their turns.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from typing import Any

from simulator.env.crm._task import Ctx, Draw, Family, Outcome, check, is_none


class _Remembering(Family):
    """A family whose answers are computed once per set of parameters (the check of
    neighbouring draws asks the same question again and again)."""

    def __init__(self, family: Family) -> None:
        super().__init__(family.org)
        self.family = family
        self.seen: dict[Any, Outcome] = {}

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        key = tuple(sorted(params.items()))
        if key not in self.seen:
            self.seen[key] = self.family.answer(ctx, params)
        return self.seen[key]


def by_required(family: Family, ctx: Ctx, draws: Iterable[Draw]) -> Iterator[Draw]:
    """The solvable ``draws`` in turns by their number of required facts (the draws
    themselves, undecided: the generator checks them again)."""
    remembering = _Remembering(family)
    strata: dict[tuple[int, bool], deque[Draw]] = defaultdict(deque)
    for draw in draws:
        problems, decided = check(remembering, ctx, draw)
        if not problems:
            none = is_none(remembering.answer(ctx, draw.params).value)
            strata[sum(bool(f.required) for f in decided.facts), none].append(draw)
    queues = [strata[k] for k in sorted(strata, reverse=True)]
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.popleft()
