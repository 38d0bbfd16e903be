"""Property tests of disclosure: random personas, random agents, the real graph.

- no mode ever reveals a fact before its ``after`` facts;
- ``sharded`` reveals exactly one new fact per user turn of the task;
- ``on_ask`` reveals only facts the agent asked about;
- the template user never trips its own verifier.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.agent import AgentSpec, CallableAgent
from simulator.persona import Mode, Persona
from simulator.record import DialogueRecord, UserTurnEvent
from simulator.run import run_dialogue

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]


@st.composite
def personas(draw: st.DrawFn) -> Persona:
    n = draw(st.integers(min_value=1, max_value=6))
    facts: list[dict[str, Any]] = []
    for i in range(n):
        deps = draw(st.lists(st.sampled_from(range(i)), unique=True, max_size=2)) if i else []
        facts.append(
            {
                "id": f"f{i}",
                "value": f"zq{i}x",
                "say": f"The {WORDS[i]} is zq{i}x.",
                "cues": [WORDS[i]],
                "after": [f"f{d}" for d in deps],
                "required": draw(st.booleans()) or i == 0,
            }
        )
    order = draw(st.permutations(facts))
    return Persona.model_validate(
        {
            "id": "prop",
            "name": "P",
            "goal": "g",
            "opening": "Hello, I need help.",
            "traits": {"patience": draw(st.integers(min_value=1, max_value=4))},
            "facts": list(order),
            "expect": {"answer": "x", "match": "exact"},
        }
    )


Action = tuple[str, tuple[int, ...]]
actions = st.lists(
    st.one_of(
        st.tuples(st.just("ask"), st.lists(st.integers(0, 5), max_size=3).map(tuple)),
        st.tuples(st.just("answer"), st.just(())),
        st.tuples(st.just("talk"), st.just(())),
    ),
    min_size=1,
    max_size=10,
)


def scripted(script: list[Action]) -> CallableAgent:
    moves = iter(script)

    def agent(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
        if messages[-1]["role"] == "tool":
            return "ok"
        kind, which = next(moves, ("talk", ()))
        if kind == "ask":
            return "Could you tell me the " + " and the ".join(WORDS[i] for i in which) + "?"
        if kind == "answer":
            args = json.dumps({"answer": "x"})
            call = {
                "id": "s",
                "type": "function",
                "function": {"name": "submit_answer", "arguments": args},
            }
            return {"role": "assistant", "content": "", "tool_calls": [call]}
        return "I see."

    return CallableAgent(agent)


def play(persona: Persona, mode: Mode, script: list[Action]) -> DialogueRecord:
    spec = AgentSpec(name="scripted", kind="python", target="tests:scripted")
    run = run_dialogue(persona, spec, mode, agent_instance=scripted(script), max_turns=15)
    return asyncio.run(run)


def user_turns(record: DialogueRecord) -> list[UserTurnEvent]:
    return [e for e in record.events if isinstance(e, UserTurnEvent) and not e.final]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(personas(), st.sampled_from(list(Mode)), actions)
def test_no_fact_before_its_after_facts(persona: Persona, mode: Mode, script: list[Action]) -> None:
    record = play(persona, mode, script)
    position: dict[str, tuple[int, int]] = {}
    for event in user_turns(record):
        for index, fid in enumerate(event.revealed):
            assert fid not in position, "a fact is revealed once"
            position[fid] = (event.turn, index)
    for fid, where in position.items():
        for dep in persona.fact(fid).after:
            assert dep in position and position[dep] < where
    assert record.scores.fidelity.violations == 0


@SETTINGS
@given(personas(), actions)
def test_sharded_reveals_exactly_one_new_fact_per_turn(
    persona: Persona, script: list[Action]
) -> None:
    record = play(persona, Mode.SHARDED, script)
    seen: set[str] = set()
    for event in user_turns(record):
        if event.action == "accept" or event.probe is not None:
            break
        remaining = len(persona.facts) - len(seen)
        assert len(event.revealed) == (1 if remaining else 0)
        seen.update(event.revealed)


@SETTINGS
@given(personas(), actions)
def test_on_ask_reveals_only_what_was_asked(persona: Persona, script: list[Action]) -> None:
    record = play(persona, Mode.ON_ASK, script)
    for event in user_turns(record):
        assert set(event.revealed) <= set(event.asked)
