"""What both orgs' generators share: a seeded row builder and the SQLite loader.

Everything random comes from one ``random.Random`` seeded with the org, seed and scale,
so the same three always give the same database, byte for byte.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.env.crm import _words as w
from simulator.env.crm._stream import Stream
from simulator.env.crm._tables import SEARCH, TODAY, Table, search_ddl
from simulator.env.crm._text_b2c import Article

Row = tuple[Any, ...]
_PLACE_CUMULATIVE = tuple(itertools.accumulate(w.PLACE_WEIGHTS))


@dataclass
class Generated:
    """One org's rows, full-text documents, and the ground truth hidden from the agent.

    ``truth`` holds what only the generator knows, such as which chat transcript breaks
    which policy: the text families compute their answers from it.
    """

    org: str
    seed: int
    scale: int
    tables: tuple[Table, ...]
    rows: dict[str, list[Row]]
    search: list[Row] = field(default_factory=list)
    truth: dict[str, dict[str, Any]] = field(default_factory=dict)


class Builder:
    """Accumulates rows while keeping people, phones and e-mails unique where it can."""

    def __init__(self, org: str, seed: int, scale: int, tables: tuple[Table, ...]) -> None:
        self.rng: random.Random = Stream(f"crm:{org}:{seed}:{scale}")
        self.out = Generated(org, seed, scale, tables, {t.name: [] for t in tables})
        self._names: set[tuple[str, str]] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()
        self._counters: dict[str, Iterator[int]] = {}
        self._rows = self.out.rows

    def add(self, table: str, row: Row) -> None:
        self._rows[table].append(row)

    def next_id(self, prefix: str) -> str:
        """Sequential Salesforce-style ids: ``500Cas`` -> 500Cas0000001, 500Cas0000002..."""
        counter = self._counters.get(prefix)
        if counter is None:
            counter = self._counters[prefix] = itertools.count(1)
        return f"{prefix}{next(counter):07d}"

    def person(self, *, unique: bool = True) -> tuple[str, str]:
        """A first/last name pair, unique in the org while the name space allows it."""
        for _ in range(25 if unique else 1):  # large worlds run out of names: namesakes
            pool = w.FEMALE_FIRST if self.rng.random() < 0.5 else w.MALE_FIRST
            name = (self.rng.choice(pool), self.rng.choice(w.LAST))
            if name not in self._names or not unique:
                break
        self._names.add(name)
        return name

    def twin(self, name: tuple[str, str]) -> tuple[str, str]:
        """The same name again: the deliberate ambiguity of real CRMs."""
        self._names.add(name)
        return name

    def phone(self, area: str) -> str:
        """A number in the fictional 555-01xx range, like ``+1 (415) 555-0142``."""
        number = f"+1 ({area}) 555-{self.rng.randint(100, 199):04d}"
        for _ in range(12):
            if number not in self._phones:
                break
            area = self.rng.choice(w.PLACES)[2]
            number = f"+1 ({area}) 555-{self.rng.randint(100, 199):04d}"
        self._phones.add(number)
        return number

    def email(self, first: str, last: str, domain: str) -> str:
        """A unique, realistic-looking address."""
        f, la = first.lower(), last.lower().replace("'", "")
        base = self.rng.choice((f"{f}.{la}", f"{f[0]}{la}", f"{f}_{la}", f"{f}{la[0]}"))
        candidate = f"{base}@{domain}"
        n = 1
        while candidate in self._emails:
            n += 1
            candidate = f"{base}{n}@{domain}"
        self._emails.add(candidate)
        return candidate

    def place(self) -> tuple[str, str, str]:
        """(city, state, area code), weighted by population."""
        return self.rng.choices(w.PLACES, cum_weights=_PLACE_CUMULATIVE)[0]

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))


class Calendar:
    """Draws dates from a range with monthly seasonality (weights by calendar month)."""

    def __init__(self, start: dt.date, end: dt.date, month_weights: Sequence[float]) -> None:
        self.days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        weights = [
            month_weights[d.month - 1] * (0.6 if d.weekday() >= 5 else 1.0) for d in self.days
        ]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> dt.date:
        x = rng.random() * self.cumulative[-1]
        return self.days[min(bisect.bisect(self.cumulative, x), len(self.days) - 1)]


def at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A business-hours moment on ``day``."""
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))


def iso(moment: dt.date | dt.datetime | None) -> str | None:
    """ISO text without time zone (seconds for datetimes), or None."""
    if moment is None:
        return None
    if type(moment) is dt.datetime and moment.microsecond:
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()  # a date, or a datetime on a whole second: the same text


NOW = dt.datetime.combine(TODAY, dt.time(0, 0))
"""Midnight at the start of the sandbox's today: nothing happens after it."""


def load(conn: sqlite3.Connection, data: Generated) -> None:
    """Create the tables and the full-text index and insert every row (one transaction)."""
    conn.execute("BEGIN")
    for table in data.tables:
        conn.execute(table.ddl())
        marks = ", ".join("?" for _ in table.columns)
        conn.executemany(f"INSERT INTO {table.name} VALUES ({marks})", data.rows[table.name])
    conn.execute(search_ddl())
    marks = ", ".join("?" for _ in SEARCH.columns)
    conn.executemany(f"INSERT INTO text_search VALUES ({marks})", data.search)
    for table in data.tables:
        for col in table.columns[1:]:
            if col.name.endswith("_id") or col.name in ("what_id", "parent_id"):
                conn.execute(f"CREATE INDEX {table.name}_{col.name} ON {table.name} ({col.name})")
    conn.execute("COMMIT")
    conn.execute("INSERT INTO text_search(text_search) VALUES ('optimize')")


def add_articles(b: Builder, articles: Iterable[Article], first_number: int) -> dict[str, str]:
    """Insert knowledge articles (numbered on from ``first_number``) and index them for
    search; returns article key -> id."""
    keys: dict[str, str] = {}
    for article in articles:
        aid = b.next_id("ka0Kav")
        published = b.date_between(dt.date(2024, 1, 1), dt.date(2025, 10, 1))
        number = f"{len(b.out.rows['knowledge_articles']) + first_number:09d}"
        b.add(
            "knowledge_articles",
            (aid, number, article.title, article.category, article.summary, article.body,
             article.visibility, iso(published)),
        )  # fmt: skip
        b.out.search.append(
            ("knowledge", aid, None, article.visibility, article.title, article.body)
        )
        keys[article.key] = aid
    return keys
