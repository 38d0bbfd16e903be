"""Read periods and moments out of what the user wrote.

A period becomes a half-open ISO date range, whatever its grain: 'September 2025',
'Q3 2025', 'the third quarter of 2025', 'the first half of 2025', 'H1 2025', 'last
month', 'last quarter'. The parsers look for content, never a template's wording.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_WORD = "|".join(sorted((m for m in _MONTHS if m != "may"), key=len, reverse=True))
_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
    "several": 4,
}  # fmt: skip
NUMBER = (
    r"(a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|\d+)"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def number(word: str) -> int:
    """'two' -> 2, '14' -> 14, 'a couple of' -> 2."""
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS[word]


@dataclass(frozen=True)
class Range:
    """A half-open date range with the words it was read from."""

    start: str
    end: str
    label: str


def _month_range(year: int, m: int) -> Range:
    end = dt.date(year + 1, 1, 1) if m == 12 else dt.date(year, m + 1, 1)
    return Range(
        dt.date(year, m, 1).isoformat(), end.isoformat(), f"{calendar.month_name[m]} {year}"
    )


def quarter_range(year: int, q: int) -> Range:
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return Range(dt.date(year, 3 * q - 2, 1).isoformat(), end.isoformat(), f"Q{q} {year}")


def _half_range(year: int, h: int) -> Range:
    if h == 1:
        return Range(f"{year}-01-01", f"{year}-07-01", f"H1 {year}")
    return Range(f"{year}-07-01", f"{year + 1}-01-01", f"H2 {year}")


def _past_year(raw: str | None, month: int, today: dt.date) -> int:
    if raw:
        return int(raw) if len(raw) == 4 else 2000 + int(raw)
    return today.year if month <= today.month else today.year - 1


def last_month(today: dt.date) -> Range:
    y, m = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return _month_range(y, m)


def last_quarter(today: dt.date) -> Range:
    q = (today.month - 1) // 3 + 1
    y, q = (today.year - 1, 4) if q == 1 else (today.year, q - 1)
    return quarter_range(y, q)


def last_twelve_months(today: dt.date) -> Range:
    end = today.replace(day=1)
    return Range(end.replace(year=end.year - 1).isoformat(), end.isoformat(), "the last 12 months")


def period(text: str, today: dt.date) -> Range | None:
    """The period named latest in the text (a month beats the year it sits in)."""
    found: list[tuple[int, int, Range]] = []  # (position, specificity, range)
    for m in re.finditer(rf"\b({_MONTH_WORD})\.?(?:\s+(?:of\s+)?(\d{{4}}))?\b", text, re.I):
        mon = _MONTHS[m.group(1).lower()]
        found.append((m.start(), 3, _month_range(_past_year(m.group(2), mon, today), mon)))
    for m in re.finditer(r"\bMay\b(?:\s+(\d{4}))?", text):
        found.append((m.start(), 3, _month_range(_past_year(m.group(1), 5, today), 5)))
    for m in re.finditer(r"\b(20\d\d)-(0[1-9]|1[0-2])\b(?!-\d)", text):
        found.append((m.start(), 3, _month_range(int(m.group(1)), int(m.group(2)))))
    for m in re.finditer(r"\bq([1-4])\b(?:\s*(?:of\s+)?(?:fy\s*)?'?(\d{4}|\d{2})\b)?", text, re.I):
        q = int(m.group(1))
        found.append((m.start(), 2, quarter_range(_past_year(m.group(2), 3 * q - 2, today), q)))
    pattern = r"\b(first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+(?:of\s+)?(\d{4}))?"
    for m in re.finditer(pattern, text, re.I):
        q = _ORDINAL[m.group(1).lower()]
        found.append((m.start(), 2, quarter_range(_past_year(m.group(2), 3 * q - 2, today), q)))
    pattern = r"\b(?:(first|second)\s+half|h([12]))(?:\s+(?:of\s+)?(\d{4}))?"
    for m in re.finditer(pattern, text, re.I):
        h = 1 if (m.group(1) or "").lower() == "first" or m.group(2) == "1" else 2
        year = int(m.group(3)) if m.group(3) else today.year - (h == 2)
        found.append((m.start(), 2, _half_range(year, h)))
    for m in re.finditer(r"\b(last|previous|this|current)\s+(month|quarter)\b", text, re.I):
        last = m.group(1).lower() in ("last", "previous")
        if m.group(2).lower() == "month":
            rng = last_month(today) if last else _month_range(today.year, today.month)
        else:
            q = (today.month - 1) // 3 + 1
            rng = last_quarter(today) if last else quarter_range(today.year, q)
        found.append((m.start(), 2, rng))
    for m in re.finditer(r"\b(?:last|past)\s+(?:12|twelve)\s+months\b", text, re.I):
        found.append((m.start(), 2, last_twelve_months(today)))
    if not found:
        return None
    return max(found, key=lambda f: (f[0], f[1]))[2]


def days_ago(text: str, today: dt.date) -> int | None:
    """How long ago something happened, in days: 'about two weeks ago', 'last month', a date."""
    found: list[tuple[int, int]] = []
    for m in re.finditer(rf"\b{NUMBER}\s+(day|week|month|year)s?\s+(?:ago|back)\b", text, re.I):
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
    return max(found)[1] if found else None
