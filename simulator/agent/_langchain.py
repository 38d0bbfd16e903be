"""Adapters for LangChain chat models and Runnables (incl. compiled LangGraph apps).

LangChain is imported inside the functions: it is a core dependency, but importing it
costs about half a second that plain-function agents and the CLI's fast paths need not pay.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from simulator.agent._callable import (
    CallableAgent,
    InvalidAgentReply,
    call_id,
    coerce_reply,
)
from simulator.agent._protocol import (
    AgentReply,
    AgentUnderTest,
    InternalStep,
    Message,
    ToolCall,
    ToolSpec,
)
from simulator.errors import AgentSpecError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.runnables import Runnable, RunnableConfig


def to_langchain(messages: Sequence[Message], *, ids: bool = False) -> list[BaseMessage]:
    """OpenAI-style dicts as LangChain messages (tool-call arguments may be JSON strings).

    With ``ids``, messages without an id get ``sim-<index>``, so a graph's output can be
    split into what it was given and what it added, even across checkpointer copies.
    """
    from langchain_core.messages import convert_to_messages

    dicts = copy.deepcopy(list(messages))
    if ids:
        for i, message in enumerate(dicts):
            message.setdefault("id", f"sim-{i}")
    return convert_to_messages(dicts)


def _text(content: Any) -> str:
    """The text of a message's content: a str, or the text blocks of a content list joined."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def ai_message_to_reply(message: AIMessage, *, step: int) -> AgentReply:
    """An AIMessage as an AgentReply; unparseable tool calls are an invalid reply."""
    if message.invalid_tool_calls:
        bad = message.invalid_tool_calls[0]
        raise InvalidAgentReply(
            f"model produced an invalid tool call {bad.get('name')!r}: "
            f"{bad.get('error') or 'arguments are not valid JSON'}"
        )
    calls = [
        ToolCall(id=c.get("id") or call_id(step, i), name=c["name"], arguments=dict(c["args"]))
        for i, c in enumerate(message.tool_calls)
    ]
    return AgentReply(content=_text(message.content), tool_calls=calls)


def _internal_step(message: BaseMessage, *, step: int) -> InternalStep:
    """A message the agent's own graph produced before its reply (tool call, tool result)."""
    from langchain_core.messages import AIMessage, ToolMessage

    if isinstance(message, AIMessage):
        calls = [
            ToolCall(id=c.get("id") or call_id(step, i), name=c["name"], arguments=dict(c["args"]))
            for i, c in enumerate(message.tool_calls)
        ]
        return InternalStep(role="assistant", content=_text(message.content), tool_calls=calls)
    if isinstance(message, ToolMessage):
        return InternalStep(
            role="tool",
            content=_text(message.content),
            name=message.name,
            tool_call_id=message.tool_call_id,
        )
    # anything else a graph adds (a system or human message of its own) is kept as text
    return InternalStep(role="assistant", content=f"[{message.type}] {_text(message.content)}")


def _output_to_reply(output: Any, *, step: int, input_ids: set[str]) -> AgentReply:
    """A Runnable's output (state dict, AIMessage, str, message dict) as an AgentReply."""
    from langchain_core.messages import AIMessage, convert_to_messages

    if isinstance(output, dict) and "messages" in output:
        produced = convert_to_messages(list(output["messages"]))
        new = [m for m in produced if m.id is None or m.id not in input_ids]
        replies = [m for m in new if isinstance(m, AIMessage)]
        if not replies:
            raise InvalidAgentReply("agent returned no new AI message in 'messages'")
        last = replies[-1]
        reply = ai_message_to_reply(last, step=step)
        reply.internal = [_internal_step(m, step=step) for m in new if m is not last]
        return reply
    if isinstance(output, AIMessage):
        return ai_message_to_reply(output, step=step)
    if isinstance(output, dict) and not {"content", "tool_calls", "role"} & set(output):
        keys = ", ".join(map(repr, list(output)[:8])) or "none"
        raise InvalidAgentReply(
            f"the graph's output has no 'messages' key (its keys: {keys}); the agent is "
            "invoked with {'messages': [...]} and its reply is read from the 'messages' "
            "it returns (e.g. a state built on langgraph's MessagesState)"
        )
    return coerce_reply(output, step=step)


class ChatModelAgent:
    """A LangChain chat model as an agent: one model call per step, tools bound when offered."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model
        self._steps = 0

    def _bound(self, tools: Sequence[ToolSpec]) -> Runnable[Any, Any]:
        """The model with the tools bound; unbound for models that cannot bind tools."""
        if not tools:
            return self.model
        try:
            return self.model.bind_tools([t.to_openai() for t in tools])
        except NotImplementedError:
            return self.model

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """Invoke the model on the transcript and convert its AIMessage back."""
        from langchain_core.messages import AIMessage

        step = self._steps
        self._steps += 1
        result = await self._bound(tools).ainvoke(to_langchain(messages))
        if isinstance(result, AIMessage):
            return ai_message_to_reply(result, step=step)
        return coerce_reply(result, step=step)

    def __repr__(self) -> str:
        return f"ChatModelAgent({type(self.model).__name__})"


class RunnableAgent:
    """A Runnable or compiled graph taking ``{"messages": [...]}`` as an agent.

    It returns a state dict whose new messages end in the reply (tools the graph ran
    itself stay internal: they are recorded as the reply's ``internal`` steps, and only
    the last AIMessage goes to the user), or an AIMessage or str. The
    whole transcript is passed on every step, so compile graphs without a checkpointer.
    """

    def __init__(self, runnable: Runnable[Any, Any], config: RunnableConfig | None = None) -> None:
        self.runnable = runnable
        self.config = config
        self._steps = 0

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """Invoke the runnable on the transcript; ``tools`` are the graph's own business."""
        step = self._steps
        self._steps += 1
        inputs = to_langchain(messages, ids=True)
        output = await self.runnable.ainvoke({"messages": inputs}, self.config)
        input_ids = {m.id for m in inputs if m.id is not None}
        return _output_to_reply(output, step=step, input_ids=input_ids)

    def __repr__(self) -> str:
        return f"RunnableAgent({type(self.runnable).__name__})"


def wrap_agent(obj: Any) -> AgentUnderTest:
    """Adapt a user object to AgentUnderTest.

    Tried in order: an async ``step`` method (used as is), a chat model, a Runnable or
    compiled graph, a sync ``step`` method, any other callable.
    """
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    if inspect.isclass(obj):
        raise AgentSpecError(
            f"{obj.__qualname__} is a class; pass an instance "
            "(build_agent instantiates classes once per dialogue)"
        )
    step = getattr(obj, "step", None)
    if callable(step) and inspect.iscoroutinefunction(step):
        return cast(AgentUnderTest, obj)
    if isinstance(obj, BaseChatModel):
        return ChatModelAgent(obj)
    if isinstance(obj, Runnable):
        return RunnableAgent(obj)
    if callable(step):
        return CallableAgent(step)
    if callable(obj):
        return CallableAgent(obj)
    raise AgentSpecError(
        f"cannot use a {type(obj).__name__} as an agent: expected an object with an async "
        "step(messages, tools), a LangChain chat model, a Runnable or compiled graph, "
        "or a callable fn(messages, tools)"
    )
