"""Acceptance: no key appears in any file a run writes.

Recognisable fake keys are planted in the environment; they really travel on the wire
(the test checks the request headers), and a server even echoes one back in an error
message. Afterwards no file under the run's folder (records, request cache) holds them,
and recordings never hold a credential header.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from simulator.agent import AgentSpec
from simulator.models import ModelRegistry, use_registry
from simulator.models._wire import (
    RecordingTransport,
    ReplayHandler,
    load_recording,
    write_recording,
)
from simulator.persona import Mode, load_persona
from simulator.run import RECORDS_FILE, plan, read_records, run_dialogue, run_jobs

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
OPENAI_KEY = "sk-test-PLANTED-KEY-123"
ANTHROPIC_KEY = "sk-ant-test-PLANTED-KEY-456"
PLANTED = b"PLANTED-KEY"


@pytest.fixture(autouse=True)
def _planted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SIMULATOR_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)  # the default request cache is created here


def files_holding_a_key(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and PLANTED in p.read_bytes()]


def test_no_planted_key_in_records_cache_or_error_messages(tmp_path: Path) -> None:
    echo = {
        "error": {
            "message": f"Incorrect API key provided: {OPENAI_KEY}. You can find your API key "
            "at https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    replay = ReplayHandler(load_recording(RECORDINGS / "dialogue-openai-agent.json"))
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if b"Batch run" in request.content:  # the batch's agent: a server echoing the key
            return httpx2.Response(401, json=echo)
        return replay(request)

    transport = httpx2.MockTransport(handler)
    registry = ModelRegistry(http_client=lambda spec: httpx2.AsyncClient(transport=transport))
    with use_registry(registry):  # as a CLI run would: the default registry, default cache
        record = asyncio.run(run_dialogue(**_scenario("dialogue-openai-agent")))
        (tmp_path / "one.jsonl").write_text(record.model_dump_json() + "\n")
        batch = AgentSpec(
            name="batch", kind="openai", model="gpt-4.1-mini", system_prompt="Batch run."
        )
        asyncio.run(
            run_jobs(plan([PERSONA], [batch], [Mode.FULL], seeds=range(2)), tmp_path / "run")
        )
    registry.close()

    # the keys were really in play: sent on the wire to each provider, echoed back once
    auth = [r.headers.get("authorization", "") + r.headers.get("x-api-key", "") for r in seen]
    assert any(OPENAI_KEY in a for a in auth) and any(ANTHROPIC_KEY in a for a in auth)
    assert record.end_reason == "answered"
    failed = list(read_records(tmp_path / "run" / RECORDS_FILE))
    assert [r.end_reason.value for r in failed] == ["agent_error", "agent_error"]
    assert all("Incorrect API key provided: [redacted]" in (r.error or "") for r in failed)

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert tmp_path / ".simulator-cache" / "requests.sqlite" in written
    assert tmp_path / "run" / RECORDS_FILE in written
    assert files_holding_a_key(tmp_path) == []


def _scenario(name: str) -> dict[str, Any]:
    """A recorded scenario, as the recording script defines it."""
    spec = importlib.util.spec_from_file_location("rec", ROOT / "scripts" / "record_responses.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scenario: dict[str, Any] = module.load_scenarios()[name]
    return scenario


def test_recordings_hold_no_credentials(tmp_path: Path) -> None:
    def provider(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            headers={"set-cookie": "session=abc", "retry-after": "1", "x-request-id": "req_1"},
            json={"echo": request.headers["authorization"]},
        )

    recorder = RecordingTransport(httpx2.MockTransport(provider))

    async def call() -> None:
        async with httpx2.AsyncClient(transport=recorder) as client:
            await client.post(
                "https://api.openai.com/v1/chat/completions",
                headers={"authorization": f"Bearer {OPENAI_KEY}", "x-api-key": ANTHROPIC_KEY},
                json={"model": "gpt-4.1-mini", "messages": []},
            )

    asyncio.run(call())
    (interaction,) = recorder.interactions
    assert "headers" not in interaction["request"]  # request headers are never kept
    assert interaction["response"]["headers"] == {
        "content-type": "application/json",
        "retry-after": "1",
        "x-request-id": "req_1",
    }
    path = tmp_path / "rec.json"
    write_recording(path, recorder.interactions, note="test")
    assert PLANTED not in path.read_bytes()  # even a key echoed in a body is scrubbed
    with pytest.raises(ValueError, match="authorization"):
        write_recording(path, [{"request": {"headers": {"Authorization": "x"}}}], note="bad")
    for stored in RECORDINGS.glob("*.json"):
        text = stored.read_text().lower()
        assert '"authorization"' not in text and '"x-api-key"' not in text
        json.loads(text)
