"""The real ``openai.AsyncOpenAI`` client, at the wire level, against recorded responses.

Requests go through an ``httpx2.MockTransport`` serving ``recordings/openai-wire.json``:
the SDK builds real requests and parses real response bodies; nothing leaves the process.
Retries never sleep: the registry's ``sleep`` records the waits instead.
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
WIRE = {i["name"]: i for i in load_recording(RECORDINGS / "openai-wire.json")}
MODEL = "openai:gpt-4.1-mini"
KEY = "sk-test-openai-wire-0000"
SQL = ToolSpec(
    name="sql_query",
    description="Run a read-only SQL query.",
    parameters={"type": "object", "properties": {"query": {"type": "string"}}},
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


class Served(_wire.Served):
    """OpenAI clients served from the recording."""

    wire = WIRE


def ask(model: str = MODEL, **kwargs: Any) -> ChatRequest:
    messages = [
        {"role": "system", "content": "You are a CRM assistant."},
        {"role": "user", "content": "What did Globex spend?"},
    ]
    return ChatRequest(model=model, messages=messages, **kwargs)


def test_text_reply_is_parsed_and_the_request_is_chat_completions() -> None:
    served = Served("text")
    response = served.call(ask(temperature=0.0, seed=7, max_tokens=300))
    assert response.text == "Could you give me the account name and the quarter?"
    assert (response.stop_reason, response.tool_calls) == ("end", [])
    assert (response.usage.input_tokens, response.usage.output_tokens) == (412, 14)
    assert response.model == "gpt-4.1-mini-2025-04-14"
    sent = served.handler.requests[0]
    assert str(sent.url) == "https://api.openai.com/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    body = served.body()
    assert body["model"] == "gpt-4.1-mini"
    assert (body["max_completion_tokens"], body["temperature"], body["seed"]) == (300, 0.0, 7)
    assert body["messages"][0] == {"role": "system", "content": "You are a CRM assistant."}
    (event,) = served.calls.drain()
    assert (event.role, event.model, event.retries, event.cache_hit) == ("agent", MODEL, 0, False)
    assert event.cost_usd == pytest.approx((412 * 0.40 + 14 * 1.60) / 1e6)


def test_native_tool_calls_both_ways() -> None:
    served = Served("tool_calls")
    history = [
        {"role": "system", "content": "You are a CRM assistant."},
        {"role": "user", "content": "Total for Globex?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "describe_schema", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "tables: opportunities"},
    ]
    response = served.call(ChatRequest(model=MODEL, messages=history, tools=[SQL]))
    assert response.stop_reason == "tool_use"
    assert [(c.id, c.name) for c in response.tool_calls] == [
        ("call_8ZkVr2Qw9Ln4Tb7Xs1Mc3Hd", "sql_query"),
        ("call_3PaYt6Wm1Kq8Ve5Rj2Nz7Lc", "describe_schema"),
    ]
    assert response.tool_calls[0].arguments["query"].startswith("SELECT SUM(amount)")
    assert response.tool_calls[1].arguments == {}
    body = served.body()
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "sql_query",
                "description": "Run a read-only SQL query.",
                "parameters": SQL.parameters,
            },
        }
    ]
    assert body["messages"][2]["content"] is None  # tool calls only: no empty text
    assert body["messages"][3] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": "tables: opportunities",
    }


def test_length_stop_is_max_tokens() -> None:
    assert Served("length").call(ask()).stop_reason == "max_tokens"


def test_rate_limit_waits_exactly_what_retry_after_says() -> None:
    served = Served("rate_limited", "text")
    assert served.call(ask()).text.startswith("Could you give me")
    assert served.sleeps == [7.0]
    (event,) = served.calls.drain()
    assert event.retries == 1 and event.error is None


def test_server_error_timeout_and_malformed_json_are_retried_with_backoff() -> None:
    served = Served("server_error", "timeout", "malformed", "text", attempts=4)
    assert served.call(ask()).text.startswith("Could you give me")
    assert len(served.handler.requests) == 4
    # exponential backoff with jitter: attempt n waits within [0.5, 1] x 2**n seconds
    for n, wait in enumerate(served.sleeps):
        assert 0.5 * 2**n <= wait <= 2**n
    assert len(served.sleeps) == 3


def test_client_errors_are_not_retried() -> None:
    served = Served("bad_request")
    with pytest.raises(ModelCallError, match="HTTP 400") as info:
        served.call(ask())
    assert served.sleeps == [] and info.value.retries == 0
    (event,) = served.calls.drain()
    assert event.error is not None and "string too long" in event.error


def test_gives_up_after_the_last_attempt_and_logs_the_failure() -> None:
    served = Served("server_error", "server_error", "server_error", attempts=3)
    with pytest.raises(ModelCallError, match="gave up after 3 attempts"):
        served.call(ask())
    (event,) = served.calls.drain()
    assert event.retries == 2 and event.response == {} and "HTTP 500" in (event.error or "")


def test_openai_compatible_server_gets_its_url_classic_max_tokens_and_no_openai_key() -> None:
    served = Served("local_text")
    model = "openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1"
    response = served.call(ask(model=model, max_tokens=200))
    assert response.text == "Which order is it about?"
    sent = served.handler.requests[0]
    assert str(sent.url) == "http://127.0.0.1:11434/v1/chat/completions"
    assert KEY not in sent.headers.get("authorization", "")  # never sent to a third party
    body = served.body()
    assert body["model"] == "llama3.1:8b"
    assert body["max_tokens"] == 200 and "max_completion_tokens" not in body
    (event,) = served.calls.drain()
    assert event.cost_usd == 0.0  # local servers are free unless the price table says not


def test_a_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    served = Served()
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        served.call(ask())
    assert served.handler.requests == []
