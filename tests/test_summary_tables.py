"""The summary tables in a terminal narrower than they are: no cell is cut short; the
value columns go into parts, each with the agent and mode again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from simulator.record import DialogueRecord
from simulator.report import print_summary
from simulator.report._summary import summarize, summary_tables
from simulator.run import read_records

DIALOGUES = Path(__file__).resolve().parents[1] / "dialogues"


def _records() -> list[DialogueRecord]:
    return [r for path in sorted(DIALOGUES.glob("*.jsonl")) for r in read_records(path)]


def _printed(width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    print_summary(_records(), console)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 100])
def test_a_narrow_terminal_shows_every_cell_whole(width: int) -> None:
    text = _printed(width)
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "(continued)" in text
    words = set(text.split())
    for grid in summary_tables(summarize(_records())):
        for row in grid.rows:
            for cell in row:
                assert set(cell.split()) <= words, (grid.title, cell)


def test_a_wide_terminal_prints_each_table_whole() -> None:
    text = " ".join(_printed(300).split())  # a title longer than its table wraps
    assert "(continued)" not in text and "…" not in text
    for grid in summary_tables(summarize(_records())):
        assert text.count(grid.title) == 1
