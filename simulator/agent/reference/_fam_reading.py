"""Families the reference agents answer by reading transcripts (rules in ``_reading``).

policy_violation reads a case's chat and the policy articles: a promise beyond the limit
its policy states is a breach (the answer is that article, or 'none'), maybe against one
policy only. sales_insight_mining reads an opportunity's sales calls for the subtopics
the buyer felt positive or negative about; lead_qualification reads a lead's call for
the BANT factors the buyer does not meet. Either may be restricted to some subtopics or
factors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

from simulator.agent.reference import _match as match
from simulator.agent.reference import _parse as p
from simulator.agent.reference import _reading as read
from simulator.agent.reference._families import Answer, Family, Memo, Plan, Slot, Slots, present
from simulator.agent.reference._steps import default_record, fetch, problem_with
from simulator.agent.reference._view import Rows, View

T = TypeVar("T")

_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
_ONLY = re.compile(
    r"\b(?:only|solely|specifically|focus(?:ing)? on|(?:limit|restrict)(?:ed)? (?:it )?to)\b",
    re.I,
)
_EVERYTHING = re.compile(
    r"\b(?:all|any|every)(?: of)? (?:them|those|(?:the |our )?(?:bant )?(?:polic(?:y|ies)|"
    r"subtopics?|topics?|factors?|four))\b|\bno (?:filter|restriction)s?\b",
    re.I,
)
_NOT_A_TOPIC = frozenset(
    """a about an and at care check consider for i i'm in interested just look me of on ones
    only or please positive negative subtopic subtopics the them those to topic topics want
    we with""".split()
)
"""Words of 'Only look at pricing and security.' that name no subtopic."""


def _restriction(text: str, reading: Callable[[str], T | None]) -> T | str | None:
    """What a message restricts the question to: ``reading`` of the words after 'only' in
    the latest sentence that says one ('Only look at pricing and security.' -> reading of
    'look at pricing and security.'), or NO_FILTER when it asks for everything ('all of
    them'), else None."""
    found: T | None = None
    for sentence in _SENTENCE.findall(text):
        m = _ONLY.search(str(sentence))
        if m:
            found = reading(str(sentence)[m.end() :].strip().lower()) or found
    if found is not None:
        return found
    return p.NO_FILTER if _EVERYTHING.search(text) else None


def _named(names: Sequence[str]) -> Callable[[str], list[str] | str | None]:
    """A parser of the ``names`` a message restricts the question to (or NO_FILTER)."""

    def names_in(said: str) -> list[str] | None:
        return [n for n in names if re.search(rf"\b{re.escape(n)}\b", said)] or None

    return lambda text: _restriction(text, names_in)


def _topic_words(said: str) -> list[str] | None:
    """The words of a restriction that may name subtopics ('pricing', 'security')."""
    return [w for w in re.findall(r"[a-z][a-z'-]*", said) if w not in _NOT_A_TOPIC] or None


def _topics(text: str) -> list[str] | str | None:
    """The words naming the subtopics a message restricts the question to, or NO_FILTER."""
    return _restriction(text, _topic_words)


def _calls(record: str) -> str:
    """SQL: the transcripts of a lead's or opportunity's calls, with the rep's name."""
    return (
        "SELECT v.transcript, u.first_name || ' ' || u.last_name AS rep FROM voice_calls v "
        f"LEFT JOIN users u ON u.id = v.owner_id WHERE v.related_record_id = {p.sql_text(record)} "
        "ORDER BY v.call_start_date_time"
    )


def _transcripts(rows: Rows) -> list[tuple[str, str | None]]:
    return [(str(r[0]), str(r[1]) if r[1] else None) for r in rows.rows if r[0]]


# --- policy_violation ----------------------------------------------------------------

_KIND_WORDS = {
    "returns": "returns policy",
    "price_match": "price-match policy",
    "credit": "credit limits",
}
_ARTICLES = (
    "SELECT id, title, body FROM knowledge_articles WHERE lower(title) LIKE '%return%' "
    "OR lower(title) LIKE '%price%' OR lower(title) LIKE '%credit%' ORDER BY id"
)
"""The articles whose titles name a policy on returns, prices or credits."""


def _policy(text: str) -> str | None:
    """The one policy a message restricts the check to, or NO_FILTER ('all policies')."""
    return _restriction(text, read.policy_named)


def _granted(promise: read.Promise, rule: read.Policy) -> str:
    if promise.kind == "credit":
        return f"promised a ${promise.amount:g} credit, above the ${rule.limit:g} limit"
    what = "accepted a return" if promise.kind == "returns" else "matched a price"
    return (
        f"{what} {promise.amount:g} days after the purchase, outside the {rule.limit:g}-day window"
    )


class PolicyViolation(Family):
    """Whether the agent on a case broke a policy in the chat: the promises the agent made
    against the limits the policy articles state (maybe one policy only)."""

    name = "policy_violation"
    keywords = ("policy", "policies", "breach", "broke", "compliance", "auditing")
    slots = (
        Slot("case", "which case this is (its case number)"),
        Slot(
            "policy",
            "whether to check the chat against one policy only (returns, price match or "
            "credit limits) or all policies",
            required=False,
        ),
    )

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        case = yield from match.latest(texts, "case", memo, lambda t: match.case(t, view.people))
        return present({"case": case, "policy": p.last_match(texts, _policy)})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {"policy": p.NO_FILTER, **known},
                "case",
                "SELECT case_id FROM live_chat_transcripts ORDER BY start_time DESC LIMIT 1",
                "I couldn't find a case with a chat transcript.",
            )
        )

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        case = slots["case"]
        chats = yield from fetch(
            "SELECT c.case_number, t.body, u.first_name || ' ' || u.last_name AS agent FROM "
            "cases c JOIN live_chat_transcripts t ON t.case_id = c.id LEFT JOIN users u ON "
            f"u.id = t.owner_id WHERE c.id = {p.sql_text(case)} ORDER BY t.start_time"
        )
        problem = problem_with(chats, "chat transcript")
        if problem:
            return problem
        number = str(chats.rows[0][0])
        articles = yield from fetch(_ARTICLES)
        if articles.error:
            return f"The lookup failed: {articles.error}."
        rules = read.policies(articles.rows)
        only = slots.get("policy", p.NO_FILTER)
        if only != p.NO_FILTER:
            rules = {k: v for k, v in rules.items() if k == only}
        promised = [pr for _, body, agent in chats.rows
                    for pr in read.promises(str(body), str(agent) if agent else None)]  # fmt: skip
        broken = read.breaches(promised, rules)
        if not broken:
            kept = "policies" if only == p.NO_FILTER else _KIND_WORDS[only]
            return Answer("none", f"The agent on case {number} kept to our {kept} in the chat.")
        promise, rule = broken[0]
        return Answer(
            rule.article,
            f"The agent on case {number} broke '{rule.title}' ({rule.article}): in the chat "
            f'they {_granted(promise, rule)} ("{promise.said}").',
        )


