"""Reading the agent's turn: one move per turn, with a confidence.

The moves (``Move``) are what a careful human user would see the turn do: give a
candidate final ``answer``, ask a ``question``, ``stall`` (acknowledge, promise, restate,
"let me check"), give a ``partial`` result that is explicitly not final, decline
(``refusal``), or say nothing at all while calling tools (``tool_only``). Only an answer
can be accepted by the user, so the rules look at content, never at punctuation alone:
"Let me check that for you." is a stall, "The total is $41,250." an answer, "Is that for
Q2 or Q3?" a question. The cues each sentence carries are read in ``_moves``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from simulator.memo import IdentityMemo
from simulator.persona import Fact, Persona
from simulator.user._cues import _FURTHER, _NOT_A_RESULT_LABEL
from simulator.user._learned import LABELS, features, layer_probabilities
from simulator.user._moves import Unit, echo_words, read_unit, units

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


_PROGRESS = re.compile(
    r"(?<!once )(?<!when )(?<!after )(?<!until )"
    r"\bi(?:'ve| have)? (?:found|gone through|checked|reviewed|matched|confirmed|located|"
    r"pulled|finished|completed|done)\b"
)


class Move(StrEnum):
    """What the agent's turn did, from the user's side."""

    ANSWER = "answer"  # a candidate final answer (or a submitted one)
    QUESTION = "question"  # asks the user for something
    STALL = "stall"  # acknowledgement, promise, pleasantry, restatement, "let me check"
    PARTIAL = "partial"  # some progress, explicitly not final
    REFUSAL = "refusal"  # declines the request
    TOOL_ONLY = "tool_only"  # no text for the user: only tool calls

    @property
    def productive(self) -> bool:
        """Moves that can move the task on: an answer or a question."""
        return self in (Move.ANSWER, Move.QUESTION)


@dataclass(frozen=True)
class AgentTurn:
    """What the user sees of one agent turn: the text sent, any submitted answer, and how
    many tool calls the agent made on the way (their results are never shown)."""

    text: str
    submitted: str | None = None
    tool_calls: int = 0


@dataclass(frozen=True)
class Classification:
    """The move the user read in one agent turn.

    ``answer`` is set for an answer that counts as an attempt; an agent that answers
    through ``submit_answer`` has its text answers read as commentary (move ``answer``,
    ``answer`` None), so only its submissions are attempts.
    """

    move: Move
    answer: str | None = None
    asked: list[str] = field(default_factory=list)  # fact ids named by the agent's questions
    refusal: bool = False
    confidence: float = 1.0

    @property
    def attempt(self) -> bool:
        """Whether the user may accept this turn: an answer with a candidate in it."""
        return self.move == Move.ANSWER and self.answer is not None


def questions_in(text: str) -> list[str]:
    """The sentences of ``text`` that end with a question mark."""
    return [q.strip() for q in _QUESTION.findall(text) if q.strip()]


def is_refusal(text: str) -> bool:
    """Whether the text reads as declining a request (the judge's refusal check)."""
    return bool(_REFUSAL.search(text))


@lru_cache(maxsize=4096)
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1]
    )
    return re.compile(rf"\b(?:{alternatives})(?:e?s)?\b", re.IGNORECASE)


def fact_cues(fact: Fact) -> tuple[str, ...]:
    """The words that show an agent asking about a fact: its cues, else id and say words
    (worked out once per fact: facts are frozen)."""
    return _FACT_CUES.get(fact, _fact_cues)


def _fact_cues(fact: Fact) -> tuple[str, ...]:
    if fact.cues:
        return tuple(c.strip().lower() for c in fact.cues if c.strip())
    words = re.split(r"[_\-.\s]+", fact.id.lower()) + re.findall(r"[a-z]+", fact.say.lower())
    return tuple(sorted({w for w in words if len(w) > 2 and w not in _STOPWORDS}))


_FACT_CUES: IdentityMemo[Fact, tuple[str, ...]] = IdentityMemo(8192)


def asked_facts(persona: Persona, text: str) -> list[str]:
    """Facts whose cues appear in ``text`` (the agent's questions), in persona order."""
    if not text:
        return []
    return [f.id for f in persona.facts if _cue_pattern(fact_cues(f)).search(text)]


