"""Importers: personas from peer benchmarks' task files.

- :func:`import_tau2`: tau2-bench tasks (Sierra Research, MIT licence);
- :func:`import_lic`: Lost in Conversation sharded instructions (Microsoft, MIT).

Each returns an :class:`ImportResult` (personas, skipped tasks with the reason, notes on
what was approximated); :func:`write_personas` writes one YAML file per persona with
its source and notes in a comment header. See docs/importers.md.
"""

from __future__ import annotations

from simulator.importers._common import ImportResult, first_person, write_personas
from simulator.importers._lic import import_lic
from simulator.importers._tau2 import WRITE_TOOLS, import_tau2

__all__ = [
    "WRITE_TOOLS",
    "ImportResult",
    "first_person",
    "import_lic",
    "import_tau2",
    "write_personas",
]
