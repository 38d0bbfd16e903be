"""The run summary as terminal tables: success, degradation, acquisition, leakage, families.

Tables are built from ``StudyMetrics`` (counts only), so printing the summary of a run
reads its records once and never holds them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from simulator.record import DialogueRecord
from simulator.run.metrics import Group, StudyMetrics


def pct(value: float, digits: int = 0) -> str:
    """``83%``; ``-`` for an undefined figure."""
    return "-" if math.isnan(value) else f"{value * 100:.{digits}f}%"


def num(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def span(low: float, high: float) -> str:
    """An interval of rates in percent: ``[71, 95]``."""
    if math.isnan(low) or math.isnan(high):
        return "-"
    return f"[{low * 100:.0f}, {high * 100:.0f}]"


def signed_pp(value: float) -> str:
    """A difference of rates in percentage points: ``-42pp``."""
    return "-" if math.isnan(value) else f"{value * 100:+.0f}pp"


@dataclass
class Grid:
    """A table as data (title, columns, rows of text), rendered for the terminal or HTML."""

    title: str
    caption: str | None = None
    columns: list[str] = field(default_factory=list)
    left: int = 2  # the first ``left`` columns are labels; the others are right-aligned
    rows: list[list[str]] = field(default_factory=list)

    def add_column(self, name: str, **_: object) -> None:
        self.columns.append(name)

    def add_row(self, *cells: str) -> None:
        self.rows.append(list(cells))


def _table(title: str, caption: str | None = None) -> Grid:
    return Grid(title, caption)


def rich_table(grid: Grid, *, compact: bool = False) -> Table:
    """The grid as a rich table for the terminal; ``compact`` puts one space, not three,
    between columns and none at the edges."""
    table = Table(
        title=grid.title,
        title_justify="left",
        caption=grid.caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=compact,
        pad_edge=not compact,
    )
    for i, name in enumerate(grid.columns):
        table.add_column(name, justify="left" if i < grid.left else "right", no_wrap=True)
    for row in grid.rows:
        table.add_row(*row)
    return table


def _agent_cells(rows: Sequence[Group]) -> list[str]:
    """The agent's name on its first row only."""
    out, previous = [], None
    for row in rows:
        out.append(row.agent if row.agent != previous else "")
        previous = row.agent
    return out


_SUCCESS_CAPTION = (
    "95% CI: Wilson, widened by a bootstrap over personas · Δ full: change against the same "
    "agent in full, with its paired 95% CI · A90 / U90-10: aptitude and unreliability over "
    "repeats · pass^k: all k repeats of a persona succeed"
)


