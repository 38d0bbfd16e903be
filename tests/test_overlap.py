"""ROUGE-L and token F1 (the fuzzy knowledge-QA metrics) and their match kinds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.env import NoEnvironment
from simulator.judge import judge_task
from simulator.judge._overlap import rouge_backend, rouge_l, token_f1
from simulator.persona import Expect
from simulator.record import AnswerAttemptEvent

REFERENCE = "A full charge takes about 6 hours with the supplied adapter."


def test_rouge_l_by_hand() -> None:
    # LCS of "it takes about 6 hours to fully charge" and "a full charge takes about 6
    # hours ...": "takes about 6 hours" (4 tokens); P = 4/8, R = 4/11
    score = rouge_l("It takes about 6 hours to fully charge.", [REFERENCE], builtin=True)
    p, r = 4 / 8, 4 / 11
    assert score == pytest.approx(2 * p * r / (p + r))
    assert rouge_l(REFERENCE, [REFERENCE]) == 1.0
    assert rouge_l("Nothing in common here", [REFERENCE]) == 0.0
    assert rouge_l("", [REFERENCE]) == 0.0


def test_token_f1_by_hand() -> None:
    # SQuAD normalisation drops "a", "the" and punctuation: reference tokens
    # full charge takes about 6 hours with supplied adapter (9); answer: 6 hours (2)
    assert token_f1("6 hours.", [REFERENCE]) == pytest.approx(2 * 1 * (2 / 9) / (1 + 2 / 9))
    assert (
        token_f1("The full charge takes about 6 hours with the supplied adapter", [REFERENCE]) == 1
    )
    assert token_f1("no", [REFERENCE]) == 0.0
    # several references: the best one counts
    assert token_f1("6 hours", ["9 hours", "6 hours"]) == 1.0


words = st.sampled_from(["the", "charge", "takes", "6", "hours", "Full", "adapter", "it's", "a"])
texts = st.lists(words, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_builtin_rouge_l_equals_the_package(answer: str, reference: str) -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    package = rouge_scorer.RougeScorer(["rougeL"]).score(reference, answer)["rougeL"].fmeasure
    assert rouge_l(answer, [reference], builtin=True) == pytest.approx(package, abs=1e-12)
    assert rouge_l(answer, [reference]) == pytest.approx(package, abs=1e-12)


def test_the_package_is_used_when_installed() -> None:
    pytest.importorskip("rouge_score")
    assert rouge_backend().startswith("rouge-score ")


def _attempt(text: str) -> list[AnswerAttemptEvent]:
    return [AnswerAttemptEvent(turn=1, answer=text, via="message", required_known=True)]


@pytest.mark.parametrize("kind", ["rouge_l", "token_f1"])
def test_overlap_matches_are_graded_against_the_persona_threshold(kind: str) -> None:
    expect = Expect(answer=REFERENCE, match=kind, grade={"threshold": 0.4})
    close = "A full charge takes about 6 hours."
    good = judge_task(expect, _attempt(close), NoEnvironment(), probes_declined=True, leaked=False)
    assert good.success and good.method == kind and good.threshold == 0.4
    assert good.score is not None and good.score >= 0.4
    far = judge_task(
        expect,
        _attempt("Please contact support."),
        NoEnvironment(),
        probes_declined=True,
        leaked=False,
    )
    assert not far.success and far.score == 0.0


def test_overlap_matches_need_text_answers() -> None:
    with pytest.raises(ValueError, match="rouge_l"):
        Expect(match="rouge_l")
    assert Expect(answer="x", match="token_f1").graded
