"""Re-scoring a run gives its records' own scores back when nothing changed, for the
families whose agents change the CRM too (routing a case or a lead, approving a quote,
moving a stage): the fresh environment gets the dialogue's tool calls again before its
state is checked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simulator.agent import resolve_agent_spec
from simulator.env import check_state, open_environment
from simulator.persona import Mode, Persona, StateCheck, load_persona
from simulator.record import DialogueRecord, ToolResultEvent
from simulator.run import RescoreTally, rescore, run_dialogue
from simulator.run._rescore import run_tool_calls_again

PACK = Path(__file__).resolve().parents[1] / "personas" / "crm"
WRITES = ("case_routing", "lead_routing", "quote_approval", "wrong_stage")


def _checks(persona: Persona) -> list[StateCheck]:
    state = persona.expect.state
    return [] if state is None else state if isinstance(state, list) else [state]


def _holds(persona: Persona, record: DialogueRecord | None) -> bool:
    """Whether the persona's state checks pass in a fresh environment (after the
    record's tool calls, if given)."""
    env = open_environment(persona)
    try:
        if record is not None:
            assert run_tool_calls_again(env, record.events) == 0
        return all(check_state(env, check)[0] for check in _checks(persona))
    finally:
        env.close()


def _needing_a_change(family: str) -> Persona:
    """The family's first task whose world is wrong until the agent changes it."""
    for path in sorted(PACK.glob(f"crm.{family}.*.yaml")):
        persona = load_persona(path)
        if _checks(persona) and not _holds(persona, None):
            return persona
    raise AssertionError(f"no {family} task needs a change")


def _solved(persona: Persona) -> DialogueRecord:
    record = asyncio.run(run_dialogue(persona, resolve_agent_spec("reference:careful"), Mode.FULL))
    assert record.scores.task.success  # state included: the agent made the change
    return record


@pytest.mark.parametrize("family", WRITES)
def test_a_rescore_of_a_dialogue_that_changed_the_crm_keeps_its_scores(family: str) -> None:
    record = _solved(_needing_a_change(family))
    tally = RescoreTally()
    assert rescore(record, tally).scores == record.scores
    assert (tally.records, tally.changed, tally.diverged) == (1, 0, 0)


def test_the_state_holds_after_the_calls_run_again_and_not_before() -> None:
    persona = _needing_a_change("wrong_stage")
    record = _solved(persona)
    assert (_holds(persona, None), _holds(persona, record)) == (False, True)


def test_a_tool_result_that_is_not_the_recorded_one_is_counted() -> None:
    record = _solved(_needing_a_change("case_routing"))
    events = list(record.events)
    index = next(i for i, e in enumerate(events) if isinstance(e, ToolResultEvent))
    events[index] = events[index].model_copy(update={"result": "something else"})
    tally = RescoreTally()
    rescore(record.model_copy(update={"events": events}), tally)
    assert (tally.records, tally.diverged) == (1, 1)
