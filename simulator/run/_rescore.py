"""Re-scoring: recompute every record's scores from its events, calling no model.

After a change to the judge, a run can be re-read with the new scores without running a
single dialogue again. The deterministic judge runs on the recorded events in a fresh
environment, after the dialogue's tool calls are run in it again in their order (an
agent that routed a case or moved an opportunity's stage changed the CRM, and the state
checks must see its change); LLM verdicts and wall-clock figures are kept from the
record. A tool call whose result now differs from the recorded one (the environment's
data or code changed since the run) is counted: the state checks of that record may
see another world than the agent did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.chat import SUBMIT_ANSWER
from simulator.env import Environment, open_environment, run_tool
from simulator.judge import score_dialogue
from simulator.persona import Mode, Persona
from simulator.record import DialogueRecord, Event, ToolResultEvent
from simulator.run._batch import read_records

RESCORED_FILE = "rescored.jsonl"


@dataclass
class RescoreTally:
    records: int = 0
    changed: int = 0  # records whose scores changed
    diverged: int = 0  # records with a tool call whose result is not the recorded one


def rescore(record: DialogueRecord, tally: RescoreTally | None = None) -> DialogueRecord:
    """The record with its scores recomputed from its events (``tally`` counts it)."""
    persona = Persona.model_validate(record.persona)
    env = open_environment(persona)
    try:
        differ = run_tool_calls_again(env, record.events)
        scores = score_dialogue(persona, Mode(record.mode), record.events, env)
    finally:
        env.close()
    scores.efficiency.duration_s = record.scores.efficiency.duration_s
    scores.verdicts = list(record.scores.verdicts)
    new = record.model_copy(update={"scores": scores})
    if tally is not None:
        tally.records += 1
        tally.changed += new.scores != record.scores
        tally.diverged += differ > 0
    return new


def run_tool_calls_again(env: Environment, events: list[Event]) -> int:
    """Run a dialogue's tool calls (``submit_answer`` aside: no environment runs it) in
    ``env`` again, in order, as the dialogue did; return how many results differ from
    the recorded ones."""
    differ = 0
    for event in events:
        if isinstance(event, ToolResultEvent) and event.name != SUBMIT_ANSWER.name:
            result, _ = run_tool(env, event.name, dict(event.arguments))
            differ += result != event.result
    return differ


def rescore_file(source: Path, target: Path, tally: RescoreTally | None = None) -> Path:
    """Write every record of ``source`` re-scored to ``target``, one at a time."""
    tally = tally if tally is not None else RescoreTally()
    with target.open("w", encoding="utf-8") as out:
        for record in read_records(source):
            out.write(rescore(record, tally).model_dump_json() + "\n")
    return target
