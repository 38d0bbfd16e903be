"""The real ``anthropic.AsyncAnthropic`` client, at the wire level, against recorded responses.

Requests go through an ``httpx2.MockTransport`` serving ``recordings/anthropic-wire.json``;
the OpenAI-style transcript must arrive in Anthropic's shape (system apart, ``tool_use``
and ``tool_result`` blocks) and responses come back provider-neutral.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import _wire
import pytest

from simulator.agent import ToolSpec
from simulator.models import (
    ChatRequest,
    ModelCallError,
    ModelConfigError,
    load_recording,
)

RECORDINGS = Path(__file__).parent / "fixtures" / "recordings"
WIRE = {i["name"]: i for i in load_recording(RECORDINGS / "anthropic-wire.json")}
MODEL = "anthropic:claude-sonnet-5-5"
KEY = "sk-ant-test-anthropic-wire-0000"
SQL = ToolSpec(
    name="sql_query",
    description="Run a read-only SQL query.",
    parameters={"type": "object", "properties": {"query": {"type": "string"}}},
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    monkeypatch.delenv("ANTHROPIC_CONFIG_DIR", raising=False)
    monkeypatch.delenv("ANTHROPIC_PROFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no credential profile from disk
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


class Served(_wire.Served):
    """Anthropic clients served from the recording."""

    wire = WIRE


def ask(**kwargs: Any) -> ChatRequest:
    messages = [
        {"role": "system", "content": "You are a CRM assistant."},
        {"role": "system", "content": "Dialogue context:\n- today: 2025-11-03"},
        {"role": "user", "content": "What did Globex spend?"},
    ]
    return ChatRequest(model=MODEL, messages=messages, **kwargs)


def test_text_reply_and_the_messages_request() -> None:
    served = Served("text")
    response = served.call(ask(temperature=0.7, seed=3, max_tokens=300))
    assert response.text == "Could you give me the account name and the quarter?"
    assert (response.stop_reason, response.tool_calls) == ("end", [])
    assert (response.usage.input_tokens, response.usage.output_tokens) == (398, 15)
    sent = served.handler.requests[0]
    assert str(sent.url) == "https://api.anthropic.com/v1/messages"
    assert KEY in sent.headers.get("authorization", "") + sent.headers.get("x-api-key", "")
    assert sent.headers["anthropic-version"]
    body = served.body()
    assert body["model"] == "claude-sonnet-5-5" and body["max_tokens"] == 300
    assert body["system"] == "You are a CRM assistant.\n\nDialogue context:\n- today: 2025-11-03"
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "What did Globex spend?"}]}
    ]
    # the API version the SDK speaks rejects sampling settings: they are never sent
    assert "temperature" not in body and "seed" not in body
    (event,) = served.calls.drain()
    assert event.cost_usd == pytest.approx((398 * 2.0 + 15 * 10.0) / 1e6)


def test_tool_use_and_tool_result_blocks() -> None:
    served = Served("tool_use")
    history = [
        {"role": "system", "content": "You are a CRM assistant."},
        {"role": "user", "content": "Total for Globex?"},
        {
            "role": "assistant",
            "content": "Let me check.",
            "tool_calls": [
                {
                    "id": "toolu_a",
                    "type": "function",
                    "function": {"name": "describe_schema", "arguments": "{}"},
                },
                {
                    "id": "toolu_b",
                    "type": "function",
                    "function": {"name": "sql_query", "arguments": '{"query": "SELEC"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "toolu_a", "content": "tables: opportunities"},
        {"role": "tool", "tool_call_id": "toolu_b", "content": "Error: syntax error"},
    ]
    response = served.call(ChatRequest(model=MODEL, messages=history, tools=[SQL]))
    assert response.stop_reason == "tool_use"
    assert response.text == "I'll look up the closed-won opportunities for that account."
    assert [(c.id, c.name) for c in response.tool_calls] == [
        ("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "sql_query"),
        ("toolu_01Vb3Zq8Lm5Nx2Kc7Rt4Wy9P", "describe_schema"),
    ]
    body = served.body()
    assert body["tools"] == [
        {
            "name": "sql_query",
            "description": "Run a read-only SQL query.",
            "input_schema": SQL.parameters,
        }
    ]
    assistant, results = body["messages"][1], body["messages"][2]
    assert assistant == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "toolu_a", "name": "describe_schema", "input": {}},
            {"type": "tool_use", "id": "toolu_b", "name": "sql_query", "input": {"query": "SELEC"}},
        ],
    }
    assert results == {  # both results of one step in one user turn; errors flagged
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_a", "content": "tables: opportunities"},
            {
                "type": "tool_result",
                "tool_use_id": "toolu_b",
                "content": "Error: syntax error",
                "is_error": True,
            },
        ],
    }


@pytest.mark.parametrize(("name", "stop"), [("max_tokens", "max_tokens"), ("refusal", "refusal")])
def test_stop_reasons(name: str, stop: str) -> None:
    assert Served(name).call(ask()).stop_reason == stop


def test_rate_limit_waits_exactly_what_retry_after_says() -> None:
    served = Served("rate_limited", "text")
    assert served.call(ask()).text.startswith("Could you give me")
    assert served.sleeps == [12.0]
    (event,) = served.calls.drain()
    assert event.retries == 1


def test_overload_server_error_timeout_and_malformed_json_are_retried() -> None:
    served = Served("overloaded", "server_error", "timeout", "malformed", "text", attempts=5)
    assert served.call(ask()).text.startswith("Could you give me")
    assert len(served.handler.requests) == 5 and len(served.sleeps) == 4
    for n, wait in enumerate(served.sleeps):
        assert 0.5 * 2**n <= wait <= 2**n


def test_client_errors_are_not_retried() -> None:
    served = Served("bad_request")
    with pytest.raises(ModelCallError, match="HTTP 400"):
        served.call(ask())
    assert served.sleeps == []


def test_a_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    served = Served()
    with pytest.raises(ModelConfigError, match="ANTHROPIC_API_KEY"):
        served.call(ask())
    assert served.handler.requests == []
