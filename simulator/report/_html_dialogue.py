"""One dialogue record as an HTML fragment for the report: every event, marks on what matters.

Revealed facts are marked in the user's words, confidential values in the agent's, and
answer attempts, verifier catches, errors and the end stand out. Every piece of text from
the record goes through ``html.escape``: what an agent or a user said is shown, never run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import Any

from simulator.judge.leaks import find_leaks
from simulator.judge.values import find_all
from simulator.persona import Confidential
from simulator.record import (
    AgentInternalEvent,
    AgentMessageEvent,
    AnswerAttemptEvent,
    DialogueRecord,
    EndEvent,
    ErrorEvent,
    Leak,
    ModelCallEvent,
    ToolResultEvent,
    UserTurnEvent,
    ViolationEvent,
)
from simulator.report._transcript import (
    leak_label,
    move_label,
    secrets_of,
    truncation_label,
    violation_label,
)

_CLIP = 600

Span = tuple[int, int, str, str]  # start, end, css class, title


def marked(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with non-overlapping spans wrapped in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end, cls, title in sorted(spans):
        if start < pos or end <= start:
            continue  # overlaps an earlier mark
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{cls}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _find(values: Iterable[tuple[str, str, str]], text: str, cls: str) -> list[Span]:
    spans: list[Span] = []
    for label, value, kind in values:
        for found in find_all(value, text, kind):  # type: ignore[arg-type]
            spans.append((found.start, found.end, cls, label))
    return spans


def _leak_spans(secrets: list[Confidential], text: str) -> list[Span]:
    return [
        (hit.start, hit.end, "leak", f"confidential: {secret.id} ({hit.detector})")
        for secret in secrets
        for hit in find_leaks(secret, text)
    ]


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def outcome_tags(record: DialogueRecord) -> list[str]:
    """Filter tags of a record: success or failure, plus error and leak when they apply."""
    tags = ["success" if record.scores.task.success else "failure"]
    if record.end_reason.is_error:
        tags.append("error")
    if record.scores.leakage.leaked:
        tags.append("leak")
    return tags


def render_dialogue(record: DialogueRecord) -> str:
    """A ``<details>`` block for one record, with data attributes for the report's filters."""
    persona = record.persona
    facts = {f["id"]: f for f in persona.get("facts", [])}
    secrets = secrets_of(record)
    s = record.scores
    tags = outcome_tags(record)
    attrs = {
        "data-agent": record.agent_name,
        "data-mode": record.mode,
        "data-persona": record.persona_id,
        "data-outcome": " ".join(tags),
        "data-end": record.end_reason.value,
    }
    attr_text = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
    badges = "".join(f'<span class="tag {t}">{t}</span>' for t in tags)
    head = (
        f"<summary>{badges} <b>{escape(record.id)}</b> "
        f'<span class="end">{escape(record.end_reason.value)}</span> '
        f'<span class="dim">{s.efficiency.user_turns} turns</span></summary>'
    )
    parts = [f'<details class="dialogue" id="{escape(record.id)}" {attr_text}>', head]
    parts.append(_scores(record))
    parts.append('<ol class="events">')
    leaks: dict[int, list[Leak]] = {}
    for leak in s.leakage.events or s.leakage.leaked:
        leaks.setdefault(leak.turn, []).append(leak)
    for event in record.events:
        item = _event(event, facts, secrets)
        if item:
            parts.append(item)
        if isinstance(event, AgentMessageEvent) and event.truncated_from is not None:
            parts.append(f'<li class="error">{escape(truncation_label(event, record))}</li>')
        said = (isinstance(event, AgentMessageEvent) and event.content.strip()) or (
            isinstance(event, AnswerAttemptEvent) and event.via == "submit_answer"
        )
        if said:
            for leak in leaks.pop(event.turn, []):
                parts.append(f'<li class="violation">{escape(leak_label(leak))}</li>')
    parts.append("</ol></details>")
    return "\n".join(parts)


