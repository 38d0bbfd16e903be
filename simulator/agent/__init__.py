"""The agent under test: the protocol, adapters for user code, LLM agents, and agent specs."""

from typing import TYPE_CHECKING

from simulator.agent._callable import CallableAgent, InvalidAgentReply
from simulator.agent._langchain import ChatModelAgent, RunnableAgent, wrap_agent
from simulator.agent._object import agent_from_object, is_in_memory
from simulator.agent._protocol import AgentReply, AgentUnderTest, Message, ToolCall, ToolSpec
from simulator.agent._spec import (
    LLM_KINDS,
    AgentSpec,
    build_agent,
    check_reference,
    code_digest,
    code_file,
    load_target,
    resolve_agent_spec,
)
from simulator.agent._transcript import TranscriptAgent, transcript_agent

if TYPE_CHECKING:
    from simulator.agent._llm import LLMAgent

__all__ = [
    "LLM_KINDS",
    "AgentReply",
    "AgentSpec",
    "AgentUnderTest",
    "CallableAgent",
    "ChatModelAgent",
    "InvalidAgentReply",
    "LLMAgent",
    "Message",
    "RunnableAgent",
    "ToolCall",
    "ToolSpec",
    "TranscriptAgent",
    "agent_from_object",
    "build_agent",
    "check_reference",
    "code_digest",
    "code_file",
    "is_in_memory",
    "load_target",
    "resolve_agent_spec",
    "transcript_agent",
    "wrap_agent",
]


def __getattr__(name: str) -> object:
    """``LLMAgent`` is imported on first use: the model clients import this package."""
    if name == "LLMAgent":
        from simulator.agent._llm import LLMAgent

        return LLMAgent
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
