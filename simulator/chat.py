"""The chat vocabulary every layer shares: messages, tools and tool calls.

The agent under test, the model clients and the environments all speak it; it imports
nothing of the project, so each of them can import it without importing the others.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SUBMIT_ANSWER", "Message", "ToolCall", "ToolSpec"]

Message = dict[str, Any]
"""An OpenAI-style chat message: ``role``, ``content``, and ``tool_calls`` / ``tool_call_id``."""


class ToolSpec(BaseModel):
    """A tool offered to the agent, described by a JSON Schema of its arguments."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    def to_openai(self) -> dict[str, Any]:
        """The tool in OpenAI's ``tools`` format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


class ToolCall(BaseModel):
    """One tool call requested by the agent."""

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(self.arguments)},
        }


SUBMIT_ANSWER = ToolSpec(
    name="submit_answer",
    description=(
        "Give your final answer to the user's request. Call it once you are confident; "
        "the user reads the answer and replies."
    ),
    parameters={
        "type": "object",
        "properties": {"answer": {"type": "string", "description": "The answer, e.g. a value"}},
        "required": ["answer"],
    },
)
"""The tool the graph adds to every environment's: an explicit answer (never run by an
environment)."""