READ_HEAD, READ_TAIL = 16_000, 8_000
"""A longer turn is read by its first and last characters only: its move shows there, and
the cost of reading stays bounded whatever an agent sends."""


def read_units(text: str, said: str = "") -> list[Unit]:
    """The cues of every sentence of ``text``; ``said`` is what the user has said."""
    if len(text) > READ_HEAD + READ_TAIL:
        text = text[:READ_HEAD] + "\n" + text[-READ_TAIL:]
    echoes = echo_words(said)
    return [read_unit(u, echoes) for u in units(text)]


def _asking_text(parts: list[Unit]) -> str:
    """The text of the turn's questions, with the list that follows a question ending in a
    colon ("I'll need a couple of things: - your order number - the title")."""
    out: list[str] = []
    listing = False
    for unit in parts:
        if unit.question or unit.choice:
            out.append(unit.text)
            listing = unit.text.rstrip().endswith(":")
        elif listing:
            out.append(unit.text)
    return " ".join(out)


def move_of(parts: list[Unit]) -> tuple[Move, float]:
    """One move for a turn from the cues of its units, with a confidence.

    A real question or request makes it a question, and so does a choice put to the user
    ("Do you want me to move it now, or wait?", "Shall I go ahead and assign it?")
    unless the turn already gives a firm answer (two values, or a completed action).
    Otherwise content (not inside a question, not a plan step, not a referral elsewhere)
    makes it an answer, or a partial
    when a "not final" marker or a later promise of work goes with it; counts of records
    still to work through are a stall; a refusal without values is a refusal; the rest
    is a stall. A turn that is one short unit with no cue at all ("none",
    "Negotiation.") is taken as an answer.
    """
    if not parts:
        return Move.STALL, 0.9
    parts = _plan_steps(parts)
    parts = _listed_results(parts)
    refusing = any(u.refusal for u in parts)
    if refusing:  # "I can't share that. I could help you send a gift card instead?"
        parts = [
            replace(u, question=False, choice=False) if u.alternative and not u.content else u
            for u in parts
        ]
    firm = sum(u.n_values for u in parts if u.content) >= 2 or any(u.done for u in parts)
    choices = [u for u in parts if u.choice]
    asking = any(
        (" or " in u.text or "go ahead" in u.text.lower()) and not _FURTHER.search(u.text.lower())
        for u in choices
    )
    permission = any(u.permission for u in choices) and not any(u.done for u in parts)
    # a clarification decides the turn: how to work the answer out, or an answer that
    # holds only under a condition the user must confirm
    tentative = any(u.tentative and u.content for u in parts)
    if any(u.method for u in parts) or (tentative and (choices or any(u.question for u in parts))):
        return Move.QUESTION, 0.8
    if choices and not _FURTHER.search(choices[0].text.lower()):
        # "Should I apply a minimum? A few states have 2 cases.": asked before any result
        first_choice = parts.index(choices[0])
        asking = asking or not any(u.content for u in parts[:first_choice])
    if any(u.question for u in parts) or (choices and (asking or permission) and not firm):
        marked = any(u.text.rstrip().endswith("?") for u in parts if u.question or u.choice)
        return Move.QUESTION, 0.95 if marked else 0.85
    content = [
        i
        for i, u in enumerate(parts)
        if u.content and not u.choice and not (refusing and (u.referral or u.alternative))
    ]
    partial = any(u.partial for u in parts)
    working = any(u.work for u in parts)
    if content and refusing and not any(parts[i].values for i in content):
        return Move.REFUSAL, 0.85  # names or a "no" in the reasons given for declining
    if content and (working or partial) and all(parts[i].scope for i in content):
        return Move.STALL, 0.8  # "there are 41 cases to go through; averaging now"
    if content:
        first = content[0]
        later_work = any(u.work and not u.content for u in parts[first + 1 :])
        if partial or later_work:
            return (Move.QUESTION, 0.7) if choices else (Move.PARTIAL, 0.75)
        return Move.ANSWER, 0.9 if len(content) > 1 or parts[first].done else 0.85
    if choices:
        return Move.QUESTION, 0.8
    if refusing:
        return Move.REFUSAL, 0.9
    if len(parts) == 1 and parts[0].bare:
        return Move.ANSWER, 0.6
    if partial and any(_PROGRESS.search(u.text.lower()) for u in parts):
        return Move.PARTIAL, 0.7  # "I've gone through the first call ... not the second yet"
    cued = any(u.work or u.ack or u.offer or u.partial for u in parts)
    return Move.STALL, 0.9 if cued else 0.6


