"""Find a value (phone, email, amount, id, date or text) in free text across formatting variants.

Shared by the simulated-user verifier, leakage scoring and task-completion matching.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

Kind = Literal["auto", "phone", "email", "money", "number", "id", "date", "text"]

_Spans = Iterator[tuple[int, int]]
_Matcher = Callable[[str], _Spans]

__all__ = [
    "Found",
    "Kind",
    "contains_value",
    "find_all",
    "find_numbers",
    "find_value",
    "infer_kind",
    "normalize_text",
    "parse_date",
    "parse_number",
]


@dataclass(frozen=True)
class Found:
    """One occurrence: ``text == source[start:end]`` in the original text."""

    start: int
    end: int
    text: str

    def excerpt(self, source: str, width: int = 40) -> str:
        """About ``width`` characters either side of the match; whitespace collapsed, '…' if cut."""
        lo = max(0, self.start - width)
        hi = min(len(source), self.end + width)
        body = " ".join(source[lo:hi].split())
        return ("…" if lo > 0 else "") + body + ("…" if hi < len(source) else "")


# --- numbers and amounts ------------------------------------------------------------------------

CURRENCY_CODES = (
    "USD|EUR|GBP|CHF|JPY|CAD|AUD|NZD|INR|CNY|RMB|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD"
)
CURRENCY_SIGNS = "$€£¥₹₩₽₺₪"
_NUM_RE = re.compile(
    rf"""
    (?<!\w)(?<![0-9][.,])                   # a whole token: not inside a word or a number
    (?P<neg1>[-−])?
    (?:(?P<pre>(?:[A-Z]{{1,2}})?[{CURRENCY_SIGNS}]|(?:{CURRENCY_CODES})(?![A-Za-z]))\s?)?
    (?P<neg2>[-−])?
    (?<!\w[-/])                             # not a part of a hyphenated id, date or phone
    (?P<num>[0-9]{{1,2}}(?:,[0-9]{{2}})+,[0-9]{{3}}(?:\.[0-9]+)?   # 4,75,000 (lakh grouping)
      |[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)
    (?P<mag>\s?(?i:thousand|million|billion|mn|bn)|[kKmMB])?
    (?:\s?(?P<post>{CURRENCY_CODES}))?
    (?!\w)(?![.,][0-9])(?![-/]\w)
    """,
    re.VERBOSE,
)
_MAGNITUDE = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "million": 6, "b": 9, "bn": 9, "billion": 9}
_CURRENCY_RE = re.compile(rf"[{CURRENCY_SIGNS}]|\b(?:{CURRENCY_CODES})\b")


def _number_of(m: re.Match[str]) -> Decimal:
    exp = _MAGNITUDE.get(m["mag"].strip().casefold(), 0) if m["mag"] else 0
    whole, _, frac = m["num"].replace(",", "").partition(".")
    frac = frac.ljust(exp, "0")  # shift the point by the magnitude, exactly, in the string
    digits = f"{whole}{frac[:exp]}.{frac[exp:]}" if frac[exp:] else f"{whole}{frac[:exp]}"
    return Decimal(("-" if m["neg1"] or m["neg2"] else "") + digits)


def parse_number(text: str) -> Decimal | None:
    """The value of a string that is one number or amount (``"$184,500.00"``, ``"1.2 million"``)."""
    m = _NUM_RE.fullmatch(text.strip())
    return _number_of(m) if m else None


def find_numbers(text: str) -> list[tuple[Decimal, int, int]]:
    """Every whole number or amount token in ``text`` with its value and span."""
    return [(_number_of(m), m.start(), m.end()) for m in _NUM_RE.finditer(text)]


# --- dates --------------------------------------------------------------------------------------

# Month names in French, German, Spanish, Italian and Portuguese, for dates written in
# another locale ("18 septembre 2025", "3. März 2025", "14 de marzo de 2025").
_FOREIGN_MONTHS = {
    **dict.fromkeys(["janvier", "januar", "enero", "gennaio", "janeiro"], 1),
    **dict.fromkeys(["février", "fevrier", "februar", "febrero", "febbraio", "fevereiro"], 2),
    **dict.fromkeys(["mars", "märz", "maerz", "marzo", "março", "marco"], 3),
    **dict.fromkeys(["avril", "abril", "aprile"], 4),
    **dict.fromkeys(["mai", "mayo", "maggio", "maio"], 5),
    **dict.fromkeys(["juin", "juni", "junio", "giugno", "junho"], 6),
    **dict.fromkeys(["juillet", "juli", "julio", "luglio", "julho"], 7),
    **dict.fromkeys(["août", "aout", "agosto"], 8),
    **dict.fromkeys(["septembre", "septiembre", "setiembre", "settembre", "setembro"], 9),
    **dict.fromkeys(["octobre", "oktober", "octubre", "ottobre", "outubro"], 10),
    **dict.fromkeys(["novembre", "noviembre", "novembro"], 11),
    **dict.fromkeys(["décembre", "decembre", "dezember", "diciembre", "dicembre", "dezembro"], 12),
}
_MONTH = (
    "(?:"
    + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True))
    + r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}


def month_number(name: str) -> int:
    """1 to 12 for a month's name or abbreviation in English or a listed locale; 0 if none."""
    low = name.casefold().rstrip(".")
    return _FOREIGN_MONTHS.get(low) or _MONTHS.get(low[:3], 0)


_DATE_RE = re.compile(
    rf"""
    (?<!\w)(?<![0-9][-/.])
    (?:
        (?P<y1>[0-9]{{4}})(?P<s1>[-/.])(?P<m1>[0-9]{{1,2}})(?P=s1)(?P<d1>[0-9]{{1,2}})
      | (?P<m2>[0-9]{{1,2}})(?P<s2>[-/])(?P<d2>[0-9]{{1,2}})(?P=s2)(?P<y2>[0-9]{{4}})
      | (?P<mn3>{_MONTH})\.?\s+(?P<d3>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>[0-9]{{4}})
      | (?P<d4>[0-9]{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?(?P<mn4>{_MONTH})\.?,?\s+
        (?:de\s+)?(?P<y4>[0-9]{{4}})
    )
    (?!(?!T[0-9]{{2}}:)\w)(?![-/.][0-9])    # an ISO timestamp's time may follow: 2024-08-27T14:03
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _date_of(m: re.Match[str]) -> datetime.date | None:
    if m["y1"]:
        y, mo, d = int(m["y1"]), int(m["m1"]), int(m["d1"])
    elif m["y2"]:
        y, mo, d = int(m["y2"]), int(m["m2"]), int(m["d2"])
    else:
        name, day, year = (m["mn3"], m["d3"], m["y3"]) if m["y3"] else (m["mn4"], m["d4"], m["y4"])
        y, mo, d = int(year), month_number(name), int(day)
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """The day named by a string that is one date (ISO, ``March 14, 2025``, ``03/14/2025``, …)."""
    m = _DATE_RE.fullmatch(text.strip())
    return _date_of(m) if m else None


# --- text tokens --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=512)
def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((m.group().casefold(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text))


def normalize_text(text: str) -> str:
    """Casefolded word tokens joined by single spaces (punctuation and whitespace collapsed)."""
    return " ".join(t for t, _, _ in _tokens(text))


# --- kind inference -----------------------------------------------------------------------------

_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_LIKE = re.compile(r"[0-9\s().+/-]+")
_DECIMAL_LIKE = re.compile(r"-?[0-9]+\.[0-9]+")
_ID_LIKE = re.compile(r"[^\W_]+(?:[-_][^\W_]+)*")


def infer_kind(value: str) -> Kind:
    """The kind ``"auto"`` resolves to for ``value``; never ``"auto"``."""
    v = value.strip()
    if _EMAIL_LIKE.fullmatch(v):
        return "email"
    n_digits = sum(c in "0123456789" for c in v)
    if _PHONE_LIKE.fullmatch(v) and 10 <= n_digits <= 15 and not _DECIMAL_LIKE.fullmatch(v):
        return "phone"
    if parse_date(v) is not None:
        return "date"
    if parse_number(v) is not None:
        return "money" if _CURRENCY_RE.search(v) else "number"
    if _ID_LIKE.fullmatch(v) and n_digits and any(c.isalpha() for c in v):
        return "id"
    return "text"


# --- matchers, one per kind; compiled once per (value, kind) ------------------------------------

_PHONE_LABEL_RE = re.compile(
    r"\b(?:ticket|order|case|ref|reference|confirmation|invoice|account|member|booking|"
    r"tracking|customer|policy|claim)\s*(?:number|no\.?|#|id)?\s*(?:is|was|:)?\s*\Z",
    re.IGNORECASE,
)
_PHONE_GROUP_RE = re.compile(r"[0-9](?:[ \t\u00a0().+/-]*[0-9])*")
_NON_DIGIT_RE = re.compile(r"[^0-9]")


def _phone_matcher(value: str) -> _Matcher | None:
    full = _NON_DIGIT_RE.sub("", value)
    if not full:
        return None
    core = full[-10:] if len(full) > 10 else full
    # Outside the North American plan a number is dialled at home with a trunk zero in
    # place of the country code: "+33 1 99 00 12 34" is "01 99 00 12 34" in France.
    code = re.match(r"\s*(?:\+|00)([0-9]{1,3})(?=[\s.()-])", value)
    national = "0" + full[len(code[1]) :] if code and code[1] != "1" else None

    def match(text: str) -> _Spans:
        for m in _PHONE_GROUP_RE.finditer(text):
            group = m.group()
            digits = _NON_DIGIT_RE.sub("", group)
            if national and len(national) >= 8 and national in digits:
                idx, size = digits.find(national), len(national)
            elif len(core) >= 7 and core in digits:
                # Point at the value inside a longer run (country code included when present).
                want = full if full in digits else core
                idx, size = digits.find(want), len(want)
            elif (len(digits) >= 7 and (full.endswith(digits) or core.startswith(digits))) or (
                digits == full
            ):
                # The local number without the area code, or the number cut short; a run
                # from inside the number, or one marked as a number ("#6465-5501"), is
                # something else: a ticket, an order.
                if m.start() > 0 and text[m.start() - 1] == "#":
                    continue
                if _PHONE_LABEL_RE.search(text, max(0, m.start() - 40), m.start()):
                    continue  # "Your ticket number is 3125550"
                idx, size = 0, len(digits)
            else:
                continue
            pos = [i for i, c in enumerate(group) if c in "0123456789"]
            start, end = m.start() + pos[idx], m.start() + pos[idx + size - 1] + 1
            if start > 0 and text[start - 1] in "+(":
                start -= 1
            yield start, end

    return match


_AT = r"(?:\s*@\s*|\s*[\[({<]\s*at\s*[\])}>]\s*|\s*,?\s+at,?\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\[({<]\s*dot\s*[\])}>]\s*|\s*,?\s+dot,?\s+)"
# Around the address: no more address characters, no further (possibly obfuscated) label.
_EMAIL_TAIL = r"(?:[\w-]|\.[\w-]|\s+\.\s*\w|\s*[\[({<]\s*dot\s*[\])}>]\s*\w|\s+dot\s+\w)"
_EMAIL_HEAD = re.compile(
    r"(?:\w\s+\.\s*|\w\s*[\[({<]\s*dot\s*[\])}>]\s*|\w\s+dot\s+)\Z", re.IGNORECASE
)


def _email_matcher(value: str) -> _Matcher | None:
    local, at, domain = value.rpartition("@")
    if not (at and local and domain):
        return None

    def label(part: str) -> str:
        # Said aloud: "underscore", "dash", and a pause between letters and digits
        # ("keller, 82" for keller82).
        out = ""
        for prev, c in zip(" " + part, part, strict=False):
            if c == "_":
                out += r"(?:_|\s*,?\s*underscore\s*,?\s*)"
                continue
            if c == "-":
                out += r"(?:-|\s*,?\s*(?:dash|hyphen)\s*,?\s*)"
                continue
            if c == "+":
                out += r"(?:\+|\s*,?\s*plus\s*,?\s*)"
                continue
            if prev != " " and prev not in "_-":
                # a pause between letters and digits ("keller, 82" for keller82), or
                # characters spelled one by one ("j l i seven" for jli7)
                out += r"(?:\s*,?\s*)" if prev.isdigit() != c.isdigit() else r"(?:,?\s|-)?"
            out += re.escape(c)
        return out

    def dotted(part: str) -> str:
        return _DOT.join(label(p) for p in part.split("."))

    # The top-level domain may be spelled out letter by letter ("dot i-o", "dot c o m").
    head, dot, tld = domain.rpartition(".")
    spelled = "[-\\s]?".join(re.escape(c) for c in tld)
    where = f"{dotted(head)}{_DOT}(?:{re.escape(tld)}|{spelled})" if dot else dotted(domain)
    pattern = re.compile(
        rf"(?<![\w.+%-]){dotted(local)}{_AT}{where}(?!{_EMAIL_TAIL})", re.IGNORECASE
    )

    def match(text: str) -> _Spans:
        for m in pattern.finditer(text):
            if not _EMAIL_HEAD.search(text, max(0, m.start() - 24), m.start()):
                yield m.span()

    return match


def _number_matcher(value: str) -> _Matcher | None:
    target = parse_number(value)
    if target is None:
        return None
    return lambda text: (m.span() for m in _NUM_RE.finditer(text) if _number_of(m) == target)


_NATO = {
    w[0]: w
    for w in "alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
    "november oscar papa quebec romeo sierra tango uniform victor whiskey x-ray yankee zulu".split()
}
_NATO["a"] = "(?:alfa|alpha)"
_NATO["j"] = "(?:juliett?)"
_NATO["x"] = "(?:x-?ray)"


def _id_matcher(value: str) -> _Matcher | None:
    chars = [c for c in value if not (c.isspace() or c in "-_")]
    if not chars:
        return None
    # "Q, X, 7, R", "Q X seven R" (digits in words come through the spoken views),
    # "Quebec X-ray 7 Romeo", "7 H F dash 9 2"
    gap = r"(?:[\s_-]|,(?=\s)|\b(?:dash|hyphen)\b)*"
    spelled = r"(?:\s+(?:as|like|for)\s+in\s+[a-z-]+|\s+(?:as|for)\s+[a-z-]+)?"  # "R as in Romeo"
    body = gap.join(
        f"(?:{re.escape(c)}{spelled}|{_NATO[c.casefold()]})"
        if c.casefold() in _NATO
        else re.escape(c)
        for c in chars
    )
    pattern = re.compile(
        rf"(?<![^\W_])(?<![^\W_][-_]){body}(?![^\W_])(?![-_][^\W_])", re.IGNORECASE
    )
    return lambda text: (m.span() for m in pattern.finditer(text))


def _date_matcher(value: str) -> _Matcher | None:
    target = parse_date(value)
    if target is None:
        return None
    return lambda text: (m.span() for m in _DATE_RE.finditer(text) if _date_of(m) == target)


_SHORT_TEXT = 6  # values of up to this many tokens must appear as a consecutive run


def _text_matcher(value: str) -> _Matcher | None:
    want = [t for t, _, _ in _tokens(value)]
    size = len(want)
    if not size:
        return None
    if size <= _SHORT_TEXT:

        def exact(text: str) -> _Spans:
            toks = _tokens(text)
            words = [t for t, _, _ in toks]
            i = 0
            while i + size <= len(words):
                if words[i] == want[0] and words[i : i + size] == want:
                    yield toks[i][1], toks[i + size - 1][2]
                    i += size
                else:
                    i += 1

        return exact

    need = -(-size * 4 // 5)  # longer values: ceil(80%) of their tokens within one window
    counts = Counter(want)

    def overlap(text: str) -> _Spans:
        toks = _tokens(text)
        width = min(size, len(toks))
        if width < need or sum(t in counts for t, _, _ in toks) < need:
            return
        window: Counter[str] = Counter()
        score, scores = 0, []  # scores[k]: overlap of the window starting at token k
        for i, (tok, _, _) in enumerate(toks):
            window[tok] += 1
            score += window[tok] <= counts[tok]
            if i >= width:
                old = toks[i - width][0]
                score -= window[old] <= counts[old]
                window[old] -= 1
            if i >= width - 1:
                scores.append(score)
        k = 0
        while k < len(scores):
            if scores[k] < need:
                k += 1
                continue
            best = j = k  # the best window among the overlapping run of hits
            while j < len(scores) and j < k + width and scores[j] >= need:
                best = j if scores[j] > scores[best] else best
                j += 1
            yield toks[best][1], toks[best + width - 1][2]
            k = best + width

    return overlap


_BUILDERS: dict[str, Callable[[str], _Matcher | None]] = {
    "phone": _phone_matcher,
    "email": _email_matcher,
    "money": _number_matcher,
    "number": _number_matcher,
    "id": _id_matcher,
    "date": _date_matcher,
    "text": _text_matcher,
}


@lru_cache(maxsize=4096)
def _compile(value: str, kind: Kind) -> _Matcher | None:
    value = value.strip()
    if not value:
        return None
    resolved = infer_kind(value) if kind == "auto" else kind
    matcher = _BUILDERS[resolved](value)
    if matcher is None and resolved != "text":
        return _text_matcher(value)  # a value unreadable as its kind is matched as text
    return matcher


def find_all(value: str, text: str, kind: Kind = "auto") -> list[Found]:
    """Every occurrence of ``value`` in ``text``, by kind, in order of position."""
    matcher = _compile(value, kind)
    if matcher is None:
        return []
    return [Found(s, e, text[s:e]) for s, e in matcher(text)]


def find_value(value: str, text: str, kind: Kind = "auto") -> Found | None:
    """The first occurrence of ``value`` in ``text``, or ``None``."""
    matcher = _compile(value, kind)
    if matcher is None:
        return None
    span = next(matcher(text), None)
    return None if span is None else Found(span[0], span[1], text[span[0] : span[1]])


def contains_value(value: str, text: str, kind: Kind = "auto") -> bool:
    """Whether ``value`` occurs in ``text`` (see :func:`find_value`)."""
    return find_value(value, text, kind) is not None
