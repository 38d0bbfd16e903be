"""``simulator show``: print a readable transcript of recorded dialogues."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.cli._records import DialogueOption, id_matches
from simulator.errors import SimulatorError
from simulator.report import print_transcript
from simulator.run import RECORDS_FILE, read_records


def show(
    path: Annotated[
        Path, typer.Argument(help="A dialogues.jsonl file, or a run folder holding one.")
    ],
    dialogue: DialogueOption = None,
) -> None:
    """Print transcripts with revealed facts, answer attempts and leaks marked.

    Examples:

        simulator show runs/demo

        simulator show runs/demo/dialogues.jsonl -d 'sales_amount*leaky~on_ask'
    """
    file = path / RECORDS_FILE if path.is_dir() else path
    if not file.exists():
        raise SimulatorError(f"{file}: no such records file")
    console = Console()
    shown = 0
    for record in read_records(file):  # a bad line: RecordsFileError, naming it
        if id_matches(dialogue, record.id):
            print_transcript(record, console)
            shown += 1
    if not shown:
        what = f"no dialogue matches {dialogue!r}" if dialogue else "no records"
        raise SimulatorError(f"{file}: {what}")
