"""Read slot values out of what the user wrote: periods, directions, filters, names.

The parsers look for content (a quarter, a month, an account name from the database),
never for the wording of a particular template, so they work on any phrasing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
}
_NUMBER = (
    r"(a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|\d+)"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_ORDINAL_QUARTER = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_WORD = "|".join(sorted((m for m in _MONTHS if m != "may"), key=len, reverse=True))


def number(word: str) -> int:
    """'two' -> 2, '14' -> 14, 'a couple of' -> 2."""
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS[word]


def last_match(texts: Iterable[str], find: Callable[[str], T | None]) -> T | None:
    """The value ``find(text)`` returns for the latest text that has one (later wins)."""
    value: T | None = None
    for text in texts:
        found = find(text)
        if found is not None:
            value = found
    return value


def quarter(text: str, today: dt.date) -> tuple[int, int] | None:
    """(year, quarter) named in the text: 'Q3 2025', 'third quarter of 2024', 'last quarter'."""
    current = (today.year, (today.month - 1) // 3 + 1)
    found: list[tuple[int, tuple[int, int]]] = []
    for m in re.finditer(r"\bq([1-4])\b(?:\s*(?:of\s+)?(?:fy\s*)?'?(\d{4}|\d{2})\b)?", text, re.I):
        found.append((m.start(), (_year(m.group(2), int(m.group(1)), current), int(m.group(1)))))
    pattern = r"\b(first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+(?:of\s+)?(\d{4}))?"
    for m in re.finditer(pattern, text, re.I):
        q = _ORDINAL_QUARTER[m.group(1).lower()]
        found.append((m.start(), (_year(m.group(2), q, current), q)))
    for m in re.finditer(r"\b(last|previous|this|current)\s+quarter\b", text, re.I):
        year, q = current
        if m.group(1).lower() in ("last", "previous"):
            year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        found.append((m.start(), (year, q)))
    return max(found)[1] if found else None


def _year(raw: str | None, q: int, current: tuple[int, int]) -> int:
    if raw:
        return int(raw) if len(raw) == 4 else 2000 + int(raw)
    return current[0] if q <= current[1] else current[0] - 1


def month(text: str, today: dt.date) -> tuple[int, int] | None:
    """(year, month) named in the text: 'September 2025', 'Sept', '2025-09', 'last month'."""
    found: list[tuple[int, tuple[int, int]]] = []
    pattern = rf"\b({_MONTH_WORD})\.?(?:\s+(?:of\s+)?(\d{{4}}))?\b|\bMay\b(?:\s+(\d{{4}}))?"
    for m in re.finditer(pattern, text, re.I):
        if m.group(1) is None and not m.group(3) and m.group(0) != "May":
            continue  # "may" as a verb
        name = (m.group(1) or "may").lower()
        mon = _MONTHS[name]
        raw = m.group(2) or m.group(3)
        year = int(raw) if raw else (today.year if mon <= today.month else today.year - 1)
        found.append((m.start(), (year, mon)))
    for m in re.finditer(r"\b(20\d\d)-(0[1-9]|1[0-2])\b(?!-\d)", text):
        found.append((m.start(), (int(m.group(1)), int(m.group(2)))))
    for m in re.finditer(r"\b(last|previous|this|current)\s+month\b", text, re.I):
        year, mon = today.year, today.month
        if m.group(1).lower() in ("last", "previous"):
            year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
        found.append((m.start(), (year, mon)))
    return max(found)[1] if found else None


def direction(text: str) -> str | None:
    """'shortest' or 'longest' (fastest/quickest/lowest vs slowest/highest); first wins."""
    m = re.search(r"\b(shortest|fastest|quickest|lowest|longest|slowest|highest)\b", text, re.I)
    if m is None:
        return None
    short = ("shortest", "fastest", "quickest", "lowest")
    return "shortest" if m.group(1).lower() in short else "longest"


def min_cases(text: str) -> int | None:
    """Minimum closed cases per agent: 'more than one case' -> 2, 'no filter' -> 1."""
    m = re.search(
        rf"\b(more than|over|at least|minimum of|min\.?)\s+{_NUMBER}\s+(?:closed\s+)?"
        r"(?:cases?|tickets?)\b",
        text,
        re.I,
    )
    if m:
        n = number(m.group(2))
        return n + 1 if m.group(1).lower() in ("more than", "over") else n
    if re.search(r"\b(no filter|all agents|any number of cases|don'?t filter)\b", text, re.I):
        return 1
    return None


def stage(text: str) -> str | None:
    """The opportunity stage to count: 'Closed Won', 'Closed Lost' or '*' for all."""
    if re.search(r"\bclosed[\s-]*lost\b|\blost deals\b", text, re.I):
        return "Closed Lost"
    if re.search(r"\bclosed[\s-]*won\b|\bwon\b", text, re.I):
        return "Closed Won"
    if re.search(r"\b(all|any) stages?\b|\bincluding open\b", text, re.I):
        return "*"
    return None


def name_in(text: str, names: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The key whose alias occurs latest in the text (aliases matched as whole words)."""
    best: tuple[int, int, str] | None = None
    for key, aliases in names:
        for alias in aliases:
            for m in re.finditer(rf"(?<![\w]){re.escape(alias)}(?![\w])", text, re.I):
                cand = (m.start(), len(alias), key)
                if best is None or cand[:2] > best[:2]:
                    best = cand
    return best[2] if best else None


