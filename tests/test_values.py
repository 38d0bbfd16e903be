"""Tests for the value detector: examples per kind, near misses, and property tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulator.judge import values
from simulator.judge.values import (
    Found,
    Kind,
    contains_value,
    find_all,
    find_numbers,
    find_value,
    infer_kind,
    normalize_text,
    parse_date,
    parse_number,
)

FAST = settings(max_examples=200, deadline=None)
DRAWN = settings(max_examples=100, deadline=None)  # draw-heavy strategies: keep the file < 10 s
KINDS: list[Kind] = list(get_args(Kind))


def check_span(found: Found | None, text: str) -> Found:
    assert found is not None
    assert text[found.start : found.end] == found.text
    return found


# --- phone ---------------------------------------------------------------------------------------

PHONE = "+1 (415) 555-0142"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call +1-415-555-0142 today", "+1-415-555-0142"),
        ("it's (415) 555 0142.", "(415) 555 0142"),
        ("415.555.0142", "415.555.0142"),
        ("digits 4155550142 only", "4155550142"),
        ("+14155550142", "+14155550142"),
        ("1 415 555 0142", "1 415 555 0142"),
        ("extension is 555-0142", "555-0142"),
        ("starts 415 555 0", "415 555 0"),
        ("415/555-0142", "415/555-0142"),
    ],
)
def test_phone_variants_found(text: str, expected: str) -> None:
    assert check_span(find_value(PHONE, text), text).text == expected
    assert check_span(find_value(PHONE, text, "phone"), text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "+1 415 555 0143",
        "(415) 555-0143",
        "555-0143",
        "415 867 5309",
        "area code 415 only",
        "$1,415,555 in revenue",
        "1,415,555",
        "no digits at all",
    ],
)
def test_phone_near_misses(text: str) -> None:
    assert find_value(PHONE, text) is None


def test_phone_short_value_needs_exact_group() -> None:
    assert contains_value("12-34", "code 1234", "phone")
    assert not contains_value("12-34", "code 123456", "phone")


# --- email ---------------------------------------------------------------------------------------

EMAIL = "jane@acme.com"


@pytest.mark.parametrize(
    "text",
    [
        "write to jane@acme.com please",
        "JANE@ACME.COM",
        "jane at acme dot com",
        "jane [at] acme [dot] com",
        "jane(at)acme(dot)com",
        "jane {at} acme {dot} com",
        "jane (at) acme (dot) com",
        "jane @ acme . com",
        "Jane AT Acme DOT com",
        "mail me: <jane@acme.com>.",
        "it is jane@acme.com. Thanks",
    ],
)
def test_email_variants_found(text: str) -> None:
    check_span(find_value(EMAIL, text), text)


@pytest.mark.parametrize(
    "text",
    [
        "xjane@acme.com",
        "mary.jane@acme.com",
        "jane@acme.com.au",
        "jane at acme dot com dot au",
        "jane@acme.company",
        "john@acme.com",
        "jane@acme.co",
        "jane@notacme.com",
    ],
)
def test_email_near_misses(text: str) -> None:
    assert find_value(EMAIL, text) is None


def test_email_with_dotted_local_part() -> None:
    assert contains_value("jane.doe@acme.co.uk", "jane dot doe at acme dot co dot uk")
    assert not contains_value("jane.doe@acme.co.uk", "jane@acme.co.uk")


# --- money and numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$184,500.00", "184500"),
        ("184.5k", "184500"),
        ("$184.5K", "184500"),
        ("1.2 million", "1200000"),
        ("1.2M", "1200000"),
        ("3 mn", "3000000"),
        ("2bn", "2000000000"),
        ("1.5 billion", "1500000000"),
        ("USD 184,500", "184500"),
        ("184,500 EUR", "184500"),
        ("€12", "12"),
        ("-5", "-5"),
        ("-$5.25", "-5.25"),
        ("0.50", "0.5"),
        ("1,41,250", "141250"),  # Indian lakh grouping
        ("₹4,75,000", "475000"),
        ("CHF 87,350.00", "87350.00"),
    ],
)
def test_parse_number(text: str, amount: str) -> None:
    assert parse_number(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "Q3", "1,4,250", "12 apples", "5kg", "1.2.3"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_spans() -> None:
    text = "Paid $184,500 in Q3, then 1.2 million; id 005Rep0000042, ORD-2025-0042, 12%."
    got = [(v, text[s:e]) for v, s, e in find_numbers(text)]
    assert got == [
        (Decimal(184500), "$184,500"),
        (Decimal(1200000), "1.2 million"),
        (Decimal(12), "12"),
    ]


@pytest.mark.parametrize(
    "text",
    ["184,500", "184500", "184500.00", "$184,500", "$184.5k", "184.5 thousand", "USD 184,500"],
)
@pytest.mark.parametrize("value", ["$184,500", "184500", "184,500.00", "184.5k"])
def test_money_variants_found(value: str, text: str) -> None:
    sentence = f"The offer was {text}, final."
    assert check_span(find_value(value, sentence), sentence).text == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("41,250", "141,250"),
        ("184500", "1184500"),
        ("184500", "1845000"),
        ("184500", "184,5000"),
        ("3", "Q3 results"),
        ("42", "id 005Rep0000042"),
        ("2025", "order ORD-2025-0042"),
        ("14", "on 03/14/2025"),
        ("184500", "-184500"),
        ("184500", "184.5"),
    ],
)
def test_number_near_misses(value: str, text: str) -> None:
    assert find_value(value, text) is None
    assert find_value(value, text, "number") is None


# --- ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("ORD-2025-0042", "ord 2025 0042"),
        ("ORD-2025-0042", "ORD20250042"),
        ("ORD-2025-0042", "ref ord_2025_0042."),
        ("005Rep0000042", "rep is 005REP0000042!"),
        ("PRD-00017", "(prd00017)"),
        ("A-2291", "ticket a 2291"),
    ],
)
def test_id_variants_found(value: str, text: str) -> None:
    check_span(find_value(value, text), text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("005Rep0000042", "005Rep00000421"),
        ("005Rep0000042", "x005Rep0000042"),
        ("ORD-2025-0042", "ORD-2025-0042-7"),
        ("ORD-2025-0042", "ORD-2025-0043"),
        ("A-2291", "BA-2291"),
    ],
)
def test_id_near_misses(value: str, text: str) -> None:
    assert find_value(value, text) is None


# --- dates ---------------------------------------------------------------------------------------

DAY = datetime.date(2025, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-14",
        "March 14, 2025",
        "Mar 14 2025",
        "Mar. 14th, 2025",
        "14 March 2025",
        "14th of March, 2025",
        "03/14/2025",
        "3/14/2025",
        "2025/03/14",
    ],
)
def test_date_formats(text: str) -> None:
    assert parse_date(text) == DAY
    for value in ("2025-03-14", "March 14, 2025", "03/14/2025"):
        sentence = f"Delivered on {text}."
        assert check_span(find_value(value, sentence), sentence).text == text


@pytest.mark.parametrize(
    "text", ["2025-03-15", "March 13, 2025", "14 March 2024", "14/03/2025", "12025-03-14"]
)
def test_date_near_misses(text: str) -> None:
    assert find_value("2025-03-14", f"on {text}") is None


@pytest.mark.parametrize("text", ["2025-02-30", "13/01/2025", "Foo 14, 2025", "", "2025"])
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


# --- text ----------------------------------------------------------------------------------------


def test_text_short() -> None:
    text = "We met the GLOBEX, corp. team"
    assert check_span(find_value("Globex Corp", text), text).text == "GLOBEX, corp"
    assert find_value("Globex", "Globexx and co") is None
    assert find_value("corp globex", text) is None


def test_text_long_overlap() -> None:
    value = "the customer prefers a morning delivery window between eight and ten on weekdays"
    text = "Note: Customer prefers a morning delivery, window between 8 and ten on weekdays. Bye"
    found = check_span(find_value(value, text), text)
    assert found.text.startswith("Note") and found.text.endswith("weekdays")
    assert find_value(value, "customer prefers a delivery window on weekdays") is None
    assert len(find_all(value, f"{text} {text}")) == 2


def test_normalize_text() -> None:
    assert normalize_text("  Hello,   WORLD!! foo_bar  Straße ") == "hello world foo bar strasse"


# --- auto, API, robustness -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("jane@acme.com", "email"),
        ("+1 (415) 555-0142", "phone"),
        ("4155550142", "phone"),
        ("2025-03-14", "date"),
        ("March 14, 2025", "date"),
        ("$184,500", "money"),
        ("184,500 EUR", "money"),
        ("184500", "number"),
        ("1.2 million", "number"),
        ("1500000000.00", "number"),
        ("005Rep0000042", "id"),
        ("PRD-00017", "id"),
        ("A-2291", "id"),
        ("Globex Corp", "text"),
        ("Globex", "text"),
    ],
)
def test_infer_kind(value: str, kind: str) -> None:
    assert infer_kind(value) == kind


@pytest.mark.parametrize("kind", KINDS)
def test_empty_value_never_found(kind: Kind) -> None:
    assert find_value("", "anything at all", kind) is None
    assert find_value("   ", "   ", kind) is None
    assert find_all("", "", kind) == []


def test_unreadable_value_falls_back_to_text() -> None:
    assert contains_value("forty two", "it was Forty-Two", "number")
    assert contains_value("soon", "we meet soon", "date")


def test_find_all_and_excerpt() -> None:
    text = "Call 555-0142 or (415) 555-0142 tomorrow"
    assert [f.text for f in find_all(PHONE, text)] == ["555-0142", "(415) 555-0142"]
    source = "a  b\n c 555-0142 d e"
    found = check_span(find_value(PHONE, source), source)
    assert found.excerpt(source, 3) == "…c 555-0142 d…"
    assert found.excerpt(source) == "a b c 555-0142 d e"
    long = "x" * 100 + " 415 555 0142\n\n  end " + "y" * 100
    snippet = check_span(find_value(PHONE, long), long).excerpt(long, 10)
    assert snippet == "…xxxxxxxxx 415 555 0142 end yy…"


def test_patterns_compiled_once() -> None:
    values._compile.cache_clear()
    for _ in range(5):
        find_value("ORD-9-1", "ord 9 1")
    info = values._compile.cache_info()
    assert info.misses == 1 and info.hits == 4


# --- property tests ------------------------------------------------------------------------------

FILLER = ["please", "call", "me", "the", "office", "thanks", "ok,", "so:", "hi!", "yes", "sure."]
sentences = st.lists(st.sampled_from(FILLER), max_size=5).map(" ".join)
ends = st.sampled_from(["", ".", ",", "!", ";", ")"])


def embed(before: str, rendered: str, end: str, after: str) -> str:
    return f"{before} {rendered}{end} {after}"


PHONE_FORMATS: list[Callable[[str, str, str], str]] = [
    lambda a, e, n: f"+1 ({a}) {e}-{n}",
    lambda a, e, n: f"+1-{a}-{e}-{n}",
    lambda a, e, n: f"({a}) {e} {n}",
    lambda a, e, n: f"{a}.{e}.{n}",
    lambda a, e, n: f"{a}{e}{n}",
    lambda a, e, n: f"1 {a} {e} {n}",
    lambda a, e, n: f"+1{a}{e}{n}",
    lambda a, e, n: f"{a}/{e}-{n}",
    lambda a, e, n: f"{e}-{n}",
]
area = st.integers(200, 999).map(str)
line = st.integers(0, 9999).map(lambda n: f"{n:04d}")


VALUE_FORMATS = PHONE_FORMATS[:-1]  # full numbers; the last format is a partial run


@FAST
@given(
    a=area,
    e=area,
    n=line,
    other_n=line,
    value_fmt=st.sampled_from(VALUE_FORMATS),
    fmt=st.sampled_from(PHONE_FORMATS),
    before=sentences,
    after=sentences,
    end=ends,
)
def test_phone_property(
    a: str,
    e: str,
    n: str,
    other_n: str,
    value_fmt: Callable[[str, str, str], str],
    fmt: Callable[[str, str, str], str],
    before: str,
    after: str,
    end: str,
) -> None:
    value = value_fmt(a, e, n)
    assert infer_kind(value) == "phone"
    text = embed(before, fmt(a, e, n), end, after)
    check_span(find_value(value, text), text)
    # The other number shares area code and exchange, but its 10 digits share no 7-digit run
    # with ours, and its rendering is neither a run inside ours nor contains our 10 digits.
    mine, other, shown = f"1{a}{e}{n}", f"{a}{e}{other_n}", fmt(a, e, other_n)
    assume(all(other[i : i + 7] not in mine for i in range(len(other) - 6)))
    digits = "".join(c for c in shown if c.isdigit())
    assume(digits not in mine and mine[1:] not in digits)
    miss = embed(before, shown, end, after)
    assert find_value(value, miss) is None


AT_FORMS = ["@", " @ ", " at ", " AT ", " [at] ", "[at]", " (at) ", "(at)", " {at} "]
DOT_FORMS = [".", " . ", " dot ", " [dot] ", "(dot)", " (dot) ", "{dot}", " DOT "]
CASES: list[Callable[[str], str]] = [str.lower, str.upper, str.title]
locals_ = st.from_regex(r"[a-z][a-z0-9]{2,9}(\.[a-z][a-z0-9]{1,6})?", fullmatch=True)
domains = st.from_regex(r"[a-z][a-z0-9-]{1,9}[a-z0-9]\.(com|org|net|io|co\.uk)", fullmatch=True)


def render_email(local: str, domain: str, at: str, dot: str, case: Callable[[str], str]) -> str:
    return case(local.replace(".", dot) + at + domain.replace(".", dot))


@DRAWN
@given(
    local=locals_,
    domain=domains,
    at=st.sampled_from(AT_FORMS),
    dot=st.sampled_from(DOT_FORMS),
    case=st.sampled_from(CASES),
    before=sentences,
    after=sentences,
    end=ends,
)
def test_email_property(
    local: str,
    domain: str,
    at: str,
    dot: str,
    case: Callable[[str], str],
    before: str,
    after: str,
    end: str,
) -> None:
    value = f"{local}@{domain}"
    assert infer_kind(value) == "email"
    text = embed(before, render_email(local, domain, at, dot, case), end, after)
    check_span(find_value(value, text), text)
    for other_local, other_domain in [
        ("x" + local, domain),
        (local + "x", domain),
        ("q." + local, domain),
        (local, "x" + domain),
        (local, domain + ".au"),
        (local, domain.replace(".", "x.", 1)),
    ]:
        miss = embed(before, render_email(other_local, other_domain, at, dot, case), end, after)
        assert find_value(value, miss) is None, miss


def plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def renderings(amount: Decimal) -> list[str]:
    """Ways to write ``amount`` that must all parse back to it exactly."""
    out = [f"{amount:,.2f}", f"${amount:,.2f}", f"{amount:.2f}", f"USD {amount:.2f}"]
    out += [f"{amount:.2f} EUR", f"€{amount:,.2f}", f"£ {amount:,.2f}"]
    if amount == amount.to_integral_value():
        n = int(amount)
        out += [str(n), f"{n:,}", f"${n:,}", f"${n}", f"USD{n:,}", f"{n:,} GBP", f"¥{n}"]
        if n % 100 == 0:
            out += [f"{plain(amount / 1000)}k", f"${plain(amount / 1000)}K"]
            out += [f"{plain(amount / 1000)} thousand"]
        if n % 100_000 == 0:
            out += [f"{plain(amount / 1_000_000)} million", f"${plain(amount / 1_000_000)}M"]
            out += [f"€{plain(amount / 1_000_000)} mn"]
    return out


amounts = st.one_of(
    st.integers(1, 999_999_999).map(Decimal),
    st.integers(1, 999_999).map(lambda n: Decimal(n) * 1000),
    st.integers(1, 9_999).map(lambda n: Decimal(n) * 100_000),
    st.integers(1, 10**10).map(lambda c: Decimal(c) / 100),
)


@FAST
@given(amount=amounts, data=st.data(), before=sentences, after=sentences, end=ends)
def test_money_property(
    amount: Decimal, data: st.DataObject, before: str, after: str, end: str
) -> None:
    forms = renderings(amount)
    value = data.draw(st.sampled_from([forms[1], forms[2], forms[0]]), label="value")
    assert parse_number(value) == amount
    kind: Kind = data.draw(st.sampled_from(["auto", "money", "number"]), label="kind")
    for form in forms:
        assert parse_number(form) == amount, form
        text = embed(before, form, end, after)
        assert check_span(find_value(value, text, kind), text).text == form


@FAST
@given(
    amount=amounts,
    digit=st.sampled_from("123456789"),
    before=sentences,
    after=sentences,
    end=ends,
)
def test_number_near_miss_property(
    amount: Decimal, digit: str, before: str, after: str, end: str
) -> None:
    value = f"${amount:,.2f}"
    raw = f"{amount:.2f}" if amount != amount.to_integral_value() else str(int(amount))
    misses = [digit + raw, raw + digit, f"${digit}{raw}", f"{Decimal(digit + raw):,}"]
    misses += [f"{Decimal(raw + digit):,}", f"Q{raw}", f"{raw}x", f"AB-{raw}"]
    for form in misses:
        text = embed(before, form, end, after)
        assert find_value(value, text) is None, text
        assert find_value(raw, text, "number") is None, text


@st.composite
def id_values(draw: st.DrawFn) -> str:
    prefix = draw(st.text("ABCDEFGHJKLMNPRSTUVWXYZ", min_size=1, max_size=4))
    digits = draw(st.text("0123456789", min_size=2, max_size=8))
    suffix = draw(st.text("ABCDEFGH", max_size=2))
    sep = draw(st.sampled_from(["", "-", "_"]))
    return f"{prefix}{sep}{digits}{suffix}"


@DRAWN
@given(value=id_values(), data=st.data(), before=sentences, after=sentences, end=ends)
def test_id_property(value: str, data: st.DataObject, before: str, after: str, end: str) -> None:
    assert infer_kind(value) == "id"
    chars = [c for c in value if c not in "-_"]
    shown = ""
    for i, c in enumerate(chars):
        if i:
            shown += data.draw(st.sampled_from(["", "", " ", "-", "_", " - "]))
        shown += c.lower() if data.draw(st.booleans()) else c.upper()
    text = embed(before, shown, end, after)
    check_span(find_value(value, text), text)
    check_span(find_value(value, text, "id"), text)
    for miss in [f"X{shown}", f"{shown}7", f"{shown}-7", f"7_{shown}", f"{shown}Z"]:
        text = embed(before, miss, end, after)
        assert find_value(value, text) is None, text


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
DATE_FORMATS: list[Callable[[datetime.date], str]] = [
    lambda d: d.isoformat(),
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day} {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: f"{d.month}/{d.day}/{d.year}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
]
dates = st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))


@FAST
@given(
    day=dates,
    other=dates,
    value_fmt=st.sampled_from(DATE_FORMATS),
    fmt=st.sampled_from(DATE_FORMATS),
    before=sentences,
    after=sentences,
    end=ends,
)
def test_date_property(
    day: datetime.date,
    other: datetime.date,
    value_fmt: Callable[[datetime.date], str],
    fmt: Callable[[datetime.date], str],
    before: str,
    after: str,
    end: str,
) -> None:
    value = value_fmt(day)
    assert infer_kind(value) == "date"
    assert parse_date(fmt(day)) == day
    text = embed(before, fmt(day), end, after)
    assert check_span(find_value(value, text), text).text == fmt(day)
    assume(other != day)
    assert find_value(value, embed(before, fmt(other), end, after)) is None


WORDS = st.text("abcdefghijklmnop", min_size=2, max_size=8)
TEXT_FILLER = st.lists(st.sampled_from(["yes", "why", "sure", "very", "quiz", "story", "zest"]))
SEPARATORS = st.sampled_from([" ", "  ", ", ", " - ", "; ", "... ", "\n", " (", ") "])


@st.composite
def embedded(draw: st.DrawFn, words: list[str]) -> str:
    out = " ".join(draw(TEXT_FILLER)) + " "
    for i, word in enumerate(words):
        out += draw(SEPARATORS) if i else ""
        out += draw(st.sampled_from(CASES))(word)
    return out + draw(SEPARATORS) + " ".join(draw(TEXT_FILLER))


@DRAWN
@given(words=st.lists(WORDS, min_size=1, max_size=6), data=st.data())
def test_text_short_property(words: list[str], data: st.DataObject) -> None:
    value = " ".join(words)
    text = data.draw(embedded(words))
    found = check_span(find_value(value, text, "text"), text)
    assert normalize_text(found.text) == normalize_text(value)
    miss = data.draw(embedded([*words[:-1], words[-1] + "x"]))
    assert find_value(value, miss, "text") is None


@DRAWN
@given(words=st.lists(WORDS, min_size=7, max_size=16), data=st.data())
def test_text_long_property(words: list[str], data: st.DataObject) -> None:
    value = ", ".join(words)
    text = data.draw(embedded(words))
    check_span(find_value(value, text, "text"), text)
    dropped = data.draw(st.integers(0, len(words) - 1))
    text = data.draw(embedded(words[:dropped] + words[dropped + 1 :]))
    check_span(find_value(value, text, "text"), text)
    # Replacing 30% of the words leaves less than 80% overlap anywhere.
    replaced = -(-len(words) * 3 // 10)
    text = data.draw(embedded(["quiz"] * replaced + words[replaced:]))
    assert find_value(value, text, "text") is None


SAMPLE_VALUES = [
    "+1 (415) 555-0142",
    "jane@acme.com",
    "$184,500",
    "184500",
    "005Rep0000042",
    "2025-03-14",
    "Globex Corp",
    "one two three four five six seven eight",
    "٣٤٥",
    "ß",
]


@FAST
@given(value=st.one_of(st.sampled_from(SAMPLE_VALUES), st.text()), text=st.text())
@pytest.mark.parametrize("kind", KINDS)
def test_never_raises_and_spans_hold(kind: Kind, value: str, text: str) -> None:
    found = find_value(value, text, kind)
    if found is not None:
        check_span(found, text)
    for each in find_all(value, text, kind):
        check_span(each, text)
    assert contains_value(value, text, kind) == (found is not None)
    infer_kind(value)
    parse_number(text)
    parse_date(text)
    normalize_text(text)
    for _, start, end in find_numbers(text):
        assert 0 <= start < end <= len(text)


@FAST
@given(value=st.sampled_from(SAMPLE_VALUES), before=st.text(), after=st.text())
def test_spans_point_into_original_text(value: str, before: str, after: str) -> None:
    text = before + value + after
    for each in find_all(value, text):
        check_span(each, text)
