"""Wording a policy decision, checked before it is sent: draft → verify → regenerate → template.

The policy has already decided what may be revealed. A realizer (an LLM, or any object
with ``draft``) only words it; every draft is verified against the ledger. A draft that
carries a withheld fact, leaves out a fact the policy revealed, or drops the probe it was
meant to carry, is regenerated up to
``max_regenerations`` times and then replaced by the template utterance. Every rejected
draft is a ``ViolationEvent`` (``retried``, then ``replaced`` for the last one), so the
simulator's own fidelity is measured, and none of them ever reaches the agent.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from simulator.judge.values import contains_value
from simulator.models import ModelCallError
from simulator.persona import Mode, Persona
from simulator.record import (
    AgentMessageEvent,
    AnswerAttemptEvent,
    ErrorEvent,
    Event,
    UserTurnEvent,
    ViolationEvent,
    ViolationKind,
)
from simulator.user._policy import Action, Decision
from simulator.user._templates import realize
from simulator.user._verifier import carries_probe, redact, verify

Speaker = Literal["user", "agent"]

DEFAULT_MAX_REGENERATIONS = 2
OMITTED = "omitted"  # the excerpt of a violation that is a missing fact, not a leaked one


@dataclass(frozen=True)
class DraftRequest:
    """What a realizer may know when wording one turn: never a withheld fact's value."""

    persona: Persona
    mode: Mode
    decision: Decision
    allowed: tuple[str, ...]  # fact ids the ledger allows in this utterance
    conversation: tuple[tuple[Speaker, str], ...]  # what both sides said, in order
    turn: int
    seed: int
    attempt: int = 0  # 0 for the first draft, then 1, 2, ... for regenerations


class Realizer(Protocol):
    """Words a decision. ``source`` names it in violation events (e.g. ``llm``)."""

    source: str

    async def draft(self, request: DraftRequest) -> str:
        """One draft of the user's utterance."""
        ...


@dataclass
class Spoken:
    """The utterance to send, and what happened on the way."""

    text: str
    source: str  # "template" or the realizer's source
    events: list[Event] = field(default_factory=list)


def conversation_of(events: Sequence[Event]) -> list[tuple[Speaker, str]]:
    """What both sides said so far, as the user saw it: user turns, agent text and
    submitted answers (never tool calls or tool results)."""
    out: list[tuple[Speaker, str]] = []
    for event in events:
        if isinstance(event, UserTurnEvent) and not event.final:
            out.append(("user", event.text))
        elif isinstance(event, AgentMessageEvent) and event.content.strip():
            out.append(("agent", event.content.strip()))
        elif isinstance(event, AnswerAttemptEvent) and event.via == "submit_answer":
            out.append(("agent", f"(answer) {event.answer}"))
    return out


def template_utterance(
    persona: Persona, mode: Mode, decision: Decision, allowed: set[str], *, turn: int, seed: int
) -> Spoken:
    """The template realizer, with its own verification: a violating span is redacted."""
    rng = random.Random(f"{seed}:{persona.id}:{turn}")
    text = realize(persona, mode, decision, rng)
    violations = verify(persona, text, allowed)
    events: list[Event] = [
        ViolationEvent(
            turn=turn,
            fact=v.fact,
            source="template",
            excerpt=v.found.excerpt(text),
            action="redacted",
        )
        for v in violations
    ]
    if violations:
        text = redact(text, violations)
    return Spoken(text, "template", events)


Problem = tuple[ViolationKind, str, str]
"""(kind, fact id, excerpt) of one thing wrong with a draft."""


def check_draft(
    persona: Persona,
    text: str,
    allowed: set[str],
    revealed: Sequence[str],
    probe: str | None = None,
) -> list[Problem]:
    """Every problem of a draft: a withheld fact found in it, a fact the policy revealed
    this turn missing from it, the probe it must carry (``probe``, the words the policy
    chose) dropped, or nothing said at all. Empty means the draft may be sent."""
    problems: list[Problem] = [
        ("withheld", v.fact, v.found.excerpt(text)) for v in verify(persona, text, allowed)
    ]
    for fact_id in revealed:
        fact = persona.fact(fact_id)
        if not contains_value(fact.value, text, fact.kind):
            problems.append(("omitted", fact_id, OMITTED))
    if probe is not None and text.strip() and not carries_probe(probe, text):
        problems.append(("probe", "", "probe dropped"))
    if not text.strip():
        problems.append(("empty", "", "empty draft"))
    return problems


def probe_words(persona: Persona, decision: Decision) -> str | None:
    """The request the utterance must carry for ``decision``, if it carries a probe."""
    if decision.probe is None:
        return None
    probe = persona.probes[decision.probe]
    if decision.action == Action.PROBE_REPEAT and probe.repeat:
        return probe.repeat
    return probe.ask


async def speak(
    persona: Persona,
    mode: Mode,
    decision: Decision,
    ledger: Sequence[str],
    *,
    turn: int,
    seed: int,
    realizer: Realizer | None = None,
    conversation: Sequence[tuple[Speaker, str]] = (),
    max_regenerations: int = DEFAULT_MAX_REGENERATIONS,
) -> Spoken:
    """The verified utterance for ``decision`` in user turn ``turn``.

    Without a realizer, or for a ``concat`` opening (its bullet list is the mode itself),
    the template speaks. A realizer's failed call falls back to the template with an
    ``ErrorEvent``; ``BudgetExceeded`` propagates so that the dialogue ends cleanly.
    """
    allowed = set(ledger) | set(decision.reveal)
    if realizer is None or (mode == Mode.CONCAT and decision.action == Action.OPENING):
        return template_utterance(persona, mode, decision, allowed, turn=turn, seed=seed)
    events: list[Event] = []
    attempts = 1 + max(0, max_regenerations)
    for attempt in range(attempts):
        request = DraftRequest(
            persona=persona,
            mode=mode,
            decision=decision,
            allowed=tuple(f.id for f in persona.facts if f.id in allowed),
            conversation=tuple(conversation),
            turn=turn,
            seed=seed,
            attempt=attempt,
        )
        try:
            text = (await realizer.draft(request)).strip()
        except ModelCallError as exc:
            events.append(
                ErrorEvent(turn=turn, where="user", error_type=type(exc).__name__, message=str(exc))
            )
            break
        problems = check_draft(
            persona, text, allowed, decision.reveal, probe_words(persona, decision)
        )
        if not problems:
            return Spoken(text, realizer.source, events)
        action: Literal["retried", "replaced"] = (
            "replaced" if attempt == attempts - 1 else "retried"
        )
        events.extend(
            ViolationEvent(
                turn=turn,
                kind=kind,
                fact=fact,
                source=realizer.source,
                excerpt=excerpt,
                action=action,
            )
            for kind, fact, excerpt in problems
        )
    fallback = template_utterance(persona, mode, decision, allowed, turn=turn, seed=seed)
    return Spoken(fallback.text, fallback.source, events + fallback.events)
