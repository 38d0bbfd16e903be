"""Re-scoring: recompute every record's scores from its events, calling no model.

After a change to the judge, a run can be re-read with the new scores without running a
single dialogue again. The deterministic judge runs on the recorded events in a fresh
environment (the CRM is read-only, so state checks see the same data); LLM verdicts and
wall-clock figures are kept from the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simulator.env import open_environment
from simulator.judge import score_dialogue
from simulator.persona import Mode, Persona
from simulator.record import DialogueRecord
from simulator.run._batch import read_records

RESCORED_FILE = "rescored.jsonl"


def rescore(record: DialogueRecord) -> DialogueRecord:
    """The record with its scores recomputed from its events."""
    persona = Persona.model_validate(record.persona)
    env = open_environment(persona)
    try:
        scores = score_dialogue(persona, Mode(record.mode), record.events, env)
    finally:
        env.close()
    scores.efficiency.duration_s = record.scores.efficiency.duration_s
    scores.verdicts = list(record.scores.verdicts)
    return record.model_copy(update={"scores": scores})


@dataclass
class RescoreTally:
    records: int = 0
    changed: int = 0


def rescore_file(source: Path, target: Path, tally: RescoreTally | None = None) -> Path:
    """Write every record of ``source`` re-scored to ``target``, one at a time."""
    tally = tally if tally is not None else RescoreTally()
    with target.open("w", encoding="utf-8") as out:
        for record in _rescored(read_records(source), tally):
            out.write(record.model_dump_json() + "\n")
    return target


def _rescored(records: Iterator[DialogueRecord], tally: RescoreTally) -> Iterator[DialogueRecord]:
    for record in records:
        new = rescore(record)
        tally.records += 1
        tally.changed += new.scores != record.scores
        yield new
