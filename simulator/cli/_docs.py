"""Generate docs/cli.md from the commands' own help, so the docs cannot drift.

Run as ``make docs`` (which sets a fixed width and no colours); a test compares the
checked-in file with a fresh rendering.
"""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from simulator.cli import app

COMMANDS: list[list[str]] = [
    [],
    ["run"],
    ["report"],
    ["show"],
    ["replay"],
    ["diff"],
    ["export"],
    ["persona"],
    ["persona", "check"],
    ["persona", "new"],
    ["persona", "schema"],
    ["crm"],
    ["crm", "pack"],
    ["crm", "families"],
    ["crm", "generate"],
    ["crm", "schema"],
    ["import"],
    ["import", "tau2"],
    ["import", "lic"],
]

HEADER = """# Command line

Generated from the commands' help by `make docs`; do not edit by hand.

Every command prints errors in bad input (a broken persona, an unknown agent) as one
line, `error: FILE:LINE:COL: what was expected`, with exit status 2 and no traceback; a
persona file with several problems gets one such line for each.
"""


def render() -> str:
    """The markdown page: one section per command with its ``--help`` text."""
    runner = CliRunner()
    parts = [HEADER]
    for words in COMMANDS:
        result = runner.invoke(app, [*words, "--help"], prog_name="simulator")
        if result.exit_code != 0:
            raise RuntimeError(f"simulator {' '.join(words)} --help failed: {result.output}")
        lines = [line.rstrip() for line in result.output.strip("\n").splitlines()]
        title = " ".join(["simulator", *words])
        parts.append(f"## `{title}`\n\n```text\n" + "\n".join(lines) + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
