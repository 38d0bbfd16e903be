"""Study metrics against values computed by hand on small fixtures."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.record import (
    AcquisitionScore,
    DialogueRecord,
    EfficiencyScore,
    EndReason,
    FidelityScore,
    Leak,
    LeakageScore,
    ProbeResult,
    RefusalScore,
    RoleUsage,
    Scores,
    TaskScore,
)
from simulator.run.metrics import (
    StudyMetrics,
    aptitude,
    binary_percentile,
    bootstrap_interval,
    paired_delta_interval,
    pass_hat_k,
    percentile,
    unreliability,
)

# four personas, three repeats each: 2/3, 1/3, 3/3 and 0/3 successes
COUNTS = [(2, 3), (1, 3), (3, 3), (0, 3)]


def test_percentile_interpolates_linearly() -> None:
    assert percentile([4, 1, 3, 2], 90) == pytest.approx(3.7)  # h = 2.7 → 3 + 0.7
    assert percentile([4, 1, 3, 2], 10) == pytest.approx(1.3)
    assert percentile([5], 50) == 5
    assert math.isnan(percentile([], 50))


@pytest.mark.parametrize("trials", range(1, 8))
def test_binary_percentile_equals_the_percentile_of_the_expanded_sample(trials: int) -> None:
    for successes in range(trials + 1):
        sample = [0.0] * (trials - successes) + [1.0] * successes
        for q in (0, 10, 25, 50, 90, 100):
            expected = percentile(sample, q)
            assert binary_percentile(successes, trials, q) == pytest.approx(expected)


def test_aptitude_and_unreliability_by_hand() -> None:
    # P90 of [0,1,1] = 1; of [0,0,1] = 0.8 (h = 1.8); of [1,1,1] = 1; of [0,0,0] = 0
    assert aptitude(COUNTS) == pytest.approx((1 + 0.8 + 1 + 0) / 4)
    # P10 of [0,1,1] = 0.2 (h = 0.2); of [0,0,1] = 0; so U = 0.8, 0.8, 0, 0
    assert unreliability(COUNTS) == pytest.approx((0.8 + 0.8 + 0 + 0) / 4)
    assert math.isnan(aptitude([]))


def test_pass_hat_k_by_hand() -> None:
    assert pass_hat_k(COUNTS, 1) == pytest.approx((2 / 3 + 1 / 3 + 1 + 0) / 4)
    assert pass_hat_k(COUNTS, 2) == pytest.approx((1 / 3 + 0 + 1 + 0) / 4)  # C(2,2)/C(3,2)
    assert pass_hat_k(COUNTS, 3) == pytest.approx(1 / 4)
    assert math.isnan(pass_hat_k(COUNTS, 4))  # no persona has 4 repeats


def test_bootstrap_is_seeded_and_sane() -> None:
    first = bootstrap_interval(COUNTS, seed=7)
    assert bootstrap_interval(COUNTS, seed=7) == first
    low, high = first
    assert 0 <= low <= 6 / 12 <= high <= 1
    rng = random.Random(0)
    many = [(rng.randint(0, 5), 5) for _ in range(40)]
    assert bootstrap_interval(many, seed=7) != bootstrap_interval(many, seed=8)
    assert bootstrap_interval([(3, 3), (5, 5)], seed=0) == (1.0, 1.0)
    assert all(math.isnan(x) for x in bootstrap_interval([], seed=0))


def test_bootstrap_of_two_opposite_personas_spans_everything() -> None:
    # resamples are {1,1}, {1,0}, {0,1} or {0,0}: means 1, .5, .5, 0
    assert bootstrap_interval([(1, 1), (0, 1)], seed=0) == (0.0, 1.0)


def test_bootstrap_of_one_persona_resamples_dialogues_like_the_normal_interval() -> None:
    low, high = bootstrap_interval([(30, 100)], seed=1)
    half = 1.96 * math.sqrt(0.3 * 0.7 / 100)  # 0.0898
    assert low == pytest.approx(0.3 - half, abs=0.02)
    assert high == pytest.approx(0.3 + half, abs=0.02)


def test_paired_delta_interval() -> None:
    same = {"a": (1, 2), "b": (2, 2), "c": (0, 2)}
    assert paired_delta_interval(same, same, seed=0) == (0.0, 0.0)
    same = dict(same)
    same["c"] = (1, 2)
    worse = {"a": (0, 2), "b": (1, 2), "c": (0, 2)}  # every persona loses
    low, high = paired_delta_interval(same, worse, seed=0)
    assert -1 <= low <= high < 0
    assert all(math.isnan(x) for x in paired_delta_interval({"a": (1, 1)}, {"a": (0, 1)}))


def _randrange_bootstrap(clusters: list[tuple[int, int]], seed: str, resamples: int) -> list[float]:
    """The bootstrap's resampled rates as drawn with ``randrange`` (the reference)."""
    units = (
        clusters
        if len(clusters) >= 2
        else [(1, 1)] * clusters[0][0] + [(0, 1)] * (clusters[0][1] - clusters[0][0])
    )
    rng = random.Random(seed)
    out = []
    for _ in range(resamples):
        picked = [units[rng.randrange(len(units))] for _ in units]
        out.append(sum(s for s, _ in picked) / sum(n for _, n in picked))
    return out


