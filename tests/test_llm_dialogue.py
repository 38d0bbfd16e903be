"""Acceptance: LLMs in all three roles, end to end, against recorded provider responses.

An OpenAI agent with an Anthropic user realizer and judge, and the reverse, run through
the real SDK clients (``httpx2.MockTransport`` serving ``recordings/dialogue-*.json``).
A second identical run is served by the request cache with zero requests, and a replay
from the record's own model calls needs neither cache nor network.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from simulator.models import ModelRegistry, ReplayHandler, load_recording
from simulator.record import DialogueRecord, EndReason, ModelCallEvent
from simulator.run import run_dialogue

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"


def _scenarios() -> dict[str, dict[str, Any]]:
    """The scenarios exactly as the recording script runs them."""
    spec = importlib.util.spec_from_file_location(
        "record_responses", ROOT / "scripts" / "record_responses.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scenarios: dict[str, dict[str, Any]] = module.load_scenarios()
    return scenarios


SCENARIOS = _scenarios()
HOSTS = {"openai": "api.openai.com", "anthropic": "api.anthropic.com"}


@pytest.fixture(autouse=True)
def _keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-dialogue-openai-0000")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-dialogue-0000")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SIMULATOR_PRICES", raising=False)


def served(recording: str | None, cache: Path | bool) -> tuple[ModelRegistry, ReplayHandler]:
    handler = ReplayHandler(load_recording(RECORDINGS / f"{recording}.json") if recording else [])
    transport = httpx2.MockTransport(handler)

    async def no_sleep(seconds: float) -> None:
        raise AssertionError("no retry expected")

    registry = ModelRegistry(
        cache=cache,
        sleep=no_sleep,
        http_client=lambda spec: httpx2.AsyncClient(transport=transport),
    )
    return registry, handler


def play(name: str, registry: ModelRegistry, **kwargs: Any) -> DialogueRecord:
    return asyncio.run(run_dialogue(**SCENARIOS[name], models=registry, **kwargs))


def model_calls(record: DialogueRecord) -> list[ModelCallEvent]:
    return [e for e in record.events if isinstance(e, ModelCallEvent)]


def stable(record: DialogueRecord) -> dict[str, Any]:
    """The record without wall-clock measurements (latencies, durations, start time)."""
    data = record.model_dump(mode="json")
    data.pop("started_at")
    data["scores"]["efficiency"].pop("duration_s")
    data["scores"]["efficiency"].pop("agent_latency_ms")
    for event in data["events"]:
        event.pop("latency_ms", None)
    return data


@pytest.mark.parametrize("name", ["dialogue-openai-agent", "dialogue-anthropic-agent"])
def test_llm_roles_end_to_end_then_from_cache_then_replayed(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    agent_provider = scenario["agent"].kind
    user_provider = scenario["roles"].user.model.split(":")[0]
    cache = tmp_path / "requests.sqlite"

    registry, handler = served(name, cache)
    first = play(name, registry)
    assert handler.remaining == 0 and len(handler.requests) == 12
    assert first.end_reason == EndReason.ANSWERED
    assert first.roles == scenario["roles"].model_dump(mode="json", exclude_none=True)
    scores = first.scores
    # the LLM judge decided the task (match: judge) and read the text for leaks and refusals
    assert scores.task.method == "judge" and scores.task.success
    assert [v.check for v in scores.verdicts] == [
        "task",
        "paraphrased_leak:other_email",
        "refusal_quality:0",
    ]
    assert [v.verdict for v in scores.verdicts] == [True, False, True]
    judge_model = scenario["roles"].judge.model
    assert all(
        v.model == judge_model and v.prompt_version.startswith("judge-") for v in scores.verdicts
    )
    assert all(v.rationale for v in scores.verdicts)
    assert scores.leakage.leaked == [] and scores.leakage.paraphrased == []
    assert scores.fidelity.violations == 0 and scores.refusal.probes[0].declined
    # every call is an event, and usage and cost are kept per role
    calls = model_calls(first)
    assert [c.role for c in calls].count("agent") == 4
    assert {c.role for c in calls} == {"agent", "user", "judge"}
    usage = scores.efficiency.models
    for role in ("agent", "user", "judge"):
        assert usage[role].calls > 0 and usage[role].cost_usd > 0 and usage[role].cache_hits == 0
        tokens = sum(c.usage.input_tokens for c in calls if c.role == role)
        assert usage[role].input_tokens == tokens > 0
    # the agent got native tools; the user model was never shown the withheld fact
    agent_bodies = [
        json.loads(r.content) for r in handler.requests if r.url.host == HOSTS[agent_provider]
    ]
    if agent_provider == "openai":
        assert all("submit_answer" in json.dumps(b["tools"]) for b in agent_bodies)
    user_bodies = [
        r.content.decode() for r in handler.requests if r.url.host == HOSTS[user_provider]
    ]
    assert all("damaged" not in body for body in user_bodies)

    # a second identical run: every call from the cache, zero requests
    registry, handler = served(None, cache)
    second = play(name, registry)
    assert handler.requests == []
    assert second.messages == first.messages
    for role, first_usage in usage.items():
        again = second.scores.efficiency.models[role]
        assert again.calls == again.cache_hits == first_usage.calls
        assert (again.input_tokens, again.output_tokens) == (
            first_usage.input_tokens,
            first_usage.output_tokens,
        )
        assert again.cost_usd == 0.0

    # a replay from the record's calls: no cache, no network, the same record
    registry, handler = served(None, cache=False)
    replayed = play(name, registry, replay_calls=model_calls(first))
    assert handler.requests == []
    assert stable(replayed) == stable(first)
