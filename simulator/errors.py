"""Errors the CLI prints as one clean line (no traceback), and where an agent's error came
from."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


class SimulatorError(Exception):
    """A user-facing error: bad input, bad configuration. Printed without a traceback,
    followed by ``others``: further problems of the same input, each a line of its own."""

    others: list[SimulatorError] = []  # noqa: RUF012 (never mutated: instances assign)


class PersonaError(SimulatorError):
    """A persona file that cannot be loaded; names file, line, column and what was expected."""

    def __init__(
        self, message: str, *, file: str, line: int | None = None, column: int | None = None
    ):
        self.file = file
        self.line = line
        self.column = column
        self.detail = message
        self.others: list[PersonaError] = []  # type: ignore[assignment]  # each placed
        where = file if line is None else f"{file}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")

    @property
    def all(self) -> list[PersonaError]:
        """This problem and the file's others, each with its own line."""
        return [self, *self.others]


class RecordsFileError(SimulatorError, ValueError):
    """A records file with a line that is not a dialogue record; names file and line."""


class AgentSpecError(SimulatorError):
    """An agent spec that cannot be resolved into an agent under test."""


def raised_at(exc: BaseException) -> str | None:
    """Where ``exc`` was raised, as "PATH:LINE in FUNCTION": the innermost frame of its
    traceback in code of yours (not this package, the standard library or an installed
    package), else the innermost outside this package; None when it rose inside this
    package alone (a model call that failed, say). PATH is relative to the working
    directory when it is under it."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not _under(f.filename, _PACKAGE) and not f.filename.startswith("<")
    ]
    if not frames:
        return None
    own = [f for f in frames if not _installed(f.filename)]
    frame = (own or frames)[-1]
    return f"{_shown(frame.filename)}:{frame.lineno} in {frame.name}"


def _under(filename: str, folder: Path) -> bool:
    return Path(filename).resolve().is_relative_to(folder)


def _installed(filename: str) -> bool:
    """The standard library or an installed package."""
    path = Path(filename).resolve()
    return (
        "site-packages" in path.parts
        or "dist-packages" in path.parts
        or _under(filename, Path(sys.base_prefix).resolve())
    )


def _shown(filename: str) -> str:
    path = Path(filename).resolve()
    cwd = Path.cwd().resolve()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)
