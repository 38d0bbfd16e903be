"""Read slot values out of what the user wrote: directions, filters, roles, intents.

The parsers look for content (a direction word, a priority, a channel, a number of
cases), never for the wording of a particular template, so they work on any phrasing.
Names and ids are matched against the database instead (see ``_match``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from simulator.agent.reference._when import NUMBER, number

T = TypeVar("T")


def last_match(texts: Iterable[str], find: Callable[[str], T | None]) -> T | None:
    """The value ``find(text)`` returns for the latest text that has one (later wins)."""
    value: T | None = None
    for text in texts:
        found = find(text)
        if found is not None:
            value = found
    return value


def word_map(text: str, words: Mapping[str, str]) -> str | None:
    """The canonical value of the first of ``words`` (whole words) in the text."""
    pattern = r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"
    m = re.search(pattern, text, re.I)
    return words[m.group(1).lower()] if m else None


def minimum(text: str, nouns: str) -> int | None:
    """A minimum count: 'more than one case' -> 2, 'at least ten closed cases' -> 10."""
    m = re.search(
        rf"\b(more than|over|at least|minimum of|min\.?)\s+{NUMBER}\s+(?:closed\s+|signed\s+)?"
        rf"(?:{nouns})\b",
        text,
        re.I,
    )
    if m:
        n = number(m.group(2))
        return n + 1 if m.group(1).lower() in ("more than", "over") else n
    if re.search(r"\b(no (?:filter|minimum)|all of them|any number)\b", text, re.I):
        return 1
    return None


NO_FILTER = "*"
"""A filter slot the user explicitly left open ('all cases', 'no filter')."""


def priority(text: str) -> str | None:
    """'High', 'Medium' or 'Low' from '... High priority cases', or NO_FILTER."""
    m = re.search(r"\b(high|medium|low)[- ]priority\b", text, re.I)
    if m:
        return m.group(1).capitalize()
    return (
        NO_FILTER if re.search(r"\b(all|any) priorit(y|ies)\b|\bno filter\b", text, re.I) else None
    )


def channel(text: str) -> str | None:
    """The case origin: 'phone cases', 'came in by chat', or NO_FILTER."""
    m = re.search(
        r"\b(phone|e-?mail|web|chat)\s+cases\b|\b(?:by|through|via|over)\s+(phone|e-?mail|web|chat)\b",
        text,
        re.I,
    )
    if m:
        word = (m.group(1) or m.group(2)).lower().replace("-", "")
        return {"email": "Email"}.get(word, word.capitalize())
    return (
        NO_FILTER if re.search(r"\b(all|every|any) channels?\b|\bno filter\b", text, re.I) else None
    )


_FAMILY_WORDS = {
    "hardware": "Hardware",
    "software": "Software",
    "services": "Services",
    "bundle": "bundle",
    "bundles": "bundle",
    "accessory": "accessory",
    "accessories": "accessory",
    "subscription": "subscription",
    "subscriptions": "subscription",
    "protection": "protection",
    "installation": "installation",
}
"""Product families of the sales catalogs (B2B: Hardware...; B2C: bundle...)."""


def product_family(text: str) -> str | None:
    """A product family filter: 'only Software products', 'only bundle products', or
    NO_FILTER for 'all products'."""
    m = re.search(r"\b(hardware|software|services)\b", text, re.I) or re.search(
        r"\b(" + "|".join(_FAMILY_WORDS) + r")\s+(?:products?|items?|lines?)\b", text, re.I
    )
    if m:
        return _FAMILY_WORDS[m.group(1).lower()]
    return NO_FILTER if re.search(r"\ball products\b|\bevery product\b", text, re.I) else None


def basis(text: str) -> str | None:
    """How sales are dated: 'signed' (contract signing date) or 'closed' (close date)."""
    if re.search(r"\bsign(ed|ing)?\b", text, re.I):
        return "signed"
    if re.search(r"\bclos(e|ed|ing)\s+date\b|\bwhen (?:it|they|the deal) closed\b", text, re.I):
        return "closed"
    return None


def approver(text: str) -> str | None:
    """The reviewer's role: 'sales manager' or 'sales director'."""
    m = re.search(r"\bsales\s+(manager|director)\b", text, re.I)
    return f"sales {m.group(1).lower()}" if m else None


def routing(text: str) -> str | None:
    """The routing rule the user asks for: 'standard' (expertise or territory first) or
    'workload' (just the lightest open load)."""
    if re.search(r"\b(expertise|territory|standard routing|routing policy)\b", text, re.I):
        return "standard"
    if re.search(r"\b(fewest open|lightest (?:open )?(?:work)?load)\b", text, re.I):
        return "workload"
    return None


def fix_intent(text: str) -> bool | None:
    """Whether the user wants the record changed: 'please correct it' / 'don't change it'."""
    if re.search(r"\b(don'?t|do not|never)\s+(change|update|fix|correct)\b", text, re.I):
        return False
    if re.search(r"\b(correct|fix|update|change)\b", text, re.I):
        return True
    return None


def open_only(text: str) -> bool | None:
    """Task filter: only open tasks (True) or completed ones too (False)."""
    if re.search(r"\b(include|including|also)\b[^.?!]*\bcompleted\b|\ball tasks\b", text, re.I):
        return False
    if re.search(r"\bopen (tasks|ones)\b|\bnot completed\b|\bonly open\b", text, re.I):
        return True
    return None


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


def name_in(text: str, names: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The key whose alias occurs latest in the text (aliases matched as whole words)."""
    best: tuple[int, int, str] | None = None
    for key, aliases in names:
        for alias in aliases:
            for m in re.finditer(rf"(?<![\w]){re.escape(alias)}(?![\w])", text, re.I):
                cand = (m.start(), len(alias), key)
                if best is None or cand[:2] > best[:2]:
                    best = cand
    return best[2] if best else None


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


def deal_type(text: str) -> str | None:
    """'New Business' or 'Existing Business' from 'only new business deals', or NO_FILTER."""
    m = re.search(r"\b(new|existing)\s+business\b", text, re.I)
    if m:
        return f"{m.group(1).capitalize()} Business"
    return NO_FILTER if re.search(r"\b(all|any|every) deals?\b", text, re.I) else None


LEAD_SOURCES = {
    "web": "Web",
    "referral": "Referral",
    "trade show": "Trade Show",
    "partner": "Partner",
    "cold call": "Cold Call",
}
"""The leads' sources as users name them."""


def lead_source(text: str) -> str | None:
    """A lead source from 'only trade show leads' or 'leads from referrals', or NO_FILTER."""
    words = "|".join(LEAD_SOURCES)
    m = re.search(rf"\b({words})s?\s+leads\b", text, re.I) or re.search(
        rf"\bleads\s+(?:from|via|through)\s+(?:an?\s+|the\s+)?({words})s?\b", text, re.I
    )
    if m:
        return LEAD_SOURCES[" ".join(m.group(1).lower().split())]
    return NO_FILTER if re.search(r"\b(all|any|every) (lead )?sources?\b", text, re.I) else None


def identifier(text: str) -> str | None:
    """Which number of a product the user wants: 'code' (the catalog code, SKU) or 'id'
    (the record id)."""
    if re.search(r"\b(product code|sku|catalog code|code)\b", text, re.I):
        return "code"
    if re.search(r"\b(record id|product id|internal id|just the id)\b", text, re.I):
        return "id"
    return None
