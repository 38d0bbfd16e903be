"""Reading transcripts by rule: who said what, and what a reply or a promise means.

Chats and calls are stored one ``Speaker: text`` line per message. The rules read them
the way a careful person would: the buyer's reply to each of the rep's questions says
how they feel about a subtopic or whether a BANT factor is met; an agent's promise in a
chat (a return, a price match, a credit) is compared with the limit the policy article
states. The rules look for meaning-bearing words (a worry, a negation, someone else
deciding, a dollar amount, 'N days ago'), not for the wording of one template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_LINE = re.compile(r"^\s*([^:\n]{1,80}?):\s*(.*\S)\s*$")


def lines(transcript: str) -> list[tuple[str, str]]:
    """(speaker, text) of each line of a transcript (lines without a speaker are left out)."""
    found = map(_LINE.match, transcript.splitlines())
    return [(m.group(1).strip(), m.group(2)) for m in found if m]


def exchanges(transcript: str, asker: str | None = None) -> list[tuple[str, str]]:
    """(question, reply) pairs: each question ``asker`` asks (anyone's question when the
    asker is unknown) with the next line another speaker says."""
    said = lines(transcript)
    out = []
    for i, (who, text) in enumerate(said):
        if not text.endswith("?") or (asker is not None and who != asker):
            continue
        reply = next((t for w, t in said[i + 1 :] if w != who), None)
        if reply is not None:
            out.append((text, reply))
    return out


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I) is not None


# --- how the buyer feels about a subtopic --------------------------------------------

_TOPIC = re.compile(r"\babout (?:the |your |our )?([a-z][a-z -]*?)\s*\?\s*$", re.I)
_WORRY = (
    r"\b(worr(?:y|ied|ies)|concerns?|concerned|uneasy|afraid|doubts?|too (?:late|slow|early|"
    r"expensive|high|much|long|complicated)|(?:above|more than) (?:what )?we expected|"
    r"a lot of work|took (?:days|weeks|ages|forever)|won'?t|can'?t|not|problems?|issues?|"
    r"disappoint\w*|frustrat\w*|unhappy)\b"
)
_PRAISE = (
    r"\b(fair|great|good|easy|glad|happy|pleased|love|like|works?|work well|tick every box|"
    r"fine|excellent|perfect|impressed)\b"
)


def topic_of(question: str) -> str | None:
    """The subtopic a question asks the buyer about: 'How do you feel about the pricing?'."""
    m = _TOPIC.search(question)
    return m.group(1).lower() if m else None


def feeling(reply: str) -> str | None:
    """'negative' when the reply voices a worry or a complaint, 'positive' when it praises,
    None when it does neither (a worry outweighs praise: 'well above what we expected')."""
    if _has(_WORRY, reply):
        return "negative"
    if _has(_PRAISE, reply):
        return "positive"
    return None


def feelings(calls: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Subtopic -> 'positive' or 'negative' over (transcript, rep) calls, later calls win."""
    out: dict[str, str] = {}
    for transcript, rep in calls:
        for question, reply in exchanges(transcript, rep):
            topic, sense = topic_of(question), feeling(reply)
            if topic and sense:
                out[topic] = sense
    return out


# --- BANT ------------------------------------------------------------------------------

BANT = ("budget", "authority", "need", "timeline")
_ASKS = (
    ("budget", r"\b(budget\w*|money|afford|funds?|spend)\b"),
    ("authority", r"\b(decision|decides?|decide|sign(?:s|ing)? off|approves?|approval|"
                  r"final (?:call|say))\b"),
    ("timeline", r"^\s*when\b|\b(timeline|timeframe|time frame|by when|how soon|deadline)\b"),
    ("need", r"\b(holding up|current|today|pain|problems?|need)\b"),
)  # fmt: skip
_NEGATED = (
    r"\b(no|not|never|nothing|none|haven'?t|hasn'?t|hadn'?t|don'?t|doesn'?t|isn'?t|aren'?t)\b"
)
_SOMEONE_ELSE = (
    r"\b(have to (?:take|ask|check|run)|take it to|ask (?:my|our)|decides|makes the (?:final )?"
    r"(?:call|decision)|up to (?:my|our|the))\b"
)
_CONTENT = r"\b(works? fine|fine for us|happy with|good enough|no (?:real )?need|don'?t need)\b"
_PAIN = r"\b(fail\w*|broken|break\w*|slow\w*|outdated|struggl\w*|need\w*|problems?|issues?)\b"


