"""The learned layer of the move classifier: shipped weights, their retraining, its veto."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from simulator.persona import load_persona
from simulator.user import AgentTurn, Move, classify, move_features
from simulator.user import _classify as reading
from simulator.user._learned import (
    LABELS,
    MODEL_FILE,
    layer_probabilities,
    probabilities,
    shipped,
)

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")


def test_the_fast_path_gives_the_averaged_probabilities() -> None:
    for text in ("Let me check that for you.", "The total is $41,250.", "Which quarter?", ""):
        x = move_features(text)
        assert layer_probabilities(x) == pytest.approx(probabilities(shipped(), x), abs=1e-9)


def test_features_are_the_cues_and_the_words() -> None:
    found = move_features("Let me check that for you.")
    assert {"w:check", "b:let_me", "s:let", "any:work", "first:work", "last:work"} <= set(found)
    assert "end?" in move_features("Which quarter do you mean?")
    assert "w:<num>" in move_features("The total is 41250.")


def test_the_shipped_weights_are_a_retraining_of_the_corpus() -> None:
    """benchmarks/train_moves.py gives exactly the shipped file (deterministic training)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from agent_moves import load
    from train_moves import model

    shipped = json.loads(gzip.decompress((ROOT / "simulator" / "user" / MODEL_FILE).read_bytes()))
    assert shipped["labels"] == list(LABELS)
    assert shipped == model(load("tune"))


def _fake_layer(monkeypatch: pytest.MonkeyPatch, probabilities: list[float]) -> None:
    monkeypatch.setattr(reading, "layer_probabilities", lambda x: probabilities)


def test_an_answer_against_the_rules_needs_a_sure_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    stall = AgentTurn(text="Let me check that for you.")
    # the layer leans to answer (0.6) where the rules read a stall: the stall stands
    _fake_layer(monkeypatch, [0.6, 0.05, 0.3, 0.05, 0.0, 0.0])
    got = classify(PERSONA, stall)
    assert got.move == Move.STALL and got.answer is None
    # sure enough (0.95): it is read as an answer, with the layer's probability
    _fake_layer(monkeypatch, [0.95, 0.01, 0.02, 0.02, 0.0, 0.0])
    got = classify(PERSONA, stall)
    assert got.move == Move.ANSWER and got.confidence == 0.95
    # a turn with text is never tool-only, whatever the layer says
    _fake_layer(monkeypatch, [0.0, 0.1, 0.2, 0.0, 0.0, 0.7])
    assert classify(PERSONA, stall).move == Move.STALL  # the next most likely


def test_where_layer_and_rules_agree_the_rules_confidence_stands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    turn = AgentTurn(text="Let me check that for you.")
    rules = classify(PERSONA, turn, learned=False)
    _fake_layer(monkeypatch, [0.0, 0.0, 0.99, 0.01, 0.0, 0.0])
    both = classify(PERSONA, turn)
    assert both.move == rules.move == Move.STALL and both.confidence == rules.confidence
    # where the layer overrules the rules, its probability is the confidence
    _fake_layer(monkeypatch, [0.0, 0.0, 0.2, 0.8, 0.0, 0.0])
    assert classify(PERSONA, turn).move == Move.PARTIAL
    assert classify(PERSONA, turn).confidence == 0.8


def test_the_layer_reads_outside_style_turns_the_rules_misread() -> None:
    """Turns from the corpus the rules alone misread and the layer reads as labelled."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import agent_moves
    from agent_moves import load

    items = load("tune")
    fixed = 0
    for item in items:
        agent_moves.LEARNED = False
        rules = agent_moves.read(item)[0]
        agent_moves.LEARNED = True
        layer = agent_moves.read(item)[0]
        fixed += rules != item.label and layer == item.label
    assert fixed >= 50  # the turns the hand-made combination gets wrong
