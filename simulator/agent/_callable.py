"""Adapter for plain Python callables, and the coercion of loose replies into AgentReply."""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
from collections.abc import Callable, Sequence
from typing import Any

from simulator.agent._protocol import AgentReply, Message, ToolCall, ToolSpec
from simulator.errors import AgentSpecError

_EXPECTED = "expected a str, an assistant message dict or AgentReply"


class InvalidAgentReply(ValueError):
    """The agent returned something that is not a reply; recorded as an agent error."""


def call_id(step: int, index: int) -> str:
    """Deterministic id for a tool call that came without one (same transcript, same ids)."""
    return f"call_{step}_{index}"


def positional_arity(fn: Callable[..., Any]) -> int | None:
    """How many positional arguments ``fn`` accepts (capped at 2); None when unknown."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return 2
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return min(count, 2)


def _is_async_callable(fn: Callable[..., Any]) -> bool:
    """True for coroutine functions, including objects whose ``__call__`` is one."""
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(type(fn).__call__)


def _text_of(content: Any, where: str) -> str:
    """Reply text from a content field: a str, None, or a list of text content blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    raise InvalidAgentReply(f"{where}: content is {type(content).__name__}; expected a str")


def _arguments(raw: Any, where: str) -> dict[str, Any]:
    """Tool-call arguments from a JSON object string or a dict (empty means no arguments)."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidAgentReply(f"{where}: arguments are not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        kind = type(raw).__name__
        raise InvalidAgentReply(f"{where}: arguments are {kind}; expected a JSON object")
    return copy.deepcopy(raw)


def coerce_tool_call(raw: Any, *, step: int, index: int) -> ToolCall:
    """One tool call in OpenAI format (or flat ``name``/``arguments``/``args``) as a ToolCall."""
    where = f"tool_calls[{index}]"
    if isinstance(raw, ToolCall):
        return raw.model_copy(update={"id": raw.id or call_id(step, index)}, deep=True)
    if not isinstance(raw, dict):
        raise InvalidAgentReply(f"{where} is {type(raw).__name__}; expected a dict")
    body = raw.get("function", raw)
    if not isinstance(body, dict):
        raise InvalidAgentReply(f"{where}.function is {type(body).__name__}; expected a dict")
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidAgentReply(f"{where} has no tool name")
    args = _arguments(body.get("arguments", body.get("args")), f"{where} ({name})")
    ident = raw.get("id")
    if ident is not None and not isinstance(ident, str):
        raise InvalidAgentReply(f"{where}.id is {type(ident).__name__}; expected a str")
    return ToolCall(id=ident or call_id(step, index), name=name, arguments=args)


def coerce_reply(value: Any, *, step: int) -> AgentReply:
    """Turn a str, an assistant message dict or an AgentReply into a fresh AgentReply."""
    if isinstance(value, AgentReply):
        calls = [coerce_tool_call(c, step=step, index=i) for i, c in enumerate(value.tool_calls)]
        return AgentReply(content=value.content, tool_calls=calls)
    if isinstance(value, str):
        return AgentReply(content=value)
    if isinstance(value, dict):
        role = value.get("role", "assistant")
        if role not in ("assistant", "ai"):
            raise InvalidAgentReply(f"agent returned a message with role {role!r}; {_EXPECTED}")
        if "content" not in value and "tool_calls" not in value:
            raise InvalidAgentReply(
                f"agent returned a dict without content or tool_calls; {_EXPECTED}"
            )
        raw_calls = value.get("tool_calls") or []
        if not isinstance(raw_calls, list):
            kind = type(raw_calls).__name__
            raise InvalidAgentReply(f"tool_calls is {kind}; expected a list")
        calls = [coerce_tool_call(c, step=step, index=i) for i, c in enumerate(raw_calls)]
        return AgentReply(content=_text_of(value.get("content"), "agent reply"), tool_calls=calls)
    raise InvalidAgentReply(f"agent returned {type(value).__name__}; {_EXPECTED}")


class CallableAgent:
    """A plain function (sync or async) as an agent: ``fn(messages, tools)`` or ``fn(messages)``.

    The function gets deep copies of the transcript, so it cannot alter the record, and
    OpenAI-format tool dicts. Sync functions run in a worker thread so a blocking agent
    does not stall other dialogues running concurrently.
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        if not callable(fn):
            raise AgentSpecError(f"{fn!r} is not callable")
        arity = positional_arity(fn)
        if arity == 0:
            name = getattr(fn, "__qualname__", repr(fn))
            raise AgentSpecError(
                f"{name} takes no positional arguments; an agent function is called as "
                "fn(messages, tools) or fn(messages)"
            )
        self.fn = fn
        self._pass_tools = arity != 1
        self._is_async = _is_async_callable(fn)
        self._steps = 0

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """Call the function on a copy of the transcript and coerce what it returns."""
        step = self._steps
        self._steps += 1
        args: list[Any] = [copy.deepcopy(list(messages))]
        if self._pass_tools:
            args.append([t.to_openai() for t in tools])
        if self._is_async:
            result = self.fn(*args)
        else:
            result = await asyncio.to_thread(self.fn, *args)
        if inspect.isawaitable(result):
            result = await result
        return coerce_reply(result, step=step)

    def __repr__(self) -> str:
        return f"CallableAgent({getattr(self.fn, '__qualname__', self.fn)!r})"
