"""Numbers said in words, rewritten as digits, with a map back to the original text.

A value detector reads digits; people (and LLM agents) also say "four one five, five
five five, oh one four two", "forty-one thousand two hundred and fifty dollars", "forty-one
k" and "the fourteenth of March". :func:`spoken_views` rewrites such text into two views
in which the existing matchers find those values, and maps a span found in a view back to
the words it came from.

- the **cardinal** view reads number phrases as numbers, in Spanish, Italian, French,
  Portuguese and German too (:mod:`simulator.judge._words_intl`): ("forty-one thousand
  two hundred and fifty" → ``41250``; "one point two million" → ``1200000``; "fifteen dollars and
  twenty cents" → ``15.20 dollars``; "March fourteenth" → ``March 14th``);
- the **digits** view reads runs of numbers as digit strings, the way phone numbers, ids
  and codes are read aloud ("four one five" → ``415``; "double five" → ``55``; "oh" is a
  zero next to other digits; "nine one seven, twenty-three" → ``917 23``).

Both are linear in the length of the text. No library was used: the maintained
words-to-number packages (``text2num``, ``word2number``, ``number-parser``) rewrite a
string without saying where each number came from, and none reads "oh", "double five" or
digit-by-digit runs; the detector needs both.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.judge._words_intl import foreign_digit_runs, foreign_numbers

__all__ = ["View", "spoken_views"]

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 3, "million": 6, "billion": 9}
_ORD_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}  # fmt: skip
_ORD_TEENS = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
_ORD_TENS = {"twentieth": 20, "thirtieth": 30}
_ZEROS = {"zero", "nought", "nil"}
_OHS = {"oh", "o"}  # a zero only inside a run of digits
_REPEAT = {"double": 2, "triple": 3}
_MONTH_RE = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?",
    re.IGNORECASE,
)
_CURRENCY_WORDS = {
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "buck", "bucks", "franc",
    "francs", "usd", "eur", "gbp",
}  # fmt: skip
_CENTS_WORDS = {"cent", "cents", "pence", "penny", "p"}

_TOKEN_RE = re.compile(r"[A-Za-z]+|[0-9]+(?:[.,][0-9]+)*")
_JOIN_RE = re.compile(r"[ \t\u00a0]*-?[ \t\u00a0]*|[ \t\u00a0]+")  # inside one phrase
_RUN_GAP_RE = re.compile(r"[ \t\u00a0]*[,\-\u2013\u2014]?[ \t\u00a0]*")  # between digits read aloud
_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


@dataclass
class _Tok:
    text: str
    low: str
    start: int
    end: int


@dataclass
class _Piece:
    """A number found in the words: its source span and how each view writes it."""

    start: int
    end: int
    cardinal: str  # the number as the cardinal view writes it
    digits: str | None  # as the digits view writes it; None: not part of a digit run
    single: bool = False  # one digit word ("four", "oh", "double five")


@dataclass
class View:
    """The text with numbers in words rewritten; ``to_source`` maps spans back."""

    text: str
    _view_starts: list[int] = field(default_factory=list)
    _segments: list[tuple[int, int, int, int, bool]] = field(default_factory=list)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` was written from."""
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, pos: int, *, is_end: bool) -> int:
        i = bisect.bisect_right(self._view_starts, pos - (1 if is_end else 0)) - 1
        i = max(0, min(i, len(self._segments) - 1))
        v_start, _, s_start, s_end, copied = self._segments[i]
        if copied:
            return s_start + (pos - v_start)
        return s_end if is_end else s_start  # a rewritten number: the whole of it


def _tokens(text: str) -> list[_Tok]:
    return [
        _Tok(m.group(), m.group().casefold(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)
    ]


def _thousand(toks: list[_Tok], i: int) -> bool:
    """``toks[i]`` is "k" or "grand" for a thousand; a capital K followed by a lone letter
    or digit, or a digit word, is a character read out ("one K A"), not a scale."""
    if i >= len(toks) or toks[i].low not in ("k", "grand"):
        return False
    after = toks[i + 1] if i + 1 < len(toks) else None
    return not (
        toks[i].text == "K"
        and after is not None
        and (len(after.text) == 1 or _is_word_number(after.low) or after.low in _OHS)
    )


_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}


