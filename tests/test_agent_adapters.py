"""Adapters that turn user code into an AgentUnderTest, and agent spec resolution."""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import RunnableLambda
from langgraph.graph import END, START, MessagesState, StateGraph
from pydantic import Field

from simulator.agent import (
    AgentReply,
    AgentSpec,
    AgentUnderTest,
    CallableAgent,
    ChatModelAgent,
    InvalidAgentReply,
    RunnableAgent,
    ToolCall,
    ToolSpec,
    build_agent,
    resolve_agent_spec,
    wrap_agent,
)
from simulator.errors import AgentSpecError

T = TypeVar("T")
FIXTURE = Path(__file__).parent / "fixtures" / "scripted_agent.py"
TOOLS = [
    ToolSpec(
        name="submit_answer",
        description="Submit the final answer.",
        parameters={"type": "object", "properties": {"answer": {"type": "string"}}},
    )
]
TRANSCRIPT: list[dict[str, Any]] = [
    {"role": "system", "content": "You help with revenue questions."},
    {"role": "user", "content": "Hi, I need a number."},
]


@pytest.fixture(autouse=True)
def _no_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    """LangSmith tracing would open a connection; these tests never do."""
    for name in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"):
        monkeypatch.delenv(name, raising=False)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def step(agent: AgentUnderTest, messages: Sequence[dict[str, Any]] = TRANSCRIPT) -> AgentReply:
    return run(agent.step(messages, TOOLS))


# --- CallableAgent -----------------------------------------------------------------------


def test_sync_function_returning_str_gets_messages_and_openai_tools() -> None:
    seen: dict[str, Any] = {}

    def agent(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> str:
        seen["messages"], seen["tools"] = messages, tools
        return "Which account?"

    assert step(CallableAgent(agent)) == AgentReply(content="Which account?")
    assert seen["messages"] == TRANSCRIPT
    assert seen["tools"] == [TOOLS[0].to_openai()]


def test_async_function_and_async_callable_object() -> None:
    async def agent(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> str:
        return f"{len(messages)} messages, {len(tools)} tools"

    class Bot:
        async def __call__(self, messages: list[dict[str, Any]], tools: Any) -> AgentReply:
            return AgentReply(content="from object")

    assert step(CallableAgent(agent)).content == "2 messages, 1 tools"
    assert step(CallableAgent(Bot())).content == "from object"


def test_sync_function_returning_awaitable_is_awaited() -> None:
    async def later() -> str:
        return "awaited"

    assert step(CallableAgent(lambda messages, tools: later())).content == "awaited"


def test_one_parameter_function_is_called_without_tools() -> None:
    assert step(CallableAgent(lambda messages: messages[-1]["content"])).content == (
        "Hi, I need a number."
    )


def test_function_without_parameters_is_a_spec_error() -> None:
    with pytest.raises(AgentSpecError, match="no positional arguments"):
        CallableAgent(lambda: "hi")


def test_transcript_passed_is_a_copy() -> None:
    transcript = [dict(m) for m in TRANSCRIPT]

    def vandal(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> str:
        messages[0]["content"] = "changed"
        messages.append({"role": "user", "content": "injected"})
        tools.clear()
        return "ok"

    agent = CallableAgent(vandal)
    step(agent, transcript)
    assert transcript == TRANSCRIPT


def test_assistant_dict_with_content_only() -> None:
    reply = step(CallableAgent(lambda m, t: {"role": "assistant", "content": "Sure."}))
    assert reply == AgentReply(content="Sure.")


@pytest.mark.parametrize("arguments", ['{"answer": "42"}', {"answer": "42"}])
def test_assistant_dict_with_tool_calls(arguments: Any) -> None:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "submit_answer", "arguments": arguments},
            }
        ],
    }
    reply = step(CallableAgent(lambda m, t: message))
    assert reply == AgentReply(
        content="", tool_calls=[ToolCall(id="c1", name="submit_answer", arguments={"answer": "42"})]
    )


def test_missing_tool_call_ids_are_deterministic() -> None:
    message = {
        "content": "Looking it up.",
        "tool_calls": [
            {"function": {"name": "lookup", "arguments": "{}"}},
            {"name": "submit_answer", "arguments": {"answer": 1}},
        ],
    }
    agent = CallableAgent(lambda m, t: message)
    first, second = step(agent), step(agent)
    assert [c.id for c in first.tool_calls] == ["call_0_0", "call_0_1"]
    assert [c.id for c in second.tool_calls] == ["call_1_0", "call_1_1"]
    assert second.tool_calls[1].arguments == {"answer": 1}


