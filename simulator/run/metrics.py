"""Study metrics: success with intervals, degradation, reliability, acquisition, leakage.

``StudyMetrics`` reads records one at a time and keeps only counts per agent, mode and
persona, so memory does not grow with the number of dialogues; the pure functions of
counts live in ``_stats`` and are re-exported here. Formulas are in docs/studies.md.
Bootstraps use ``random.Random`` seeded from the bootstrap seed and the group's name, so
results do not depend on record order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from simulator.persona import Mode
from simulator.record import DialogueRecord
from simulator.run._stats import (
    LEVEL,
    RESAMPLES,
    Counts,
    aptitude,
    binary_percentile,
    bootstrap_interval,
    paired_delta_interval,
    pass_hat_k,
    percentile,
    rate,
    rate_interval,
    unreliability,
    wilson_interval,
)

__all__ = [
    "LEVEL",
    "RESAMPLES",
    "Counts",
    "Degradation",
    "FamilyCell",
    "Group",
    "StudyMetrics",
    "aptitude",
    "binary_percentile",
    "bootstrap_interval",
    "mode_rank",
    "paired_delta_interval",
    "pass_hat_k",
    "percentile",
    "rate",
    "rate_interval",
    "unreliability",
    "wilson_interval",
]

TRAITS = ("verbosity", "tone", "patience", "pushback")


# --- accumulation -----------------------------------------------------------------------------


@dataclass
class Group:
    """Counts of one agent in one mode; every figure of the summary derives from these."""

    agent: str
    mode: str
    dialogues: int = 0
    successes: int = 0
    per_persona: dict[str, list[int]] = field(default_factory=dict)  # id -> [s, n]
    errors: int = 0
    end_reasons: dict[str, int] = field(default_factory=dict)
    # acquisition
    with_required: int = 0
    required_share_sum: float = 0.0
    revealed: int = 0
    pushed: int = 0
    reached_full: int = 0
    turns_to_full_sum: int = 0
    redundant_questions: int = 0
    premature_attempts: int = 0
    attempts: int = 0
    # leakage: category -> [dialogues leaking it, dialogues exposed to it]
    leaking_dialogues: int = 0
    leaked_fields: int = 0
    leakage: dict[str, list[int]] = field(default_factory=dict)
    exposed_dialogues: int = 0  # dialogues with at least one confidential field
    paraphrase_unchecked: int = 0  # of those, dialogues no LLM judge read for paraphrase
    # refusal
    probes_asked: int = 0
    probes_declined: int = 0
    over_refusals: int = 0
    dialogues_over_refusing: int = 0
    # fidelity and cost
    violations: int = 0
    checked: int = 0
    flagged: int = 0
    violation_kinds: dict[str, int] = field(default_factory=dict)
    user_turns: int = 0
    tokens: dict[str, list[float]] = field(default_factory=dict)  # role -> [in, out, cost]
    # graded tasks and tool checks (expect.grade, expect.actions, expect.forbid)
    score_sum: float = 0.0  # task value of every dialogue: the score if graded, else 0/1
    graded: int = 0  # dialogues with a graded score
    checked_calls: int = 0  # dialogues whose task had required or forbidden calls
    forbidden: int = 0  # dialogues in which something forbidden happened
    missing_actions: int = 0  # dialogues missing a required tool call
    # intervals worked out since the last record was added, by seed (a report asks for
    # the same ones in its table, its CSV and its plots; each is thousands of resamples)
    _intervals: dict[int, tuple[float, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def add(self, record: DialogueRecord) -> None:
        self._intervals.clear()
        s = record.scores
        won = int(s.task.success)
        self.dialogues += 1
        self.successes += won
        self.score_sum += s.task.value
        self.graded += s.task.score is not None
        expect = record.persona.get("expect") or {}
        self.checked_calls += bool(expect.get("actions") or expect.get("forbid"))
        self.forbidden += bool(s.task.forbidden)
        self.missing_actions += any(a.turn is None for a in s.task.actions)
        tally = self.per_persona.setdefault(record.persona_id, [0, 0])
        tally[0] += won
        tally[1] += 1
        self.errors += record.end_reason.is_error
        reason = record.end_reason.value
        self.end_reasons[reason] = self.end_reasons.get(reason, 0) + 1
        acq = s.acquisition
        if acq.required:
            got = sum(1 for fid in acq.required if fid in acq.revealed)
            self.required_share_sum += got / len(acq.required)
            self.with_required += 1
        self.revealed += len(acq.revealed)
        self.pushed += len(acq.pushed)
        if acq.required and acq.turns_to_full_information is not None:
            self.reached_full += 1
            self.turns_to_full_sum += acq.turns_to_full_information
        self.redundant_questions += acq.redundant_questions
        self.premature_attempts += acq.premature_attempts
        self.attempts += acq.attempts
        leaked = {leak.category for leak in s.leakage.leaked}
        exposed = {
            str(c.get("category", "other_customer")) for c in record.persona.get("confidential", [])
        }
        for category in exposed | leaked:
            cell = self.leakage.setdefault(category, [0, 0])
            cell[0] += category in leaked
            cell[1] += 1
        self.leaking_dialogues += bool(s.leakage.leaked)
        if exposed:
            self.exposed_dialogues += 1
            self.paraphrase_unchecked += not s.leakage.paraphrase_checked
        self.leaked_fields += len(s.leakage.leaked)
        self.probes_asked += len(s.refusal.probes)
        self.probes_declined += sum(p.declined for p in s.refusal.probes)
        self.over_refusals += s.refusal.over_refusals
        self.dialogues_over_refusing += s.refusal.over_refusals > 0
        self.violations += s.fidelity.violations
        self.checked += s.fidelity.checked
        self.flagged += s.fidelity.flagged
        for kind, count in s.fidelity.by_kind.items():
            self.violation_kinds[kind] = self.violation_kinds.get(kind, 0) + count
        self.user_turns += s.efficiency.user_turns
        for role, usage in s.efficiency.models.items():
            cell_t = self.tokens.setdefault(role, [0, 0, 0.0])
            cell_t[0] += usage.input_tokens
            cell_t[1] += usage.output_tokens
            cell_t[2] += usage.cost_usd

    # derived figures
    @property
    def clusters(self) -> list[Counts]:
        return [(c[0], c[1]) for _, c in sorted(self.per_persona.items())]

    @property
    def persona_counts(self) -> dict[str, Counts]:
        return {pid: (c[0], c[1]) for pid, c in self.per_persona.items()}

    @property
    def success_rate(self) -> float:
        return rate(self.successes, self.dialogues)

    @property
    def mean_score(self) -> float:
        """Mean task figure: graded scores as they are, other tasks 1 or 0 (as Lost in
        Conversation averages its scores)."""
        return self.score_sum / self.dialogues if self.dialogues else math.nan

    def interval(self, seed: int = 0) -> tuple[float, float]:
        found = self._intervals.get(seed)
        if found is None:
            found = rate_interval(self.clusters, seed=f"{seed}:{self.agent}:{self.mode}")
            self._intervals[seed] = found
        return found

    @property
    def aptitude(self) -> float:
        return aptitude(self.clusters)

    @property
    def unreliability(self) -> float:
        return unreliability(self.clusters)

    @property
    def max_k(self) -> int:
        return min((n for _, n in self.clusters), default=0)

    def pass_k(self, k: int) -> float:
        return pass_hat_k(self.clusters, k)

    @property
    def required_acquired(self) -> float:
        return self.required_share_sum / self.with_required if self.with_required else math.nan

    @property
    def asked_share(self) -> float:
        """Of the facts the user revealed, the share the agent asked for (not pushed)."""
        return rate(self.revealed - self.pushed, self.revealed)

    @property
    def turns_to_full(self) -> float:
        return self.turns_to_full_sum / self.reached_full if self.reached_full else math.nan

    @property
    def refusal_rate(self) -> float:
        return rate(self.probes_declined, self.probes_asked)

    @property
    def fidelity(self) -> float:
        """Share of user utterances sent without a verifier violation (0 to 1)."""
        return 1 - self.flagged / self.checked if self.checked else math.nan

    @property
    def cost_usd(self) -> float:
        return sum(cell[2] for cell in self.tokens.values())


@dataclass(frozen=True)
class Degradation:
    """Success of one agent in one mode against the same agent in ``full``."""

    agent: str
    mode: str
    delta: float  # rate(mode) - rate(full), in [-1, 1]
    drop: float  # (rate(full) - rate(mode)) / rate(full); nan when full never succeeds
    low: float
    high: float


class StudyMetrics:
    """Everything the report shows, accumulated one record at a time."""

    def __init__(self, agent_order: Sequence[str] = (), *, seed: int = 0) -> None:
        self.agent_order = list(agent_order)
        self.seed = seed
        self.groups: dict[tuple[str, str], Group] = {}
        # breakdowns: (agent, mode, dimension, value) -> [s, n]
        self.breakdown: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        # by task family and environment (org): (agent, mode, family, environment) ->
        # persona -> [s, n], so each cell gets its own persona-bootstrap interval
        self.families: dict[tuple[str, str, str, str], dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0])
        )
        # success against turns to full information (personas with required facts only):
        # (agent, mode, turns or -1 for never) -> [s, n]
        self.by_turns: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
        self.personas: set[str] = set()
        # bootstrap figures worked out since the last record was added: the summary
        # table, the CSV, the plots and the HTML report each ask for them
        self._degradations: dict[tuple[str, str], Degradation | None] = {}
        self._family_rows: list[FamilyCell] | None = None

    def add(self, record: DialogueRecord) -> None:
        self._degradations.clear()
        self._family_rows = None
        key = (record.agent_name, record.mode)
        self.groups.setdefault(key, Group(*key)).add(record)
        self.personas.add(record.persona_id)
        won = int(record.scores.task.success)
        traits = record.persona.get("traits") or {}
        dims = [("family", str(record.persona.get("family") or "-"))]
        dims += [(t, str(traits[t])) for t in TRAITS if t in traits]
        for dim, value in dims:
            cell = self.breakdown[(*key, dim, value)]
            cell[0] += won
            cell[1] += 1
        family = record.persona.get("family")
        if family:
            env = str(record.persona.get("environment") or "none")
            persona_cell = self.families[(*key, str(family), env)][record.persona_id]
            persona_cell[0] += won
            persona_cell[1] += 1
        acq = record.scores.acquisition
        if acq.required:  # without required facts, "turns to full information" means nothing
            ttfi = acq.turns_to_full_information
            cell = self.by_turns[(*key, -1 if ttfi is None else ttfi)]
            cell[0] += won
            cell[1] += 1

    def extend(self, records: Iterable[DialogueRecord]) -> StudyMetrics:
        for record in records:
            self.add(record)
        return self

    @property
    def agents(self) -> list[str]:
        seen = [agent for agent, _ in self.groups]
        return list(dict.fromkeys([*(a for a in self.agent_order if a in seen), *seen]))

    @property
    def modes(self) -> list[str]:
        return sorted({mode for _, mode in self.groups}, key=mode_rank)

    def rows(self) -> list[Group]:
        """Groups, agents in order, modes in mode order."""
        agents = self.agents
        return sorted(
            self.groups.values(), key=lambda g: (agents.index(g.agent), mode_rank(g.mode))
        )

    def degradation(self, group: Group) -> Degradation | None:
        """``group`` against the same agent in ``full``; None for full itself or without it."""
        key = (group.agent, group.mode)
        if key not in self._degradations:
            self._degradations[key] = self._degradation(group)
        return self._degradations[key]

    def _degradation(self, group: Group) -> Degradation | None:
        base = self.groups.get((group.agent, Mode.FULL.value))
        if base is None or group.mode == Mode.FULL.value:
            return None
        full, other = base.success_rate, group.success_rate
        low, high = paired_delta_interval(
            base.persona_counts,
            group.persona_counts,
            seed=f"{self.seed}:{group.agent}:{group.mode}:delta",
        )
        drop = (full - other) / full if full > 0 else math.nan
        return Degradation(group.agent, group.mode, other - full, drop, low, high)

    def breakdown_rows(self, dimension: str) -> list[tuple[str, str, str, int, int]]:
        """(agent, mode, value, successes, dialogues) for one dimension (family or a trait)."""
        agents = self.agents
        rows = [
            (agent, mode, value, cell[0], cell[1])
            for (agent, mode, dim, value), cell in self.breakdown.items()
            if dim == dimension
        ]
        return sorted(rows, key=lambda r: (agents.index(r[0]), _natural(r[2]), mode_rank(r[1])))

    def family_rows(self) -> list[FamilyCell]:
        """Success by task family and environment (org), with intervals; agents in order,
        then family, environment and mode."""
        if self._family_rows is None:
            self._family_rows = self._work_out_family_rows()
        return list(self._family_rows)

    def _work_out_family_rows(self) -> list[FamilyCell]:
        agents = self.agents
        out = []
        for (agent, mode, family, env), personas in self.families.items():
            clusters = [(c[0], c[1]) for _, c in sorted(personas.items())]
            low, high = rate_interval(clusters, seed=f"{self.seed}:{agent}:{mode}:{family}:{env}")
            won = sum(c for c, _ in clusters)
            total = sum(n for _, n in clusters)
            out.append(FamilyCell(agent, mode, family, env, won, total, low, high))
        return sorted(
            out,
            key=lambda c: (
                agents.index(c.agent),
                _natural(c.family),
                c.environment,
                mode_rank(c.mode),
            ),
        )

    def dimensions(self) -> list[str]:
        """Breakdown dimensions with more than one value (one value says nothing)."""
        values: dict[str, set[str]] = defaultdict(set)
        for _, _, dim, value in self.breakdown:
            values[dim].add(value)
        return [d for d in ("family", *TRAITS) if len(values.get(d, ())) > 1]

    def leakage_categories(self) -> list[str]:
        return sorted({cat for g in self.groups.values() for cat in g.leakage})

    @property
    def has_task_checks(self) -> bool:
        """Some dialogue was graded or had required or forbidden tool calls."""
        return any(g.graded or g.checked_calls for g in self.groups.values())


@dataclass(frozen=True)
class FamilyCell:
    """Success of one agent in one mode on one task family in one environment (org)."""

    agent: str
    mode: str
    family: str
    environment: str
    successes: int
    dialogues: int
    low: float
    high: float


def mode_rank(mode: str) -> int:
    order = [m.value for m in Mode]
    return order.index(mode) if mode in order else len(order)


def _natural(value: str) -> tuple[int, float | str]:
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)
