"""Success rates and their intervals: pure functions of counts (``metrics`` accumulates
the counts). Bootstraps use ``random.Random`` seeded from the caller's seed, so results
do not depend on record order; formulas are in docs/studies.md.

A bootstrap draws millions of indices, so it draws each one in line, as CPython's
``randrange(k)`` does (the top ``k.bit_length()`` bits of the next word, drawn again while
``k`` or more): the same indices at two to three times the speed, and they stay the same
should a Python version draw ``randrange`` otherwise (``tests/test_metrics.py`` compares
the intervals with ones drawn by ``randrange``)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist

Counts = tuple[int, int]
"""(successes, trials) of one persona in one group."""

RESAMPLES = 2000
LEVEL = 0.95


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation (numpy's default)."""
    if not values:
        return math.nan
    xs = sorted(values)
    h = (len(xs) - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def binary_percentile(successes: int, trials: int, q: float) -> float:
    """``percentile`` of ``trials - successes`` zeros and ``successes`` ones, from counts."""
    if trials <= 0:
        return math.nan
    h = (trials - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, trials - 1)
    first_one = trials - successes
    at_lo, at_hi = float(lo >= first_one), float(hi >= first_one)
    return at_lo + (h - lo) * (at_hi - at_lo)


def aptitude(per_persona: Iterable[Counts]) -> float:
    """Mean over personas of the 90th percentile of their repeats' scores (A90)."""
    values = [binary_percentile(s, n, 90) for s, n in per_persona if n]
    return sum(values) / len(values) if values else math.nan


def unreliability(per_persona: Iterable[Counts]) -> float:
    """Mean over personas of the 90th minus the 10th percentile of their repeats' scores."""
    values = [
        binary_percentile(s, n, 90) - binary_percentile(s, n, 10) for s, n in per_persona if n
    ]
    return sum(values) / len(values) if values else math.nan


def pass_hat_k(per_persona: Iterable[Counts], k: int) -> float:
    """pass^k: the chance that k repeats of the same persona all succeed, averaged over personas.

    Per persona with n repeats and c successes it is C(c, k) / C(n, k) (tau-bench);
    personas with fewer than k repeats are left out.
    """
    values = [math.comb(c, k) / math.comb(n, k) for c, n in per_persona if n >= k]
    return sum(values) / len(values) if values else math.nan


def _units(clusters: Sequence[Counts]) -> list[Counts]:
    """Resampling units: personas when there are at least two, else single dialogues."""
    if len(clusters) >= 2:
        return list(clusters)
    s, n = clusters[0] if clusters else (0, 0)
    return [(1, 1)] * s + [(0, 1)] * (n - s)


def bootstrap_interval(
    clusters: Sequence[Counts],
    *,
    seed: int | str = 0,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the success rate, resampling personas.

    Repeats of one persona are correlated, so the persona is the unit (a cluster
    bootstrap); with a single persona, its dialogues are resampled instead.
    """
    units = _units(clusters)
    if not units or sum(n for _, n in units) == 0:
        return math.nan, math.nan
    getrandbits = random.Random(seed).getrandbits
    k = len(units)
    bits = k.bit_length()
    wins = [s for s, _ in units]
    trials = [n for _, n in units]
    stats = []
    for _ in range(resamples):
        s = n = 0
        for _ in range(k):
            i = getrandbits(bits)  # randrange(k), in line
            while i >= k:
                i = getrandbits(bits)
            s += wins[i]
            n += trials[i]
        stats.append(s / n)
    tail = (1 - level) / 2 * 100
    return percentile(stats, tail), percentile(stats, 100 - tail)


def wilson_interval(successes: int, trials: int, *, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of a rate: never zero width at 0 % or 100 % (4/4 -> [51, 100])."""
    if trials <= 0:
        return math.nan, math.nan
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_interval(
    clusters: Sequence[Counts],
    *,
    seed: int | str = 0,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> tuple[float, float]:
    """The success rate's interval: the wider of Wilson (on dialogues) and cluster bootstrap.

    Wilson is honest at the edges, where a bootstrap collapses to zero width (every
    resample of 4/4 is 4/4); the persona-cluster bootstrap widens it when repeats of one
    persona agree with each other more than independent dialogues would.
    """
    s = sum(c for c, _ in clusters)
    n = sum(t for _, t in clusters)
    w_low, w_high = wilson_interval(s, n, level=level)
    b_low, b_high = bootstrap_interval(clusters, seed=seed, resamples=resamples, level=level)
    if math.isnan(w_low):
        return w_low, w_high
    return min(w_low, b_low), max(w_high, b_high)


def paired_delta_interval(
    base: Mapping[str, Counts],
    other: Mapping[str, Counts],
    *,
    seed: int | str = 0,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Bootstrap interval of rate(other) - rate(base), resampling the personas both share."""
    shared = sorted(set(base) & set(other))
    if len(shared) < 2:
        return math.nan, math.nan
    getrandbits = random.Random(seed).getrandbits
    k = len(shared)
    bits = k.bit_length()
    base_counts = [base[pid] for pid in shared]
    other_counts = [other[pid] for pid in shared]
    stats = []
    for _ in range(resamples):
        bs = bn = os_ = on = 0
        for _ in range(k):
            i = getrandbits(bits)  # as in bootstrap_interval
            while i >= k:
                i = getrandbits(bits)
            bs, bn = bs + base_counts[i][0], bn + base_counts[i][1]
            os_, on = os_ + other_counts[i][0], on + other_counts[i][1]
        stats.append(os_ / on - bs / bn)
    tail = (1 - level) / 2 * 100
    return percentile(stats, tail), percentile(stats, 100 - tail)


def rate(successes: int, trials: int) -> float:
    return successes / trials if trials else math.nan
