"""``simulator export``: records as OpenAI transcripts, an Inspect log, CSV or JSONL."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from simulator.cli._records import DialogueOption, id_matches, records_file
from simulator.errors import SimulatorError
from simulator.run import (
    ExportFormat,
    export_file,
    inspect_log,
    inspect_log_filename,
    record_ids,
    select_records,
)


class Format(StrEnum):
    openai = "openai"
    jsonl = "jsonl"
    inspect = "inspect"
    csv = "csv"


def export(
    path: Annotated[
        Path,
        typer.Argument(metavar="RUN", help="A dialogues.jsonl file, or a run folder holding one."),
    ],
    format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="openai: a chat transcript per line, with metadata; jsonl: the records "
            "as they are; inspect: an Inspect AI eval log; csv: a row per dialogue.",
        ),
    ] = Format.openai,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write. For inspect, a folder (one that exists, or a path with no "
            "extension) gets the log named as Inspect names its logs, so inspect view lists "
            "it. Default: standard output.",
        ),
    ] = None,
    dialogue: DialogueOption = None,
) -> None:
    """Export dialogues for other evaluation tools (docs/export.md).

    openai: {"messages", "tools", "metadata"} per line, the messages as the
    agent saw them (openevals, deepeval). inspect: one eval log (format 2,
    JSON) for inspect view and read_eval_log. csv: id, persona, agent, mode,
    seed, end reason, success, turns, leaks, refusals, fidelity, cost. An
    openai export replays as an agent: -a transcript:FILE#ID.

    Examples:

        simulator export runs/demo --format openai --out demo.jsonl

        simulator export runs/demo -f inspect -o logs/

        simulator export runs/demo -f csv -d '~on_ask~'

        simulator export runs/mine -d 'careful~full~s0' -o careful.jsonl

        simulator run -p personas/examples/refund.yaml -m full \\
            --repeats 1 -a transcript:careful.jsonl --out runs/again
    """
    file = records_file(path)
    ids = [i for i in record_ids(file) if id_matches(dialogue, i)]
    if not ids:
        what = f"no dialogue matches {dialogue!r}" if dialogue else "no records"
        raise SimulatorError(f"{file}: {what}")
    select = set(ids).__contains__
    fmt: ExportFormat = format.value
    name = f"simulator/{(path if path.is_dir() else file.resolve().parent).resolve().name}"
    if out is None:
        export_file(file, fmt, sys.stdout, select=select, task=name)
        return
    if fmt == "inspect" and (out.is_dir() or not out.suffix):
        # a folder: the log gets Inspect's own kind of name, so inspect view lists it
        log = inspect_log(list(select_records(file, select)), task=name, location=str(file))
        out = out / inspect_log_filename(log)
        _write(out, lambda fh: fh.write(json.dumps(log, ensure_ascii=False) + "\n"))
        count = len(ids)
    else:
        count = _write(out, lambda fh: export_file(file, fmt, fh, select=select, task=name))
    plural = "s" if count != 1 else ""
    typer.echo(f"Exported {count} dialogue{plural} ({fmt}) → {out}", err=True)


def _write(out: Path, write: Callable[[TextIO], int]) -> int:
    """Write ``out`` whole or not at all (a temporary file, renamed); ``write``'s result."""
    if out.is_dir():
        raise SimulatorError(f"{out} is a folder; give a file to write (--out FILE)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimulatorError(f"cannot write {out}: {exc.strerror or exc}") from None
    tmp = out.with_name(out.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            result = write(fh)
        os.replace(tmp, out)
    except OSError as exc:
        raise SimulatorError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return result
