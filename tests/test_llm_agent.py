"""LLM agents under test: spec kinds, shipped specs and prompt variants, the agent's
requests, and the budget stopping a dialogue cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simulator.agent import AgentSpec, LLMAgent, ToolCall, ToolSpec, build_agent, resolve_agent_spec
from simulator.agent._llm import DEFAULT_SYSTEM_PROMPT, PRIVACY_PROMPT
from simulator.errors import AgentSpecError
from simulator.models import Budget, CallLog, ChatRequest, ChatResponse, ModelRegistry
from simulator.persona import Mode, load_persona
from simulator.record import EndReason, ModelCallEvent, Usage
from simulator.run import run_dialogue

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
SHIPPED = ["gpt-4.1-mini", "gpt-4.1", "claude-sonnet-5-5", "claude-haiku-5-5"]


class Model:
    """A ChatClient double replaying a list of responses; keeps the requests."""

    def __init__(self, model: str, *replies: ChatResponse) -> None:
        self.model, self.limit_key = model, "double"
        self.replies = list(replies)
        self.requests: list[ChatRequest] = []

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        return self.replies.pop(0)


def test_llm_kinds_need_a_model_and_code_kinds_refuse_llm_settings() -> None:
    with pytest.raises(ValueError, match="needs a 'model'"):
        AgentSpec(name="x", kind="openai")
    with pytest.raises(ValueError, match="not 'target'"):
        AgentSpec(name="x", kind="anthropic", model="m", target="careful")
    with pytest.raises(ValueError, match="privacy_prompt: only for kinds"):
        AgentSpec(name="x", kind="reference", target="careful", privacy_prompt=True)
    local = AgentSpec(
        name="l", kind="openai-compatible", model="llama3.1:8b", base_url="http://127.0.0.1:8000/v1"
    )
    assert local.model_string == "openai-compatible:llama3.1:8b@http://127.0.0.1:8000/v1"
    # records keep reference specs exactly as before: unset LLM settings are left out
    ref = AgentSpec(name="careful", kind="reference", target="careful")
    assert ref.to_record() == {
        "name": "careful",
        "kind": "reference",
        "target": "careful",
        "options": {},
        "description": "",
    }


def test_model_one_liners() -> None:
    assert resolve_agent_spec("openai:gpt-4.1-mini") == AgentSpec(
        name="gpt-4.1-mini", kind="openai", model="gpt-4.1-mini"
    )
    spec = resolve_agent_spec("openai-compatible:qwen3:8b@http://127.0.0.1:11434/v1")
    assert (spec.kind, spec.model, spec.base_url) == (
        "openai-compatible",
        "qwen3:8b",
        "http://127.0.0.1:11434/v1",
    )
    with pytest.raises(AgentSpecError, match="needs a URL"):
        resolve_agent_spec("openai-compatible:qwen3")


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_specs_come_in_both_prompt_variants(name: str) -> None:
    plain = resolve_agent_spec(f"agents/{name}.yaml", base_dir=ROOT)
    private = resolve_agent_spec(f"agents/{name}-privacy.yaml", base_dir=ROOT)
    assert plain.kind in ("openai", "anthropic") and plain.model == name
    assert not plain.privacy_prompt and private.privacy_prompt
    prompt = (ROOT / "agents" / "prompts" / "crm-agent.md").read_text()
    assert plain.system_prompt == private.system_prompt == prompt  # inlined when loaded
    differing = {k for k, v in plain.model_dump().items() if private.model_dump()[k] != v}
    assert differing == {"name", "description", "privacy_prompt"}
    agents = [build_agent(s, models=ModelRegistry(cache=False)) for s in (plain, private)]
    assert all(isinstance(a, LLMAgent) for a in agents)
    without, with_ = (a.system_prompt for a in agents if isinstance(a, LLMAgent))
    assert PRIVACY_PROMPT not in without and with_ == f"{without}\n\n{PRIVACY_PROMPT}"


def test_yaml_llm_spec_errors_name_the_file(tmp_path: Path) -> None:
    both = tmp_path / "both.yaml"
    both.write_text("kind: openai\nmodel: m\nsystem_prompt: hi\nsystem_prompt_file: p.md\n")
    with pytest.raises(AgentSpecError, match=rf"{both}:4:1: give either system_prompt"):
        resolve_agent_spec(str(both))
    missing = tmp_path / "missing.yaml"
    missing.write_text("kind: anthropic\nmodel: m\nsystem_prompt_file: nope.md\n")
    with pytest.raises(AgentSpecError, match=rf"{missing}:3:1: system_prompt_file: cannot read"):
        resolve_agent_spec(str(missing))
    nomodel = tmp_path / "nomodel.yaml"
    nomodel.write_text("kind: openai\n")
    with pytest.raises(AgentSpecError, match=rf"{nomodel}: kind 'openai' needs a 'model'"):
        resolve_agent_spec(str(nomodel))


def test_the_agent_sends_its_prompt_context_and_tools_and_returns_tool_calls() -> None:
    call = ToolCall(id="call_1", name="submit_answer", arguments={"answer": "12.99"})
    model = Model(
        "openai:gpt-4.1-mini",
        ChatResponse(
            text="", tool_calls=[call], stop_reason="tool_use", usage=Usage(input_tokens=10)
        ),
    )
    registry = ModelRegistry(cache=False)
    registry.register(model.model, model)
    calls = CallLog()
    spec = AgentSpec(
        name="a", kind="openai", model="gpt-4.1-mini", temperature=0.3, seed=5, max_tokens=99
    )
    agent = build_agent(spec, calls=calls, models=registry)
    tool = ToolSpec(name="sql_query", description="SQL")
    transcript = [
        {"role": "system", "content": "Dialogue context:\n- today: 2025-11-03"},
        {"role": "user", "content": "How much is my refund?"},
    ]
    reply = asyncio.run(agent.step(transcript, [tool]))
    assert reply.tool_calls == [call] and reply.content == ""
    (request,) = model.requests
    assert request.messages[0] == {
        "role": "system",
        "content": f"{DEFAULT_SYSTEM_PROMPT}\n\nDialogue context:\n- today: 2025-11-03",
    }
    assert request.messages[1:] == transcript[1:]
    assert (request.temperature, request.seed, request.max_tokens) == (0.3, 5, 99)
    assert request.tools == [tool]
    (event,) = calls.drain()
    assert event.role == "agent" and event.model == "openai:gpt-4.1-mini"


def test_the_spec_max_steps_tightens_the_run_limit() -> None:
    looping = Model(
        "openai:gpt-4.1-mini",
        *[
            ChatResponse(
                tool_calls=[ToolCall(id=f"c{i}", name="nope", arguments={})], stop_reason="tool_use"
            )
            for i in range(10)
        ],
    )
    registry = ModelRegistry(cache=False)
    registry.register(looping.model, looping)
    spec = AgentSpec(name="a", kind="openai", model="gpt-4.1-mini", max_steps=3)
    record = asyncio.run(run_dialogue(PERSONA, spec, Mode.FULL, models=registry))
    assert record.end_reason == EndReason.MAX_STEPS and record.max_steps == 3
    assert len(looping.requests) == 3


def test_a_spent_budget_ends_the_dialogue_cleanly_with_its_own_reason() -> None:
    expensive = Model(
        "openai:gpt-4.1",
        ChatResponse(text="Which order?", usage=Usage(input_tokens=1_000_000)),
        ChatResponse(text="never sent"),
    )
    registry = ModelRegistry(cache=False)
    registry.register(expensive.model, expensive)
    budget = Budget(1.0)
    spec = AgentSpec(name="a", kind="openai", model="gpt-4.1")
    record = asyncio.run(run_dialogue(PERSONA, spec, Mode.ON_ASK, budget=budget, models=registry))
    assert record.end_reason == EndReason.BUDGET_EXCEEDED and record.end_reason.is_error
    assert record.error is not None and "budget of $1.00 reached" in record.error
    assert len(expensive.requests) == 1 and budget.spent_usd == 2.0
    calls = [e for e in record.events if isinstance(e, ModelCallEvent)]
    assert [c.cost_usd for c in calls] == [2.0, 0.0]
    assert record.scores.efficiency.models["agent"].cost_usd == 2.0


def test_an_agent_wrapper_gets_the_llm_agent_bound_to_the_dialogue() -> None:
    model = Model("openai:gpt-4.1-mini", ChatResponse(text="Which order is it?"))
    registry = ModelRegistry(cache=False)
    registry.register(model.model, model)
    wrapped: list[object] = []

    def wrapper(agent: object) -> LLMAgent:
        assert isinstance(agent, LLMAgent)
        wrapped.append(agent)
        return agent

    spec = AgentSpec(name="a", kind="openai", model="gpt-4.1-mini")
    record = asyncio.run(
        run_dialogue(
            PERSONA, spec, Mode.ON_ASK, models=registry, agent_wrapper=wrapper, max_turns=1
        )
    )
    assert len(wrapped) == 1
    assert [e.role for e in record.events if isinstance(e, ModelCallEvent)] == ["agent"]
