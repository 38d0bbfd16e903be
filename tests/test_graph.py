"""The dialogue graph: its shape, pure routing, and limits."""

from __future__ import annotations

from pathlib import Path

from simulator.graph import (
    build_graph,
    recursion_limit,
    route_after_agent,
    route_after_tools,
    route_after_user,
)
from simulator.record import AnswerAttemptEvent, EndReason, ToolResultEvent

SNAPSHOT = Path(__file__).parent / "snapshots" / "graph.mmd"


def test_mermaid_drawing_matches_the_snapshot() -> None:
    drawing = build_graph().get_graph().draw_mermaid()
    if not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(drawing)
        raise AssertionError(f"snapshot written to {SNAPSHOT}: review it and commit it")
    assert drawing == SNAPSHOT.read_text(), "the graph changed: update tests/snapshots/graph.mmd"


def test_routing_after_user() -> None:
    assert route_after_user({"end_reason": None}) == "agent"
    assert route_after_user({"end_reason": EndReason.USER_GAVE_UP}) == "judge"


def test_routing_after_agent() -> None:
    text = {"role": "assistant", "content": "hi"}
    calls = {"role": "assistant", "content": "", "tool_calls": [{"id": "1"}]}
    assert route_after_agent({"messages": [text], "end_reason": None}) == "user"
    assert route_after_agent({"messages": [calls], "end_reason": None}) == "tools"
    assert route_after_agent({"messages": [calls], "end_reason": EndReason.MAX_STEPS}) == "judge"


def test_routing_after_tools() -> None:
    attempt = AnswerAttemptEvent(turn=1, answer="x", via="submit_answer", required_known=True)
    result = ToolResultEvent(turn=1, call_id="1", name="sql_query", result="[]")
    assert route_after_tools({"events": [result, attempt]}) == "user"
    assert route_after_tools({"events": [attempt, result]}) == "agent"


def test_recursion_limit_grows_with_turns_and_steps() -> None:
    assert recursion_limit(12, 10) > 12 * (2 * 10 + 1)
    assert recursion_limit(2, 1) < recursion_limit(3, 1) < recursion_limit(3, 2)
