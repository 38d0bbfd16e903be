"""personas/README.md is the reference of every persona key: the table names each key of
the schema, every way an answer can be matched, and the defaults the schema has."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from simulator.persona._schema import MatchKind, Persona

README = (Path(__file__).resolve().parents[1] / "personas" / "README.md").read_text()
ROWS = {
    m[1]: (m[2].strip(), m[3].strip(), m[4].strip())
    for m in re.finditer(r"^\| `([^`]+)` \|(.*?)\|(.*?)\|(.*)\|$", README, re.M)
}


def _models(annotation: Any) -> Iterator[tuple[type[BaseModel], bool]]:
    """The models an annotation holds, and whether in a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False
    for arg in typing.get_args(annotation):
        for model, listed in _models(arg):
            yield model, listed or typing.get_origin(annotation) is list


def _keys(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        yield key, field
        for sub, listed in {m: listed for m, listed in _models(field.annotation)}.items():
            yield from _keys(sub, key + ("[]." if listed else "."))


def _documented(key: str) -> bool:
    """A row of its own, rows of its parts (``traits``), or named in the row of the key
    it belongs to (``confidential[]``'s fields; a state check's, at ``expect.state``)."""
    key = key.replace("expect.forbid[].state.", "expect.state.")
    if (
        key in ROWS
        or key + "[]" in ROWS
        or any(r.startswith((key + ".", key + "[]")) for r in ROWS)
    ):
        return True
    parent, _, leaf = key.rpartition(".")
    while parent:
        row = ROWS.get(parent) or ROWS.get(parent.removesuffix("[]"))
        if row is not None:
            return re.search(rf"\b{re.escape(leaf)}\b", " ".join(row)) is not None
        parent = parent.rpartition(".")[0]
    return False


def test_every_key_of_the_schema_is_in_the_table() -> None:
    assert [key for key, _ in _keys(Persona) if not _documented(key)] == []


def test_every_way_to_match_an_answer_is_listed() -> None:
    listed = set(re.findall(r"`(\w+)`", ROWS["expect.match"][0]))
    assert listed == set(typing.get_args(MatchKind))


def test_the_defaults_in_the_table_are_the_schemas() -> None:
    checked = 0
    for key, field in _keys(Persona):
        if key not in ROWS or field.default is PydanticUndefined or field.default is None:
            continue
        default = field.default
        if not isinstance(default, (str, int, float)) or isinstance(default, list):
            continue
        shown = ROWS[key][1].strip("`")
        want: object = default
        if isinstance(default, bool):
            want = str(default).lower()
        elif isinstance(default, float) and default.is_integer():
            want = int(default)
        assert shown == (str(want) if want != "" else '""'), key
        checked += 1
    assert checked >= 8
