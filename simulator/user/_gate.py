"""Cheap gates in front of long cue patterns: a literal test that every match needs.

Python's ``re`` tries a pattern that starts with ``\\b`` and a long alternation at every
position of the text, so the move reader's longest patterns cost tens of microseconds a
sentence even when nothing in the sentence could start a match. Most of them cannot match
without one of a few literal strings ("let me", "i'll", "moment", ...), and a search for
those, written as a prefix tree, skips a position after one character.

``required`` works that set out from the pattern's parse tree, so the gate is a
consequence of the pattern, never a second list to keep in step: a sequence needs what
one of its parts needs (runs of literals and small alternations of literals are spelled
out whole), an alternation what any of its branches needs, a repeat at least once what
its body needs; anchors and lookarounds need nothing. Where no requirement can be shown,
there is no gate. ``Gated`` tests the gate first and runs the pattern only when it
passes, so it finds exactly what the pattern finds (``tests/test_gate.py`` checks both
the derivation and the corpus).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

# the parser behind ``re`` (typeshed has no stubs for these private modules)
P: Any = importlib.import_module("re._parser")
C: Any = importlib.import_module("re._constants")

_SPELLED_OUT = 256
"""Alternations of literals are spelled out whole up to this many strings."""

_SMALL_CLASS = 16
"""A character set of at most this many characters is spelled out too."""

_Nodes = Any  # a parsed (sub)pattern: a sequence of (opcode, argument) pairs


def _strings(items: _Nodes) -> set[str] | None:
    """Every string a sequence of nodes can match, if it is a small finite set."""
    out = {""}
    for op, av in items:
        part = _node_strings(op, av)
        if part is None:
            return None
        out = {a + b for a in out for b in part}
        if len(out) > _SPELLED_OUT:
            return None
    return out


def _node_strings(op: Any, av: Any) -> set[str] | None:
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:  # a small set of characters ("[sz]", or "bar|baz" read as "ba[rz]")
        return _characters(av)
    if op is C.SUBPATTERN:
        return _in_group(av, _strings)
    if op is C.BRANCH:
        out = _union(av[1], _strings)
        return out if out is not None and len(out) <= _SPELLED_OUT else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        body = _strings(av[2])
        return None if body is None else body | {""}
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {""}  # zero width: it constrains the context, it adds no text
    return None


def _in_group(av: Any, of: Callable[[_Nodes], set[str] | None]) -> set[str] | None:
    """``of`` a group's body; nothing for a group that changes flags ("(?i:...)")."""
    _group, add_flags, del_flags, body = av
    return None if add_flags or del_flags else of(body)


def _union(branches: Any, of: Callable[[_Nodes], set[str] | None]) -> set[str] | None:
    """``of`` every branch of an alternation, together; None if one branch has none."""
    out: set[str] = set()
    for branch in branches:
        part = of(branch)
        if part is None:
            return None
        out |= part
    return out


def _characters(items: Any) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < _SMALL_CLASS:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negated set, a category, a wide range
    return out if 0 < len(out) <= _SMALL_CLASS else None


def _selective(strings: set[str]) -> tuple[int, int]:
    return min(len(s) for s in strings), -len(strings)


def required(items: _Nodes) -> set[str] | None:
    """Strings one of which every match of the parsed sequence contains, or None when
    no such set can be shown."""
    candidates: list[set[str]] = []
    run: set[str] = {""}  # the strings the current run of spelled-out parts can match
    for op, av in items:
        spelled = _node_strings(op, av)
        if spelled is None:
            candidates.append(run)
            run = {""}
            needed = _node_required(op, av)
            if needed is not None:
                candidates.append(needed)
            continue
        longer = {a + b for a in run for b in spelled}
        if len(longer) > _SPELLED_OUT:  # too many to spell out: the run restarts here
            candidates.append(run)
            longer = spelled
        run = longer
    candidates.append(run)
    usable = [c for c in candidates if c and "" not in c]
    return max(usable, key=_selective) if usable else None


def _node_required(op: Any, av: Any) -> set[str] | None:
    if op is C.SUBPATTERN:
        return _in_group(av, required)
    if op is C.BRANCH:
        return _union(av[1], required)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return required(av[2])
    if op is C.ATOMIC_GROUP:
        return required(av)
    return None


def prefix_tree(strings: set[str]) -> str:
    """A pattern that finds any of ``strings``, factored by common prefixes. A string
    that another starts with stands for both: finding it is enough."""
    tree: dict[str, Any] = {}
    for s in strings:
        node = tree
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(tree)


def gate_for(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The literal test every match of ``pattern`` passes, or None."""
    parsed = P.parse(pattern.pattern, pattern.flags)
    flags = parsed.state.flags
    if flags & re.LOCALE:
        return None
    needed = required(parsed)
    if needed is None:
        return None
    return re.compile(prefix_tree(needed), flags & (re.IGNORECASE | re.ASCII))


class Gated:
    """A compiled pattern behind its gate: the methods the move reader uses, with the
    pattern's own results (the gate only spares the search where it cannot match). The
    gate is worked out on first use, so a process that never reads an agent's turn (the
    CLI's help, a report) does not parse the patterns a second time at start-up."""

    __slots__ = ("_gate", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._gate: re.Pattern[str] | None = None

    @property
    def gate(self) -> re.Pattern[str]:
        """The literal test; an error if the pattern has none (then it needs no ``Gated``)."""
        if self._gate is None:
            gate = gate_for(self.pattern)
            if gate is None:
                text = self.pattern.pattern[:60]
                raise ValueError(f"no literal that every match of {text!r} needs")
            self._gate = gate
        return self._gate

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        if (self._gate or self.gate).search(string) is None:
            return None
        return self.pattern.search(string, pos)

    def match(self, string: str) -> re.Match[str] | None:
        if (self._gate or self.gate).search(string) is None:
            return None
        return self.pattern.match(string)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        if (self._gate or self.gate).search(string) is None:
            return iter(())
        return self.pattern.finditer(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        if (self._gate or self.gate).search(string) is None:
            return string
        return self.pattern.sub(repl, string)


def gated(pattern: str, flags: int = 0) -> Gated:
    """``re.compile(pattern, flags)`` behind its gate (an error at first use if it has
    none)."""
    return Gated(re.compile(pattern, flags))