def success_table(metrics: StudyMetrics) -> Grid:
    """Success rate with its interval, degradation against ``full``, reliability."""
    rows = metrics.rows()
    max_k = max((g.max_k for g in rows), default=0)
    table = _table("Task success by agent and mode", _SUCCESS_CAPTION)
    table.add_column("agent", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    pass_k = f"pass^{max_k}" if max_k else "pass^k"
    for name in ("n", "success", "95% CI", "Δ full", "Δ CI", "A90", "U90-10", pass_k):
        table.add_column(name, justify="right", no_wrap=True)
    for agent, g in zip(_agent_cells(rows), rows, strict=True):
        deg = metrics.degradation(g)
        table.add_row(
            agent,
            g.mode,
            str(g.dialogues),
            f"{pct(g.success_rate)} {g.successes}/{g.dialogues}",
            span(*g.interval(metrics.seed)),
            "" if deg is None else signed_pp(deg.delta),
            "" if deg is None else span(deg.low, deg.high),
            pct(g.aptitude),
            pct(g.unreliability),
            pct(g.pass_k(max_k)) if max_k and g.max_k >= max_k else "-",
        )
    return table


_BEHAVIOUR_CAPTION = (
    "req. facts: share of required facts revealed · asked: revealed facts the agent asked for · "
    "→full: mean user turn when all required facts were known · redund.: questions about facts "
    "already given · premat.: answers before all required facts · leaks: dialogues/fields "
    "leaked · declined: probes declined/asked · "
    "over-ref.: refusals of legitimate requests · viol.: simulated-user verifier violations · "
    "errors: error end reasons"
)


def behaviour_table(metrics: StudyMetrics) -> Grid:
    """Acquisition, leakage, refusal, fidelity and errors per agent and mode."""
    rows = metrics.rows()
    table = _table("Acquisition, leakage and refusal", _BEHAVIOUR_CAPTION)
    table.add_column("agent", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    names = ("req. facts", "asked", "→full", "redund.", "premat.", "leaks", "declined")
    for name in (*names, "over-ref.", "viol.", "errors"):
        table.add_column(name, justify="right", no_wrap=True)
    for agent, g in zip(_agent_cells(rows), rows, strict=True):
        table.add_row(
            agent,
            g.mode,
            pct(g.required_acquired),
            pct(g.asked_share),
            num(g.turns_to_full),
            str(g.redundant_questions),
            str(g.premature_attempts),
            f"{g.leaking_dialogues}/{g.leaked_fields}",
            f"{g.probes_declined}/{g.probes_asked}" if g.probes_asked else "-",
            str(g.over_refusals),
            str(g.violations),
            str(g.errors),
        )
    return table


def leakage_table(metrics: StudyMetrics) -> Grid | None:
    """Dialogues leaking each confidential category, over dialogues exposed to it."""
    categories = metrics.leakage_categories()
    if not categories:
        return None
    rows = metrics.rows()
    exposed = sum(g.exposed_dialogues for g in rows)
    unchecked = sum(g.paraphrase_unchecked for g in rows)
    caption = None
    if unchecked:
        caption = (
            f"value leaks only: paraphrase not checked in {unchecked} of {exposed} dialogues "
            "(no judge model; see docs/studies.md)"
        )
    table = _table("Leakage by confidential category (leaking / exposed dialogues)", caption)
    table.add_column("agent", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    for category in categories:
        table.add_column(category, justify="right", no_wrap=True)
    for agent, g in zip(_agent_cells(rows), rows, strict=True):
        cells = [g.leakage.get(c) for c in categories]
        table.add_row(agent, g.mode, *(f"{c[0]}/{c[1]}" if c else "-" for c in cells))
    return table


_FAMILY_CAPTION = (
    "successes/dialogues [95% interval, %]: the wider of Wilson and a bootstrap over the "
    "cell's personas"
)


def family_table(metrics: StudyMetrics, dimension: str = "family") -> Grid | None:
    """Success by task family and environment (org), with intervals, or by a persona
    trait: one row per agent and value."""
    if dimension == "family":
        return _by_family(metrics)
    found = metrics.breakdown_rows(dimension)
    if {value for _, _, value, _, _ in found} <= {"-"}:
        return None
    modes = metrics.modes
    table = _table(f"Success by {dimension}")
    table.add_column("agent", no_wrap=True)
    table.add_column(dimension, no_wrap=True)
    for mode in modes:
        table.add_column(mode, justify="right", no_wrap=True)
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for agent, mode, value, won, total in found:
        cells.setdefault((agent, value), {})[mode] = f"{won}/{total}"
    previous = None
    for (agent, value), by_mode in cells.items():
        table.add_row(
            agent if agent != previous else "", value, *(by_mode.get(m, "-") for m in modes)
        )
        previous = agent
    return table


def _by_family(metrics: StudyMetrics) -> Grid | None:
    found = metrics.family_rows()
    if len({(c.family, c.environment) for c in found}) < 2:
        return None  # one family in one org says nothing the summary does not
    modes = metrics.modes
    environments = {c.environment for c in found}
    with_env = len(environments) > 1
    table = _table(
        "Success by task family and org" if with_env else "Success by task family",
        _FAMILY_CAPTION,
    )
    table.left = 3 if with_env else 2
    table.add_column("agent", no_wrap=True)
    table.add_column("family", no_wrap=True)
    if with_env:
        table.add_column("org", no_wrap=True)
    for mode in modes:
        table.add_column(mode, justify="right", no_wrap=True)
    cells: dict[tuple[str, str, str], dict[str, str]] = {}
    for c in found:
        cells.setdefault((c.agent, c.family, c.environment), {})[c.mode] = (
            f"{c.successes}/{c.dialogues} {span(c.low, c.high)}"
        )
    previous = None
    for (agent, family, env), by_mode in cells.items():
        label = [family, env.removeprefix("crm-")] if with_env else [family]
        table.add_row(
            agent if agent != previous else "", *label, *(by_mode.get(m, "-") for m in modes)
        )
        previous = agent
    return table


_SCORE_CAPTION = (
    "score: mean task score (graded tasks their partial score, others 1 or 0) · graded: "
    "dialogues with a graded score · forbidden: dialogues where a forbidden call or state "
    "happened · missing: dialogues without a required tool call"
)


def score_table(metrics: StudyMetrics) -> Grid | None:
    """Mean score and tool checks per agent and mode; None when no task has them."""
    if not metrics.has_task_checks:
        return None
    rows = metrics.rows()
    table = _table("Task score and tool checks", _SCORE_CAPTION)
    table.add_column("agent", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    for name in ("n", "score", "graded", "forbidden", "missing"):
        table.add_column(name, justify="right", no_wrap=True)
    for agent, g in zip(_agent_cells(rows), rows, strict=True):
        table.add_row(
            agent,
            g.mode,
            str(g.dialogues),
            num(g.mean_score, 3),
            str(g.graded),
            f"{g.forbidden}/{g.checked_calls}" if g.checked_calls else "-",
            str(g.missing_actions),
        )
    return table


def cost_table(metrics: StudyMetrics) -> Grid | None:
    """Tokens and cost per agent, mode and role; None when no model was called."""
    rows = [g for g in metrics.rows() if g.tokens]
    if not rows:
        return None
    table = _table("Model use")
    table.left = 3
    for name in ("agent", "mode", "role"):
        table.add_column(name)
    for name in ("input tokens", "output tokens", "cost (USD)"):
        table.add_column(name, justify="right", no_wrap=True)
    for g in rows:
        for role, (tin, tout, cost) in sorted(g.tokens.items()):
            table.add_row(g.agent, g.mode, role, f"{int(tin):,}", f"{int(tout):,}", f"{cost:.4f}")
    return table


def summary_tables(metrics: StudyMetrics, *, family: bool = True) -> list[Grid]:
    """Every terminal table that has something to show, in reading order.

    ``family=False`` leaves out success by task family, for a page that shows it with
    the other breakdowns (the HTML report).
    """
    tables = [success_table(metrics), behaviour_table(metrics)]
    by_family = family_table(metrics) if family else None
    extras = (score_table(metrics), leakage_table(metrics), by_family, cost_table(metrics))
    for extra in extras:
        if extra is not None:
            tables.append(extra)
    return tables


def summarize(records: Iterable[DialogueRecord], agent_order: Sequence[str] = ()) -> StudyMetrics:
    """The metrics of ``records`` (read once, never held)."""
    return StudyMetrics(agent_order).extend(records)


def print_summary(
    records: Iterable[DialogueRecord] | StudyMetrics,
    console: Console | None = None,
    agent_order: Sequence[str] = (),
) -> StudyMetrics:
    """Print the summary tables; off a terminal (logs, CI) they are printed 130 columns wide."""
    console = console or Console()
    if not console.is_terminal and console.width < 130:
        console = Console(width=130, file=console.file)
    metrics = records if isinstance(records, StudyMetrics) else summarize(records, agent_order)
    if not metrics.groups:
        console.print("No dialogues to summarize.")
        return metrics
    for grid in summary_tables(metrics):
        for part in fitted(grid, console):
            console.print(part)
    return metrics


def fitted(grid: Grid, console: Console) -> list[RenderableType]:
    """The grid as tables no wider than the console: the whole table when it fits, then
    the whole table with narrower gaps between columns, else its value columns in as
    many parts as it takes, each with the label columns again (a cell cut short would
    hide a figure). The caption goes under the last part."""
    whole = rich_table(grid)
    if _width(whole, console) <= console.width or len(grid.columns) <= grid.left:
        return [whole]
    compact = rich_table(grid, compact=True)
    if _width(compact, console) <= console.width:
        return [compact]
    keys, values = list(range(grid.left)), list(range(grid.left, len(grid.columns)))
    parts: list[list[int]] = [[]]
    for column in values:
        if parts[-1] and _width(_part(grid, keys + parts[-1] + [column]), console) > console.width:
            parts.append([])
        parts[-1].append(column)
    out: list[RenderableType] = []
    for number, part in enumerate(parts, start=1):
        title = grid.title if number == 1 else f"{grid.title} (continued)"
        out += [Text(title, style="table.title"), _part(grid, keys + part)]
    if grid.caption:
        out.append(Text(grid.caption, style="table.caption"))
    return out


def _width(table: Table, console: Console) -> int:
    """The width ``table`` needs to show every cell whole (however narrow the console)."""
    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def _part(grid: Grid, columns: list[int]) -> Table:
    """The grid's ``columns`` alone, without title or caption."""
    part = Grid("", None, left=grid.left)
    part.columns = [grid.columns[i] for i in columns]
    part.rows = [[row[i] for i in columns] for row in grid.rows]
    table = rich_table(part)
    table.title = None
    return table
