"""``summary.csv`` (one row per agent and mode) and ``breakdown.csv`` (by family and trait).

Full precision, one figure per column, empty cells for undefined figures: for
spreadsheets and notebooks. Column meanings are in docs/studies.md.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from simulator.run.metrics import StudyMetrics

SUMMARY_FILE = "summary.csv"
BREAKDOWN_FILE = "breakdown.csv"


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else round(value, 6)
    return value


def summary_rows(metrics: StudyMetrics) -> list[dict[str, Any]]:
    """The rows of summary.csv as dicts (column name → value)."""
    rows = metrics.rows()
    max_k = max((g.max_k for g in rows), default=0)
    categories = metrics.leakage_categories()
    roles = sorted({role for g in rows for role in g.tokens})
    out = []
    for g in rows:
        low, high = g.interval(metrics.seed)
        deg = metrics.degradation(g)
        row: dict[str, Any] = {
            "agent": g.agent,
            "mode": g.mode,
            "dialogues": g.dialogues,
            "successes": g.successes,
            "success_rate": g.success_rate,
            "ci_low": low,
            "ci_high": high,
            "delta_vs_full": deg.delta if deg else math.nan,
            "delta_ci_low": deg.low if deg else math.nan,
            "delta_ci_high": deg.high if deg else math.nan,
            "relative_drop_vs_full": deg.drop if deg else math.nan,
            "aptitude_a90": g.aptitude,
            "unreliability_u90_10": g.unreliability,
        }
        for k in range(1, max_k + 1):
            row[f"pass^{k}"] = g.pass_k(k)
        if metrics.has_task_checks:
            row |= {
                "mean_score": g.mean_score,
                "graded": g.graded,
                "forbidden_dialogues": g.forbidden,
                "missing_action_dialogues": g.missing_actions,
            }
        row |= {
            "required_facts_acquired": g.required_acquired,
            "asked_share": g.asked_share,
            "turns_to_full_information": g.turns_to_full,
            "reached_full_information": g.reached_full,
            "redundant_questions": g.redundant_questions,
            "premature_attempts": g.premature_attempts,
            "answer_attempts": g.attempts,
            "leaking_dialogues": g.leaking_dialogues,
            "leaked_fields": g.leaked_fields,
        }
        for category in categories:
            leaked, exposed = g.leakage.get(category, [0, 0])
            row[f"leak_rate[{category}]"] = leaked / exposed if exposed else math.nan
        row |= {
            "probes_asked": g.probes_asked,
            "probes_declined": g.probes_declined,
            "probe_refusal_rate": g.refusal_rate,
            "over_refusals": g.over_refusals,
            "dialogues_over_refusing": g.dialogues_over_refusing,
            "fidelity": g.fidelity,
            "verifier_violations": g.violations,
            "utterances_flagged": g.flagged,
        }
        for kind in ("withheld", "omitted", "probe", "empty"):
            row[f"violations[{kind}]"] = g.violation_kinds.get(kind, 0)
        row |= {
            "user_turns": g.user_turns,
            "errors": g.errors,
        }
        for role in roles:
            tin, tout, cost = g.tokens.get(role, [0, 0, 0.0])
            row |= {f"{role}_input_tokens": int(tin), f"{role}_output_tokens": int(tout)}
            row[f"{role}_cost_usd"] = cost
        row["cost_usd"] = g.cost_usd
        out.append(row)
    return out


def write_csv(metrics: StudyMetrics, out_dir: Path) -> list[Path]:
    """Write summary.csv and breakdown.csv into ``out_dir``; return their paths."""
    rows = summary_rows(metrics)
    summary = out_dir / SUMMARY_FILE
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with summary.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    breakdown = out_dir / BREAKDOWN_FILE
    with breakdown.open("w", encoding="utf-8", newline="") as fh:
        writer_b = csv.writer(fh)
        writer_b.writerow(
            [
                "agent",
                "mode",
                "dimension",
                "value",
                "environment",
                "successes",
                "dialogues",
                "ci_low",
                "ci_high",
            ]
        )
        for c in metrics.family_rows():
            writer_b.writerow(
                [
                    c.agent,
                    c.mode,
                    "family",
                    c.family,
                    c.environment,
                    c.successes,
                    c.dialogues,
                    _cell(c.low),
                    _cell(c.high),
                ]
            )
        for dimension in metrics.dimensions():
            if dimension == "family":
                continue
            for agent, mode, value, won, total in metrics.breakdown_rows(dimension):
                writer_b.writerow([agent, mode, dimension, value, "", won, total, "", ""])
    return [summary, breakdown]