def _listed_results(parts: list[Unit]) -> list[Unit]:
    """Bare items listed under a heading that ends in a colon are its content:
    "Positive subtopics: • Pricing • Security"."""
    out = list(parts)
    for i, unit in enumerate(parts[:-1]):
        heading = unit.text.rstrip().endswith(":") and not _NOT_A_RESULT_LABEL.search(unit.text)
        if heading and not (unit.work or unit.question or unit.choice or unit.refusal):
            for j in range(i + 1, len(parts)):
                if not parts[j].bare or parts[j].text.rstrip().endswith(":"):
                    break
                out[j] = replace(parts[j], content=True, bare=False)
    return out


def _plan_steps(parts: list[Unit]) -> list[Unit]:
    """After a plan's heading ("Here's my plan:", "I'm going to:"), every unit is a step
    of work still to do, whatever values it names."""
    for i, unit in enumerate(parts):
        if unit.work and not unit.content and unit.text.rstrip().endswith(":"):
            steps = [replace(u, work=True, content=False, values=False) for u in parts[i + 1 :]]
            return [*parts[: i + 1], *steps]
    return parts


ANSWER_OVERRIDE = 0.9
"""How sure the learned layer must be to read an answer where the rules read none."""


def move_features(text: str, said: str = "") -> dict[str, float]:
    """The learned layer's features of an agent turn (for training and inspection)."""
    return features(text, read_units(text, said))


def weighed(text: str, parts: list[Unit], rules: Move) -> tuple[Move, float]:
    """The learned layer's move for a turn whose units are ``parts`` (``rules``: the rules'
    move), with its probability as the confidence."""
    p = layer_probabilities(features(text, parts))
    ranked = sorted(range(len(LABELS)), key=lambda c: -p[c])
    for c in ranked:
        move = Move(LABELS[c])
        if move == Move.TOOL_ONLY:
            continue  # a turn with text is never tool-only
        if move == Move.ANSWER and rules != Move.ANSWER and p[c] < ANSWER_OVERRIDE:
            continue
        return move, round(p[c], 3)
    return rules, 0.5


def classify(
    persona: Persona,
    turn: AgentTurn,
    *,
    answers_by_tool: bool = False,
    said: str = "",
    learned: bool = True,
) -> Classification:
    """Classify an agent turn deterministically.

    A ``submit_answer`` call is an answer. A turn with no text is ``tool_only`` (or a
    ``stall`` when it did not even call a tool). Otherwise the sentences' cues decide
    (``move_of``); ``said`` (what the user has said so far) keeps echoed details from
    counting as content. An agent that has answered through ``submit_answer`` before
    (``answers_by_tool``) has its text answers read as commentary, never as attempts.

    With ``learned`` (the default) the learned layer (``_learned``) weighs the same cues
    and the words and decides; it may read a turn as an answer against the rules only
    when it is at least ``ANSWER_OVERRIDE`` sure (accepting a non-answer is the costly
    error). Where it overrules the rules, its probability is the confidence; where they
    agree, the rules' confidence stands (so records of turns read alike stay alike).
    ``learned=False`` gives the rules' reading alone.
    """
    text = turn.text.strip()
    if turn.submitted is not None:
        return Classification(Move.ANSWER, answer=turn.submitted, refusal=is_refusal(text))
    if not text:
        if turn.tool_calls:
            return Classification(Move.TOOL_ONLY)
        return Classification(Move.STALL, confidence=0.9)
    parts = read_units(text, said)
    move, confidence = move_of(parts)
    if learned:
        weighed_move, probability = weighed(text, parts, move)
        if weighed_move != move:  # where the two agree, the rules' confidence stands
            move, confidence = weighed_move, probability
    refusal = is_refusal(text)
    if move == Move.QUESTION:
        asked = asked_facts(persona, _asking_text(parts))
        return Classification(move, asked=asked, refusal=refusal, confidence=confidence)
    answer = text if move == Move.ANSWER and not answers_by_tool else None
    return Classification(move, answer=answer, refusal=refusal, confidence=confidence)
