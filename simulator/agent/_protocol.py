"""The agent under test: one step in, one reply out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from simulator.chat import Message, ToolCall, ToolSpec

__all__ = [
    "AgentReply",
    "AgentUnderTest",
    "InternalStep",
    "Message",
    "ToolCall",
    "ToolSpec",
]


class InternalStep(BaseModel):
    """A message an agent produced inside one step without the simulator's help.

    A LangGraph app that runs its own tools (a ``create_agent`` / ReAct graph) produces
    assistant messages with tool calls and tool results before its reply to the user.
    They never reach the user; they are recorded so replay, diff and the report show them.
    """

    role: Literal["assistant", "tool"]
    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    name: str | None = None  # the tool's name, for a tool result
    tool_call_id: str | None = None


class AgentReply(BaseModel):
    """What the agent produced in one step: text for the user and/or tool calls.

    ``internal`` holds what the agent did on its own before this reply (see
    :class:`InternalStep`); it is recorded but never sent to the user.
    """

    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    internal: list[InternalStep] = Field(default_factory=list)

    def to_message(self) -> Message:
        message: Message = {"role": "assistant", "content": self.content}
        if self.tool_calls:
            message["tool_calls"] = [c.to_openai() for c in self.tool_calls]
        return message


@runtime_checkable
class AgentUnderTest(Protocol):
    """Anything that can take one step of a conversation.

    ``messages`` is the whole transcript so far as OpenAI-style dicts (the first is a
    system message with the dialogue's context); ``tools`` the tools it may call. A new
    instance is built for every dialogue, so an agent may keep state between steps.
    """

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """Return the next assistant message."""
        ...
