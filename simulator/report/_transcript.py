"""A readable transcript of one record: revealed facts, answer attempts and leaks marked."""

from __future__ import annotations

import json

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from simulator.judge.leaks import find_leaks
from simulator.persona import Confidential
from simulator.record import (
    AgentInternalEvent,
    AgentMessageEvent,
    AnswerAttemptEvent,
    DialogueRecord,
    EndEvent,
    ErrorEvent,
    Leak,
    ToolResultEvent,
    UserTurnEvent,
    ViolationEvent,
)

_MAX_TOOL_CHARS = 160


def secrets_of(record: DialogueRecord) -> list[Confidential]:
    """The record's confidential fields; one the schema no longer reads is skipped."""
    out = []
    for raw in record.persona.get("confidential", []):
        try:
            out.append(Confidential.model_validate(raw))
        except ValueError:
            continue
    return out


def _marked(text: str, secrets: list[Confidential]) -> Text:
    """The agent's text with every disclosure of a confidential value highlighted."""
    out = Text(text)
    for secret in secrets:
        for hit in find_leaks(secret, text):
            out.stylize("bold white on red", hit.start, hit.end)
    return out


def leak_label(leak: Leak) -> str:
    """``LEAK: credit_limit (words: "four three oh k")``."""
    how = leak.detector or "value"
    said = f': "{_clip(leak.matched, 60)}"' if leak.matched else ""
    return f"LEAK: {leak.field} ({how}{said})"


def move_label(event: UserTurnEvent) -> str:
    """How the user read the agent's turn: "stall (0.90)"."""
    if event.move_confidence is None:
        return str(event.move)
    return f"{event.move} ({event.move_confidence:.2f})"


def violation_label(event: ViolationEvent) -> str:
    """What the verifier caught, and what it did about it."""
    what = {
        "withheld": f"withheld fact {event.fact} said",
        "omitted": f"fact {event.fact} left out",
        "probe": "the probe left out",
        "empty": "empty draft",
    }[event.kind]
    return f"{what}; draft {event.action}"


def truncation_label(event: AgentMessageEvent, record: DialogueRecord) -> str:
    """``reply TRUNCATED: 10,485,760 characters, over the limit of 65,536; cut to it``."""
    limit = f"{record.max_message_chars:,}" if record.max_message_chars else "?"
    return (
        f"reply TRUNCATED: {event.truncated_from:,} characters, over the limit of {limit}; "
        "what is shown is what was kept"
    )


def _at(event: ErrorEvent) -> str:
    return f" (at {event.raised_at})" if event.raised_at else ""


def _clip(text: str, limit: int = _MAX_TOOL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_transcript(record: DialogueRecord) -> RenderableType:
    """The dialogue as rich renderables, one block per event."""
    secrets = secrets_of(record)
    leaks: dict[int, list[Leak]] = {}
    for leak in record.scores.leakage.events or record.scores.leakage.leaked:
        leaks.setdefault(leak.turn, []).append(leak)
    shown: set[int] = set()
    s = record.scores
    header = Text.assemble(
        (record.id, "bold"),
        f"\nagent {record.agent_name} · mode {record.mode} · seed {record.seed} · end ",
        (record.end_reason.value, "bold red" if record.end_reason.is_error else "bold"),
        f"\ntask {'✓ success' if s.task.success else '✗ failure'}",
        f" ({s.task.method}: {s.task.detail})",
    )
    blocks: list[RenderableType] = [header, Text("")]
    for event in record.events:
        if isinstance(event, UserTurnEvent):
            if event.move:
                blocks.append(Text(f"    ⤷ read by the user as: {move_label(event)}", "magenta"))
            label = f"USER {event.turn}" + (" (closing, not sent)" if event.final else "")
            line = Text.assemble((label + ": ", "bold cyan"), event.text)
            notes = []
            if event.asked:
                notes.append("asked: " + ", ".join(event.asked))
            if event.revealed:
                notes.append("revealed: " + ", ".join(event.revealed))
            if event.restated:
                notes.append("restated: " + ", ".join(event.restated))
            if event.probe is not None:
                notes.append(f"probe #{event.probe + 1}")
            notes.append(f"action: {event.action}")
            line.append("\n    [" + "; ".join(notes) + "]", style="dim")
            blocks.append(line)
        elif isinstance(event, AgentMessageEvent):
            if event.content.strip():
                line = Text.assemble(("AGENT: ", "bold green"))
                line.append_text(_marked(event.content, secrets))
                if event.turn not in shown:
                    shown.add(event.turn)
                    for leak in leaks.get(event.turn, []):
                        line.append(f"\n    [{leak_label(leak)}]", style="bold red")
                blocks.append(line)
            for call in event.tool_calls:
                args = _clip(json.dumps(call.arguments, ensure_ascii=False))
                blocks.append(Text(f"  → {call.name}({args})", style="yellow"))
            if event.truncated_from is not None:
                blocks.append(Text(f"  ! {truncation_label(event, record)}", style="bold red"))
        elif isinstance(event, AgentInternalEvent):
            blocks.append(Text(f"  {event.describe()}", style="dim yellow"))
        elif isinstance(event, ToolResultEvent):
            style = "red" if event.error else "dim"
            blocks.append(Text(f"  ← {_clip(event.result)}", style=style))
        elif isinstance(event, AnswerAttemptEvent):
            status = (
                "all required facts known"
                if event.required_known
                else ("PREMATURE, missing " + ", ".join(event.missing))
            )
            line = Text.assemble(("ANSWER ATTEMPT: ", "bold magenta"))
            line.append_text(_marked(event.answer, secrets))
            line.append(f"  [{event.via}; {status}]", style="magenta")
            if event.via == "submit_answer" and event.turn not in shown:
                shown.add(event.turn)
                for leak in leaks.get(event.turn, []):
                    line.append(f"\n    [{leak_label(leak)}]", style="bold red")
            blocks.append(line)
        elif isinstance(event, ViolationEvent):
            blocks.append(Text(f"  ! verifier: {violation_label(event)}", style="bold red"))
        elif isinstance(event, ErrorEvent):
            blocks.append(
                Text(
                    f"  ! {event.where} error {event.error_type}: {event.message}{_at(event)}",
                    "red",
                )
            )
        elif isinstance(event, EndEvent):
            blocks.append(Text(f"END: {event.reason.value} {event.detail}".rstrip(), style="bold"))
    return Panel(Group(*blocks), title="dialogue", title_align="left")


def print_transcript(record: DialogueRecord, console: Console | None = None) -> None:
    (console or Console()).print(render_transcript(record))
