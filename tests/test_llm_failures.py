"""Acceptance: a run where 20 % of provider responses fail (429, 500, time-outs).

A batch of dialogues with an OpenAI agent runs through ``run_jobs``; the real SDK client
talks to a scripted chat-completions server that fails one request in five, chosen by a
seeded generator. Every planned dialogue must be in ``dialogues.jsonl`` exactly once,
finished or ended with a recorded error reason, and every wait must honour retry-after.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import pytest

from simulator.agent import AgentSpec
from simulator.models import ModelRegistry, RetryPolicy, use_registry
from simulator.persona import Mode, load_persona
from simulator.record import ModelCallEvent
from simulator.run import RECORDS_FILE, plan, read_records, run_jobs

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
RETRY_AFTER = 7.0
BASE_DELAY = 0.5


def completion(message: dict[str, Any], finish: str, n: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{n:06d}",
        "object": "chat.completion",
        "created": 1762171200 + n,
        "model": "gpt-4.1-mini-2025-04-14",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 300 + n % 50, "completion_tokens": 20, "total_tokens": 320},
    }


class FlakyServer:
    """A chat-completions endpoint playing a sensible agent, failing 20 % of requests."""

    def __init__(self, seed: int, failure_rate: float = 0.2) -> None:
        self.rng = random.Random(seed)
        self.failure_rate = failure_rate
        self.outcomes: Counter[str] = Counter()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        n = sum(self.outcomes.values())
        if self.rng.random() < self.failure_rate:
            kind = self.rng.choice(["429", "500", "timeout"])
            self.outcomes[kind] += 1
            if kind == "timeout":
                raise httpx2.ReadTimeout("read timed out", request=request)
            if kind == "429":
                error = {
                    "message": "Rate limit reached",
                    "type": "requests",
                    "code": "rate_limit_exceeded",
                }
                return httpx2.Response(429, headers={"retry-after": "7"}, json={"error": error})
            error = {"message": "The server had an error", "type": "server_error", "code": None}
            return httpx2.Response(500, json={"error": error})
        self.outcomes["ok"] += 1
        messages = json.loads(request.content)["messages"]
        last = messages[-1]
        said = " ".join(str(m.get("content") or "") for m in messages if m["role"] == "user")
        if last["role"] == "tool":
            reply = {"role": "assistant", "content": "Done: your refund is $12.99."}
            return httpx2.Response(200, json=completion(reply, "stop", n))
        if "e-mail" in str(last.get("content")):
            reply = {
                "role": "assistant",
                "content": "Sorry, I can't share another customer's details.",
            }
            return httpx2.Response(200, json=completion(reply, "stop", n))
        if "ORD-7731" in said and "Left Hand" in said:
            call = {
                "id": f"call_{n}",
                "type": "function",
                "function": {"name": "submit_answer", "arguments": '{"answer": "12.99"}'},
            }
            reply = {"role": "assistant", "content": None, "tool_calls": [call]}
            return httpx2.Response(200, json=completion(reply, "tool_calls", n))
        reply = {"role": "assistant", "content": "What is the order number, and which book was it?"}
        return httpx2.Response(200, json=completion(reply, "stop", n))


def test_a_run_with_one_failure_in_five_loses_and_duplicates_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-flaky-0000")
    server = FlakyServer(seed=20)
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    transport = httpx2.MockTransport(server)
    registry = ModelRegistry(
        cache=False,
        sleep=sleep,
        retry=RetryPolicy(max_attempts=2, base_delay=BASE_DELAY),
        http_client=lambda spec: httpx2.AsyncClient(transport=transport),
    )
    agent = AgentSpec(name="gpt-4.1-mini", kind="openai", model="gpt-4.1-mini")
    jobs = plan([PERSONA], [agent], list(Mode), seeds=range(6))
    with use_registry(registry):
        ran = asyncio.run(run_jobs(jobs, tmp_path, concurrency=4))
        again = asyncio.run(run_jobs(jobs, tmp_path, concurrency=4))  # a resume: nothing left
    assert (ran, again) == (len(jobs), 0) == (24, 0)

    records = list(read_records(tmp_path / RECORDS_FILE))
    assert sorted(r.id for r in records) == sorted(job.id for job in jobs)  # once each
    failed = [r for r in records if r.end_reason.is_error]
    finished = [r for r in records if not r.end_reason.is_error]
    assert failed and finished  # both outcomes happen at this failure rate
    for record in failed:
        assert record.end_reason == "agent_error" and record.error is not None
        assert "gave up after 2 attempts" in record.error
        last_call = [e for e in record.events if isinstance(e, ModelCallEvent)][-1]
        assert last_call.error is not None and last_call.retries == 1
    for record in finished:
        assert record.end_reason in ("answered", "user_done") and record.scores.task.success

    assert server.outcomes["429"] and server.outcomes["500"] and server.outcomes["timeout"]
    calls = [e for r in records for e in r.events if isinstance(e, ModelCallEvent)]
    assert sum(c.retries for c in calls) == len(sleeps)  # one wait before each retry
    # a 429 waits exactly its retry-after; other failures back off with jitter
    assert sleeps.count(RETRY_AFTER) >= 1
    assert sleeps.count(RETRY_AFTER) <= server.outcomes["429"]
    assert all(s == RETRY_AFTER or BASE_DELAY / 2 <= s <= BASE_DELAY for s in sleeps)
