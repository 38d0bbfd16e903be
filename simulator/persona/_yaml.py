"""Safe YAML reading that remembers where every key came from, so errors can name a line.

Only the YAML core types are built (mappings, lists, text, numbers, booleans, null, dates),
the same set ``yaml.safe_load`` accepts. Size, nesting and alias expansion are bounded so
that any input gives either data or a ``PersonaError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.errors import PersonaError

KeyPath = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and list indexes from the top."""

MAX_BYTES = 1024 * 1024
MAX_VALUES = 100_000
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_MERGE_TAG = _TAG + "merge"
_VALUE_TAG = _TAG + "value"


class Pos(NamedTuple):
    """A place in a file, 1-based, as editors and compilers print it."""

    file: str
    line: int
    column: int


Positions = dict[KeyPath, Pos]


def read_yaml_file(path: Path, display: str) -> tuple[Any, Positions]:
    """Read one YAML file as plain data plus positions; ``display`` is the name used in errors."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PersonaError(f"cannot read file: {reason}", file=display) from None
    if len(raw) > MAX_BYTES:
        raise PersonaError(
            "file is larger than 1 MB; a persona is a short hand-written file", file=display
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PersonaError(
            f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            file=display,
            line=line,
            column=column,
        ) from None
    return parse_yaml(text, display)


def parse_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text; returns the data (None for an empty document) and its positions."""
    node = _compose_fast(text)
    try:
        if node is None:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, file) from None
    except RecursionError:
        raise PersonaError("invalid YAML: nested too deeply", file=file) from None
    except Exception as exc:  # the parser is third-party code; any failure is bad input
        raise PersonaError(f"invalid YAML: {exc}", file=file) from None
    if node is None:
        return None, {(): Pos(file, 1, 1)}
    builder = _Builder(file)
    return builder.build(node), builder.positions


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)  # None without libyaml


def _compose_fast(text: str) -> Node | None:
    """The document's nodes read by libyaml (about six times faster than PyYAML's own
    parser), or None: without libyaml, for an empty document, for text with a tab, and
    whenever libyaml fails, so that PyYAML's parser reads it again and words the error as
    always. libyaml takes some tabs that PyYAML refuses ("name: Ann<tab># the buyer"), so a
    file with a tab is left to PyYAML alone; on every other input the two give the same nodes
    (``tests/test_persona_yaml.py`` compares them on mutated persona files)."""
    if _FAST_LOADER is None or "\t" in text:
        return None
    try:
        node: Node | None = yaml.compose(text, Loader=_FAST_LOADER)
    except Exception:  # any failure: PyYAML's parser reads it again
        return None
    return node


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> PersonaError:
    problem = exc.problem or "not valid YAML"
    mark, context = exc.problem_mark, exc.context
    context_mark = exc.context_mark
    message = f"invalid YAML: {problem}"
    if problem == "but found another document":
        context = None
        message = "invalid YAML: a persona file holds one document; remove this '---' and below"
    if context == "while scanning a simple key" and context_mark is not None:
        # A key without its ':' is reported on the next line; the mistake is on this one.
        mark, context, context_mark = context_mark, None, None
        message = "invalid YAML: expected 'key: value' on this line, found no ':'"
    if context and context_mark is not None and mark is not None:
        where = f"line {context_mark.line + 1}, column {context_mark.column + 1}"
        message += f" ({context} started at {where})"
    elif context:
        message += f" ({context})"
    if problem == "mapping values are not allowed here":
        message += "; quote a value that contains ': ', or check this line's indentation"
    if "<block end>" in problem:
        message += "; check the indentation of this line"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    if mark is None:
        mark = context_mark
    if mark is None:
        return PersonaError(message, file=file)
    return PersonaError(message, file=file, line=mark.line + 1, column=mark.column + 1)


def _reader_error(exc: yaml.reader.ReaderError, text: str, file: str) -> PersonaError:
    position = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character
    shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    return PersonaError(
        f"invalid character {shown} in YAML: {exc.reason}", file=file, line=line, column=column
    )


