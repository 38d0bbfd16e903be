"""Ranking families: who tops a ranking over a period, in one direction, maybe filtered.

handle_time, transfer_count, best_region, sales_cycle and conversion_rate draw every
(period, direction, filter) combination in a seeded order. The facts the user holds
back are the direction (without it an agent assumes the other one), the period (without
it, the default period) and, for draws with a filter, the filter: required only where
it changes the winner.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from typing import Any, ClassVar

from simulator.env.crm import _periods as per
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._personas import fact, filter_fact, period_fact
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome, tie

NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    8: "eight",
    10: "ten",
    12: "twelve",
    15: "fifteen",
}
"""How users say the minimums they ask for."""


class Ranking(Internal):
    """'The X with the <direction> Y in <period>', optionally among a filtered set."""

    periods: ClassVar[Sequence[per.Period]]
    default_period: ClassVar[per.Period] = per.LAST_QUARTER
    directions: ClassVar[tuple[str, str]]
    """The two directions; each is what an agent assumes without the other."""
    filters: ClassVar[tuple[Any, ...]]
    """Filter values to draw; a falsy one (listed first) draws without a filter."""
    first_filters: ClassVar[int] = 99
    """How many of ``filters`` are drawn in their own seeded order, interleaved with the
    rest (a family's original filters keep the draws, and so the personas, they had)."""
    filter_param: ClassVar[str]
    unfiltered: ClassVar[Any] = None
    """The filter parameter's value when the draw has no filter."""
    say_direction: ClassVar[str]
    """How the user states the direction (``{}`` for it)."""
    say_period: ClassVar[str]
    """How the user states the period (``{}`` for its label)."""
    descending: ClassVar[str]
    """The direction whose winner has the highest value."""
    what: ClassVar[str]
    """What is ranked, in the singular, e.g. 'rep'."""
    margin: ClassVar[float] = 0.5
    """How far the winner's value must be from the runner-up's."""

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        """(key, value) rows, by value in ``order`` ('ASC' or 'DESC') and then by key."""
        raise NotImplementedError

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        order = "DESC" if params["direction"] == self.descending else "ASC"
        rows = self.ranking(ctx, params, order)
        return tie([(r[0], float(r[1])) for r in rows], margin=self.margin, what=self.what)

    def period_key(self, period: per.Period) -> str:
        """The period's part of the draw key."""
        return per.slug_label(period)

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        """The facts stating filter ``value``, and the draw key's suffix for it."""
        raise NotImplementedError

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        old = self.filters[: self.first_filters]
        combos = [(p, d, f) for p in self.periods for d in self.directions for f in old]
        rng.shuffle(combos)
        if len(old) < len(self.filters):
            new = self.filters[len(old) :]
            more = [(p, d, f) for p in self.periods for d in self.directions for f in new]
            rng.shuffle(more)
            combos = [c for pair in zip_longest(combos, more) for c in pair if c is not None]
        for period, direction, value in combos:
            other = self.directions[1 - self.directions.index(direction)]
            facts = [
                fact("direction", direction, self.say_direction.format(direction), "direction",
                     drop={"direction": other}),
                period_fact(period, self.say_period, self.default_period),
            ]  # fmt: skip
            key = f"{direction}-{self.period_key(period)}"
            if value:
                specs, suffix = self.filtered(value)
                facts += specs
                key += suffix
            params = {"direction": direction, "period": period, **self.filter_params(value)}
            yield Draw(key, params, facts)

    def filter_params(self, value: Any) -> dict[str, Any]:
        """The draw's filter parameters for filter ``value`` (falsy: no filter)."""
        return {self.filter_param: value or self.unfiltered}


class MinimumRanking(Ranking):
    """A ranking that may count only those with at least a minimum number of records."""

    filter_param = "minimum"
    unfiltered = 1
    unit: ClassVar[str]
    """What the minimum counts, e.g. 'closed cases'."""
    sql: ClassVar[str]
    """The ranking: (key, value) rows ordered by value in ``{order}``, then by key; its
    parameters are the period's start and end, then the minimum number of records."""

    def query(self) -> str:
        """The ranking's SQL (``sql`` unless the org changes it)."""
        return self.sql

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        sql = self.query().format(order=order)
        return ctx.rows(sql, (*params["period"].bounds, params["minimum"]))

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        return [self.minimum_fact(value)], f"-min{value}"

    def minimum_fact(self, value: int) -> FactSpec:
        """The fact stating a minimum of ``value`` records."""
        text = f"at least {NUMBER_WORDS[value]} {self.unit}"
        say = f"Only {self.what}s with {text}."
        return filter_fact("minimum", text, say, drop={"minimum": 1})

    def among(self, params: dict[str, Any], lead: str) -> str:
        """'<lead>among reps with at least 3 leads', or nothing without a minimum."""
        if params["minimum"] <= 1:
            return ""
        return f"{lead}among {self.what}s with at least {params['minimum']} {self.unit}"