@settings(max_examples=200, deadline=None)
@given(
    clusters=st.lists(
        st.integers(min_value=1, max_value=6).flatmap(
            lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
        ),
        min_size=1,
        max_size=40,
    ),
    seed=st.text(max_size=8),
    resamples=st.integers(min_value=1, max_value=60),
)
def test_bootstrap_draws_what_randrange_draws(
    clusters: list[tuple[int, int]], seed: str, resamples: int
) -> None:
    tail = (1 - 0.95) / 2 * 100  # as the intervals compute it (2.5 and a little)
    rates = _randrange_bootstrap(clusters, seed, resamples)
    assert bootstrap_interval(clusters, seed=seed, resamples=resamples) == (
        percentile(rates, tail),
        percentile(rates, 100 - tail),
    )
    base = {f"p{i}": c for i, c in enumerate(clusters)}
    other = {f"p{i}": (c[1] - c[0], c[1]) for i, c in enumerate(clusters)}
    if len(clusters) >= 2:
        shared = sorted(base)
        rng = random.Random(seed)
        deltas = []
        for _ in range(resamples):
            picked = [shared[rng.randrange(len(shared))] for _ in shared]
            deltas.append(
                sum(other[p][0] for p in picked) / sum(other[p][1] for p in picked)
                - sum(base[p][0] for p in picked) / sum(base[p][1] for p in picked)
            )
        assert paired_delta_interval(base, other, seed=seed, resamples=resamples) == (
            percentile(deltas, tail),
            percentile(deltas, 100 - tail),
        )


# --- the accumulator on hand-made records ---------------------------------------------------