def factor_of(question: str) -> str | None:
    """The BANT factor a rep's question is about."""
    return next((factor for factor, words in _ASKS if _has(words, question)), None)


def met(factor: str, reply: str) -> bool:
    """Whether the buyer's reply meets a BANT factor: a budget or a timeline that is not
    denied, a buyer who decides alone, a current setup that is failing them."""
    if factor == "need":
        return _has(_PAIN, reply) and not _has(_CONTENT, reply)
    if factor == "authority":
        return not (_has(_NEGATED, reply) or _has(_SOMEONE_ELSE, reply))
    return not _has(_NEGATED, reply)


def failing(calls: Iterable[tuple[str, str | None]]) -> list[str]:
    """The BANT factors the calls show as not met, in BANT order (later calls win)."""
    verdict: dict[str, bool] = {}
    for transcript, rep in calls:
        for question, reply in exchanges(transcript, rep):
            factor = factor_of(question)
            if factor:
                verdict[factor] = met(factor, reply)
    return [f for f in BANT if verdict.get(f) is False]


# --- policies in chats -------------------------------------------------------------

POLICIES = ("returns", "price_match", "credit")
"""The kinds of promise a support chat may make that a policy limits."""
_TITLES = {
    "price_match": r"\bprice[ -](?:match\w*|protection)\b",
    "returns": r"\breturns?\b|\brma\b",
    "credit": r"\bcredits?\b|\bgoodwill\b",
}
"""How a policy article's title (or a user) names each kind of promise."""
_LIMITS = {
    "returns": r"\bwithin (\d+) days\b",
    "price_match": r"\bwithin (\d+) days\b",
    "credit": r"\bup to \$(\d[\d,]*)",
}
"""The limit a policy article states: a window in (calendar) days, a dollar amount."""
_REFUSED = (
    r"\b(can'?t|cannot|unable|unfortunately|not eligible|isn'?t eligible|outside|declin\w*|"
    r"won'?t be able|not possible)\b"
)
_DAYS_AGO = re.compile(r"\b(\d+) days ago\b", re.I)
_CREDIT = re.compile(r"\$(\d[\d,]*(?:\.\d+)?)\s+(?:\w+\s+)?credit\b", re.I)


def policy_named(text: str) -> str | None:
    """The kind of policy a text names ('our returns policy', 'price protection')."""
    return next((kind for kind, words in _TITLES.items() if _has(words, text)), None)


@dataclass(frozen=True)
class Policy:
    """A policy article and the limit it states."""

    kind: str
    article: str
    title: str
    limit: float


def policies(articles: Iterable[Sequence[object]]) -> dict[str, Policy]:
    """The policy of each kind of promise, from (id, title, body) article rows: the kind
    is read from the title, the limit from the body (articles stating none are left out)."""
    out: dict[str, Policy] = {}
    for article, title, body in (tuple(map(str, a)) for a in articles):
        kind = policy_named(title)
        m = re.search(_LIMITS[kind], body, re.I) if kind else None
        if kind and m and kind not in out:
            out[kind] = Policy(kind, article, title, float(m.group(1).replace(",", "")))
    return out


@dataclass(frozen=True)
class Promise:
    """What the support agent granted in a chat: a return or a price match on a purchase
    ``amount`` days old, or a credit of ``amount`` dollars; ``said`` is the agent's line."""

    kind: str
    amount: float
    said: str


def promises(transcript: str, agent: str | None) -> list[Promise]:
    """The support agent's promises in a chat (refusals are not promises). The age of the
    purchase is what the customer last said ('I bought it 52 days ago')."""
    out = []
    days: float | None = None
    for who, text in lines(transcript):
        ago = _DAYS_AGO.search(text)
        if ago:
            days = float(ago.group(1))
        customer = who != agent if agent is not None else ago is not None
        if customer:  # (without the agent's name: the customer is who gives the dates)
            continue
        if _has(_REFUSED, text):
            continue
        credit = _CREDIT.search(text)
        if credit:
            out.append(Promise("credit", float(credit.group(1).replace(",", "")), text))
        elif _has(r"\bmatch\w*\b", text) and days is not None:
            out.append(Promise("price_match", days, text))
        elif _has(r"\breturns?\b", text) and days is not None:
            out.append(Promise("returns", days, text))
    return out


def breaches(found: Iterable[Promise], rules: dict[str, Policy]) -> list[tuple[Promise, Policy]]:
    """The promises that go beyond their policy's limit, with that policy."""
    return [(p, rules[p.kind]) for p in found if p.kind in rules and p.amount > rules[p.kind].limit]