def test_agent_reply_is_passed_through() -> None:
    reply = AgentReply(content="x", tool_calls=[ToolCall(id="a", name="submit_answer")])
    assert step(CallableAgent(lambda m, t: reply)) == reply


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "agent returned NoneType; expected a str, an assistant message dict or AgentReply"),
        (42, "agent returned int; expected a str, an assistant message dict or AgentReply"),
        ({"text": "hi"}, "dict without content or tool_calls"),
        ({"role": "user", "content": "hi"}, "role 'user'"),
        ({"content": "x", "tool_calls": "submit"}, "tool_calls is str; expected a list"),
        ({"content": "x", "tool_calls": [{"function": {"arguments": "{}"}}]}, "no tool name"),
        (
            {"content": "x", "tool_calls": [{"function": {"name": "f", "arguments": "{oops"}}]},
            r"tool_calls\[0\] \(f\): arguments are not valid JSON",
        ),
        (
            {"content": "x", "tool_calls": [{"function": {"name": "f", "arguments": "[1]"}}]},
            "arguments are list; expected a JSON object",
        ),
        ({"content": 3}, "content is int"),
    ],
)
def test_garbage_replies_raise_invalid_agent_reply(value: Any, message: str) -> None:
    with pytest.raises(InvalidAgentReply, match=message):
        step(CallableAgent(lambda m, t: value))
    assert issubclass(InvalidAgentReply, ValueError)


# --- LangChain -----------------------------------------------------------------------------


class ToolModel(FakeMessagesListChatModel):
    """A fake chat model that supports bind_tools and remembers what it was given."""

    bound: list[Any] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        self.bound = list(tools)
        return self

    async def ainvoke(self, input: Any, config: Any = None, **kwargs: Any) -> Any:
        self.received.append(list(input))
        return await super().ainvoke(input, config, **kwargs)


def test_chat_model_agent_binds_tools_and_returns_tool_calls() -> None:
    model = ToolModel(
        responses=[
            AIMessage(
                content=[{"type": "text", "text": "Submitting "}, {"type": "text", "text": "now."}],
                tool_calls=[{"name": "submit_answer", "args": {"answer": "42"}, "id": "t1"}],
            )
        ],
    )
    history = [
        *TRANSCRIPT,
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "q",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"k": 1}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "q", "content": "found"},
    ]
    reply = step(ChatModelAgent(model), history)
    assert reply == AgentReply(
        content="Submitting now.",
        tool_calls=[ToolCall(id="t1", name="submit_answer", arguments={"answer": "42"})],
    )
    assert model.bound == [TOOLS[0].to_openai()]
    sent = model.received[0]
    assert [type(m).__name__ for m in sent] == [
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "ToolMessage",
    ]
    assert isinstance(sent[2], AIMessage) and sent[2].tool_calls[0]["args"] == {"k": 1}
    assert isinstance(sent[3], ToolMessage) and sent[3].tool_call_id == "q"


def test_chat_model_without_bind_tools_is_used_unbound() -> None:
    model = FakeMessagesListChatModel(responses=[AIMessage(content="Which quarter?")])
    assert step(wrap_agent(model)) == AgentReply(content="Which quarter?")


def test_runnable_lambda_returning_ai_message_or_str() -> None:
    def last_text(state: dict[str, Any]) -> AIMessage:
        return AIMessage(content=f"You said: {state['messages'][-1].content}")

    assert (
        step(RunnableAgent(RunnableLambda(last_text))).content == "You said: Hi, I need a number."
    )
    assert step(wrap_agent(RunnableLambda(lambda state: "plain"))).content == "plain"


