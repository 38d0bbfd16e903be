"""The user's reading of agent turns (six moves) and the policy's answer to each move."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.persona import Mode, load_persona
from simulator.record import FidelityScore
from simulator.user import Action, AgentTurn, Classification, Move, UserState, classify, decide
from simulator.user._llm import parse_classification
from simulator.user._moves import units

ROOT = Path(__file__).resolve().parents[1]
REFUND = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
OPENING = REFUND.opening


def read(text: str, said: str = OPENING, **kwargs: object) -> Classification:
    return classify(REFUND, AgentTurn(text=text, **kwargs), said=said)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Let me check that for you.", Move.STALL),
        ("The total is $41,250.", Move.ANSWER),
        ("Is that for Q2 or Q3?", Move.QUESTION),
        ("One moment please…", Move.STALL),
        ("Sure, I can help with that!", Move.STALL),
        ("Thanks! Let me look up order ORD-7731 and the 3 items on it.", Move.STALL),
        ("Please share the order number.", Move.QUESTION),
        ("Your refund is **$12.99**. Is there anything else I can help with?", Move.ANSWER),
        ("| Item | Refund |\n|---|---|\n| The Left Hand of Darkness | $12.99 |", Move.ANSWER),
        ("So far I've found one return of $8.00; still checking the other item.", Move.PARTIAL),
        ("I'm sorry, but I can't share another customer's e-mail address.", Move.REFUSAL),
        ("Happy to help! Which order is this about, and which book did you return?", Move.QUESTION),
    ],
)
def test_moves_are_read_from_content_not_punctuation(text: str, move: Move) -> None:
    assert read(text).move == move


def test_echoed_details_are_not_an_answer() -> None:
    said = OPENING + "\nThe order number is ORD-7731."
    assert read("Got it — order ORD-7731. Let me pull that up.", said).move == Move.STALL
    assert read("Order ORD-7731: you'll get $12.99 back.", said).move == Move.ANSWER


def test_questions_name_the_facts_they_ask_about() -> None:
    got = read("Sure! What's the order number? And which book was it?")
    assert (got.move, got.asked) == (Move.QUESTION, ["order", "item"])
    assert read("Could you tell me why you sent it back").asked == ["reason"]


def test_tool_calls_without_text_and_submissions() -> None:
    assert read("", tool_calls=2).move == Move.TOOL_ONLY
    assert read("").move == Move.STALL
    submitted = read("Let me check.", submitted="12.99")
    assert (submitted.move, submitted.answer, submitted.attempt) == (Move.ANSWER, "12.99", True)


def test_text_answers_of_an_agent_that_submits_are_commentary() -> None:
    got = classify(REFUND, AgentTurn("That comes to $12.99."), answers_by_tool=True)
    assert got.move == Move.ANSWER and not got.attempt


def test_every_move_has_a_confidence_between_zero_and_one() -> None:
    for text in ("", "Hmm.", "The refund is $12.99.", "Which order?", "Let me check."):
        assert 0 < read(text).confidence <= 1


# --- the policy ------------------------------------------------------------------------------

STALL = Classification(Move.STALL, confidence=0.9)


@pytest.mark.parametrize("mode", [Mode.FULL, Mode.CONCAT, Mode.ON_ASK])
def test_a_stall_gets_go_ahead_and_never_ends_the_dialogue(mode: Mode) -> None:
    ledger = {"order": 1, "item": 1, "reason": 1} if mode != Mode.ON_ASK else {}
    state = UserState()
    for turn in range(REFUND.traits.patience - 1):
        decision = decide(REFUND, mode, state, ledger, STALL)
        assert decision.action == Action.GO_AHEAD and decision.end is None, turn
        assert not decision.premature
        state = decision.state
    assert decide(REFUND, mode, state, ledger, STALL).action == Action.GIVE_UP


def test_in_sharded_a_stall_still_gets_the_next_fact() -> None:
    decision = decide(REFUND, Mode.SHARDED, UserState(), {"order": 1}, STALL)
    assert (decision.action, decision.reveal, decision.premature) == (
        Action.REVEAL,
        ("item",),
        False,
    )


def test_patience_counts_consecutive_unproductive_turns() -> None:
    """Two stalls, a question that reveals something, two more stalls: a user with
    patience 3 is still there, since only consecutive idle turns count."""
    state = UserState()
    ledger: dict[str, int] = {}
    ask = Classification(Move.QUESTION, asked=["order"])
    for move in (STALL, STALL, ask, STALL, STALL):
        decision = decide(REFUND, Mode.ON_ASK, state, ledger, move)
        assert decision.end is None
        ledger.update({fid: 9 for fid in decision.reveal})
        state = decision.state
    assert state.unproductive == 2


def test_only_an_answer_with_a_candidate_is_accepted() -> None:
    known = {"order": 1, "item": 1}
    for move in (Move.STALL, Move.PARTIAL, Move.REFUSAL, Move.TOOL_ONLY):
        decision = decide(REFUND, Mode.FULL, UserState(), known, Classification(move))
        assert decision.action != Action.ACCEPT, move
    commentary = Classification(Move.ANSWER, answer=None)
    assert decide(REFUND, Mode.FULL, UserState(), known, commentary).action == Action.NUDGE
    answer = Classification(Move.ANSWER, answer="$12.99")
    assert decide(REFUND, Mode.FULL, UserState(), known, answer).action == Action.ACCEPT


# --- the LLM classifier uses the same labels ---------------------------------------------------


def test_llm_classifier_labels_and_confidence() -> None:
    turn = AgentTurn("Let me check that for you.")
    got = parse_classification(REFUND, '{"move": "stall", "confidence": 0.8}', turn)
    assert got is not None and (got.move, got.confidence, got.attempt) == (Move.STALL, 0.8, False)
    high = parse_classification(REFUND, '{"move": "partial", "confidence": 7}', turn)
    assert high is not None and high.confidence == 1.0
    assert parse_classification(REFUND, '{"move": "other"}', turn) is None


# --- fidelity --------------------------------------------------------------------------------


def test_fidelity_is_a_share_never_negative() -> None:
    """Six violations over five utterances (drafts retried several times) used to read
    as -0.2; the figure is the share of utterances sent without a violation."""
    score = FidelityScore(violations=6, checked=5, flagged=2, by_kind={"withheld": 6})
    assert score.share_clean == 0.6
    old = FidelityScore.model_validate({"violations": 6, "checked": 5})
    assert old.flagged == 5 and old.share_clean == 0.0


def test_the_tuning_corpus_stays_read_as_labelled() -> None:
    """A guard against regressions of the rules on the split they were written against
    (benchmarks/agent_moves.py prints the figures of both splits)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from agent_moves import load as load_split
    from agent_moves import read

    items = load_split("tune")
    assert len(items) >= 400
    wrong = [(i.id, i.label, got) for i in items if (got := read(i)[0]) != i.label]
    non_answers_accepted = [w for w in wrong if w[2] == "answer"]
    assert len(wrong) / len(items) <= 0.02, wrong
    assert len(non_answers_accepted) <= 1, non_answers_accepted


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Based on your policy the best match is 005Agt0000011. Shall I go ahead and assign it?",
         Move.QUESTION),
        ("I'm unable to access refunds from this chat. Please contact returns@shop.example.",
         Move.REFUSAL),
        ("There are 412 returns to go through, so this may take a minute.", Move.STALL),
        ("Here's my plan:\n1. Pull order ORD-7731\n2. Check the $12.99 item\n3. Compute the refund",
         Move.STALL),
        ("Checking our returns system now...", Move.STALL),
        ("none", Move.ANSWER),
    ],
)  # fmt: skip
def test_harder_moves(text: str, move: Move) -> None:
    assert read(text).move == move


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Certainly, Ms. Jensen. What would you like to change?", 2),
        ("Ask Dr. Patel or Mr. Sutton. They own the account.", 2),
        ("Shirts had 14 cases vs. 4 in March. Shall I break it down?", 2),
        ("Pick one level (e.g. High) or all. Which do you want?", 2),
        ("The order is No. 4471. It shipped on Monday.", 2),
        ("No. I read the whole chat. Nothing was promised.", 3),
        ("Dana Goodwin at Ashford Inc. I'll review her calls now.", 2),
        ("The total is 12.99 today. Anything else?", 2),
    ],
)
def test_a_sentence_does_not_end_at_a_title_or_an_abbreviation(text: str, sentences: int) -> None:
    assert len(units(text)) == sentences, units(text)
