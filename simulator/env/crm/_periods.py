"""Named periods the families ask about: months, quarters, half-years.

Each is a half-open ISO date range, so SQL compares dates as text:
``start <= day AND day < end``. The defaults are what an agent assumes when the user
does not say (last month, last quarter, the last twelve months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from simulator.env.crm._tables import TODAY


@dataclass(frozen=True)
class Period:
    """A labelled half-open date range."""

    label: str
    start: str
    end: str

    @property
    def bounds(self) -> tuple[str, str]:
        return self.start, self.end


def month(year: int, m: int) -> Period:
    end = dt.date(year + 1, 1, 1) if m == 12 else dt.date(year, m + 1, 1)
    return Period(
        f"{calendar.month_name[m]} {year}", dt.date(year, m, 1).isoformat(), end.isoformat()
    )


def quarter(year: int, q: int) -> Period:
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return Period(f"Q{q} {year}", dt.date(year, 3 * q - 2, 1).isoformat(), end.isoformat())


def half(year: int, h: int) -> Period:
    start, end = (dt.date(year, 1, 1), dt.date(year, 7, 1)) if h == 1 else (
        dt.date(year, 7, 1), dt.date(year + 1, 1, 1))  # fmt: skip
    return Period(
        f"{'first' if h == 1 else 'second'} half of {year}", start.isoformat(), end.isoformat()
    )


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[Period]:
    out = []
    y, m = first
    while (y, m) <= last:
        out.append(month(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


LAST_MONTH = month(2025, 10)
LAST_QUARTER = quarter(2025, 3)
LAST_YEAR = Period("the last twelve months", "2024-11-01", TODAY.replace(day=1).isoformat())


def month_key(day: str) -> str:
    """'2025-03-14' -> '2025-03'."""
    return day[:7]


def month_label(key: str) -> str:
    """'2025-03' -> 'March 2025'."""
    year, m = key.split("-")
    return f"{calendar.month_name[int(m)]} {year}"


def slug_label(period: Period) -> str:
    """'Q3 2025' -> 'q3-2025', for persona ids."""
    return "-".join(period.label.lower().split())
