"""A seeded random stream that draws exactly what :class:`random.Random` draws, faster.

Building a world makes some 80,000 small draws (``choice``, ``randint``, one-item
``choices``); in CPython each goes through two or three layers of Python calls before
reaching the Mersenne Twister. :class:`Stream` overrides those entry points with the
same arithmetic in one layer, so a seed gives the same numbers (and the same worlds,
byte for byte) as the standard class; ``tests/test_crm_stream.py`` checks that against
:class:`random.Random` call by call.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")
Weights = Sequence[float | Fraction]


class Stream(random.Random):
    """:class:`random.Random` with the hot draws in one Python layer (same results)."""

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        k = n.bit_length()  # random.Random._randbelow_with_getrandbits, inlined
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return seq[r]

    def randint(self, a: int, b: int) -> int:
        n = b - a + 1
        if n <= 0 or type(a) is not int or type(b) is not int:
            return super().randint(a, b)  # the standard errors and conversions
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return a + r

    def choices(
        self,
        population: SupportsLenAndGetItem[T],
        weights: Weights | None = None,
        *,
        cum_weights: Weights | None = None,
        k: int = 1,
    ) -> list[T]:
        if k == 1 and weights is None and cum_weights is not None:
            n = len(population)
            total = cum_weights[-1] + 0.0
            if len(cum_weights) == n and 0.0 < total < float("inf"):
                return [population[bisect(cum_weights, self.random() * total, 0, n - 1)]]
        return super().choices(population, weights, cum_weights=cum_weights, k=k)

    def pick(self, population: Sequence[T], cum_weights: Sequence[float]) -> T:
        """``choices(population, cum_weights=cum_weights)[0]`` without the list."""
        return population[
            bisect(cum_weights, self.random() * (cum_weights[-1] + 0.0), 0, len(population) - 1)
        ]
