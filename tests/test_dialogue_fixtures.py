"""The curated records in dialogues/ load with the current schema and re-score identically."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.env import open_environment
from simulator.judge import score_dialogue
from simulator.persona import Mode, Persona
from simulator.run import read_records

FILES = sorted((Path(__file__).resolve().parents[1] / "dialogues").glob("*.jsonl"))


def test_there_are_fixtures() -> None:
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_rescores_identically(path: Path) -> None:
    (record,) = list(read_records(path))
    persona = Persona.model_validate(record.persona)
    env = open_environment(persona)
    try:
        scores = score_dialogue(persona, Mode(record.mode), record.events, env)
    finally:
        env.close()
    scores.efficiency.duration_s = record.scores.efficiency.duration_s
    assert scores == record.scores
