"""Finding records on the command line: a records file, a run folder, ``PATH#ID``."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from simulator.errors import SimulatorError
from simulator.record import DialogueRecord
from simulator.run import RECORDS_FILE, read_records


def records_file(path: Path) -> Path:
    """``path`` itself, or the ``dialogues.jsonl`` of a run folder; it must exist."""
    file = path / RECORDS_FILE if path.is_dir() else path
    if not file.is_file():
        raise SimulatorError(f"{file}: no such records file")
    return file


def id_matches(dialogue: str | None, record_id: str) -> bool:
    """``dialogue`` is the id, a part of it, or a pattern with ``*`` (``sales*eager~full``)."""
    if dialogue is None or dialogue in record_id:
        return True
    return any(c in dialogue for c in "*?[") and fnmatch.fnmatchcase(record_id, f"*{dialogue}*")


def matching(file: Path, dialogue: str | None) -> Iterator[DialogueRecord]:
    """Records of ``file`` whose id matches ``dialogue`` (all when None); a line that is
    not a record raises ``RecordsFileError`` naming it (from ``read_records``)."""
    for record in read_records(file):
        if id_matches(dialogue, record.id):
            yield record


def one_record(file: Path, dialogue: str | None, how: str = "with --dialogue ID") -> DialogueRecord:
    """The one record of ``file`` matching ``dialogue``: an exact id wins over a part of one.
    ``how`` says, in the error for several matches, how to pick one."""
    found: list[DialogueRecord] = []
    for record in matching(file, dialogue):
        if dialogue is not None and record.id == dialogue:
            return record
        found.append(record)
        if len(found) > 5:
            break
    if not found:
        what = f"no dialogue matches {dialogue!r}" if dialogue else "no records"
        raise SimulatorError(f"{file}: {what}")
    if len(found) > 1:
        ids = ", ".join(r.id for r in found[:5])
        raise SimulatorError(
            f"{file}: {len(found)}{'+' if len(found) > 5 else ''} dialogues match; pick one "
            f"{how} (e.g. {ids})"
        )
    return found[0]


def split_ref(text: str) -> tuple[Path, str | None]:
    """``PATH#ID`` → (PATH, ID); ``PATH`` → (PATH, None)."""
    path, sep, dialogue = text.partition("#")
    return Path(path), (dialogue or None) if sep else None


DialogueOption = Annotated[
    str | None,
    typer.Option(
        "--dialogue",
        "-d",
        help="Dialogue id, a part of it, or a pattern (sales*eager~full). Default: all.",
    ),
]
"""The ``-d`` option of the commands that read several dialogues (show, export)."""
