"""Load persona YAML files: resolve ``extends``, validate, and report errors by file and line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.errors import PersonaError
from simulator.persona._messages import (
    PERSONA_ID_RULE,
    error_at,
    first_of,
    show,
    validation_error,
)
from simulator.persona._schema import PERSONA_ID_PATTERN, Persona
from simulator.persona._sound import soundness_problems
from simulator.persona._yaml import KeyPath, Positions, read_yaml_file

PathLike = str | os.PathLike[str]
SUFFIXES = (".yaml", ".yml")
STYLES_DIR = "styles"


def load_persona(path: PathLike, *, root: PathLike | None = None) -> Persona:
    """Load and validate one persona file; any problem is a PersonaError naming file and line."""
    return _load(Path(path), root)[0]


def load_personas(
    paths: PathLike | Iterable[PathLike], *, root: PathLike | None = None
) -> list[Persona]:
    """Load every persona in ``paths`` (files, or folders searched recursively); ids are unique.

    Files under a ``styles/`` folder are partial trait sets for ``extends`` and are skipped.
    """
    personas: list[Persona] = []
    for _, result in iter_personas(paths, root=root):
        if isinstance(result, PersonaError):
            raise result
        personas.append(result)
    return personas


def iter_personas(
    paths: PathLike | Iterable[PathLike], *, root: PathLike | None = None
) -> Iterator[tuple[Path, Persona | PersonaError]]:
    """Yield ``(file, persona or error)`` per persona file, continuing past broken files.

    Used by ``simulator persona check --all-errors``; a duplicate id is yielded as an error.
    """
    seen: dict[str, Path] = {}
    for file in persona_files(paths):
        try:
            persona, positions = _load(file, root)
        except PersonaError as exc:
            yield file, exc
            continue
        if persona.id in seen:
            yield (
                file,
                error_at(
                    f"duplicate persona id '{persona.id}': {display_path(seen[persona.id])} "
                    "uses it too; ids must be unique across one load",
                    ("id",),
                    positions,
                ),
            )
            continue
        seen[persona.id] = file
        yield file, persona


def persona_files(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """The persona files named by ``paths``: files as given, folders searched for *.yaml/*.yml.

    Within a folder, files are sorted and anything under a ``styles/`` or hidden folder is
    skipped. A file reached twice is listed once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(
                    f
                    for f in path.rglob("*")
                    if f.suffix in SUFFIXES
                    and f.is_file()
                    and not any(
                        part == STYLES_DIR or part.startswith(".")
                        for part in f.relative_to(path).parts
                    )
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise PersonaError("no such file or folder", file=display_path(path))
    unique: dict[Path, Path] = {}
    for file in found:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        resolved = path.resolve()
        return str(resolved.relative_to(Path.cwd().resolve()))
    except (OSError, ValueError, RuntimeError):
        return str(path)


def personas_root(file: Path, root: PathLike | None = None) -> Path:
    """The folder ``extends`` must stay in: ``root``, else the nearest ``personas`` ancestor,
    else the file's own folder."""
    if root is not None:
        return Path(root).resolve()
    resolved = file.resolve()
    for parent in resolved.parents:
        if parent.name == "personas":
            return parent
    return resolved.parent


def _load(file: Path, root: PathLike | None) -> tuple[Persona, Positions]:
    name = display_path(file)
    try:
        base = personas_root(file, root)
        data, positions = _resolve(file, name, base, (file.resolve(),))
    except RecursionError:
        raise PersonaError("'extends' chain is too long", file=name) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise PersonaError(f"cannot read file: {exc}", file=name) from None
    if "id" not in data:  # never inherited: _resolve drops parents' ids
        if not re.match(PERSONA_ID_PATTERN, file.stem):
            raise error_at(
                f"the persona has no 'id' and its file name {file.stem!r} cannot be one: "
                f"add 'id:' with {PERSONA_ID_RULE}",
                (),
                positions,
            )
        data["id"] = file.stem
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, positions) from None
    problems = soundness_problems(persona)
    if problems:
        raise first_of(problems, positions)
    return persona, positions


def _resolve(
    file: Path, name: str, root: Path, chain: tuple[Path, ...]
) -> tuple[dict[str, Any], Positions]:
    """Read ``file`` and fold in everything it ``extends``, keeping each key's origin."""
    data, positions = read_yaml_file(file, name)
    if not isinstance(data, dict):
        found = "the file is empty" if data is None else f"got {show(data)}"
        raise error_at(
            f"expected a mapping of persona keys at the top level (id, name, goal, ...); {found}",
            (),
            positions,
        )
    if "extends" not in data:
        return data, positions
    refs = data.pop("extends")
    ref_paths: list[tuple[str, KeyPath]]
    if isinstance(refs, str):
        ref_paths = [(refs, ("extends",))]
    elif isinstance(refs, list) and all(isinstance(r, str) for r in refs):
        ref_paths = [(r, ("extends", i)) for i, r in enumerate(refs)]
    else:
        raise error_at(
            f"extends: expected a relative path or a list of paths, got {show(refs)}",
            ("extends",),
            positions,
        )
    merged: dict[str, Any] = {}
    merged_positions: Positions = {}
    for ref, where in ref_paths:
        target = _extends_target(file, ref, root, chain, where, positions)
        parent, parent_positions = _resolve(target, display_path(target), root, (*chain, target))
        parent.pop("id", None)  # an id names its own file; it is never inherited
        parent_positions = {p: v for p, v in parent_positions.items() if p[:1] != ("id",)}
        merged, merged_positions = merge(merged, merged_positions, parent, parent_positions)
    own = {p: v for p, v in positions.items() if p[:1] != ("extends",)}
    return merge(merged, merged_positions, data, own)


def _extends_target(
    file: Path, ref: str, root: Path, chain: tuple[Path, ...], where: KeyPath, pos: Positions
) -> Path:
    try:
        target = (file.parent / ref).resolve()
    except (OSError, ValueError, RuntimeError):
        raise error_at(f"extends: invalid path {ref!r}", where, pos) from None
    if not ref.strip() or not target.is_relative_to(root):
        raise error_at(f"extends path {ref} leaves the personas root {root}", where, pos)
    if target in chain:
        loop = [_relative(p, root) for p in (*chain[chain.index(target) :], target)]
        raise error_at(f"extends forms a cycle: {' -> '.join(loop)}", where, pos)
    if not target.is_file():
        raise error_at(
            f"extends: no such file {ref} (looked for {display_path(target)})", where, pos
        )
    return target


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def merge(
    base: dict[str, Any], base_pos: Positions, over: dict[str, Any], over_pos: Positions
) -> tuple[dict[str, Any], Positions]:
    """Deep-merge ``over`` onto ``base``: mappings merge key by key, anything else replaces.

    Positions follow the data, so an inherited key still points at the file it came from.
    """
    positions = {p: v for p, v in base_pos.items() if p and not _replaced(p, base, over)}
    positions.update(over_pos)
    return _merge_data(base, over), positions


def _merge_data(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        both = isinstance(old, Mapping) and isinstance(value, Mapping)
        out[key] = _merge_data(old, value) if both else value  # type: ignore[arg-type]
    return out


def _replaced(path: KeyPath, base: Any, over: Any) -> bool:
    """Whether ``over`` replaces the value at ``path`` of ``base`` (or one of its parents)."""
    for key in path:
        if not isinstance(over, Mapping) or key not in over:
            return False
        if not (isinstance(base, Mapping) and isinstance(base.get(key), Mapping)):
            return True
        if not isinstance(over[key], Mapping):
            return True
        base, over = base[key], over[key]
    return True


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists, writes enums as values and short scalar lists inline."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _short(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) < 40 and "\n" not in value
    return isinstance(value, float) or (isinstance(value, int) and abs(value) < 10**30)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(_short(v) for v in data) and sum(len(repr(v)) + 2 for v in data) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # PyYAML writes NEL and Unicode line/paragraph separators raw, and reads them back as
    # ordinary line breaks; double quotes escape them so the text survives a round trip.
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(Enum, lambda dumper, data: dumper.represent_str(str(data.value)))


def persona_to_yaml(persona: Persona) -> str:
    """The persona as clean YAML: schema key order, defaults and nulls left out.

    Loading the result gives back an equal persona.
    """
    # exclude_defaults alone: every field that defaults to None is left out, while a null
    # the author wrote under an open mapping (context extras) is kept, so reloading is exact.
    data = persona.model_dump(mode="python", exclude_defaults=True)
    data = {"id": persona.id, **data}
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return str(text)