def _fraction(text: str, toks: list[_Tok], i: int) -> tuple[Decimal, int] | None:
    """``toks[i:]`` say "and a half", "and a quarter" or "and three quarters": the
    fraction and how many tokens say it."""
    words = [t.low for t in toks[i : i + 3]]
    if len(words) == 3 and words[:2] == ["and", "a"] and words[2] in _FRACTIONS:
        size, value = 3, _FRACTIONS[words[2]]
    elif words[:3] == ["and", "three", "quarters"]:
        size, value = 3, Decimal("0.75")
    else:
        return None
    joined = all(_joined(text, toks[k], toks[k + 1]) for k in range(i, i + size - 1))
    return (value, size) if joined else None


def _half(text: str, toks: list[_Tok], i: int) -> bool:
    """``toks[i:]`` say "and a half" (or another fraction, see ``_fraction``)."""
    return _fraction(text, toks, i) is not None


def _is_word_number(low: str) -> bool:
    return low in _UNITS or low in _TEENS or low in _TENS or low in _ZEROS


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    return _JOIN_RE.fullmatch(text, a.end, b.start) is not None


def _fmt(value: Decimal) -> str:
    out = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return out


def _parse_cardinal(text: str, toks: list[_Tok], i: int) -> tuple[Decimal, int, bool] | None:
    """A cardinal phrase starting at ``toks[i]``: (value, index after it, one digit word)."""
    total, group = Decimal(0), Decimal(0)
    slot = ""  # "", "tens" (a tens word waiting for a unit), "full"
    hundred = False
    last_scale = 99
    started = False
    j = i
    n = len(toks)
    words = 0

    def nxt(k: int) -> _Tok | None:
        return toks[k + 1] if k + 1 < n and _joined(text, toks[k], toks[k + 1]) else None

    while j < n:
        tok = toks[j]
        if started and not _joined(text, toks[j - 1], tok):
            break
        low = tok.low
        follow = nxt(j)
        if low[0].isdigit():
            if (
                started
                or follow is None
                or (follow.low not in _SCALES and not _half(text, toks, j + 1))
            ):
                break
            try:
                group = Decimal(low.replace(",", ""))
            except ArithmeticError:
                break
            slot, started = "full", True
        elif low == "a" and not started:
            if follow is None or (follow.low not in _SCALES and follow.low != "hundred"):
                break
            group, slot, started = Decimal(1), "full", True
        elif low in _UNITS:
            if slot == "full":
                break
            group += _UNITS[low]
            slot, started = "full", True
            words += 1
        elif low in _ZEROS:
            if started:
                break
            return Decimal(0), j + 1, True
        elif low in _TEENS:
            if slot:
                break
            group += _TEENS[low]
            slot, started = "full", True
            words += 1
        elif low in _TENS:
            if slot:
                break
            group += _TENS[low]
            slot, started = "tens", True
            words += 1
        elif low == "hundred" and started:
            if hundred or not 0 < group < 100 or (total and group >= 10):
                break
            group *= 100
            hundred, slot = True, ""
            words += 1
        elif low in _SCALES and started:
            scale = _SCALES[low]
            if group <= 0 or scale >= last_scale:
                break
            total += group * (Decimal(10) ** scale)
            group, slot, hundred, last_scale = Decimal(0), "", False, scale
            words += 1
        elif low == "and" and started and (fraction := _fraction(text, toks, j)) is not None:
            # "forty-eight and a half", "48 and a half thousand", "six and a quarter"
            value, k = total + group + fraction[0], j + fraction[1]
            after = nxt(k - 1)
            if after is not None and after.low in _SCALES and not total:
                value *= Decimal(10) ** _SCALES[after.low]
                k += 1
            elif after is not None and _thousand(toks, k) and not total:
                value *= 1000
                k += 1
            return value, k, False
        elif low == "and" and started and (hundred or last_scale < 99) and not slot:
            if follow is None or not _is_word_number(follow.low) or follow.low in _ZEROS:
                break
        elif (
            low == "point"
            and started
            and follow is not None
            and (follow.low in _UNITS or follow.low in _ZEROS or follow.low in _OHS)
        ):
            frac = ""
            k = j + 1
            while k < n and _joined(text, toks[k - 1], toks[k]):
                w = toks[k].low
                if w in _UNITS:
                    frac += str(_UNITS[w])
                elif w in _ZEROS or w in _OHS:
                    frac += "0"
                else:
                    break
                k += 1
            value = (total + group) + Decimal("0." + frac)
            after = nxt(k - 1)
            if after is not None and after.low in _SCALES:
                value *= Decimal(10) ** _SCALES[after.low]
                k += 1
            elif after is not None and _thousand(toks, k):
                value *= 1000
                k += 1
            return value, k, False
        elif _thousand(toks, j) and started and last_scale == 99 and not hundred:
            return (total + group) * 1000, j + 1, False
        else:
            break
        j += 1
    if not started or j == i:
        return None
    if toks[j - 1].low == "a":
        return None
    single = words == 1 and j == i + 1 and toks[i].low in _UNITS
    return total + group, j, single


