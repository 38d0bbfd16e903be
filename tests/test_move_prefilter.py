"""The digit pre-check before ``_SCOPE`` and ``_METADATA``: proven from their syntax trees.

The move reader skips those two long patterns for text without a digit. That is only
right if no match of either can lack a digit, which this test shows by walking each
pattern's parse tree: a sequence needs a digit when one of its parts does, an
alternation when every branch does, a repeat when it repeats at least once a part that
does; a character class needs one when it holds nothing but digits.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
from typing import Any

import pytest

from simulator.user import _moves

_DIGIT_RANGES = (C.RANGE, C.RANGE_UNI_IGNORE)


def _in_is_digits(items: list[tuple[Any, Any]]) -> bool:
    def digit(op: Any, av: Any) -> bool:
        if op in (C.LITERAL, C.LITERAL_UNI_IGNORE, C.LITERAL_IGNORE):
            return chr(av).isdigit()
        if op in _DIGIT_RANGES:
            return ord("0") <= av[0] <= av[1] <= ord("9")
        if op is C.CATEGORY:
            return av in (C.CATEGORY_DIGIT, C.CATEGORY_UNI_DIGIT)
        return False  # NEGATE, any other category

    return bool(items) and all(digit(op, av) for op, av in items)


def needs_digit(items: Any) -> bool:
    """Whether every match of the parsed (sub)pattern contains a digit."""
    return any(_part_needs_digit(op, av) for op, av in items)


def _part_needs_digit(op: Any, av: Any) -> bool:
    if op in (C.LITERAL, C.LITERAL_UNI_IGNORE, C.LITERAL_IGNORE):
        return chr(av).isdigit()
    if op is C.IN:
        return _in_is_digits(av)
    if op is C.BRANCH:
        return all(needs_digit(branch) for branch in av[1])
    if op is C.SUBPATTERN:
        return needs_digit(av[3])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, item = av
        return low >= 1 and needs_digit(item)
    if op is C.ATOMIC_GROUP:
        return needs_digit(av)
    return False  # anchors, lookarounds, any character: nothing proven


@pytest.mark.parametrize("name", ["_SCOPE", "_METADATA"])
def test_every_match_of_the_pre_checked_patterns_has_a_digit(name: str) -> None:
    pattern: re.Pattern[str] = getattr(_moves, name)
    assert needs_digit(P.parse(pattern.pattern, pattern.flags))


def test_the_proof_rejects_patterns_that_can_match_without_a_digit() -> None:
    """The walk is not vacuous: each way a match can avoid a digit is caught."""
    for text in [r"a\d?", r"(?:\d|x)", r"[\dx]", r"\d*", r"^|\d", r"[^a]", r"(?=\d)a"]:
        assert not needs_digit(P.parse(text)), text
    for text in [r"a\d", r"(?:\d|[0-9])", r"(?:x|y)?\s*\d+", r"\d{2,}", r"[0-5]"]:
        assert needs_digit(P.parse(text)), text


def test_text_without_digits_reads_as_before() -> None:
    """With the pre-check, a digit-free sentence gives what the long patterns give."""
    for text in ["there are many leads to go through", "created on the first of may"]:
        assert not _moves._SCOPE.search(text) and not _moves._METADATA.search(text.lower())
        assert _moves._without_metadata(text) == _moves._METADATA.sub(" ", text)