# --- sales calls ---------------------------------------------------------------------


class _OnCalls(Family):
    """Base: a question about the calls on one record (a lead or an opportunity)."""

    record: ClassVar[str]
    """The record kind: its slot, and the word in messages."""
    table: ClassVar[str]
    """The table of such records (an eager agent takes the one called most recently)."""

    def _latest(self) -> str:
        return (
            f"SELECT r.id FROM {self.table} r JOIN voice_calls v ON v.related_record_id = r.id "
            "ORDER BY v.call_start_date_time DESC LIMIT 1"
        )

    def _read(self, slots: Slots) -> Plan[list[tuple[str, str | None]] | str]:
        rows = yield from fetch(_calls(slots[self.record]))
        problem = problem_with(rows, "call transcript")
        return problem or _transcripts(rows)


class SalesInsight(_OnCalls):
    """The subtopics of an opportunity's sales calls the buyer felt positive (or negative)
    about, maybe among some subtopics only."""

    name = "sales_insight_mining"
    keywords = ("sales calls", "call transcripts", "insights", "how the buyer felt", "sentiment")
    slots = (
        Slot("opportunity", "which opportunity (its name or id)"),
        Slot("sentiment", "whether you want the positive or the negative subtopics"),
        Slot("topics", "whether I should only look at some of the subtopics", required=False),
    )
    record = "opportunity"
    table = "opportunities"

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        opp = yield from match.latest(texts, "opportunity", memo, match.opportunity)
        return present(
            {
                "opportunity": opp,
                "sentiment": p.last_match(texts, _sentiment),
                "topics": p.last_match(texts, _topics),
            }
        )

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {"sentiment": "negative", "topics": p.NO_FILTER, **known},
                "opportunity",
                self._latest(),
                "I couldn't find an opportunity with a sales call.",
            )
        )

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        calls = yield from self._read(slots)
        if isinstance(calls, str):
            return calls
        felt = read.feelings(calls)
        wanted = slots.get("topics", p.NO_FILTER)
        said = " ".join(wanted)
        among = [
            t for t in felt if wanted == p.NO_FILTER or re.search(rf"\b{re.escape(t)}\b", said)
        ]
        sentiment = slots["sentiment"]
        found = sorted(t for t in among if felt[t] == sentiment)
        scope = "" if wanted == p.NO_FILTER else f" (among {', '.join(sorted(among)) or 'none'})"
        if not found:
            return Answer("none", f"No subtopic was {sentiment} on those calls{scope}.")
        listed = ", ".join(found)
        return Answer(listed, f"On those calls the buyer was {sentiment} about: {listed}{scope}.")


def _sentiment(text: str) -> str | None:
    m = re.findall(r"\b(positive|negative)\b", text, re.I)
    return m[-1].lower() if m else None


class LeadQualification(_OnCalls):
    """The BANT factors a lead's call shows as not met (maybe among some factors only)."""

    name = "lead_qualification"
    keywords = ("bant", "qualify", "qualification check", "lead qualification")
    """(Not 'qualification' alone: it is also a stage, 'the one currently at Qualification'.)"""
    slots = (
        Slot("lead", "which lead this is (the lead's name or id)"),
        Slot("factors", "whether I should only check some of the BANT factors", required=False),
    )
    record = "lead"
    table = "leads"

    def extract(self, texts: Sequence[str], view: View, memo: Memo) -> Plan[Slots]:
        lead = yield from match.latest(texts, "lead", memo, match.lead)
        return present({"lead": lead, "factors": p.last_match(texts, _named(read.BANT))})

    def defaults(self, known: Slots, view: View) -> Plan[Slots | str]:
        return (
            yield from default_record(
                {"factors": p.NO_FILTER, **known},
                "lead",
                self._latest(),
                "I couldn't find a lead with a call.",
            )
        )

    def solve(self, slots: Slots, view: View) -> Plan[Answer | str]:
        calls = yield from self._read(slots)
        if isinstance(calls, str):
            return calls
        wanted = slots.get("factors", p.NO_FILTER)
        fails = [f for f in read.failing(calls) if wanted == p.NO_FILTER or f in wanted]
        scope = "" if wanted == p.NO_FILTER else f" (checking {' and '.join(wanted)} only)"
        if not fails:
            return Answer("none", f"The lead meets every BANT factor on the call{scope}.")
        listed = ", ".join(fails)
        return Answer(listed, f"On the call the lead does not meet: {listed}{scope}.")
