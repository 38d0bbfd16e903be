"""The provider-neutral plumbing: model strings, prices, cache, hashing, retries, the call path."""

from __future__ import annotations

import asyncio
import email.utils
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.agent import ToolSpec
from simulator.models import (
    Budget,
    BudgetExceeded,
    CallLog,
    ChatRequest,
    ChatResponse,
    ModelCallError,
    ModelConfigError,
    ModelRegistry,
    ModelSpec,
    PriceTable,
    ProviderLimits,
    ReplayMiss,
    RequestCache,
    RetryPolicy,
    call_model,
    parse_model,
    parse_retry_after,
    request_hash,
    scrub,
)
from simulator.models._json import parse_json_object
from simulator.record import Usage


class Scripted:
    """A ChatClient double: answers from a list and counts calls (no SDK, no network)."""

    def __init__(self, model: str, *replies: ChatResponse | Exception, limit_key: str = "x"):
        self.model = model
        self.limit_key = limit_key
        self.replies = list(replies)
        self.requests: list[ChatRequest] = []

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def reply(text: str = "hi", tokens: tuple[int, int] = (1000, 100)) -> ChatResponse:
    return ChatResponse(text=text, usage=Usage(input_tokens=tokens[0], output_tokens=tokens[1]))


def request(**kwargs: object) -> ChatRequest:
    fields: dict[str, object] = {
        "model": "openai:gpt-4.1-mini",
        "messages": [{"role": "user", "content": "hello"}],
    }
    fields.update(kwargs)
    return ChatRequest.model_validate(fields)


# --- model strings ----------------------------------------------------------------------------


def test_model_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert parse_model("openai:gpt-4.1-mini") == ModelSpec("openai", "gpt-4.1-mini")
    assert parse_model(" anthropic:claude-haiku-5-5 ") == ModelSpec("anthropic", "claude-haiku-5-5")
    local = parse_model("openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1/")
    assert local == ModelSpec("openai-compatible", "llama3.1:8b", "http://127.0.0.1:11434/v1")
    assert str(local) == "openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1"
    assert local.limit_key == "openai-compatible@127.0.0.1:11434"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:8000/v1")
    assert parse_model("openai-compatible:Qwen/Qwen3-8B").base_url == "http://localhost:8000/v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gpt-4.1", "expected anthropic:MODEL"),
        ("openai:", "expected anthropic:MODEL"),
        ("google:gemini", "unknown provider 'google'"),
        ("openai-compatible:llama3", "needs a URL"),
    ],
)
def test_bad_model_strings(text: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ModelConfigError, match=message):
        parse_model(text)


# --- prices -----------------------------------------------------------------------------------


def test_prices_by_name_and_dated_snapshot_never_by_loose_prefix() -> None:
    table = PriceTable()
    assert table.cost("openai:gpt-4.1-mini", Usage(input_tokens=10**6, output_tokens=10**6)) == 2.0
    assert table.price("openai:gpt-4.1-mini-2025-04-14") == table.price("openai:gpt-4.1-mini")
    assert table.price("anthropic:claude-sonnet-4-5-20250929") == table.price(
        "anthropic:claude-sonnet-4-5"
    )
    assert table.price("openai:gpt-4.1-mini") != table.price("openai:gpt-4.1")
    assert table.price("openai:gpt-5.5") is None  # not "gpt-5"'s price
    assert table.cost("openai:unknown-model", Usage(input_tokens=10**6)) == 0.0
    assert (
        table.cost("openai-compatible:gpt-4.1@http://127.0.0.1:8000/v1", Usage(input_tokens=10**6))
        == 0.0
    )


def test_price_file_overrides_the_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(
        "gpt-4.1-mini: {input: 1.0, output: 2.0}\n"
        "openai-compatible:llama3.1:8b: {input: 0.5, output: 0.5}\n"
    )
    monkeypatch.setenv("SIMULATOR_PRICES", str(path))
    table = PriceTable.default()
    assert table.cost("openai:gpt-4.1-mini", Usage(input_tokens=10**6, output_tokens=10**6)) == 3.0
    local = "openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1"
    assert table.cost(local, Usage(input_tokens=2 * 10**6)) == 1.0
    path.write_text("gpt-4.1-mini: {input: cheap}\n")
    with pytest.raises(ModelConfigError, match=r"gpt-4\.1-mini"):
        PriceTable.default()


# --- cache and request hash -------------------------------------------------------------------


