"""Everything a run folder gets after its dialogues: summary.csv, plots and report.html.

The records file is read twice (once for the metrics, once for the transcripts), never
held, so writing the outputs of a large run takes little memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.record import DialogueRecord
from simulator.report._csv import write_csv
from simulator.report._html import REPORT_FILE, write_html
from simulator.report._plots import plots_unavailable, render_plots, write_plots
from simulator.run import FORKS_FILE, RECORDS_FILE, read_records
from simulator.run.metrics import StudyMetrics


@dataclass
class RunOutputs:
    """What was written, and the metrics it was written from."""

    metrics: StudyMetrics
    files: list[Path] = field(default_factory=list)
    notice: str | None = None  # e.g. plots skipped
    duplicates: int = 0  # records whose id came before in the file: left out


def _manifest(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_run_outputs(
    run_dir: Path,
    *,
    records_file: Path | None = None,
    agent_order: Sequence[str] = (),
    html: bool = True,
    wanted: set[str] | None = None,
) -> RunOutputs:
    """Compute the metrics of ``run_dir``'s records and write CSV, plots and the HTML report.

    ``wanted`` limits the records to those ids (a run folder reused by another study).
    The forks in ``run_dir/forks.jsonl`` (``simulator replay --fork-at``), if any, are
    listed in the report after the transcripts; they count in no table.
    """
    source = records_file or run_dir / RECORDS_FILE
    manifest = _manifest(run_dir)
    if not agent_order and manifest:
        agent_order = [a["name"] for a in manifest.get("agents", [])]

    dropped = [0]

    def records() -> Iterator[DialogueRecord]:
        """Each dialogue once: the first record of an id (a folder two runs wrote into
        at once, before runs locked their folder, may hold a dialogue twice)."""
        seen: set[str] = set()
        dropped[0] = 0
        for record in read_records(source):
            if wanted is not None and record.id not in wanted:
                continue
            if record.id in seen:
                dropped[0] += 1
                continue
            seen.add(record.id)
            yield record

    metrics = StudyMetrics(agent_order).extend(records())
    outputs = RunOutputs(metrics, write_csv(metrics, run_dir), duplicates=dropped[0])
    outputs.notice = plots_unavailable()
    plots = render_plots(metrics)
    outputs.files += write_plots(plots, run_dir)
    if html:
        name = (manifest or {}).get("study", {}).get("name") or run_dir.name
        forks_file = run_dir / FORKS_FILE
        has_forks = forks_file.is_file() and forks_file.stat().st_size > 0
        outputs.files.append(
            write_html(
                run_dir / REPORT_FILE,
                metrics,
                records(),
                title=f"Study {name}",
                manifest=manifest,
                plots=plots,
                plots_notice=outputs.notice,
                forks=(lambda: read_records(forks_file)) if has_forks else None,
            )
        )
    return outputs
