"""The features the move classifier reads in an agent's text, sentence by sentence.

An agent turn is cut into *units* (sentences, list items, table rows) once markdown is
stripped. Each unit gets the cues a careful reader would notice: a real question or a
request for information, an offer or pleasantry, a stall (an acknowledgement, or a
promise of work still to do), a refusal, a marker that the result is not final, and
*content*: a value, an id, a name or an assertion the user did not supply. The patterns
are in ``_cues``; the rules in ``_classify`` combine a turn's units into one move.

Everything here is a pure function of the text and of what the user has said (whose
details, echoed back, are never content).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.user._cues import (
    _ACK_ONLY,
    _ACK_PREFIX,
    _ALTERNATIVE,
    _AMOUNT_IN_WORDS,
    _ASK_VERB,
    _ASSERT,
    _AUX_START,
    _BARE_NAME,
    _BOOKKEEPING,
    _CHOICE,
    _CLOSING,
    _COMMON,
    _DONE,
    _EMAIL,
    _ERROR,
    _FILLER,
    _FURTHER,
    _HARD_ASK,
    _ID,
    _LABELLED_ITEMS,
    _METADATA,
    _METHOD,
    _NAME,
    _NEGATIVE_RESULT,
    _NOT_A_RESULT_LABEL,
    _NOT_ITEMS,
    _NUMBER,
    _NUMBER_WORDS,
    _OPEN_ASK,
    _PARTIAL,
    _PLAN_STEP,
    _PLEASANTRY,
    _RANGE,
    _REFERRAL,
    _REFUSE,
    _REQUEST,
    _RESTATE,
    _RESULT,
    _SCOPE,
    _SOFT_ASK,
    _STATE_CHANGE,
    _STRONG_ASSERT,
    _STRONG_RESULT,
    _TENTATIVE,
    _TOOL_TRACE,
    _VERDICT,
    _VERDICT_VERB,
    _WH_START,
    _WORD,
    _WORK,
    _YESNO,
)

# --- segmentation ------------------------------------------------------------------------

_CODE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_MARKUP = re.compile(r"\*\*|__|`|~~|^#{1,6}\s*|^\s*>\s*", re.MULTILINE)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# a sentence ends at . ! ? (or an ellipsis) followed by space and a new sentence (a capital,
# a digit, markup or a currency sign); not inside "12.99" or "e.g. the", and not after an
# abbreviation that never ends one: "e.g. ORB-1", "7 vs. 4", "Ms. Jensen", "No. 5" (a
# company's "Inc." or "Co." often does: "at Ashford Inc. I'll review ...")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bapprox\.)(?<!\bcf\.)"
    r"(?<!\bM[rs]\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bProf\.)(?!(?<=\bNo\.)\s+\d)"
    r"[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*_`$£€])"
)
_COLON_BREAK = re.compile(r":\s*\n")
_CLAUSE = re.compile(
    # a dash between clauses, not inside a date range ("April 1 – June 30")
    r"(?<!\d)\s+[—–]\s+|(?<=\d)\s+[—–]\s+(?![A-Za-z]+\.? \d|\d)|;\s+"
    r"|,\s+(?=so (?:this|it|that) (?:may|might|will|could)\b)"
)


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u2704\u2706-\u2713\u2715-\u274b\u274d-\u27bf\ufe0f\u200d]"
)
"""Pictographs carry no move (✅, ✔ and ❌ are kept: they mark pass and fail)."""


_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]+(?P<h>[^\n]+?)|\*\*(?P<b>[^*\n]+?)\*\*:?)[ \t]*$", re.M
)


def _as_heading(m: re.Match[str]) -> str:
    """A markdown heading or a line in bold heads what follows, like a line ending in ":"."""
    title = (m["h"] or m["b"] or "").rstrip(":")
    return title + ":"


_LOG_STAMP = re.compile(r"^\s*\[[\d:. T-]+\]\s*")
_ACK_HEAD = re.compile(
    r"^(?:alright|all right|okay|ok|got it|noted|understood|copy that)"
    r"[.!]*$",
    re.IGNORECASE,
)


def units(text: str) -> list[str]:
    """The sentences, list items and table rows of ``text``, markup stripped."""
    out: list[str] = []
    text = _EMOJI.sub("", text)
    # a code block is what the agent runs, not what it tells the user
    prose = _CODE.sub("\n", text)
    if not re.search(r"[^\W_]", prose):  # nothing but code: the code is what was said
        prose = re.sub(r"```\w*", "\n", text)
    text = _HEADING.sub(_as_heading, prose)
    plain = _COLON_BREAK.sub(":\n", _MARKUP.sub("", text))
    for raw in plain.splitlines():
        line = raw.strip()
        if not line or _RULE.match(line):
            continue
        if "|" in line and line.count("|") >= 2:
            cells = [c.strip() for c in line.strip("|").split("|") if c.strip()]
            if cells:
                out.append(" | ".join(cells))
            continue
        line = _ITEM.sub("", line)
        for sentence in _SENTENCE_END.split(line):
            clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
            if len(clauses) > 1 and _ACK_HEAD.match(clauses[0]):
                clauses[:2] = [f"{clauses[0]}: {clauses[1]}"]  # "Alright — Q2, 15+ cases."
            if (
                out
                and _ACK_HEAD.match(out[-1])
                and clauses
                and not _WORK.search(clauses[0].lower())
            ):
                clauses[0] = f"{out.pop().rstrip('.!')}: {clauses[0]}"  # "Copy that. Q2 2025."
            out.extend(clauses)
    return out


@lru_cache(maxsize=512)
def echo_words(said: str) -> frozenset[str]:
    """The lower-case words and digit runs of what the user said: echoes, never content."""
    low = said.lower()
    words = set(_WORD.findall(low))
    words |= {re.sub(r"\D", "", n) for n in _NUMBER.findall(low) if re.sub(r"\D", "", n)}
    return frozenset(words)


def _new(token: str, echoes: frozenset[str]) -> bool:
    words = _WORD.findall(token.lower())
    if not words:
        return False
    digits = re.sub(r"\D", "", token)
    if digits and any(c.isdigit() for c in token) and not re.search(r"[A-Za-z]{2}", token):
        return digits not in echoes and not all(w in echoes for w in words)
    return not all(w in echoes or w in _COMMON for w in words)


@dataclass(frozen=True)
class Unit:
    """The cues of one sentence, list item, clause or table row."""

    text: str
    question: bool = False  # asks the user for something (a closing offer never is)
    choice: bool = False  # "Would you like me to…?", "Should I…?": a question, or an offer
    offer: bool = False  # closing offer, check-in or sign-off: "Anything else?"
    ack: bool = False  # acknowledgement, pleasantry or restatement: no content
    work: bool = False  # a promise or report of work still to do, or a plan step
    partial: bool = False  # says the result so far is not final
    refusal: bool = False
    content: bool = False  # a value, id, name or verdict the user did not supply
    done: bool = False  # reports that the requested action was carried out
    values: bool = False  # a number or id the user did not supply
    scope: bool = False  # its only values count records to work through
    referral: bool = False  # points the user elsewhere ("please contact our returns team")
    bare: bool = False  # a short unit with no cue at all ("none", "Negotiation.")
    n_values: int = 0  # how many numbers, ids and addresses the user did not supply
    permission: bool = False  # asks leave for the very action the user asked for
    alternative: bool = False  # offers something other than what was asked
    method: bool = False  # asks how to work the answer out ("Should I require a minimum?")
    tentative: bool = False  # an answer under a condition ("If you mean Q3, it's ...")


def _new_names(text: str, echoes: frozenset[str]) -> list[str]:
    body = text[1:] if text[:1].isupper() else text
    found = [(m.group(0), m.start() + len(text) - len(body)) for m in _NAME.finditer(body)]
    found += [(m.group(0), m.start()) for m in _BARE_NAME.finditer(text)]
    return [n for n, at in found if _new(n, echoes) and not _vocative(text, at, n)]


def _vocative(text: str, at: int, name: str) -> bool:
    """The user addressed by name: "I'm sorry to hear that, Diego." """
    if re.search(
        r"\b(?:hi|hello|hey|dear|thanks|thank you|morning|afternoon|evening),? $",
        text[max(0, at - 12) : at],
        re.IGNORECASE,
    ):
        return True  # "Hi Sam, ..."
    return text[max(0, at - 2) : at] == ", " and text[at + len(name) :].strip() in ("", ".", "!")


_DIGIT = re.compile(r"\d")
"""``_SCOPE`` and ``_METADATA`` match only text with a digit in it (a test checks their
patterns): one search for a digit spares the long patterns most sentences."""


def _without_metadata(text: str) -> str:
    return _METADATA.sub(" ", text) if _DIGIT.search(text) else text


def scope_only(text: str, echoes: frozenset[str]) -> bool:
    """Whether the only new values are counts of records ("there are 412 leads to go
    through"): the size of the work, not a result."""
    if not _DIGIT.search(text) or not _SCOPE.search(text):  # every scope has a digit
        return False
    return not _values(_RANGE.sub(" ", _SCOPE.sub(" ", text)), echoes)


def _count_values(clean: str, echoes: frozenset[str]) -> int:
    """How many numbers, ids and addresses the user did not supply are in ``clean`` (a
    text with its record metadata taken out)."""
    found = {m.group(0) for m in _NUMBER.finditer(clean) if _new(m.group(0), echoes)}
    found |= {m.group(0) for m in _ID.finditer(clean) if _new(m.group(0), echoes)}
    found |= {m.group(0) for m in _EMAIL.finditer(clean) if _new(m.group(0), echoes)}
    return len(found)


def _values(text: str, echoes: frozenset[str]) -> bool:
    """A number, an id or an address the user did not supply (record metadata aside)."""
    return _new_values(_without_metadata(text), echoes)


def _new_values(text: str, echoes: frozenset[str]) -> bool:
    """``_values`` of a text whose record metadata is already taken out."""
    if any(
        m.group(0).lower() not in echoes and _new(m.group(0), echoes) for m in _EMAIL.finditer(text)
    ):
        return True
    return any(_new(m.group(0), echoes) for m in _NUMBER.finditer(text)) or any(
        _new(m.group(0), echoes) for m in _ID.finditer(text)
    )


def _content(text: str, low: str, echoes: frozenset[str], values: bool | None = None) -> bool:
    """A value, an id, a name, a verdict or a result that the user did not supply
    (``values``: ``_values(text, echoes)`` when already known)."""
    if _values(text, echoes) if values is None else values:
        return True
    if _ASSERT.search(low) and _new_names(text, echoes):
        return True
    said = _STRONG_ASSERT.search(low)
    if (said and _NUMBER_WORDS.search(low, said.end())) or _AMOUNT_IN_WORDS.search(low):
        return True  # "Your refund amount is twelve dollars and ninety-nine cents."
    return bool(
        _YESNO.search(low)
        or _VERDICT.search(low)
        or _VERDICT_VERB.search(low)
        or _NEGATIVE_RESULT.search(low)
        or _RESULT.search(low)
    )


def _strong_content(text: str, low: str, echoes: frozenset[str], values: bool) -> bool:
    """A unit that states a result outright, even beside a stall phrase: "After running
    the numbers, the answer is Maria Chen." (``values``: ``_values(text, echoes)``)"""
    if _STRONG_RESULT.search(low) and (values or _new_names(text, echoes)):
        return True  # "Counting only reps with 3 leads, X had the highest rate: 62.5 %"
    found = _STRONG_ASSERT.search(low)
    if not found:
        return False
    tail = text[found.end() :].strip()
    if re.match(r"(?:\w+ly\s+)?\w+ed\b", tail):  # "were created between ...": passive, no result
        return False
    head = " ".join(tail.split()[:6])
    return _values(head, echoes) or bool(_new_names(head, echoes))


def read_unit(text: str, echoes: frozenset[str]) -> Unit:
    """The cues of one unit; ``echoes`` are the user's own words."""
    text = _LOG_STAMP.sub("", text)  # "[10:42:07] fetching contracts ..."
    low = text.lower().replace("’", "'").strip()
    stripped = low.rstrip(" \t)]}\"'*_.!😊🙂👍👇✅")
    ends_q = stripped.endswith("?")
    offer = bool(_CLOSING.search(low)) and not _OPEN_ASK.search(low)
    request = bool(_REQUEST.search(low)) and not (
        offer and _SOFT_ASK.search(low) and not _HARD_ASK.search(low)
    )  # "Should you need anything, please let me know" is a closing offer
    choice = bool(_CHOICE.search(low)) and not request
    interrogative = bool(_WH_START.search(low) or _AUX_START.search(low))
    question = request or (
        (ends_q or interrogative) and not offer and not choice and not _ACK_ONLY.match(low)
    )
    refusal = bool(_REFUSE.search(low))
    row = " | " in text  # a table row is data, never a plan
    labelled = bool(re.match(r"^[\w' ()-]{1,30}:\s*\S", low))  # "Open workload: ..."
    step = bool(_PLAN_STEP.search(low)) and not request and not row and not labelled
    work = (
        (bool(_WORK.search(low)) or step or bool(_ERROR.search(low) or _TOOL_TRACE.search(low)))
        and not row
        and not offer
    )
    partial = bool(_PARTIAL.search(low)) and not (choice or offer)
    restate = bool(_RESTATE.search(low)) or bool(
        _ACK_PREFIX.match(low) and not (_STRONG_ASSERT.search(low) or _STRONG_RESULT.search(low))
    )
    done = (
        bool(_DONE.search(low))
        and not (work and not step)
        and not restate
        and not _BOOKKEEPING.search(low)
    )
    ack = (
        bool(_ACK_ONLY.match(low)) or restate or bool(_FILLER.match(low))
        or (bool(_PLEASANTRY.search(low)) and not _ASSERT.search(low))
    )  # fmt: skip
    failing = bool(_ERROR.search(low)) or bool(_TOOL_TRACE.search(low))
    clean = _without_metadata(text)  # what the value checks below read, worked out once
    values = _new_values(clean, echoes)
    content = _content(text, low, echoes, values) and not restate and not failing
    if step or (
        work and not done and not partial and not _strong_content(text, low, echoes, values)
    ):
        content = False  # "I'll go through the 3 opportunities now": numbers inside a stall
    if refusal and content:
        # "I can't share the line items, but the total was around $46k": content after it
        cut = _REFUSE.search(low)
        tail = text[cut.end() :] if cut else ""
        content = _content(tail, tail.lower(), echoes)
    if not (content or restate or work or question or choice or refusal):
        listed = _LABELLED_ITEMS.match(text.strip())
        content = bool(
            listed
            and not _NOT_A_RESULT_LABEL.search(listed["label"])
            and not _NOT_ITEMS.search(listed["items"])
            and len(listed["items"].split()) <= 10
            and _new_words(listed["items"], echoes)
        )
    cued = question or choice or offer or ack or work or partial or refusal or content or done
    bare = not cued and len(low.split()) <= 6 and _new_words(low, echoes)
    return Unit(
        text=text,
        question=question,
        choice=choice,
        offer=offer,
        ack=ack,
        work=work,
        partial=partial,
        refusal=refusal,
        content=content or done,
        done=done,
        values=content and values,
        n_values=_count_values(clean, echoes) if content else 0,
        scope=content and not partial and scope_only(text, echoes),
        referral=bool(_REFERRAL.search(low)),
        bare=bare,
        permission=choice and _requested(low, echoes),
        method=(choice or question) and bool(_METHOD.search(low)),
        tentative=bool(_TENTATIVE.match(low)),
        alternative=bool(_ALTERNATIVE.search(low)),
    )


def _new_words(text: str, echoes: frozenset[str]) -> bool:
    """Whether ``text`` says a word the user did not ("Tablet, got it." says none)."""
    return any(w not in echoes and w not in _COMMON for w in _WORD.findall(text.lower()))


def _requested(low: str, echoes: frozenset[str]) -> bool:
    """Whether a choice asks leave for an action the user asked for ("Shall I assign it?"
    after "can you assign it?"): the task is not done until the user answers."""
    found = _ASK_VERB.search(low)
    if not found:
        return False
    verb = found.group(1)
    stems = {verb, verb.rstrip("e"), verb[:-1] if verb.endswith("y") else verb}
    if _FURTHER.search(low[found.end() :]):
        return False  # "Want me to check another quote?": more work, not this task's
    if not _STATE_CHANGE.match(verb):
        return False  # "Do you want me to check whether …?": more reading, an offer
    if any(w.startswith(stem) for w in echoes for stem in stems if len(stem) >= 4):
        return True
    words = [w for w in _WORD.findall(low[found.end() :])[:4] if w not in _COMMON and len(w) >= 4]
    return any(
        w in echoes or any(e.startswith(w[:5]) for e in echoes if len(e) >= 5) for w in words
    )