def test_cache_persists_across_instances_and_first_write_wins(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "requests.sqlite"
    cache = RequestCache(path)
    assert cache.get("k") is None
    cache.put("k", role="agent", model="openai:m", response={"text": "first"})
    cache.put("k", role="agent", model="openai:m", response={"text": "second"})
    cache.close()
    again = RequestCache(path)
    assert again.get("k") == {"text": "first"} and len(again) == 1


def test_request_hash_covers_everything_that_decides_the_answer() -> None:
    base = request()
    assert request_hash("agent", base) == request_hash("agent", request())
    tool = ToolSpec(name="t", description="d")
    variants = [
        ("user", base),
        ("agent", request(model="anthropic:claude-haiku-5-5")),
        ("agent", request(messages=[{"role": "user", "content": "hello!"}])),
        ("agent", request(tools=[tool])),
        ("agent", request(temperature=0.5)),
        ("agent", request(seed=1)),
        ("agent", request(max_tokens=10)),
    ]
    hashes = {request_hash(role, r) for role, r in variants} | {request_hash("agent", base)}
    assert len(hashes) == len(variants) + 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    messages=st.lists(
        st.dictionaries(st.text(max_size=8), json_values, max_size=4)
        | st.dictionaries(st.sampled_from(["role", "content", "tool_call_id"]), st.text()),
        max_size=4,
    ),
    temperature=st.none() | st.floats(allow_nan=False),
    seed=st.none() | st.integers(-(2**40), 2**40),
    max_tokens=st.integers(1, 10**6),
    n_tools=st.integers(0, 3),
)
def test_canonical_request_is_the_pydantic_json_dump(
    messages: list[dict[str, object]],
    temperature: float | None,
    seed: int | None,
    max_tokens: int,
    n_tools: int,
) -> None:
    """The fast encoding of a request gives exactly the text its pydantic dump gives (NaN
    and infinities included, which take the pydantic path; messages of strings, whose
    text is kept, twice), so hashes never change."""
    tools = [
        ToolSpec(name=f"t{i}", description="d", parameters={"type": "object", "x": [i, "é"]})
        for i in range(n_tools)
    ]
    req = ChatRequest(
        model="openai:m",
        messages=messages,
        tools=tools,
        temperature=temperature,
        seed=seed,
        max_tokens=max_tokens,
    )
    slow = json.dumps(
        {"role": "agent", **req.model_dump(mode="json")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert req.canonical("agent") == slow
    assert req.canonical("agent") == slow  # the tool's cached dump gives the same text


def test_the_usual_two_key_message_and_its_look_alikes_encode_as_pydantic_does() -> None:
    """A role and a text are looked up without sorting; a two-key message of another
    shape (a list of parts, a tool result, a role that is not a string) goes the general
    way. Each gives pydantic's text, before and after its text is kept."""
    shapes: list[dict[str, object]] = [
        {"role": "user", "content": "hi"},
        {"content": "hi", "role": "user"},
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        {"role": "tool", "tool_call_id": "c1"},
        {"role": None, "content": "hi"},
        {"role": "user", "content": None},
        {},
    ]
    for message in shapes:
        req = ChatRequest(model="openai:m", messages=[message])
        slow = json.dumps(
            {"role": "agent", **req.model_dump(mode="json")},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert req.canonical("agent") == slow, message
        assert req.canonical("agent") == slow, message


# --- retries ----------------------------------------------------------------------------------


def test_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after({"retry-after": when}, now=1_000_000) == pytest.approx(30.0)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_backoff_is_exponential_jittered_capped_and_defers_to_retry_after() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, max_retry_after=60.0)
    for attempt in range(6):
        wait = policy.delay(attempt, None)
        cap = min(2**attempt, 8.0)
        assert cap / 2 <= wait <= cap
    assert policy.delay(3, 7.0) == 7.0
    assert policy.delay(0, 3600.0) == 60.0


def test_json_answers_are_read_from_fences_and_prose_but_not_repaired() -> None:
    assert parse_json_object('{"verdict": true}') == {"verdict": True}
    assert parse_json_object('```json\n{"verdict": false}\n```') == {"verdict": False}
    assert parse_json_object('Sure! {"move": "question", "asked": ["a"]} Hope it helps.') == {
        "move": "question",
        "asked": ["a"],
    }
    assert parse_json_object('{"verdict": tru') is None
    assert parse_json_object("[1, 2]") is None
    assert parse_json_object("no json here") is None


def test_scrub_removes_configured_keys_and_key_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "plain-secret-value-42")
    text = scrub("key plain-secret-value-42 and sk-proj-abcdefghijklmnop1234 leaked")
    assert "plain-secret" not in text and "sk-proj" not in text
    assert text.count("[redacted]") == 2


# --- the call path ----------------------------------------------------------------------------


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_cache_hit_costs_nothing_and_is_logged(tmp_path: Path) -> None:
    client = Scripted("openai:gpt-4.1-mini", reply())
    registry = ModelRegistry(cache=tmp_path / "c.sqlite")
    registry.register(client.model, client)
    budget = Budget(None)
    calls = CallLog()
    for _ in range(2):
        out = run(
            call_model(client, request(), role="agent", calls=calls, budget=budget, models=registry)
        )
        assert isinstance(out, ChatResponse) and out.text == "hi"
    assert len(client.requests) == 1
    live, hit = calls.drain()
    assert (live.cache_hit, hit.cache_hit) == (False, True)
    assert live.cost_usd == pytest.approx(0.00056) and hit.cost_usd == 0.0
    assert hit.usage == live.usage and hit.request_hash == live.request_hash
    assert budget.spent_usd == pytest.approx(0.00056)


def test_replay_serves_recorded_calls_and_failures_without_touching_client_or_cache(
    tmp_path: Path,
) -> None:
    client = Scripted("openai:gpt-4.1-mini", reply("live"))
    registry = ModelRegistry(cache=tmp_path / "c.sqlite")
    calls = CallLog()
    run(call_model(client, request(), role="agent", calls=calls, models=registry))
    (recorded,) = calls.drain()
    replay = CallLog([recorded])
    silent = Scripted("openai:gpt-4.1-mini")
    out = run(
        call_model(silent, request(), role="agent", calls=replay, models=ModelRegistry(cache=False))
    )
    assert isinstance(out, ChatResponse) and out.text == "live" and silent.requests == []
    assert replay.drain() == [recorded]
    with pytest.raises(ReplayMiss):
        run(call_model(silent, request(seed=9), role="agent", calls=replay, models=registry))
    failed = recorded.model_copy(update={"error": "HTTP 500: boom", "retries": 3, "response": {}})
    with pytest.raises(ModelCallError, match="boom"):
        run(call_model(silent, request(), role="agent", calls=CallLog([failed]), models=registry))


def test_budget_refuses_calls_once_spent_and_logs_the_refusal() -> None:
    client = Scripted("openai:gpt-4.1", reply(tokens=(10**6, 0)), reply())
    registry = ModelRegistry(cache=False)
    budget = Budget(1.0)
    calls = CallLog()
    run(
        call_model(
            client,
            request(model=client.model),
            role="agent",
            calls=calls,
            budget=budget,
            models=registry,
        )
    )
    assert budget.spent_usd == 2.0 and budget.exhausted
    with pytest.raises(BudgetExceeded):
        run(
            call_model(
                client,
                request(model=client.model, seed=1),
                role="user",
                calls=calls,
                budget=budget,
                models=registry,
            )
        )
    assert len(client.requests) == 1
    refused = calls.drain()[-1]
    assert refused.role == "user" and (refused.error or "").startswith("budget exceeded")


def test_concurrency_is_limited_per_provider() -> None:
    in_flight = peak = 0

    class Slow(Scripted):
        async def complete(self, request: ChatRequest) -> ChatResponse:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1
            return reply()

    client = Slow("openai:gpt-4.1-mini", limit_key="openai")
    registry = ModelRegistry(cache=False, limits=ProviderLimits({"openai": 2}))

    async def many() -> None:
        await asyncio.gather(
            *(
                call_model(client, request(seed=i), role="agent", calls=CallLog(), models=registry)
                for i in range(10)
            )
        )

    run(many())
    assert peak == 2


def test_concurrency_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "SIMULATOR_CONCURRENCY", "anthropic=2, openai-compatible@127.0.0.1:8000=1,default=3"
    )
    limits = ProviderLimits.default_limits()
    assert limits.limit("anthropic") == 2 and limits.limit("openai") == 8
    assert limits.limit("openai-compatible@127.0.0.1:8000") == 1 and limits.limit("other") == 3
    monkeypatch.setenv("SIMULATOR_CONCURRENCY", "anthropic=lots")
    with pytest.raises(ModelConfigError, match="SIMULATOR_CONCURRENCY"):
        ProviderLimits.default_limits()


