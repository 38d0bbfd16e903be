"""libyaml reads persona files for speed; PyYAML's own parser is the reference.

Whatever libyaml reads must come out exactly as PyYAML's parser would read it: the same
data and the same position for every key, or the same error, worded the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulator.persona._yaml as yaml_module
from simulator.errors import PersonaError
from simulator.persona._yaml import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    p for folder in ("personas", "agents", "studies") for p in (ROOT / folder).rglob("*.yaml")
)
PERSONAS = sorted((ROOT / "personas" / "crm").rglob("*.yaml"))[:40]

pytestmark = pytest.mark.skipif(
    yaml_module._FAST_LOADER is None, reason="PyYAML was built without libyaml"
)


def _read(text: str, *, fast: bool) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(yaml_module, "_FAST_LOADER", None)
        try:
            return parse_yaml(text, "persona.yaml")
        except PersonaError as exc:
            return ("error", str(exc))


def test_every_shipped_yaml_file_reads_alike() -> None:
    assert len(SHIPPED) > 100
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8-sig")
        fast = _read(text, fast=True)
        assert fast == _read(text, fast=False), path
        assert fast[0] != "error", path


EDITS = [
    ":", " ", "\t", "-", "'", '"', "\n", "#", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ",
    "|", ">", "?", "%", "@", "`", "\u00a0", "\x07", "---\n", "...\n", "\r", "\r\n", "\ufeff",
    "\x85", "\u2028", "<<: ", "~", "yes", "0x1", ".inf", "2025-01-01",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(min_value=0, max_value=len(PERSONAS) - 1),
    edits=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["insert", "delete", "indent"]),
            st.sampled_from(EDITS),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_a_mutated_persona_file_reads_alike(
    which: int, edits: list[tuple[float, str, str]]
) -> None:
    text = PERSONAS[which].read_text(encoding="utf-8")
    for where, op, piece in edits:
        at = int(where * len(text))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + " " * len(piece) + text[start:]
    assert _read(text, fast=True) == _read(text, fast=False)


def test_a_tab_that_libyaml_would_take_is_refused_as_before() -> None:
    text = "id: a.b\nname: Ann\t# the buyer\n"
    assert _read(text, fast=True) == (
        "error",
        "persona.yaml:2:10: invalid YAML: found character '\\t' that cannot start any token "
        "(while scanning for the next token); indent with spaces, not tabs",
    )


def test_a_file_without_a_tab_is_read_by_libyaml() -> None:
    """The fast path is taken: a persona file without a tab never reaches PyYAML's parser."""
    calls = []
    original = yaml_module.yaml.compose

    def compose(text: str, Loader: Any) -> Any:
        calls.append(Loader)
        return original(text, Loader=Loader)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_module.yaml, "compose", compose)
        parse_yaml(PERSONAS[0].read_text(encoding="utf-8"), "persona.yaml")
    assert calls == [yaml_module._FAST_LOADER]
