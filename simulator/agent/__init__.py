"""The agent under test: the protocol, adapters for user code, and agent specs."""

from simulator.agent._callable import CallableAgent, InvalidAgentReply
from simulator.agent._langchain import ChatModelAgent, RunnableAgent, wrap_agent
from simulator.agent._protocol import AgentReply, AgentUnderTest, Message, ToolCall, ToolSpec
from simulator.agent._spec import AgentSpec, build_agent, resolve_agent_spec

__all__ = [
    "AgentReply",
    "AgentSpec",
    "AgentUnderTest",
    "CallableAgent",
    "ChatModelAgent",
    "InvalidAgentReply",
    "Message",
    "RunnableAgent",
    "ToolCall",
    "ToolSpec",
    "build_agent",
    "resolve_agent_spec",
    "wrap_agent",
]