def _ordinal(toks: list[_Tok], text: str, i: int) -> tuple[int, int] | None:
    """An ordinal day at ``toks[i]`` ("fourteenth", "twenty-first"): (day, index after)."""
    low = toks[i].low
    if low in _ORD_UNITS or low in _ORD_TEENS or low in _ORD_TENS:
        return _ORD_UNITS.get(low) or _ORD_TEENS.get(low) or _ORD_TENS[low], i + 1
    if low in ("twenty", "thirty") and i + 1 < len(toks) and _joined(text, toks[i], toks[i + 1]):
        unit = _ORD_UNITS.get(toks[i + 1].low)
        if unit is not None and _TENS[low] + unit <= 31:
            return _TENS[low] + unit, i + 2
    return None


def _near_month(text: str, toks: list[_Tok], start: int, end: int) -> bool:
    """Whether a month name sits just before ``toks[start]`` or after ``toks[end - 1]``."""
    before = toks[start - 1] if start > 0 else None
    if before is not None and before.low == "the" and start > 1:
        before = toks[start - 2]  # "October the sixteenth"
    if before is not None and _MONTH_RE.fullmatch(before.text):
        return True
    rest = toks[end : end + 2]
    if rest and _MONTH_RE.fullmatch(rest[0].text):
        return True
    return len(rest) == 2 and rest[0].low == "of" and _MONTH_RE.fullmatch(rest[1].text) is not None


def _pieces(text: str) -> list[_Piece]:
    toks = _tokens(text)
    out: list[_Piece] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        ordinal = _ordinal(toks, text, i)
        if ordinal is not None and _near_month(text, toks, i, ordinal[1]):
            day, j = ordinal
            word = f"{day}{_ORDINAL_SUFFIX.get(day if day < 20 else day % 10, 'th')}"
            out.append(_Piece(tok.start, toks[j - 1].end, word, None))
            i = j
            continue
        if tok.low in _REPEAT and i + 1 < n and _joined(text, tok, toks[i + 1]):
            target = toks[i + 1].low
            digit = str(_UNITS[target]) if target in _UNITS else ""
            if target in _ZEROS or target in _OHS:
                digit = "0"
            if target[:1].isdigit() and len(target) == 1:
                digit = target
            if digit:
                rep = digit * _REPEAT[tok.low]
                out.append(_Piece(tok.start, toks[i + 1].end, rep, rep, single=True))
                i += 2
                continue
        if tok.low in _OHS:
            out.append(_Piece(tok.start, tok.end, tok.text, "0", single=True))
            i += 1
            continue
        parsed = _parse_cardinal(text, toks, i)
        if parsed is not None:
            value, j, single = parsed
            word = _fmt(value)
            if _thousand(toks, j - 1):  # "forty-one k": an abbreviation, shown as one
                word = _fmt(value / 1000) + "k"
            digits = word if value == value.to_integral() and value < 100 else None
            out.append(_Piece(tok.start, toks[j - 1].end, word, digits, single=single))
            i = j
            continue
        if tok.low[0].isdigit() and "." not in tok.low and "," not in tok.low:
            out.append(_Piece(tok.start, tok.end, tok.text, tok.text, single=True))
        i += 1
    return _cents(text, out)


