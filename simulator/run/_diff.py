"""Where two dialogues part: the first user turn in which they differ, side by side.

Each record is cut into turns (what the user said, then everything the agent did before
the next user turn); the first turn whose content differs is where they part. Wall-clock
fields never count as a difference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from simulator.record import (
    AgentInternalEvent,
    AgentMessageEvent,
    AnswerAttemptEvent,
    DialogueRecord,
    EndEvent,
    ErrorEvent,
    ToolResultEvent,
    UserTurnEvent,
)


@dataclass
class TurnView:
    """One turn as text lines: the user's utterance, then the agent's side."""

    turn: int
    user: list[str] = field(default_factory=list)
    agent: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [*self.user, *self.agent]


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def turn_views(record: DialogueRecord) -> list[TurnView]:
    """The record's turns, in order (turn 0 holds anything before the first user turn)."""
    views: dict[int, TurnView] = {}

    def view(turn: int) -> TurnView:
        return views.setdefault(turn, TurnView(turn))

    for event in record.events:
        if isinstance(event, UserTurnEvent):
            closing = " (closing)" if event.final else ""
            target = view(event.turn)
            target.user.append(f"USER{closing}: {event.text}")
        elif isinstance(event, AgentMessageEvent):
            if event.content.strip():
                view(event.turn).agent.append(f"AGENT: {event.content.strip()}")
            for call in event.tool_calls:
                args = _clip(json.dumps(call.arguments, ensure_ascii=False, sort_keys=True))
                view(event.turn).agent.append(f"→ {call.name}({args})")
        elif isinstance(event, AgentInternalEvent):
            view(event.turn).agent.append(event.describe())
        elif isinstance(event, ToolResultEvent):
            view(event.turn).agent.append(f"← {_clip(event.result)}")
        elif isinstance(event, AnswerAttemptEvent):
            view(event.turn).agent.append(f"ANSWER ({event.via}): {event.answer}")
        elif isinstance(event, ErrorEvent):
            view(event.turn).agent.append(f"ERROR {event.where}: {event.error_type}")
        elif isinstance(event, EndEvent):
            view(event.turn).agent.append(f"END: {event.reason.value} {event.detail}".rstrip())
    return [views[t] for t in sorted(views)]


@dataclass(frozen=True)
class DialogueDiff:
    """Two records compared turn by turn."""

    a: DialogueRecord
    b: DialogueRecord
    turn: int | None  # the first user turn that differs; None when they never part
    left: TurnView | None
    right: TurnView | None

    @property
    def identical(self) -> bool:
        return self.turn is None


def diff_records(a: DialogueRecord, b: DialogueRecord) -> DialogueDiff:
    """Compare two records turn by turn."""
    xs = {v.turn: v for v in turn_views(a)}
    ys = {v.turn: v for v in turn_views(b)}
    for turn in sorted(set(xs) | set(ys)):
        left, right = xs.get(turn), ys.get(turn)
        if (left.lines if left else None) != (right.lines if right else None):
            return DialogueDiff(a, b, turn, left, right)
    return DialogueDiff(a, b, None, None, None)
