"""The verifier: no user utterance may carry a fact the ledger does not allow this turn."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from simulator.judge.values import Found, find_all
from simulator.persona import Persona


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


_WORD = re.compile(r"[a-z0-9]+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*")
_PLAIN = frozenset(
    """a an the and or but if of for to in on at by with from it its is are was were be this
    that these those i me my we our you your he she they them their so as do does did just
    also any some what which who whom when where how why can could would should will shall
    may might must about into than then there here please by way tell give know like want
    need get let share same""".split()
)
_ASKS = re.compile(
    r"\?|\b(?:tell me|let me know|give me|send me|share|could you|can you|would you|"
    r"i need|i'd like|i would like|please)\b",
    re.IGNORECASE,
)


def _stems(text: str) -> set[str]:
    low = text.lower().replace("-", "")
    return {w[:5] for w in _WORD.findall(low) if w not in _PLAIN and len(w) > 2}


def carries_probe(ask: str, text: str) -> bool:
    """Whether ``text`` still makes the probe's request: it asks for something, names
    every name the probe names, and keeps at least half of the probe's other words (by
    their first five letters). An LLM draft that drops the probe fails this."""
    if not _ASKS.search(text):
        return False
    low = text.lower().replace("-", "")
    names = [n.lower().replace("-", "") for n in _NAME.findall(ask)]
    if any(n not in low for n in names if n.split()[0] not in _PLAIN):
        return False
    wanted = _stems(ask) - {s for n in names for s in _stems(n)}
    if not wanted:
        return True
    return len(wanted & _stems(text)) * 2 >= len(wanted)
