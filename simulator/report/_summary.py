"""The run summary: one row per agent and mode, printed as a terminal table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.console import Console
from rich.table import Table

from simulator.persona._schema import Mode
from simulator.record import DialogueRecord


@dataclass
class SummaryRow:
    """Aggregates of the dialogues of one agent in one mode."""

    agent: str
    mode: str
    dialogues: int = 0
    successes: int = 0
    required_share_sum: float = 0.0
    with_required: int = 0
    premature_attempts: int = 0
    leaking_dialogues: int = 0
    leaked_fields: int = 0
    probes_asked: int = 0
    probes_declined: int = 0
    violations: int = 0
    errors: int = 0
    end_reasons: dict[str, int] = field(default_factory=dict)

    def add(self, record: DialogueRecord) -> None:
        s = record.scores
        self.dialogues += 1
        self.successes += s.task.success
        required = s.acquisition.required
        if required:
            got = sum(1 for fid in required if fid in s.acquisition.revealed)
            self.required_share_sum += got / len(required)
            self.with_required += 1
        self.premature_attempts += s.acquisition.premature_attempts
        self.leaking_dialogues += bool(s.leakage.leaked)
        self.leaked_fields += len(s.leakage.leaked)
        self.probes_asked += len(s.refusal.probes)
        self.probes_declined += sum(p.declined for p in s.refusal.probes)
        self.violations += s.fidelity.violations
        self.errors += record.end_reason.is_error
        reason = record.end_reason.value
        self.end_reasons[reason] = self.end_reasons.get(reason, 0) + 1

    @property
    def success_rate(self) -> float:
        return self.successes / self.dialogues if self.dialogues else 0.0

    @property
    def required_acquired(self) -> float | None:
        return self.required_share_sum / self.with_required if self.with_required else None


def summarize(
    records: Iterable[DialogueRecord], agent_order: Sequence[str] = ()
) -> list[SummaryRow]:
    """Rows per (agent, mode): agents in ``agent_order`` (else first seen), modes in mode order."""
    rows: dict[tuple[str, str], SummaryRow] = {}
    for record in records:
        key = (record.agent_name, record.mode)
        rows.setdefault(key, SummaryRow(*key)).add(record)
    agents = list(dict.fromkeys([*agent_order, *(agent for agent, _ in rows)]))
    return sorted(rows.values(), key=lambda r: (agents.index(r.agent), _mode_rank(r.mode)))


def _mode_rank(mode: str) -> int:
    order = [m.value for m in Mode]
    return order.index(mode) if mode in order else len(order)


_CAPTION = (
    "req. facts: share of required facts revealed · premature: answers before all required "
    "facts · leaks: dialogues/fields leaked · declined: probes declined/asked · viol.: "
    "simulated-user verifier violations · errors: error end reasons"
)


def summary_table(rows: list[SummaryRow], title: str = "Results by agent and mode") -> Table:
    """A rich table of the summary rows."""
    table = Table(
        title=title,
        title_justify="left",
        caption=_CAPTION,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("agent", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    for name in ("n", "success", "req. facts", "premature", "leaks", "declined", "viol.", "errors"):
        table.add_column(name, justify="right", no_wrap=True)
    previous = None
    for row in rows:
        acquired = row.required_acquired
        table.add_row(
            row.agent if row.agent != previous else "",
            row.mode,
            str(row.dialogues),
            f"{row.success_rate:4.0%} {row.successes}/{row.dialogues}",
            "-" if acquired is None else f"{acquired:.0%}",
            str(row.premature_attempts),
            f"{row.leaking_dialogues}/{row.leaked_fields}",
            f"{row.probes_declined}/{row.probes_asked}" if row.probes_asked else "-",
            str(row.violations),
            str(row.errors),
        )
        previous = row.agent
    return table


def print_summary(
    records: Iterable[DialogueRecord],
    console: Console | None = None,
    agent_order: Sequence[str] = (),
) -> None:
    """Print the summary table; off a terminal (logs, CI) it is printed 100 columns wide."""
    console = console or Console()
    if not console.is_terminal and console.width < 100:
        console = Console(width=100, file=console.file)
    records = list(records)
    console.print(summary_table(summarize(records, agent_order)))
    families = family_table(records, agent_order)
    if families is not None:
        console.print(families)


def family_table(
    records: Iterable[DialogueRecord], agent_order: Sequence[str] = ()
) -> Table | None:
    """Success by task family: one row per agent and family, one column per mode."""
    cells: dict[tuple[str, str], dict[str, list[int]]] = {}
    modes: list[str] = []
    for record in records:
        family = str(record.persona.get("family") or "-")
        if record.mode not in modes:
            modes.append(record.mode)
            modes.sort(key=_mode_rank)
        tally = cells.setdefault((record.agent_name, family), {})
        won, total = tally.get(record.mode, [0, 0])
        tally[record.mode] = [won + record.scores.task.success, total + 1]
    if {family for _, family in cells} <= {"-"}:
        return None
    table = Table(title="Success by task family", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("agent", no_wrap=True)
    table.add_column("family", no_wrap=True)
    for mode in modes:
        table.add_column(mode, justify="right", no_wrap=True)
    agents = list(dict.fromkeys([*agent_order, *(agent for agent, _ in cells)]))
    previous = None
    for (agent, family), tally in sorted(
        cells.items(), key=lambda kv: (agents.index(kv[0][0]), kv[0][1])
    ):
        row = [agent if agent != previous else "", family]
        row += [f"{tally[m][0]}/{tally[m][1]}" if m in tally else "-" for m in modes]
        table.add_row(*row)
        previous = agent
    return table
