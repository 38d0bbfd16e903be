"""The literal gates in front of the move reader's long patterns (``simulator/user/_gate``).

A gate may only spare a search that could not match: every string a pattern matches in
must pass its gate. The derivation is checked on small patterns by hand, on random
patterns against strings hypothesis builds to match them, and on each gated cue; the
cues' results are checked against the ungated patterns on the whole agent-move corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.user import _cues
from simulator.user._gate import Gated, P, gate_for, gated, prefix_tree, required
from simulator.user._moves import units

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "agent_moves"
GATED = sorted(name for name in dir(_cues) if isinstance(getattr(_cues, name), Gated))


def needs(pattern: str) -> set[str] | None:
    return required(P.parse(pattern))


def test_what_a_pattern_needs_by_hand() -> None:
    assert needs(r"\bfoo(?:bar|baz)\b") == {"foobar", "foobaz"}
    assert needs(r"(?:ab)?c") == {"c", "abc"}
    assert needs(r"(?<=foo)bar") == {"bar"}  # lookbehinds add no text
    assert needs(r"(?:ab)+x*") == {"ab"}
    assert needs(r"a\d+bcd") == {"bcd"}  # the longest of the parts it needs
    assert needs(r"(?:one|\w+) two") == {" two"}
    assert needs(r"analy[sz]e") == {"analyse", "analyze"}
    assert needs(r"[abc]") == {"a", "b", "c"}
    for nothing in [r"\w+", r"(?:x|\w+)", r"x*", r"(?:ab)?", r"^$", r"[^a]", r"[a-z]"]:
        assert needs(nothing) is None, nothing


def test_long_alternations_restart_the_spelled_run() -> None:
    """Past the spelling limit a run starts again at the part that overflowed it."""
    hex_ = "[0-9a-f]"
    spelled = needs(rf"abc{hex_}{hex_}{hex_}")  # 4,096 strings: too many to spell out
    assert spelled is not None and len(spelled) == 256
    assert all(len(s) == 5 and s.startswith("abc") for s in spelled)
    words = "|".join(f"{i:03d}" for i in range(300))  # an alternation too long to spell
    assert needs(rf"abc(?:{words})") == {"abc"}


def test_the_prefix_tree_finds_every_string_and_nothing_else() -> None:
    tree = re.compile(prefix_tree({"let me", "let's", "lemme", "i'll", "i will"}))
    for text in ["ok let me see", "lemme", "so i'll", "i will do"]:
        assert tree.search(text), text
    for text in ["letter", "i wil", "ill"]:
        assert not tree.search(text), text


def test_case_flags_carry_into_the_gate() -> None:
    gate = gate_for(re.compile(r"(?i)abc"))
    assert gate is not None and gate.search("xABCx")
    inline = gate_for(re.compile(r"(?i:abc)d"))  # the flagged group needs nothing
    assert inline is not None and inline.pattern == "d"


def test_a_pattern_without_a_gate_is_refused() -> None:
    cue = gated(r"\w+")
    with pytest.raises(ValueError, match="no literal"):
        cue.search("anything")


_ATOMS = st.sampled_from(
    ["a", "b", "ab", "ba", r"\d", r"\w", ".", "[ab]", "[^a]", r"\b", "^", "$", " ", "x"]
)


def _regex(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda b: "(?:" + "|".join(b) + ")"),
        children.map(lambda c: f"(?:{c})?"),
        children.map(lambda c: f"(?:{c})+"),
        children.map(lambda c: f"(?:{c})*"),
        children.map(lambda c: f"(?:{c}){{1,2}}"),
        children.map(lambda c: f"(?=a){c}"),
        children.map(lambda c: f"(?<!b){c}"),
        children.map(lambda c: f"({c})"),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), st.recursive(_ATOMS, _regex, max_leaves=8))
def test_every_match_passes_the_gate_of_a_random_pattern(data: st.DataObject, text: str) -> None:
    pattern = re.compile(text)
    gate = gate_for(pattern)
    if gate is None:
        return
    found = data.draw(st.from_regex(pattern))
    if pattern.search(found):  # hypothesis's strings for anchors and \b may not match
        assert gate.search(found), (text, found, gate.pattern)


@pytest.mark.parametrize("name", GATED)
def test_every_match_of_a_gated_cue_passes_its_gate(name: str) -> None:
    cue: Gated = getattr(_cues, name)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(cue.pattern))
    def check(text: str) -> None:
        assert cue.pattern.search(text)
        assert cue.gate.search(text), (name, text)

    check()


def _corpus_units() -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out += units(json.loads(line)["text"])
    return out


def test_gated_cues_find_what_the_patterns_find_on_the_corpus() -> None:
    """On every sentence of the agent-move corpus, raw and lower-cased, each gated cue
    returns the pattern's own match (same span), substitution and matches."""
    texts = _corpus_units()
    texts += [t.lower().replace("’", "'").strip() for t in texts]
    assert len(texts) > 10_000
    for name in GATED:
        cue: Gated = getattr(_cues, name)
        for text in texts:
            ours, theirs = cue.search(text), cue.pattern.search(text)
            assert (ours and ours.span()) == (theirs and theirs.span()), (name, text)
            ours_at, theirs_at = cue.match(text), cue.pattern.match(text)
            assert (ours_at and ours_at.span()) == (theirs_at and theirs_at.span()), (name, text)
            assert cue.sub(" ", text) == cue.pattern.sub(" ", text), (name, text)
            spans = [m.span() for m in cue.finditer(text)]
            assert spans == [m.span() for m in cue.pattern.finditer(text)], (name, text)
