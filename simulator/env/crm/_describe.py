"""Records named by what the asker remembers, not by their id.

An employee rarely quotes a case number or a quote number: they say "the new case about
screen flickers" or "the draft quote for Crestline Construction". Such a description may
fit several records (the distractors); a second detail ("the High priority one")
settles it. A family lists its candidate records as :data:`Record` dicts (``id`` and
the details an asker may give), puts the details it draws into the task parameters, and
resolves them back to one record in ``answer``: a detail left out (``drop``: None)
either leaves several records or none, so the check finds every detail needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.env.crm._task import FactSpec, Outcome

Record = dict[str, str]
"""One candidate record: its ``id`` and the details an asker may name it by."""


RECENCY = "recency"
"""A relative detail: 'most recent' or 'oldest' of the records that fit the other
details (by each record's ``day``), not a value of its own."""


def matching(
    records: Sequence[Record], params: Mapping[str, Any], traits: Sequence[str]
) -> list[Record]:
    """The records whose every detail given in ``params`` (not None) agrees."""
    given = {t: params[t] for t in traits if params.get(t) is not None and t != RECENCY}
    found = [r for r in records if all(r[t] == v for t, v in given.items())]
    which = params.get(RECENCY) if RECENCY in traits else None
    if which is None or not found:
        return found
    days = sorted(r["day"] for r in found)
    day = days[-1] if which == "most recent" else days[0]
    return [r for r in found if r["day"] == day]


def recency(records: Sequence[Record], target: Record, combo: Sequence[str]) -> str:
    """'most recent' or 'oldest' when ``target`` is that among the records that share its
    other details of ``combo`` (and not the only one), else ''."""
    others = [t for t in combo if t != RECENCY]
    alike = matching(records, {t: target[t] for t in others}, others)
    days = sorted(r["day"] for r in alike)
    if len(days) < 2 or days.count(target["day"]) > 1:
        return ""
    return (
        "most recent" if target["day"] == days[-1] else "oldest" if target["day"] == days[0] else ""
    )


def resolve(
    records: Sequence[Record], params: Mapping[str, Any], traits: Sequence[str], what: str
) -> Outcome:
    """The id of the one record the details in ``params`` describe (else the problem)."""
    if not any(params.get(t) is not None for t in traits):
        return Outcome(problem=f"no {what} named")
    found = matching(records, params, traits)
    if len(found) != 1:
        return Outcome(problem=f"{len(found)} {what}s fit the description")
    return Outcome(found[0]["id"])


def naming(
    records: Sequence[Record], target: Record, combos: Sequence[tuple[str, ...]]
) -> dict[str, str] | None:
    """The details of the first combination that names ``target`` alone, every detail of
    it needed (without any one of them, other records fit too, or another record)."""
    for combo in combos:
        wanted = {t: recency(records, target, combo) if t == RECENCY else target[t] for t in combo}
        if not all(wanted.values()):
            continue
        if [r["id"] for r in matching(records, wanted, combo)] != [target["id"]]:
            continue
        if all(
            [r["id"] for r in matching(records, {t: v for t, v in wanted.items() if t != left},
                                       combo)] != [target["id"]]
            for left in combo
        ):  # fmt: skip
            return wanted
    return None


def detail_fact(
    fid: str, value: str, say: str, cues: tuple[str, ...], trait: str, *, first: str
) -> FactSpec:
    """A detail of a description: revealed after the fact naming the record (``first``)."""
    return FactSpec(fid, value, say, cues, {trait: None}, True, (first,))


def said(text: str) -> str:
    """The text as a sentence: a full stop added unless it ends in one ('Acme Co.')."""
    return text if text.endswith(".") else text + "."


def day_words(iso: str) -> str:
    """'2025-10-31' -> 'October 31, 2025' (how people say a date)."""
    day = dt.date.fromisoformat(iso[:10])
    return f"{day:%B} {day.day}, {day.year}"


def month_words(iso: str) -> str:
    """'2026-01-24' -> 'January 2026'."""
    day = dt.date.fromisoformat(iso[:10])
    return f"{day:%B %Y}"