def account_aliases(name: str) -> list[str]:
    """A company's name and its name without the legal form ('Globex Corporation' -> 'Globex')."""
    base = re.sub(r"[\s,]+(Inc\.?|LLC|Corporation|Corp\.?|Group|Co\.?|Ltd\.?)$", "", name)
    return [name] if base == name or not base else [name, base]


_CATEGORY_SYNONYMS = {
    "headphones": ["headphone", "earphones", "headset"],
    "smartwatch": ["smart watch", "smartwatches", "watch"],
    "mouse": ["mice"],
    "laptop": ["notebook computer"],
}


def category_aliases(category: str) -> list[str]:
    """A product category and its plural and common synonyms."""
    aliases = [category]
    if not category.endswith("s"):
        aliases.append(category + "s")
    aliases.extend(_CATEGORY_SYNONYMS.get(category, []))
    return aliases


def days_ago(text: str, today: dt.date) -> int | None:
    """How long ago something happened, in days: 'about two weeks ago', 'last month', a date."""
    found: list[tuple[int, int]] = []
    for m in re.finditer(rf"\b{_NUMBER}\s+(day|week|month|year)s?\s+(?:ago|back)\b", text, re.I):
        found.append((m.start(), number(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]))
    for m in re.finditer(r"\b(yesterday|last week|last month|last year)\b", text, re.I):
        word = m.group(1).lower()
        found.append((m.start(), {"yesterday": 1, "last week": 7, "last month": 30}.get(word, 365)))
    for m in re.finditer(r"\b(20\d\d)-(\d\d)-(\d\d)\b", text):
        try:
            when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        found.append((m.start(), (today - when).days))
    pattern = rf"\b(?:on|in)\s+({_MONTH_WORD}|May)\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?\b"
    for m in re.finditer(pattern, text, re.I):
        mon = _MONTHS[m.group(1).lower()]
        year = today.year if mon <= today.month else today.year - 1
        day = int(m.group(2)) if m.group(2) else 15
        try:
            when = dt.date(year, mon, day)
        except ValueError:
            continue
        found.append((m.start(), max(0, (today - when).days)))
    return max(found)[1] if found else None


def words_in(text: str, vocabulary: Iterable[str]) -> str | None:
    """The vocabulary word (e.g. a colour or brand) occurring latest in the text."""
    return name_in(text, [(w, [w]) for w in vocabulary if w])


def goodbye(text: str) -> bool:
    """The user is wrapping up (thanks / bye) rather than asking for more."""
    return bool(
        re.search(
            r"\b(bye|goodbye|that'?s all|that is all|that'?s everything|"
            r"have a (good|great|nice) (day|one)|thanks?( you)?\b|"
            r"that'?s what i needed|perfect|great)\b",
            text,
            re.I,
        )
    )


def dont_know(text: str) -> bool:
    """The user says they do not know or remember."""
    return bool(
        re.search(
            r"\b(don'?t know|do not know|not sure|no idea|can'?t remember|"
            r"don'?t remember|no clue)\b",
            text,
            re.I,
        )
    )


def sql_text(value: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"
