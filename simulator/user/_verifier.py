"""The verifier: no user utterance may carry a fact the ledger does not allow this turn."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from simulator.judge.values import Found, find_all
from simulator.persona._schema import Persona


@dataclass(frozen=True)
class Violation:
    """A withheld fact found in a draft utterance."""

    fact: str
    found: Found


def verify(persona: Persona, text: str, allowed: Collection[str]) -> list[Violation]:
    """Every occurrence of a fact outside ``allowed`` in ``text``."""
    out: list[Violation] = []
    for fact in persona.facts:
        if fact.id in allowed:
            continue
        out.extend(Violation(fact.id, found) for found in find_all(fact.value, text, fact.kind))
    return out


def redact(text: str, violations: list[Violation]) -> str:
    """The text with every violating span replaced by an ellipsis."""
    spans = sorted({(v.found.start, v.found.end) for v in violations}, reverse=True)
    for start, end in spans:
        text = text[:start] + "…" + text[end:]
    return text
