"""The run summary: one row per agent and mode, printed as a terminal table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

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


def summarize(records: Iterable[DialogueRecord]) -> list[SummaryRow]:
    """Rows per (agent, mode), agents and modes in first-seen order."""
    rows: dict[tuple[str, str], SummaryRow] = {}
    for record in records:
        key = (record.agent_name, record.mode)
        rows.setdefault(key, SummaryRow(*key)).add(record)
    return list(rows.values())


def summary_table(rows: list[SummaryRow], title: str = "Results by agent and mode") -> Table:
    """A rich table of the summary rows."""
    table = Table(title=title, title_justify="left")
    for name, justify in [
        ("agent", "left"),
        ("mode", "left"),
        ("dialogues", "right"),
        ("success", "right"),
        ("required facts acquired", "right"),
        ("premature attempts", "right"),
        ("leaks (dialogues/fields)", "right"),
        ("probes declined", "right"),
        ("fidelity violations", "right"),
        ("errors", "right"),
    ]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    previous = None
    for row in rows:
        acquired = row.required_acquired
        table.add_row(
            row.agent if row.agent != previous else "",
            row.mode,
            str(row.dialogues),
            f"{row.success_rate:.0%} ({row.successes}/{row.dialogues})",
            "-" if acquired is None else f"{acquired:.0%}",
            str(row.premature_attempts),
            f"{row.leaking_dialogues}/{row.leaked_fields}",
            f"{row.probes_declined}/{row.probes_asked}" if row.probes_asked else "-",
            str(row.violations),
            str(row.errors),
        )
        previous = row.agent
    return table


def print_summary(records: Iterable[DialogueRecord], console: Console | None = None) -> None:
    (console or Console()).print(summary_table(summarize(records)))
