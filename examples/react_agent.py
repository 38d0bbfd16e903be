"""A LangGraph agent that runs its own tools, put under test with the refund persona.

Built with LangChain's current agent API, ``langchain.agents.create_agent`` (the
successor of LangGraph's deprecated ``create_react_agent``). Its own tool calls and their
results are recorded as ``agent_internal`` events, so ``simulator show``, ``diff`` and the
report show them; only its final message goes to the simulated user.

    pip install langchain langchain-openai
    simulator run -p personas/examples/refund.yaml \\
        -a examples/react_agent.py:make_agent --mode on_ask --out runs/react

``make_agent`` is a factory: the simulator calls it once per dialogue, so no two
dialogues share a graph or its state. A module-level ``graph = create_agent(...)`` works
too, but that one object then serves every dialogue of the run.
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.tools import tool

REFUNDS = {("ORD-7731", "the left hand of darkness"): 12.99}


@tool
def lookup_refund(order: str, title: str) -> str:
    """The refund due for a returned book, by order number and book title."""
    amount = REFUNDS.get((order.strip().upper(), title.strip().lower()))
    return f"refund due: ${amount:.2f}" if amount is not None else "no such return"


SYSTEM_PROMPT = (
    "You are a bookshop's support agent. To tell a customer their refund you need the "
    "order number and the book's title: ask for what is missing, then call lookup_refund "
    "and tell them the amount. Never share other customers' details."
)


def make_agent(model: Any = "openai:gpt-4.1-mini") -> Any:
    """A fresh compiled agent graph; ``model`` is a chat model or a provider:model string."""
    return create_agent(model, tools=[lookup_refund], system_prompt=SYSTEM_PROMPT)
