"""The curated records in dialogues/: current schema, every end reason, identical re-scoring
and identical replay."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simulator.record import DialogueRecord, EndReason
from simulator.run import read_records, rescore
from simulator.run._replay import replay_record

FOLDER = Path(__file__).resolve().parents[1] / "dialogues"
FILES = sorted(FOLDER.glob("*.jsonl"))


def load(path: Path) -> DialogueRecord:
    (record,) = list(read_records(path))
    return record


def test_every_end_reason_has_a_curated_record() -> None:
    covered = {load(path).end_reason for path in FILES}
    assert covered == set(EndReason)


def test_agents_are_named_portably() -> None:
    """No absolute paths: the records replay from any checkout."""
    for path in FILES:
        target = str(load(path).agent.get("target", ""))
        assert not target.startswith("/"), f"{path.name}: {target}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_rescores_identically(path: Path) -> None:
    record = load(path)
    assert rescore(record).scores == record.scores


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_replays_identically(path: Path) -> None:
    result = asyncio.run(replay_record(load(path), search_from=FOLDER))
    assert result.identical, result.divergence