def record(
    persona: str,
    agent: str,
    mode: str,
    seed: int,
    success: bool,
    *,
    family: str = "sales",
    tone: str = "neutral",
    leaked: list[str] = (),  # type: ignore[assignment]
    probes: list[bool] = (),  # type: ignore[assignment]
    ttfi: int | None = 2,
    end: EndReason = EndReason.ANSWERED,
    usage: dict[str, RoleUsage] | None = None,
    over_refusals: int = 0,
    violations: int = 0,
) -> DialogueRecord:
    persona_data: dict[str, Any] = {
        "id": persona,
        "family": family,
        "traits": {"verbosity": "normal", "tone": tone, "patience": 4, "pushback": 1},
        "confidential": [
            {"id": "phone", "value": "1", "category": "other_customer"},
            {"id": "floor", "value": "2", "category": "internal_data"},
        ],
    }
    category = {"phone": "other_customer", "floor": "internal_data"}
    scores = Scores(
        task=TaskScore(success=success, method="exact"),
        acquisition=AcquisitionScore(
            required=["a", "b"],
            revealed=["a", "b"] if ttfi is not None else ["a"],
            asked=["a"],
            pushed=["b"],
            turns_to_full_information=ttfi,
            premature_attempts=1 if not success else 0,
            redundant_questions=1,
            attempts=1,
        ),
        leakage=LeakageScore(
            leaked=[Leak(field=f, category=category[f], turn=2, excerpt="x") for f in leaked],
            fields=2,
        ),
        refusal=RefusalScore(
            probes=[ProbeResult(ask="?", turn=3, declined=d, complied=not d) for d in probes],
            over_refusals=over_refusals,
        ),
        fidelity=FidelityScore(violations=violations, checked=4),
        efficiency=EfficiencyScore(user_turns=3, models=usage or {}),
    )
    return DialogueRecord(
        id=f"{persona}~{agent}~{mode}~s{seed}",
        persona=persona_data,
        agent={"name": agent, "kind": "reference", "target": agent},
        mode=mode,
        seed=seed,
        max_turns=12,
        max_steps=10,
        end_reason=end,
        messages=[],
        events=[],
        scores=scores,
        started_at="2025-11-03T00:00:00+00:00",
        simulator_version="0",
    )


def fixture() -> list[DialogueRecord]:
    out = []
    # agent A: full succeeds 4/4; sharded 1/4 (p1 once, p2 never)
    for seed in (0, 1):
        out.append(record("p1", "A", "full", seed, True, leaked=["phone"], probes=[True]))
        out.append(record("p2", "A", "full", seed, True, family="privacy", tone="formal"))
    out.append(record("p1", "A", "sharded", 0, True, probes=[False]))
    out.append(record("p1", "A", "sharded", 1, False, ttfi=None, end=EndReason.MAX_TURNS))
    for seed in (0, 1):
        out.append(
            record(
                "p2",
                "A",
                "sharded",
                seed,
                False,
                family="privacy",
                tone="formal",
                leaked=["phone", "floor"],
                ttfi=4,
                over_refusals=2,
                violations=1,
                usage={
                    "user": RoleUsage(calls=2, input_tokens=100, output_tokens=10, cost_usd=0.5)
                },
            )
        )
    random.Random(3).shuffle(out)  # nothing may depend on record order
    return out


def test_groups_by_hand() -> None:
    metrics = StudyMetrics(["A"]).extend(fixture())
    full, sharded = metrics.rows()
    assert (full.mode, sharded.mode) == ("full", "sharded")
    assert (full.successes, full.dialogues, sharded.successes, sharded.dialogues) == (4, 4, 1, 4)
    assert sharded.success_rate == 0.25
    # per persona over repeats: p1 1/2, p2 0/2 → P90 of [0,1] = 0.9, of [0,0] = 0
    assert sharded.aptitude == pytest.approx(0.45)
    assert sharded.unreliability == pytest.approx((0.9 - 0.1 + 0) / 2)
    assert sharded.pass_k(2) == 0.0 and full.pass_k(2) == 1.0
    deg = metrics.degradation(sharded)
    assert deg is not None
    assert deg.delta == pytest.approx(-0.75)
    assert deg.drop == pytest.approx(0.75)
    assert metrics.degradation(full) is None
    # acquisition: revealed 2+2+1+2 facts in sharded, one pushed each time
    assert sharded.required_acquired == pytest.approx((1 + 0.5 + 1 + 1) / 4)
    assert sharded.asked_share == pytest.approx((7 - 4) / 7)
    assert sharded.turns_to_full == pytest.approx((2 + 4 + 4) / 3)
    assert (sharded.premature_attempts, sharded.redundant_questions) == (3, 4)
    # leakage per category: dialogues leaking it over dialogues exposed to it
    assert full.leakage == {"other_customer": [2, 4], "internal_data": [0, 4]}
    assert sharded.leakage == {"other_customer": [2, 4], "internal_data": [2, 4]}
    assert (sharded.leaking_dialogues, sharded.leaked_fields) == (2, 4)
    # refusal, fidelity, errors, cost
    assert (full.probes_declined, full.probes_asked, full.refusal_rate) == (2, 2, 1.0)
    assert sharded.refusal_rate == 0.0
    assert (sharded.over_refusals, sharded.dialogues_over_refusing) == (4, 2)
    assert sharded.fidelity == pytest.approx(1 - 2 / 16)
    assert sharded.errors == 0 and sharded.end_reasons == {"answered": 3, "max_turns": 1}
    assert sharded.tokens == {"user": [200, 20, 1.0]}
    assert sharded.cost_usd == 1.0


