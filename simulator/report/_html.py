"""``report.html``: one self-contained page with the tables, the plots and every transcript.

Nothing is fetched when it is opened: style and script are inline, plots are base64 PNG,
and a Content-Security-Policy allows only the page's own script (by hash). Transcripts
are written one record at a time while the records file is read, so a large run is never
held in memory. Filters (agent, mode, persona, outcome, end reason) are plain JavaScript.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from html import escape
from pathlib import Path
from typing import IO, Any

from simulator.record import DialogueRecord
from simulator.report._html_assets import CSS, JS, script_hash
from simulator.report._html_dialogue import render_dialogue
from simulator.report._plots import PLOTS
from simulator.report._summary import Grid, family_table, summary_tables
from simulator.run.metrics import StudyMetrics

REPORT_FILE = "report.html"
_OUTCOMES = ("success", "failure", "error", "leak")


def html_table(grid: Grid) -> str:
    """A grid as an HTML table (caption as a note below it); every cell escaped."""
    head = "".join(
        f'<th class="{"l" if i < grid.left else ""}">{escape(c)}</th>'
        for i, c in enumerate(grid.columns)
    )
    body = []
    for row in grid.rows:
        cells = "".join(
            f'<td class="{"l" if i < grid.left else ""}">{escape(c)}</td>'
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    note = f'<p class="caption">{escape(grid.caption)}</p>' if grid.caption else ""
    return (
        f"<table><caption>{escape(grid.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _select(key: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (
        f'<label>{escape(label)} <select data-filter="{escape(key)}">'
        f'<option value="">all</option>{options}</select></label>'
    )


def _header(title: str, manifest: Mapping[str, Any] | None, metrics: StudyMetrics) -> str:
    total = sum(g.dialogues for g in metrics.groups.values())
    meta = [f"{total} dialogues", f"{len(metrics.personas)} personas"]
    meta += [f"agents: {', '.join(metrics.agents)}", f"modes: {', '.join(metrics.modes)}"]
    lines = [f'<p class="meta">{escape(" · ".join(meta))}</p>']
    if manifest:
        facts = [f"run {manifest.get('run_id', '?')}", f"started {manifest.get('created_at', '?')}"]
        seeds = manifest.get("seeds")
        if seeds:
            facts.append(f"seeds {', '.join(map(str, seeds))}")
        versions = manifest.get("versions") or {}
        facts.append(", ".join(f"{k} {v}" for k, v in versions.items()))
        models = {k: v for k, v in (manifest.get("models") or {}).items() if k != "agents"}
        if models:
            facts.append("models: " + ", ".join(f"{k} {v}" for k, v in models.items()))
        lines.append(f'<p class="meta">{escape(" · ".join(facts))}</p>')
    return f"<header><h1>{escape(title)}</h1>{''.join(lines)}</header>"


def _plots(plots: Mapping[str, bytes], notice: str | None) -> str:
    if not plots:
        return f'<p class="dim">{escape(notice or "no plots")}</p>'
    figures = []
    for name, data in plots.items():
        encoded = base64.b64encode(data).decode()
        caption = PLOTS.get(name, name)
        figures.append(
            f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    return "".join(figures)


def write_html(
    path: Path,
    metrics: StudyMetrics,
    records: Iterable[DialogueRecord],
    *,
    title: str = "Simulator report",
    manifest: Mapping[str, Any] | None = None,
    plots: Mapping[str, bytes] | None = None,
    plots_notice: str | None = None,
    forks: Callable[[], Iterable[DialogueRecord]] | None = None,
) -> Path:
    """Write the report; ``records`` is read once, in order, and each transcript written out.

    ``forks`` gives the run's forks (``simulator replay --fork-at``), read twice: they are
    listed in a section of their own, apart from the study's metrics and filters.
    """
    with path.open("w", encoding="utf-8") as out:
        _write_page(out, metrics, records, title, manifest, plots or {}, plots_notice, forks)
    return path


def _forks_section(forks: Callable[[], Iterable[DialogueRecord]]) -> Iterable[str]:
    """The forks: one row each (linked to its parent), then their transcripts."""
    rows = []
    for fork in forks():
        task = "success" if fork.scores.task.success else "failure"
        change = fork.agent_name + "".join(
            f", {k}: {v} → {fork.persona.get('traits', {}).get(k)}"
            for k, v in (fork.traits_before_fork or {}).items()
        )
        parent = escape(fork.parent or "")
        rows.append(
            f'<tr><td class="l"><a href="#{escape(fork.id)}">{escape(fork.id)}</a></td>'
            f'<td class="l"><a href="#{parent}">{parent}</a></td><td>{fork.fork_turn}</td>'
            f'<td class="l">{escape(change)}</td><td class="l">{escape(fork.end_reason.value)}'
            f"</td><td>{task}</td></tr>"
        )
    yield '<section id="forks"><h2>Forks</h2>'
    if not rows:
        yield '<p class="dim">No forks.</p></section>\n'
        return
    yield (
        "<table><caption>Forks (simulator replay --fork-at)</caption><thead><tr>"
        '<th class="l">fork</th><th class="l">parent</th><th>kept turns</th>'
        '<th class="l">agent, traits</th><th class="l">end</th><th>task</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )
    for fork in forks():
        yield render_dialogue(fork) + "\n"
    yield "</section>\n"


def _write_page(
    out: IO[str],
    metrics: StudyMetrics,
    records: Iterable[DialogueRecord],
    title: str,
    manifest: Mapping[str, Any] | None,
    plots: Mapping[str, bytes],
    plots_notice: str | None,
    forks: Callable[[], Iterable[DialogueRecord]] | None = None,
) -> None:
    csp = (
        f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {script_hash()}"
    )
    out.write(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style></head>\n<body>\n"
    )
    out.write(_header(title, manifest, metrics))
    out.write(
        '<nav><a href="#summary">Summary</a><a href="#plots">Plots</a>'
        '<a href="#breakdowns">Breakdowns</a><a href="#transcripts">Transcripts</a>'
        + ('<a href="#forks">Forks</a>' if forks is not None else "")
        + "</nav>\n"
    )
    out.write('<section id="summary"><h2>Summary</h2>')
    for grid in summary_tables(metrics, family=False):  # it is under Breakdowns
        out.write(html_table(grid))
    out.write('</section>\n<section id="plots"><h2>Plots</h2>')
    out.write(_plots(plots, plots_notice))
    out.write('</section>\n<section id="breakdowns"><h2>Breakdowns</h2>')
    shown = 0
    for dimension in ("family", *(d for d in metrics.dimensions() if d != "family")):
        breakdown = family_table(metrics, dimension)
        if breakdown is not None:
            out.write(html_table(breakdown))
            shown += 1
    if not shown:
        out.write('<p class="dim">Every persona has the same family and traits.</p>')
    end_reasons = sorted({r for g in metrics.groups.values() for r in g.end_reasons})
    out.write(
        '</section>\n<section id="transcripts"><h2>Transcripts</h2><div class="filters">'
        + _select("agent", "agent", metrics.agents)
        + _select("mode", "mode", metrics.modes)
        + _select("persona", "persona", sorted(metrics.personas))
        + _select("outcome", "outcome", _OUTCOMES)
        + _select("end", "end reason", end_reasons)
        + ' <span class="dim"><span id="shown">0</span> shown</span> '
        '<button type="button" id="expand">expand</button> '
        '<button type="button" id="collapse">collapse</button></div>\n'
    )
    for record in records:
        out.write(render_dialogue(record))
        out.write("\n")
    out.write("</section>\n")
    for part in _forks_section(forks) if forks is not None else ():
        out.write(part)
    out.write(f"<script>{JS}</script>\n</body></html>\n")
