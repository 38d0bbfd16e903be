"""``simulator diff``: where two dialogues part, shown side by side."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulator.cli._records import one_record, records_file, split_ref
from simulator.record import DialogueRecord
from simulator.run import diff_records


def _outcome(side: str, record: DialogueRecord) -> str:
    task = "success" if record.scores.task.success else "failure"
    return f"{side}: end {record.end_reason.value} · task {task}"


def diff(
    a: Annotated[
        str, typer.Argument(metavar="A", help="Records file or run folder, optionally #ID.")
    ],
    b: Annotated[
        str, typer.Argument(metavar="B", help="Records file or run folder, optionally #ID.")
    ],
    dialogue: Annotated[
        str | None,
        typer.Option(
            "--dialogue", "-d", help="Dialogue id, part or pattern, for a side without #ID."
        ),
    ] = None,
) -> None:
    """Show the first user turn in which two dialogues differ, side by side.

    Each side is one record: a file holding one record, or PATH#ID (an id or a
    unique part of it). Wall-clock fields never count as a difference.

    Examples:

        simulator diff 'runs/a#ID' 'runs/b#ID'

        simulator diff runs/demo/forks.jsonl 'runs/demo#ID'
    """
    records = []
    for ref in (a, b):
        path, wanted = split_ref(ref)
        how = f"with '{path}#FULL-ID'" if wanted else "with --dialogue ID or PATH#ID"
        records.append(one_record(records_file(path), wanted or dialogue, how))
    result = diff_records(records[0], records[1])
    console = Console()
    if result.identical:
        console.print("identical: the two dialogues never part", highlight=False)
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True)
    table.add_column(Text(_outcome("A", records[0])), ratio=1)
    table.add_column(Text(_outcome("B", records[1])), ratio=1)
    left = result.left.lines if result.left else ["(no such turn)"]
    right = result.right.lines if result.right else ["(no such turn)"]
    for i in range(max(len(left), len(right))):
        x = left[i] if i < len(left) else ""
        y = right[i] if i < len(right) else ""
        style = "bold" if x != y else "dim"
        table.add_row(Text(x, style=style), Text(y, style=style))
    # ids in full, never cut to the column width: two forks differ only at the end
    for side, record in zip("AB", records, strict=True):
        console.print(Text(f"{side}: ") + Text(record.id, style="bold"), soft_wrap=True)
    console.print(f"The dialogues part in user turn {result.turn}:", highlight=False)
    console.print(table)