def test_compiled_graph_reply_is_last_new_ai_message() -> None:
    def node(state: MessagesState) -> dict[str, Any]:
        return {
            "messages": [
                AIMessage(content="", tool_calls=[{"name": "lookup", "args": {}, "id": "x"}]),
                ToolMessage(content="184500", tool_call_id="x"),
                AIMessage(
                    content="It is 184,500.",
                    tool_calls=[{"name": "submit_answer", "args": {"answer": 184500}, "id": "s"}],
                ),
            ]
        }

    graph = StateGraph(MessagesState)
    graph.add_node("agent", node)
    graph.add_edge(START, "agent")
    graph.add_edge("agent", END)
    agent = wrap_agent(graph.compile())
    assert isinstance(agent, RunnableAgent)
    history = [*TRANSCRIPT, {"role": "assistant", "content": "Which account?"}]
    reply = step(agent, history)
    assert reply.content == "It is 184,500."
    assert reply.tool_calls == [
        ToolCall(id="s", name="submit_answer", arguments={"answer": 184500})
    ]
    # the graph's own tool call and its result are kept as internal steps, in order
    assert [(i.role, i.content) for i in reply.internal] == [("assistant", ""), ("tool", "184500")]
    assert reply.internal[0].tool_calls == [ToolCall(id="x", name="lookup", arguments={})]


def test_graph_that_adds_no_ai_message_is_invalid() -> None:
    echo: RunnableLambda[Any, Any] = RunnableLambda(lambda state: {"messages": state["messages"]})
    with pytest.raises(InvalidAgentReply, match="no new AI message"):
        step(RunnableAgent(echo), [*TRANSCRIPT, {"role": "assistant", "content": "old"}])


def test_wrap_agent_dispatch() -> None:
    class Native:
        async def step(self, messages: Any, tools: Any) -> AgentReply:
            return AgentReply(content="native")

    class SyncStep:
        def step(self, messages: Any, tools: Any) -> str:
            return "sync step"

    native = Native()
    assert wrap_agent(native) is native
    assert step(wrap_agent(SyncStep())).content == "sync step"
    assert isinstance(wrap_agent(lambda m, t: "x"), CallableAgent)
    with pytest.raises(AgentSpecError, match="is a class"):
        wrap_agent(Native)
    with pytest.raises(AgentSpecError, match="cannot use a int"):
        wrap_agent(3)


# --- specs ---------------------------------------------------------------------------------


def test_file_target_resolves_and_builds_fresh_agents() -> None:
    spec = resolve_agent_spec(f"{FIXTURE}:echo_agent")
    assert spec.kind == "python" and spec.name == "scripted_agent:echo_agent"
    first = build_agent(spec)
    assert step(first).content.startswith("Could you")
    history = [
        *TRANSCRIPT,
        {"role": "assistant", "content": "?"},
        {"role": "user", "content": "42"},
    ]
    reply = step(first, history)
    assert reply.tool_calls == [
        ToolCall(id="call_submit", name="submit_answer", arguments={"answer": "42"})
    ]
    assert build_agent(spec) is not first


def test_relative_file_target_uses_base_dir() -> None:
    spec = resolve_agent_spec(
        "fixtures/scripted_agent.py:echo_agent", base_dir=FIXTURE.parent.parent
    )
    assert Path(spec.target.rpartition(":")[0]) == FIXTURE.resolve()


