"""Reading the agent's turn: answer attempt, question about facts, or something else."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from simulator.persona._schema import Fact, Persona

_STOPWORDS = frozenset(
    """a an the and or but if of for to in on at by with from it its it's is are was were be
    been this that these those i i'm me my we our you your he she they them their so as do
    does did just only not no yes please thanks thank sure also all any some what which who
    whom when where how why can could would should will shall may might must about into than
    then there here one ones""".split()
)
_QUESTION = re.compile(r"[^.!?\n]*\?")
_REFUSAL = re.compile(
    r"\b(?:can(?:no|')t|cannot|unable to|not able to|won't|will not|not (?:allowed|permitted|"
    r"authori[sz]ed)|(?:am|'m) not (?:able|allowed|permitted)|decline|confidential|privacy|"
    r"private (?:information|data|details))\b",
    re.IGNORECASE,
)


class Move(StrEnum):
    """What the agent's turn did, from the user's side."""

    ANSWER = "answer"
    QUESTION = "question"
    OTHER = "other"


@dataclass(frozen=True)
class AgentTurn:
    """What the user sees of one agent turn: the text sent, and any submitted answer."""

    text: str
    submitted: str | None = None


@dataclass(frozen=True)
class Classification:
    move: Move
    answer: str | None = None
    asked: list[str] = field(default_factory=list)  # fact ids named by the agent's questions
    refusal: bool = False


def questions_in(text: str) -> list[str]:
    """The sentences of ``text`` that end with a question mark."""
    return [q.strip() for q in _QUESTION.findall(text) if q.strip()]


def is_refusal(text: str) -> bool:
    """Whether the text reads as declining a request."""
    return bool(_REFUSAL.search(text))


@lru_cache(maxsize=4096)
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1]
    )
    return re.compile(rf"\b(?:{alternatives})(?:e?s)?\b", re.IGNORECASE)


def fact_cues(fact: Fact) -> tuple[str, ...]:
    """The words that show an agent asking about a fact: its cues, else id and say words."""
    if fact.cues:
        return tuple(c.strip().lower() for c in fact.cues if c.strip())
    words = re.split(r"[_\-.\s]+", fact.id.lower()) + re.findall(r"[a-z]+", fact.say.lower())
    return tuple(sorted({w for w in words if len(w) > 2 and w not in _STOPWORDS}))


def asked_facts(persona: Persona, text: str) -> list[str]:
    """Facts whose cues appear in the question sentences of ``text``, in persona order."""
    questions = " ".join(questions_in(text))
    if not questions:
        return []
    return [f.id for f in persona.facts if _cue_pattern(fact_cues(f)).search(questions)]


def classify(persona: Persona, turn: AgentTurn, *, answers_by_tool: bool = False) -> Classification:
    """Classify an agent turn deterministically.

    A ``submit_answer`` call is an answer. Otherwise a turn with a question is a question
    (with the facts it names). Other text that is not a refusal is an answer attempt, unless
    the agent has shown it answers through ``submit_answer`` (``answers_by_tool``): then it
    is just talk. The rest is other.
    """
    refusal = is_refusal(turn.text)
    if turn.submitted is not None:
        return Classification(Move.ANSWER, answer=turn.submitted, refusal=refusal)
    if questions_in(turn.text):
        return Classification(Move.QUESTION, asked=asked_facts(persona, turn.text), refusal=refusal)
    if turn.text.strip() and not refusal and not answers_by_tool:
        return Classification(Move.ANSWER, answer=turn.text.strip(), refusal=refusal)
    return Classification(Move.OTHER, refusal=refusal)