def _scores(record: DialogueRecord) -> str:
    s = record.scores
    acq = s.acquisition
    lines = [
        f"<b>task</b> {'success' if s.task.success else 'failure'} "
        f"({escape(s.task.method)}: {escape(s.task.detail)})",
        f"<b>goal</b> {escape(str(record.persona.get('goal', '')))}",
        f"<b>agent</b> {escape(record.agent_name)} · <b>mode</b> {escape(record.mode)} · "
        f"<b>seed</b> {record.seed}",
        f"<b>facts</b> required {escape(', '.join(acq.required) or '-')}; revealed "
        f"{escape(', '.join(acq.revealed) or '-')}; pushed {escape(', '.join(acq.pushed) or '-')}"
        f"; all known at turn {acq.turns_to_full_information or '-'}; premature attempts "
        f"{acq.premature_attempts}; redundant questions {acq.redundant_questions}",
    ]
    if s.leakage.leaked:
        leaks = "; ".join(
            f"{escape(leak.field)} ({escape(leak.category)}) turn {leak.turn}"
            + (f", {escape(leak.detector)}" if leak.detector else "")
            for leak in s.leakage.leaked
        )
        lines.append(f'<b class="bad">leaked</b> {leaks}')
    if s.leakage.paraphrased:
        leaks = "; ".join(
            f"{escape(leak.field)} turn {leak.turn}: {escape(leak.excerpt)}"
            for leak in s.leakage.paraphrased
        )
        lines.append(f'<b class="bad">paraphrased</b> {leaks} (LLM judge)')
    if s.leakage.fields and not s.leakage.paraphrase_checked:
        lines.append('<span class="dim">paraphrase not checked (no judge model)</span>')
    if s.refusal.probes:
        probes = "; ".join(
            f"turn {p.turn}: {_probe_outcome(p.declined, p.complied)}" for p in s.refusal.probes
        )
        lines.append(f"<b>probes</b> {probes}")
    if record.error:
        lines.append(f'<b class="bad">error</b> {escape(record.error)}')
    if record.parent:
        lines.append(f"<b>forked from</b> {escape(record.parent)} at turn {record.fork_turn}")
    return '<div class="scores">' + "<br>".join(lines) + "</div>"


def _probe_outcome(declined: bool, complied: bool) -> str:
    return "declined" if declined else "complied" if complied else "neither declined nor complied"


def _user(event: UserTurnEvent, facts: dict[str, dict[str, Any]]) -> str:
    values = [
        (f"fact: {fid}", str(facts[fid]["value"]), str(facts[fid].get("kind", "auto")))
        for fid in [*event.revealed, *event.restated]
        if fid in facts
    ]
    notes = [f"action: {event.action}"]
    for name, ids in (("asked", event.asked), ("revealed", event.revealed)):
        if ids:
            notes.append(f"{name}: {', '.join(ids)}")
    if event.probe is not None:
        notes.append(f"probe #{event.probe + 1}")
    label = f"user {event.turn}" + (" · closing, not sent" if event.final else "")
    cls = "user final" if event.final else "user"
    read = (
        f'<li class="move">read by the user as: {escape(move_label(event))}</li>\n'
        if event.move
        else ""
    )
    return read + (
        f'<li class="{cls}"><span class="who">{escape(label)}</span>'
        f'<div class="text">{marked(event.text, _find(values, event.text, "fact"))}</div>'
        f'<div class="notes">{escape(" · ".join(notes))}</div></li>'
    )


def _event(event: Any, facts: dict[str, dict[str, Any]], secrets: list[Confidential]) -> str:
    if isinstance(event, UserTurnEvent):
        return _user(event, facts)
    if isinstance(event, AgentMessageEvent):
        out = []
        if event.content.strip():
            spans = _leak_spans(secrets, event.content)
            out.append(
                f'<li class="agent"><span class="who">agent</span>'
                f'<div class="text">{marked(event.content, spans)}</div></li>'
            )
        for call in event.tool_calls:
            args = json.dumps(call.arguments, ensure_ascii=False)
            out.append(f'<li class="tool">→ {escape(call.name)}({escape(_clip(args))})</li>')
        return "\n".join(out)
    if isinstance(event, AgentInternalEvent):
        return f'<li class="tool internal">{escape(event.describe())}</li>'
    if isinstance(event, ToolResultEvent):
        cls = "tool error" if event.error else "tool"
        return f'<li class="{cls}">← {escape(_clip(event.result))}</li>'
    if isinstance(event, AnswerAttemptEvent):
        status = (
            "all required facts known"
            if event.required_known
            else ("premature, missing " + ", ".join(event.missing))
        )
        cls = "attempt" if event.required_known else "attempt premature"
        spans = _leak_spans(secrets, event.answer)
        return (
            f'<li class="{cls}"><span class="who">answer attempt</span>'
            f'<div class="text">{marked(event.answer, spans)}</div>'
            f'<div class="notes">{escape(event.via)} · {escape(status)}</div></li>'
        )
    if isinstance(event, ViolationEvent):
        text = f"verifier: {violation_label(event)} ({event.excerpt})"
        return f'<li class="violation">{escape(text)}</li>'
    if isinstance(event, ErrorEvent):
        text = f"{event.where} error {event.error_type}: {event.message}" + (
            f" (at {event.raised_at})" if event.raised_at else ""
        )
        return f'<li class="error">{escape(text)}</li>'
    if isinstance(event, ModelCallEvent):
        text = f"model call: {event.role} {event.model} ({event.usage.input_tokens} in, "
        text += f"{event.usage.output_tokens} out{', cache hit' if event.cache_hit else ''})"
        return f'<li class="model">{escape(text)}</li>'
    if isinstance(event, EndEvent):
        text = f"end: {event.reason.value} {event.detail}".rstrip()
        return f'<li class="end">{escape(text)}</li>'
    return ""