def test_module_target_and_class_with_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sim_test_agents_mod.py").write_text(
        textwrap.dedent(
            """
            from simulator.agent import AgentReply

            class Greeter:
                def __init__(self, greeting="hello"):
                    self.greeting = greeting
                    self.calls = 0

                async def step(self, messages, tools):
                    self.calls += 1
                    return AgentReply(content=f"{self.greeting} #{self.calls}")

            def make(greeting="hey"):
                return lambda messages, tools: greeting
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = resolve_agent_spec("sim_test_agents_mod:Greeter")
    assert spec == AgentSpec(name="sim_test_agents_mod:Greeter", kind="python", target=spec.target)
    with_options = spec.model_copy(update={"options": {"greeting": "hi"}})
    agent = build_agent(with_options)
    assert step(agent).content == "hi #1" and step(agent).content == "hi #2"
    assert step(build_agent(with_options)).content == "hi #1"
    factory = AgentSpec(
        name="f", kind="python", target="sim_test_agents_mod:make", options={"greeting": "yo"}
    )
    assert step(build_agent(factory)).content == "yo"
    with pytest.raises(AgentSpecError, match="building the agent failed"):
        build_agent(spec.model_copy(update={"options": {"nope": 1}}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no_such_module_xyz:agent", "unknown module 'no_such_module_xyz'"),
        ("json:no_such_attr", "json has no attribute 'no_such_attr'"),
        ("missing/agent.py:fn", r"agent\.py: agent file not found"),
        ("agents/none.yaml", r"none\.yaml: agent spec file not found"),
        ("just-a-name", "expected a YAML spec file"),
        ("reference:", "missing the reference agent name"),
    ],
)
def test_resolution_errors(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(AgentSpecError, match=message):
        resolve_agent_spec(text, base_dir=tmp_path)


def test_reference_form_and_shipped_yaml_specs() -> None:
    assert resolve_agent_spec("reference:eager") == AgentSpec(
        name="eager", kind="reference", target="eager"
    )
    root = Path(__file__).parent.parent
    for name in ("careful", "eager", "leaky", "guarded"):
        spec = resolve_agent_spec(f"agents/{name}.yaml", base_dir=root)
        assert (spec.name, spec.kind, spec.target) == (name, "reference", name)


def test_yaml_python_spec_relative_to_its_file(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text("def agent(messages):\n    return 'from file'\n")
    (tmp_path / "bot.yaml").write_text("kind: python\ntarget: bot.py:agent\n")
    spec = resolve_agent_spec(str(tmp_path / "bot.yaml"))
    assert spec.name == "bot" and step(build_agent(spec)).content == "from file"


def test_yaml_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nkind: reference\ntarget: careful\nmodel: gpt\n")
    with pytest.raises(AgentSpecError) as info:
        resolve_agent_spec(str(path))
    assert str(info.value).startswith(f"{path}:4:1: unknown key 'model' (allowed: name, kind")


def test_yaml_errors_name_file_and_line(tmp_path: Path) -> None:
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("name: x\nkind: [reference\n")
    with pytest.raises(AgentSpecError, match=rf"{syntax}:\d+:\d+: invalid YAML"):
        resolve_agent_spec(str(syntax))
    kind = tmp_path / "kind.yaml"
    kind.write_text("kind: openia\ntarget: x\n")
    with pytest.raises(AgentSpecError, match=rf"{kind}:1:1: kind: Input should be"):
        resolve_agent_spec(str(kind))
    target = tmp_path / "target.yaml"
    target.write_text("kind: python\ntarget: json:nothing\n")
    with pytest.raises(AgentSpecError, match=rf"{target}:2:1: target: json has no attribute"):
        resolve_agent_spec(str(target))


def test_options_on_plain_agent_function_are_rejected() -> None:
    spec = AgentSpec(name="e", kind="python", target=f"{FIXTURE}:echo_agent", options={"a": 1})
    with pytest.raises(AgentSpecError, match="not a class or factory"):
        build_agent(spec)


def test_tool_call_arguments_roundtrip_to_openai() -> None:
    reply = step(
        CallableAgent(
            lambda m, t: {"content": "", "tool_calls": [{"name": "f", "args": {"a": [1]}}]}
        )
    )
    assert json.loads(reply.to_message()["tool_calls"][0]["function"]["arguments"]) == {"a": [1]}


def test_a_target_that_cannot_be_an_agent_fails_when_named(tmp_path: Path) -> None:
    """Before any dialogue, and before a run folder is made: not at the first dialogue."""
    (tmp_path / "numbers.py").write_text("reply = 42\nname = 'x'\n", encoding="utf-8")
    for attr, kind in (("reply", "an int"), ("name", "a str")):
        with pytest.raises(AgentSpecError, match=f"numbers.py: {attr} is {kind}, not an agent"):
            resolve_agent_spec(f"{tmp_path / 'numbers.py'}:{attr}")
    spec_file = tmp_path / "agent.yaml"
    spec_file.write_text("name: n\nkind: python\ntarget: numbers.py:reply\n", encoding="utf-8")
    with pytest.raises(AgentSpecError, match=r"agent.yaml:3:1: target: .*reply is an int"):
        resolve_agent_spec(str(spec_file))


def test_a_graph_whose_output_has_no_messages_says_so() -> None:
    graph = RunnableLambda(lambda state: {"answer": "12.99", "steps": 3})
    with pytest.raises(
        InvalidAgentReply, match=r"no 'messages' key \(its keys: 'answer', 'steps'\)"
    ):
        step(RunnableAgent(graph))