class _Builder:
    """Turns composed YAML nodes into plain data, recording a position per key path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: Positions = {}
        self._constructor = yaml.SafeLoader("")
        self._count = 0
        self._active: set[int] = set()

    def build(self, root: Node) -> Any:
        self.positions[()] = self._pos(root)
        return self._build(root, (), 0)

    def _pos(self, node: Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def _error(self, message: str, node: Node) -> PersonaError:
        pos = self._pos(node)
        return PersonaError(message, file=pos.file, line=pos.line, column=pos.column)

    def _build(self, node: Node, path: KeyPath, depth: int) -> Any:
        self._count += 1
        if self._count > MAX_VALUES:
            raise self._error(
                f"document has more than {MAX_VALUES} values (aliases expanded); "
                "a persona is a short file",
                node,
            )
        if depth > MAX_DEPTH:
            raise self._error(f"values are nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._active:
            raise self._error("an alias refers to a value that contains it (a loop)", node)
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self._sequence(node, path, depth)
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
        finally:
            self._active.discard(id(node))
        raise self._error("unsupported YAML node", node)  # pragma: no cover - compose never

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _VALUE_TAG:
            return str(node.value)
        if node.tag not in _SCALAR_TAGS:
            raise self._error(f"unsupported YAML tag {node.tag!r}; write plain values", node)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
            shown = repr(node.value if len(node.value) <= 40 else node.value[:37] + "...")
            if node.tag == _TAG + "timestamp":
                message = f"invalid date {shown}: {exc}; write a date like 2025-11-03"
            elif node.tag in (_TAG + "int", _TAG + "float"):
                message = f"number {shown} is too large; put it in quotes if it is text"
            else:
                message = f"cannot read value {shown}: {getattr(exc, 'problem', None) or exc}"
            raise self._error(message, node) from None

    def _sequence(self, node: SequenceNode, path: KeyPath, depth: int) -> list[Any]:
        if node.tag != _TAG + "seq":
            raise self._error(f"unsupported YAML tag {node.tag!r}; write a plain list", node)
        items: list[Any] = []
        for index, child in enumerate(node.value):
            self.positions[(*path, index)] = self._pos(child)
            items.append(self._build(child, (*path, index), depth + 1))
        return items

    def _mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            raise self._error(f"unsupported YAML tag {node.tag!r}; write a plain mapping", node)
        result: dict[str, Any] = {}
        sources: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources.extend(self._merge_sources(value_node))
        # '<<' merges: explicit keys win, and earlier sources win over later ones.
        for source in reversed(sources):
            result.update(self._build(source, path, depth))
        seen: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key(key_node)
            pos = self._pos(key_node)
            if key in seen:
                raise self._error(
                    f"duplicate key '{key}' (first at line {seen[key].line}); "
                    "keep only one of them",
                    key_node,
                )
            seen[key] = pos
            self.positions[(*path, key)] = pos
            result[key] = self._build(value_node, (*path, key), depth + 1)
        return result

    def _merge_sources(self, value: Node) -> list[Node]:
        if isinstance(value, MappingNode):
            return [value]
        if isinstance(value, SequenceNode) and all(
            isinstance(item, MappingNode) for item in value.value
        ):
            return list(value.value)
        raise self._error("'<<' merge key needs a mapping or a list of mappings", value)

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise self._error("mapping keys must be text, not a list or a mapping", node)
        value = self._scalar(node)
        if isinstance(value, str):
            return value
        if value is None:
            raise self._error("empty mapping key; write a name before the ':'", node)
        kind = {bool: "true/false", int: "a number", float: "a number"}.get(type(value), "a date")
        raise self._error(
            f"key {node.value[:40]!r} is read by YAML as {kind}; keys must be text, "
            f"so put it in quotes: '{node.value[:40]}'",
            node,
        )
