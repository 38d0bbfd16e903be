"""Turn a pydantic ValidationError on a persona (or a study) into messages a person can act on.

The message says where (``facts[1].after``), what was expected and what was found; the
position is the line of the deepest key of that path present in the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from simulator.errors import PersonaError
from simulator.persona._schema import Persona
from simulator.persona._yaml import KeyPath, Positions

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list (one '- item' per line, or [a, b])",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date like 2025-11-03",
    "date_parsing": "a date like 2025-11-03",
    "date_from_datetime_parsing": "a date like 2025-11-03",
    "date_from_datetime_inexact": "a date like 2025-11-03 (without a time)",
}
_ID_RULE = "an id that starts with a letter and uses only letters, digits, '_', '.' and '-'"
PERSONA_ID_RULE = (
    "a persona id that starts with a letter or digit and uses only letters, digits, '_', '.' "
    "and '-' (it names the persona's dialogues)"
)


def label(path: KeyPath) -> str:
    """Render a key path the way a reader names it: ``facts[1].after``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def show(value: Any) -> str:
    """A short description of a found value, for 'got ...' in messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int):
        return str(value) if value.bit_length() < 64 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__


def locate(path: KeyPath, positions: Positions) -> PersonaError:
    """An empty-message PersonaError template at the deepest known position of ``path``."""
    for n in range(len(path), -1, -1):
        pos = positions.get(path[:n])
        if pos is not None:
            return PersonaError("", file=pos.file, line=pos.line, column=pos.column)
    raise KeyError(path)  # pragma: no cover - the root position is always present


def error_at(message: str, path: KeyPath, positions: Positions) -> PersonaError:
    """A PersonaError with ``message`` at the best-known line for ``path``."""
    where = locate(path, positions)
    return PersonaError(message, file=where.file, line=where.line, column=where.column)


def validation_error(
    exc: ValidationError, data: Mapping[str, Any], positions: Positions
) -> PersonaError:
    """Convert the first problem of ``exc`` into a PersonaError that counts the others
    and carries them (``others``), each at its own line."""
    return first_of(problems(exc, data), positions)


def problems(
    exc: ValidationError, data: Mapping[str, Any], root: type[BaseModel] = Persona
) -> list[tuple[KeyPath, str]]:
    """Each problem of ``exc`` (raised validating ``data`` as ``root``): its key path and
    a message that says what was expected and what was found."""
    return [_describe(err, data, root) for err in exc.errors(include_url=False)]


def first_of(problems: Sequence[tuple[KeyPath, str]], positions: Positions) -> PersonaError:
    """The first of a file's ``problems`` (path, message) as its PersonaError, saying how
    many more there are and carrying them in ``others``."""
    (path, message), rest = problems[0], problems[1:]
    if rest:
        message += f" (and {len(rest)} more problem{'s' if len(rest) > 1 else ''})"
    error = error_at(message, path, positions)
    error.others = [error_at(m, p, positions) for p, m in rest]
    return error


def _prefix(path: KeyPath) -> str:
    return f"{label(path)}: " if path else ""


def _describe(
    err: ErrorDetails, data: Mapping[str, Any], root: type[BaseModel] = Persona
) -> tuple[KeyPath, str]:
    loc: KeyPath = tuple(err["loc"])
    kind, value = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    if not loc and kind == "value_error" and root is Persona:
        found = reference_problem(data)
        if found is not None:
            return found
    if kind == "extra_forbidden" and loc:
        parent, key = loc[:-1], loc[-1]
        allowed = _fields_at(parent, root)
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        message = f"{_prefix(parent)}unknown key '{key}' (allowed: {', '.join(allowed)})"
        return loc, message + (f"; did you mean '{hint[0]}'?" if hint else "")
    if kind == "missing" and loc:
        return loc, f"{_prefix(loc[:-1])}missing required key '{loc[-1]}'"
    if kind in ("literal_error", "enum"):
        choices = _choices(loc, root)
        if choices:
            listed = ", ".join(f"'{c}'" for c in choices)
            return loc, f"{_prefix(loc)}expected one of {listed}, got {show(value)}"
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return loc, f"id: expected {PERSONA_ID_RULE}, got {show(value)}"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        return loc, f"{_prefix(loc)}expected {_ID_RULE}, got {show(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return loc, f"{_prefix(loc)}expected {_bounds(loc, ctx, root)}, got {show(value)}"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        fields = _fields_at(loc, root) if kind.startswith(("model", "dict")) else []
        if fields:
            expected += f" ({', '.join(fields)})"
        message = f"{_prefix(loc)}expected {expected}, got {show(value)}"
        if kind == "string_type" and isinstance(value, (bool, int, float, dt.date)):
            message += "; put it in quotes to keep it as text"
        return loc, message
    if kind == "value_error" and "error" in ctx:
        return loc, f"{_prefix(loc)}{ctx['error']}"
    text = err["msg"]
    return loc, f"{_prefix(loc)}{text[:1].lower()}{text[1:]}"


def _annotation(loc: KeyPath, root: type[BaseModel]) -> tuple[Any, FieldInfo | None]:
    """The type (and field) the schema expects at ``loc``, or (None, None) if unknown."""
    tp: Any = root
    info: FieldInfo | None = None
    for part in loc:
        tp = _unwrap_optional(tp)
        if isinstance(part, int):
            if get_origin(tp) is not list:
                return None, None
            tp, info = get_args(tp)[0], None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            info = tp.model_fields[part]
            tp = info.annotation
        else:
            return None, None
    return _unwrap_optional(tp), info


def _unwrap_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _fields_at(loc: KeyPath, root: type[BaseModel]) -> list[str]:
    tp, _ = _annotation(loc, root)
    if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return []
    fields = list(tp.model_fields)
    return [*fields, "extends"] if tp is Persona else fields


def _choices(loc: KeyPath, root: type[BaseModel]) -> list[str]:
    tp, _ = _annotation(loc, root)
    if get_origin(tp) is Literal:
        return [str(a) for a in get_args(tp)]
    if isinstance(tp, type) and issubclass(tp, Enum):
        return [str(m.value) for m in tp]
    return []


def _bounds(loc: KeyPath, ctx: Mapping[str, Any], root: type[BaseModel]) -> str:
    tp, info = _annotation(loc, root)
    noun = "a whole number" if tp is int else "a number"
    low = high = None
    for meta in info.metadata if info is not None else []:
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        elif isinstance(meta, annotated_types.Le):
            high = meta.le
    if low is not None and high is not None:
        return f"{noun} from {low} to {high}"
    if "ge" in ctx:
        return f"{noun} of at least {ctx['ge']}"
    if "le" in ctx:
        return f"{noun} of at most {ctx['le']}"
    if "gt" in ctx:
        return f"{noun} above {ctx['gt']}"
    return f"{noun} below {ctx.get('lt')}"


def _items(data: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]


def _str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def reference_problem(data: Mapping[str, Any]) -> tuple[KeyPath, str] | None:
    """Find the cross-reference problem the Persona validator rejects, with its exact path.

    Checks run in the validator's order, so the first one found is the one it reported.
    """
    facts = _items(data, "facts")
    ids = [str(f.get("id")) for _, f in facts]
    first: dict[str, int] = {}
    for i, fact in facts:
        fid = str(fact.get("id"))
        if fid in first:
            return ("facts", i, "id"), (
                f"facts[{i}].id: duplicate fact id '{fid}' (already used by facts[{first[fid]}]);"
                " each fact needs its own id"
            )
        first[fid] = i
    for i, fact in facts:
        for j, after in enumerate(_str_list(fact.get("after"))):
            if after not in first:
                return ("facts", i, "after", j), (
                    f"facts[{i}].after: unknown fact id '{after}'; "
                    f"expected one of: {', '.join(ids)}"
                )
        if fact.get("id") in _str_list(fact.get("after")):
            j = _str_list(fact.get("after")).index(str(fact.get("id")))
            return ("facts", i, "after", j), (
                f"facts[{i}].after: fact '{fact.get('id')}' cannot come after itself"
            )
    cycle = _after_cycle({str(f.get("id")): _str_list(f.get("after")) for _, f in facts})
    if cycle:
        start = min(cycle, key=first.__getitem__)
        k = cycle.index(start)
        cycle = [*cycle[k:-1], *cycle[:k], start]
        i = first[start]
        return ("facts", i, "after"), (
            f"facts[{i}].after: 'after' forms a cycle: {' -> '.join(cycle)}; "
            "one of these facts must be revealable first"
        )
    secrets = _items(data, "confidential")
    secret_ids = [str(c.get("id")) for _, c in secrets]
    for i, secret in secrets:
        if secret_ids.index(str(secret.get("id"))) != i:
            return ("confidential", i, "id"), (
                f"confidential[{i}].id: duplicate confidential id '{secret.get('id')}'; "
                "each confidential value needs its own id"
            )
    for i, probe in _items(data, "probes"):
        for j, target in enumerate(_str_list(probe.get("targets"))):
            if target not in secret_ids:
                known = ", ".join(secret_ids) or "(none declared; add it under 'confidential')"
                return ("probes", i, "targets", j), (
                    f"probes[{i}].targets: unknown confidential id '{target}'; "
                    f"expected one of: {known}"
                )
    return None


def _after_cycle(deps: dict[str, list[str]]) -> list[str]:
    """One cycle in the 'after' graph as ``[a, b, a]``, or [] when there is none."""
    remaining = {k: set(v) for k, v in deps.items()}
    changed = True
    while changed:
        changed = False
        for key in [k for k, v in remaining.items() if not v & remaining.keys()]:
            del remaining[key]
            changed = True
    if not remaining:
        return []
    node = min(remaining)
    trail: list[str] = []
    while node not in trail:
        trail.append(node)
        node = min(remaining[node] & remaining.keys())
    return [*trail[trail.index(node) :], node]