_CENTS_RE = re.compile(r"[ \t]+([a-z]+)[ \t]+and[ \t]+", re.IGNORECASE)
_CENTS_TAIL_RE = re.compile(r"[ \t]+([a-z]+)\b", re.IGNORECASE)


def _cents(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """``<n> dollars and <m> cents`` → one piece ``n.mm dollars``."""
    out: list[_Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if i + 1 < len(pieces):
            q = pieces[i + 1]
            gap = _CENTS_RE.fullmatch(text, p.end, q.start)
            tail = _CENTS_TAIL_RE.match(text, q.end)
            if (
                gap is not None
                and gap.group(1).casefold() in _CURRENCY_WORDS
                and tail is not None
                and tail.group(1).casefold() in _CENTS_WORDS
                and q.cardinal.isdigit()
                and int(q.cardinal) < 100
            ):
                whole = p.cardinal.replace(",", "")
                if re.fullmatch(r"[0-9]+", whole):
                    cardinal = f"{whole}.{int(q.cardinal):02d} {gap.group(1)}"
                    out.append(_Piece(p.start, tail.end(), cardinal, None))
                    i += 2
                    continue
        out.append(p)
        i += 1
    return out


def _render(text: str, parts: list[tuple[int, int, str]]) -> View:
    """``text`` with each (start, end) replaced by its string; segments kept for mapping."""
    chunks: list[str] = []
    starts: list[int] = []
    segments: list[tuple[int, int, int, int, bool]] = []
    pos = 0
    out_len = 0

    def add(piece: str, s_start: int, s_end: int, copied: bool) -> None:
        nonlocal out_len
        if not piece and s_start == s_end:
            return
        starts.append(out_len)
        segments.append((out_len, out_len + len(piece), s_start, s_end, copied))
        chunks.append(piece)
        out_len += len(piece)

    for start, end, new in parts:
        add(text[pos:start], pos, start, True)
        add(new, start, end, False)
        pos = end
    add(text[pos:], pos, len(text), True)
    if not segments:
        segments.append((0, 0, 0, 0, True))
        starts.append(0)
    return View("".join(chunks), starts, segments)


def spoken_views(text: str) -> list[View]:
    """The cardinal and the digits view of ``text``; empty when it says no number in words."""
    pieces = _pieces(text)
    foreign = [
        (start, end, str(value))
        for start, end, value in foreign_numbers(text)
        if not any(p.start < end and start < p.end for p in pieces)
    ]
    if (
        not foreign
        and not any(not text[p.start : p.end].isdigit() for p in pieces)
        and not foreign_digit_runs(text)
    ):
        return []
    cardinal = [(p.start, p.end, p.cardinal) for p in pieces if p.cardinal != text[p.start : p.end]]
    cardinal = sorted(cardinal + foreign)
    # Digits view: adjacent digit pieces form a run; spaces inside it are dropped, a
    # comma or hyphen between them becomes a space.
    digit_parts: list[tuple[int, int, str]] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if p.digits is None:
            if p.cardinal != text[p.start : p.end]:
                digit_parts.append((p.start, p.end, p.cardinal))
            i += 1
            continue
        run = [p]
        while i + len(run) < len(pieces):
            q = pieces[i + len(run)]
            if q.digits is None or _RUN_GAP_RE.fullmatch(text, run[-1].end, q.start) is None:
                break
            run.append(q)
        source = text[p.start : p.end]
        if len(run) == 1 and (p.digits == source or source.casefold() in _OHS):
            i += 1
            continue
        body = run[0].digits or ""
        for a, b in itertools.pairwise(run):
            gap = text[a.end : b.start]
            # a comma, a dash or a spaced hyphen parts groups; "seven-four-two" is one number
            apart = any(c in gap for c in ",\u2013\u2014") or ("-" in gap and gap != "-")
            body += (" " if apart else "") + (b.digits or "")
        digit_parts.append((run[0].start, run[-1].end, body))
        i += len(run)
    views = [_render(text, cardinal)]
    if digit_parts != cardinal:
        views.append(_render(text, digit_parts))
    foreign_runs = foreign_digit_runs(text)
    if foreign_runs:  # "null drei null – fünf fünf fünf sieben": last, as phones read it
        views.append(_render(text, foreign_runs))
    return views
