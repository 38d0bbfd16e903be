"""Records the user describes instead of naming them, and the constraints they add.

"The new case about screen flickers", "the draft quote for Crestline Construction":
the agent looks the description up, and when several records fit (look-alikes), it
asks for a detail that tells them apart (``DETAIL``). The record slot then holds
:data:`AMBIGUOUS` and the candidates until the user settles it. The parsers read
content (a channel, a date, a colleague on leave), never a template's wording.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence

from simulator.agent.reference import _parse as p
from simulator.agent.reference._families import Memo, Plan, Slots

AMBIGUOUS = "ambiguous:"
"""Prefix of a record slot whose description fits several records (their ids follow)."""
SETTLED = "n/a"
"""The detail slot's value when the record needs no further detail."""
DETAIL = "detail"
"""The slot of the detail that tells look-alike records apart."""


def candidates(rows: Sequence[Sequence[object]]) -> str | None:
    """The record slot's value for the ids a description found: the one id, or
    :data:`AMBIGUOUS` and all of them (None when none fits)."""
    ids = [str(r[0]) for r in rows]
    if not ids:
        return None
    return ids[0] if len(ids) == 1 else AMBIGUOUS + ",".join(ids)


def is_ambiguous(value: object) -> bool:
    return isinstance(value, str) and value.startswith(AMBIGUOUS)


def record_slots(name: str, value: str | None) -> Slots:
    """The record slot and the detail slot for a lookup's outcome."""
    if value is None:
        return {DETAIL: SETTLED}
    if is_ambiguous(value):
        return {name: value}
    return {name: value, DETAIL: SETTLED}


def settle(slots: Slots, name: str) -> Slots:
    """What an eager agent assumes of a description that fits several records: the
    first of them."""
    value = slots.get(name)
    if is_ambiguous(value):
        slots[name] = str(value)[len(AMBIGUOUS) :].split(",")[0]
    slots.setdefault(DETAIL, SETTLED)
    return slots


def described(memo: Memo, kind: str, key: str, sql: str) -> Plan[str | None]:
    """The record slot's value for the records ``sql`` finds (looked up once per key)."""
    rows = yield from memo.lookup(kind, key, sql)
    return candidates(rows.rows)


BUYERS = {
    "b2b": ("accounts", "account_id", "b.name"),
    "b2c": ("customers", "customer_id", "b.first_name || ' ' || b.last_name"),
}
"""Per org, whom opportunities and quotes are with: (table, the records' column naming
them, their name as SQL over ``b``)."""


def buyer_sql(text: str, org: str, records: str, where: str) -> str:
    """SQL finding whom the text names (their name twice, and its place in the text)
    among those with a record in ``records`` (aliased ``r``) that meets ``where``."""
    table, column, name = BUYERS[org]
    said = f"lower({p.sql_text(text)})"
    return (
        f"SELECT {name}, {name}, instr({said}, lower({name})) FROM {table} b "
        f"WHERE instr({said}, lower({name})) > 0 AND EXISTS (SELECT 1 FROM {records} r "
        f"WHERE r.{column} = b.id AND {where})"
    )


def recency_said(text: str) -> str | None:
    """'most recent' or 'oldest' when the user tells records apart by age."""
    if re.search(r"\b(most recent|newest|newer|latest)\b", text, re.I):
        return "most recent"
    if re.search(r"\b(oldest|older|earliest)\b", text, re.I):
        return "oldest"
    return None


def by_recency(rows: Sequence[Sequence[object]], which: str | None) -> list[Sequence[object]]:
    """Rows of (id, date) in date order, narrowed to the most recent or the oldest."""
    if which is None or not rows:
        return list(rows)
    day = rows[-1][1] if which == "most recent" else rows[0][1]
    return [r for r in rows if r[1] == day]


_MONTH_NAMES = "|".join(m for m in calendar.month_name if m)


def day_said(text: str, today: dt.date | None = None) -> str | None:
    """A calendar day: 'October 31, 2025', '31 October 2025', '2025-10-31' (ISO), or,
    given ``today``, 'October 31' (the latest such day not after today)."""
    months = list(calendar.month_name)
    m = re.search(rf"\b({_MONTH_NAMES})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", text, re.I)
    if m:
        return _day(int(m.group(3)), months.index(m.group(1).capitalize()), int(m.group(2)))
    m = re.search(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\s+(\d{{4}})\b", text, re.I)
    if m:
        return _day(int(m.group(3)), months.index(m.group(2).capitalize()), int(m.group(1)))
    m = re.search(r"\b(20\d\d-[01]\d-[0-3]\d)\b", text)
    if m:
        return m.group(1)
    m = re.search(rf"\b({_MONTH_NAMES})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", text, re.I)
    if m and today is not None:
        month, day = months.index(m.group(1).capitalize()), int(m.group(2))
        found = _day(today.year, month, day)
        if found is not None and found > today.isoformat():
            found = _day(today.year - 1, month, day)
        return found
    return None


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def channel_said(text: str) -> str | None:
    """The channel a case came in by: 'by phone', 'over chat', 'through the web form'."""
    m = re.search(
        r"\b(?:by|over|via|through)\s+(?:the\s+|our\s+)?(phone|e-?mail|chat|web)\b", text, re.I
    )
    if not m:
        return None
    word = m.group(1).lower().replace("-", "")
    return {"email": "Email"}.get(word, word.capitalize())


def priority_said(text: str) -> str | None:
    """A priority level the user names ('High priority'), not 'any priority'."""
    level = p.priority(text)
    return None if level == p.NO_FILTER else level


_AWAY = re.compile(
    r"\b(on leave|out of (?:the )?office|away|unavailable|on vacation|off sick|off this week)\b",
    re.I,
)


def away_in(text: str, people: Sequence[tuple[str, str]]) -> str | None:
    """The id of a colleague the text says is away ('X is out on leave this week')."""
    if not _AWAY.search(text):
        return None
    return p.name_in(text, [(uid, [name]) for uid, name in people])


def without_away(text: str, people: Sequence[tuple[str, str]]) -> str:
    """The text without the names of colleagues it says are away (so that a customer or
    lead of the same name is not taken for the record meant)."""
    if not _AWAY.search(text):
        return text
    for _, name in people:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "", text, flags=re.I)
    return text
