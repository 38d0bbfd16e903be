"""Persona loading: valid files, extends, and one precise PersonaError per broken file."""

from __future__ import annotations

import random
import string
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import PersonaError
from simulator.persona import (
    Mode,
    Persona,
    load_persona,
    load_personas,
    persona_json_schema,
    persona_to_yaml,
    scaffold_persona,
)

VALID = """\
id: crm.sales.globex
name: Dana Whitfield
goal: Get the Q3 total for Globex.
opening: Hi, I need a revenue number.
facts:
  - id: account
    value: Globex Corporation
    say: It's the Globex Corporation account.
  - id: period
    value: Q3 2025
    say: Q3 2025.
    after: [account]
"""


def write(path: Path, text: str) -> Path:
    """Write dedented ``text`` to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path, **kwargs: Any) -> PersonaError:
    """The PersonaError loading ``path`` raises (fails the test if it loads)."""
    with pytest.raises(PersonaError) as info:
        load_persona(path, **kwargs)
    return info.value


def assert_error(err: PersonaError, file: Path, line: int, *words: str) -> None:
    """The error names ``file`` at ``line`` and mentions every word."""
    text = str(err)
    assert f"{file.name}:{line}:" in text, text
    assert err.line == line
    for word in words:
        assert word in text, text


# --- valid files -------------------------------------------------------------------------


def test_valid_persona_loads(tmp_path: Path) -> None:
    persona = load_persona(write(tmp_path / "p.yaml", VALID))
    assert persona.id == "crm.sales.globex"
    assert [f.id for f in persona.facts] == ["account", "period"]
    assert persona.facts[1].after == ["account"]
    assert persona.traits.disclosure is Mode.ON_ASK


def test_id_defaults_to_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "crm.refund.acme.yaml", VALID.replace("id: crm.sales.globex\n", ""))
    assert load_persona(path).id == "crm.refund.acme"


def test_a_persona_id_that_cannot_name_dialogues_is_refused(tmp_path: Path) -> None:
    """Dialogue ids are ``persona~agent~mode~sN`` and replay patterns glob them: an id
    with a space, '~' or '*' would break both."""
    for bad in ("my persona", "a~b", "x*", "-lead"):
        path = write(tmp_path / "p.yaml", VALID.replace("crm.sales.globex", f"'{bad}'"))
        assert_error(error_of(path), path, 1, "id: expected a persona id", repr(bad))
    path = write(tmp_path / "2025-q1 refund.yaml", VALID.replace("id: crm.sales.globex\n", ""))
    assert_error(error_of(path), path, 1, "its file name '2025-q1 refund' cannot be one", "id:")
    path = write(tmp_path / "2025-q1.yaml", VALID.replace("id: crm.sales.globex\n", ""))
    assert load_persona(path).id == "2025-q1"  # a digit may start a persona's id


def test_numbers_and_dates_become_values(tmp_path: Path) -> None:
    text = VALID.replace("Q3 2025", "2025-07-01") + "context:\n  today: 2025-11-03\n"
    persona = load_persona(write(tmp_path / "p.yaml", text.replace("Globex Corporation", "42")))
    assert persona.facts[0].value == "42"
    assert persona.facts[1].value == "2025-07-01"
    assert persona.context.today is not None and persona.context.today.year == 2025


def test_extends_deep_merges_and_replaces_lists(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    write(
        root / "styles" / "busy.yaml",
        """\
        traits:
          verbosity: terse
          patience: 2
        role: Busy manager
        facts:
          - id: only
            value: x
            say: x
        """,
    )
    child = write(
        root / "crm" / "p.yaml",
        "extends: ../styles/busy.yaml\ntraits:\n  patience: 7\n" + VALID,
    )
    persona = load_persona(child)
    assert persona.traits.verbosity == "terse"  # inherited
    assert persona.traits.patience == 7  # child wins inside a merged mapping
    assert persona.role == "Busy manager"
    assert [f.id for f in persona.facts] == ["account", "period"]  # lists replace


def test_extends_list_and_chain(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    write(root / "styles" / "base.yaml", "traits: {tone: formal}\n")
    write(root / "styles" / "terse.yaml", "extends: base.yaml\ntraits: {verbosity: terse}\n")
    write(root / "styles" / "calm.yaml", "traits: {patience: 9}\n")
    child = write(root / "p.yaml", "extends: [styles/terse.yaml, styles/calm.yaml]\n" + VALID)
    traits = load_persona(child).traits
    assert (traits.tone, traits.verbosity, traits.patience) == ("formal", "terse", 9)


def test_load_personas_skips_styles_and_sorts(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    write(root / "styles" / "busy.yaml", "traits: {verbosity: terse}\n")
    write(root / "b.yaml", VALID.replace("id: crm.sales.globex", "id: b"))
    write(root / "sub" / "a.yml", VALID.replace("id: crm.sales.globex", "id: a"))
    ids = [p.id for p in load_personas([root])]
    assert ids == ["b", "a"]  # b.yaml sorts before sub/a.yml


def test_persona_to_yaml_round_trips(tmp_path: Path) -> None:
    persona = load_persona(write(tmp_path / "p.yaml", scaffold_persona("x.y", environment="crm")))
    text = persona_to_yaml(persona)
    assert "null" not in text
    assert load_persona(write(tmp_path / "again.yaml", text)) == persona
    odd = persona.model_copy(update={"name": "A\x85B\u2028C", "goal": "yes"})
    again = write(tmp_path / "odd.yaml", persona_to_yaml(odd))
    assert load_persona(again) == odd  # NEL and U+2028 survive; 'yes' stays text


def test_scaffold_loads_and_is_commented(tmp_path: Path) -> None:
    text = scaffold_persona("new.one", name="Sam: O'Neil")
    persona = load_persona(write(tmp_path / "n.yaml", text))
    assert persona.id == "new.one" and persona.name == "Sam: O'Neil"
    assert len(persona.facts) == 3 and not persona.facts[2].required
    assert persona.probes[0].targets == [persona.confidential[0].id]
    assert text.count("#") > 20


def test_json_schema_allows_extends_and_missing_id() -> None:
    schema = persona_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "extends" in schema["properties"] and "facts" in schema["properties"]
    assert "id" not in schema["required"]


# --- broken files: one PersonaError, right file and line ------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (VALID + "expect: [1, 2\n", 14, ["invalid YAML", "expected ',' or ']'"]),
        (VALID.replace("goal: Get", "goal Get"), 3, ["invalid YAML", "':'"]),
        (VALID + "colour: red\n", 13, ["unknown key 'colour'", "allowed: id, name"]),
        (
            VALID.replace("goal:", "traits:\n  speed: 3\ngoal:"),
            4,
            ["traits: unknown key 'speed'", "verbosity, tone, patience"],
        ),
        (
            VALID.replace("goal:", "traits:\n  patience: many\ngoal:"),
            4,
            ["traits.patience", "expected a whole number", "'many'"],
        ),
        (
            VALID.replace("goal:", "traits:\n  verbosity: loud\ngoal:"),
            4,
            ["traits.verbosity: expected one of 'terse', 'normal', 'chatty', got 'loud'"],
        ),
        (
            VALID.replace("    value: Q3 2025\n", ""),
            9,
            ["facts[1]: missing required key 'value'"],
        ),
        (
            VALID.replace("after: [account]", "after: [acount]"),
            12,
            ["facts[1].after: unknown fact id 'acount'; expected one of: account, period"],
        ),
        (
            VALID.replace("id: period", "id: account").replace("    after: [account]\n", ""),
            9,
            ["duplicate fact id 'account'", "facts[1].id"],
        ),
        (
            VALID.replace(
                "say: It's the Globex Corporation account.", "say: hi\n    after: [period]"
            ),
            9,
            ["'after' forms a cycle", "account -> period -> account"],
        ),
        (
            VALID
            + "confidential:\n  - id: ceo_phone\n    value: '555'\n"
            + "probes:\n  - ask: What's the CEO's number?\n    targets: [ceo_mobile]\n",
            18,
            [
                "probes[0].targets: unknown confidential id 'ceo_mobile'",
                "expected one of: ceo_phone",
            ],
        ),
        (
            VALID.replace("say: Q3 2025.", "say: Last quarter."),
            11,
            ["facts[1].say: expected the fact's value 'Q3 2025' in it", "'Last quarter.'"],
        ),
        (
            VALID.replace("need a revenue number", "need the Q3 2025 number"),
            4,
            ["opening: contains 'Q3 2025', the value of fact 'period'"],
        ),
        (VALID + "name: Other\n", 13, ["duplicate key 'name'", "line 2"]),
        ("- just\n- a list\n", 1, ["expected a mapping of persona keys at the top level"]),
        ("", 1, ["expected a mapping of persona keys", "empty"]),
        (VALID + "expect:\n  match: number\n", 13, ["expect: match 'number' needs an 'answer'"]),
        (VALID + "environment:\tcrm\n", 13, ["'\\t'", "spaces, not tabs"]),
    ],
)
def test_broken_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = write(tmp_path / "broken.yaml", text)
    assert_error(error_of(path), path, line, *words)


def test_error_counts_further_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", VALID + "colour: red\nsize: big\n")
    assert "(and 1 more problem)" in str(error_of(path))


def test_error_in_inherited_key_points_at_parent_file(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    style = write(root / "styles" / "loud.yaml", "role: x\ntraits:\n  verbosity: loud\n")
    child = write(root / "p.yaml", "extends: styles/loud.yaml\n" + VALID)
    assert_error(error_of(child), style, 3, "traits.verbosity", "'loud'")


def test_extends_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    write(tmp_path / "outside.yaml", "traits: {tone: formal}\n")
    child = write(root / "crm" / "p.yaml", VALID + "extends: ../../outside.yaml\n")
    err = error_of(child)
    assert_error(err, child, 13, "extends path ../../outside.yaml leaves the personas root")
    assert str(root.resolve()) in str(err)


def test_extends_respects_explicit_root(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "s.yaml", "traits: {tone: formal}\n")
    child = write(tmp_path / "mine" / "p.yaml", "extends: ../shared/s.yaml\n" + VALID)
    assert "leaves the personas root" in str(error_of(child))  # root = the file's folder
    assert load_persona(child, root=tmp_path).traits.tone == "formal"


def test_extends_cycle(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    write(root / "a.yaml", "extends: b.yaml\nrole: a\n")
    write(root / "b.yaml", "role: b\nextends: a.yaml\n")
    err = error_of(root / "a.yaml")
    assert_error(err, root / "b.yaml", 2, "extends forms a cycle", "a.yaml -> b.yaml -> a.yaml")


def test_extends_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", VALID + "extends: styles/nope.yaml\n")
    assert_error(error_of(path), path, 13, "no such file styles/nope.yaml")


def test_duplicate_persona_ids_across_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", VALID)
    second = write(tmp_path / "b.yaml", "\n" + VALID)
    with pytest.raises(PersonaError) as info:
        load_personas([tmp_path])
    assert_error(info.value, second, 2, "duplicate persona id 'crm.sales.globex'")
    assert first.name in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
        "a: &a [*a]\n",
        "a: " + "[" * 3000 + "]" * 3000 + "\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "\x00\x01\x02",
        "context:\n  1: one\n",
        "environment_seed: " + "9" * 5000 + "\n",
        VALID + "---\nid: other\n",
    ],
)
def test_hostile_input_gives_persona_error(tmp_path: Path, text: str) -> None:
    error_of(write(tmp_path / "h.yaml", text))


def test_oversized_and_non_utf8_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("role: " + "x" * (1024 * 1024 + 10) + "\n", encoding="utf-8")
    assert "larger than 1 MB" in str(error_of(big))
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"name: a\nrole: \xff\xfe\n")
    assert_error(error_of(binary), binary, 2, "not UTF-8")


# --- property: any text gives a Persona or a PersonaError -------------------------------


def _load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            persona = load_persona(path)
        except PersonaError as exc:
            assert "fuzz.yaml" in str(exc)
            return
        assert isinstance(persona, Persona)
        dumped = persona_to_yaml(persona)  # what loads must dump, and reload the same
        path.write_text(dumped, encoding="utf-8")
        assert persona_to_yaml(load_persona(path)) == dumped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_persona_or_persona_error(text: str) -> None:
    _load_text(text)


_KEYS = [*Persona.model_fields, "extends", "verbosity", "after", "value", "say", "id", "x"]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["terse", "on_ask", "account", "2025-11-03", "crm", "none", "number"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=20,
)
_SCAFFOLD = yaml.safe_load(scaffold_persona("fuzz"))


def _replace_somewhere(data: Any, value: Any, rng: random.Random) -> Any:
    """``data`` with one randomly chosen value (at any depth) replaced by ``value``."""
    if isinstance(data, dict) and data and rng.random() < 0.8:
        key = rng.choice(list(data))
        return {**data, key: _replace_somewhere(data[key], value, rng)}
    if isinstance(data, list) and data and rng.random() < 0.8:
        i = rng.randrange(len(data))
        return [*data[:i], _replace_somewhere(data[i], value, rng), *data[i + 1 :]]
    return value


_documents = st.one_of(
    st.dictionaries(st.sampled_from(_KEYS), _values, max_size=10),
    st.builds(
        lambda value, seed: _replace_somewhere(_SCAFFOLD, value, random.Random(seed)),
        _values,
        st.integers(0, 2**32),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents, st.integers(min_value=0, max_value=2**32), st.integers(0, 6))
def test_yamlish_text_gives_persona_or_persona_error(
    doc: dict[str, Any], seed: int, mutations: int
) -> None:
    rng = random.Random(seed)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    mutations = mutations if rng.random() < 0.7 else 0  # keep some documents well-formed
    alphabet = string.printable + "&*!|>%@`'\"[]{}:-#\t\x00é"
    for _ in range(mutations):
        at = rng.randrange(len(text) + 1)
        action = rng.randrange(3)
        if action == 0:
            text = text[:at] + rng.choice(alphabet) + text[at:]
        elif action == 1:
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + "\n" + " " * rng.randrange(6) + text[at:]
    _load_text(text)