def _put_one(path: Path, index: int, start: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    RequestCache(path).put(f"k{index}", role="agent", model="m", response={"i": index})


def test_processes_opening_a_new_cache_at_once_all_write(tmp_path: Path) -> None:
    """Workers of one run open the same new cache file together: SQLite can answer
    'database is locked' to its set-up without waiting, which the cache retries."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    for trial in range(3):
        path = tmp_path / str(trial) / "requests.sqlite"
        start = ctx.Event()
        procs = [ctx.Process(target=_put_one, args=(path, i, start)) for i in range(6)]
        for proc in procs:
            proc.start()
        start.set()
        for proc in procs:
            proc.join(60)
        assert [p.exitcode for p in procs] == [0] * 6
        assert len(RequestCache(path)) == 6


def test_cache_set_up_retries_a_locked_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from simulator.models import _cache

    real = sqlite3.connect
    refusals = [2]

    class Flaky:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> object:
            if sql.startswith("PRAGMA journal_mode") and refusals[0]:
                refusals[0] -= 1
                raise sqlite3.OperationalError("database is locked")
            return self.conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

    monkeypatch.setattr(_cache.sqlite3, "connect", lambda *a, **k: Flaky(real(*a, **k)))
    cache = RequestCache(tmp_path / "requests.sqlite")
    cache.put("k", role="agent", model="m", response={"text": "ok"})
    assert refusals == [0] and cache.get("k") == {"text": "ok"}
