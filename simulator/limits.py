"""The default limits of a dialogue, in a module of their own: the study schema, the
runner and the CLI's help read them without importing the graph (and with it LangGraph)."""

from __future__ import annotations

DEFAULT_MAX_TURNS = 12
"""User turns before the dialogue is cut (``max_turns``)."""

DEFAULT_MAX_STEPS = 10
"""Agent steps allowed between two user turns (``max_steps``)."""

DEFAULT_MAX_MESSAGE_CHARS = 65_536
"""Characters of one agent reply (text and tool calls) that enter the dialogue by default."""
