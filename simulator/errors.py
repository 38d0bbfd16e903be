"""Errors the CLI prints as one clean line (no traceback)."""

from __future__ import annotations


class SimulatorError(Exception):
    """A user-facing error: bad input, bad configuration. Printed without a traceback."""


class PersonaError(SimulatorError):
    """A persona file that cannot be loaded; names file, line, column and what was expected."""

    def __init__(
        self, message: str, *, file: str, line: int | None = None, column: int | None = None
    ):
        self.file = file
        self.line = line
        self.column = column
        self.detail = message
        where = file if line is None else f"{file}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


class AgentSpecError(SimulatorError):
    """An agent spec that cannot be resolved into an agent under test."""