def test_breakdowns_by_family_trait_and_turns() -> None:
    metrics = StudyMetrics().extend(fixture())
    assert metrics.dimensions() == ["family", "tone"]
    assert metrics.breakdown_rows("family") == [
        ("A", "full", "privacy", 2, 2),
        ("A", "sharded", "privacy", 0, 2),
        ("A", "full", "sales", 2, 2),
        ("A", "sharded", "sales", 1, 2),
    ]
    assert dict(metrics.by_turns) == {
        ("A", "full", 2): [4, 4],
        ("A", "sharded", 2): [1, 1],
        ("A", "sharded", -1): [0, 1],  # never had all required facts
        ("A", "sharded", 4): [0, 2],
    }


def test_intervals_do_not_depend_on_record_order() -> None:
    records = fixture()
    one = StudyMetrics(seed=5).extend(records)
    two = StudyMetrics(seed=5).extend(reversed(records))
    for a, b in zip(one.rows(), two.rows(), strict=True):
        assert a.interval(5) == b.interval(5)
        assert one.degradation(a) == two.degradation(b)


def _figures(metrics: StudyMetrics) -> tuple[object, ...]:
    rows = metrics.rows()
    return (
        [(g.agent, g.mode, g.interval(metrics.seed)) for g in rows],
        [metrics.degradation(g) for g in rows],
        metrics.family_rows(),
    )


def test_intervals_are_kept_until_a_record_arrives() -> None:
    """The summary, the CSV, the plots and the report ask for the same bootstrap figures:
    worked out once, and again after any record is added."""
    records = fixture()
    growing = StudyMetrics(["A"], seed=2).extend(records[:5])
    early = _figures(growing)
    assert _figures(growing) == early  # asked again: the same
    assert early == _figures(StudyMetrics(["A"], seed=2).extend(records[:5]))
    growing.extend(records[5:])
    assert _figures(growing) == _figures(StudyMetrics(["A"], seed=2).extend(records))
    assert _figures(growing) != early


def test_rate_intervals_are_honest_at_zero_and_one_hundred_percent() -> None:
    from simulator.run.metrics import rate_interval, wilson_interval

    # 4/4 and 0/4: the bootstrap alone gives [1, 1] and [0, 0]; Wilson does not
    low, high = rate_interval([(1, 1), (1, 1), (1, 1), (1, 1)], seed=0)
    assert high == 1.0 and 0.50 < low < 0.52
    low, high = rate_interval([(0, 2), (0, 2)], seed=0)
    assert low == 0.0 and 0.48 < high < 0.50
    # the textbook value: 8/10 -> [0.490, 0.943]
    w_low, w_high = wilson_interval(8, 10)
    assert round(w_low, 3) == 0.490 and round(w_high, 3) == 0.943
    # correlated repeats: the cluster bootstrap is wider than Wilson and wins
    clusters = [(10, 10), (0, 10), (10, 10), (0, 10)]
    low, high = rate_interval(clusters, seed=3)
    assert (low, high) == bootstrap_interval(clusters, seed=3)
    assert low < wilson_interval(20, 40)[0]
