"""The CRM generators' random stream draws exactly what ``random.Random`` draws."""

from __future__ import annotations

import random
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.env.crm._stream import Stream

CALLS = st.lists(
    st.one_of(
        st.tuples(st.just("choice"), st.integers(1, 2000)),
        st.tuples(st.just("randint"), st.tuples(st.integers(-50, 50), st.integers(0, 5000))),
        st.tuples(st.just("choices"), st.lists(st.floats(0.01, 100.0), min_size=1, max_size=12)),
        st.tuples(st.just("pick"), st.lists(st.floats(0.01, 100.0), min_size=1, max_size=12)),
        st.tuples(st.just("random"), st.none()),
        st.tuples(st.just("sample"), st.integers(3, 40)),
    ),
    max_size=60,
)


def draw(rng: random.Random, call: str, arg: object) -> object:
    """One draw through the standard API (``pick`` as ``choices(...)[0]``)."""
    if call == "choice":
        assert isinstance(arg, int)
        return rng.choice(range(arg))
    if call == "randint":
        assert isinstance(arg, tuple)
        low, width = arg
        return rng.randint(low, low + width)
    if call in ("choices", "pick"):
        assert isinstance(arg, list)
        cum = list(accumulate(arg))
        population = [f"x{i}" for i in range(len(arg))]
        if call == "pick" and isinstance(rng, Stream):
            return rng.pick(population, cum)
        return rng.choices(population, cum_weights=cum)[0]
    if call == "sample":
        assert isinstance(arg, int)
        return rng.sample(range(arg), 3)
    return rng.random()


@settings(max_examples=200, deadline=None)
@given(seed=st.text(max_size=20), calls=CALLS)
def test_a_stream_draws_what_random_draws(seed: str, calls: list[tuple[str, object]]) -> None:
    standard, stream = random.Random(seed), Stream(seed)
    for call, arg in calls:
        assert draw(stream, call, arg) == draw(standard, call, arg), (call, arg)
    assert stream.random() == standard.random()


def test_the_standard_errors_are_kept() -> None:
    stream = Stream(0)
    with pytest.raises(IndexError):
        stream.choice([])
    with pytest.raises(ValueError):
        stream.randint(5, 1)
    with pytest.raises(ValueError):
        stream.choices(["a", "b"], cum_weights=[0.0, 0.0])
    assert stream.choices(["a", "b"], weights=[0.0, 1.0], k=3) == ["b", "b", "b"]
