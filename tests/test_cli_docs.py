"""docs/cli.md is generated from the commands' help; it must match the code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_docs_are_current() -> None:
    env = {
        **os.environ,
        "TERMINAL_WIDTH": "100",
        "_TYPER_FORCE_DISABLE_TERMINAL": "1",
        "NO_COLOR": "1",
    }
    env.pop("FORCE_COLOR", None)
    env.pop("GITHUB_ACTIONS", None)
    fresh = subprocess.run(
        [sys.executable, "-m", "simulator.cli._docs"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert fresh == DOCS.read_text(encoding="utf-8"), "docs/cli.md is stale: run `make docs`"
