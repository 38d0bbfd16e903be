"""PNG plots of a run (matplotlib, Agg backend): success by mode, success against turns to
full information, leakage by category.

matplotlib is the optional ``report`` extra; without it, ``write_plots`` returns nothing
and ``plots_unavailable`` says why, so runs still finish with tables, CSV and HTML.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from simulator.run.metrics import StudyMetrics

PLOTS = {
    "success_by_mode.png": "Success by mode per agent, with 95% bootstrap intervals",
    "success_vs_turns.png": "Success against the turn in which all required facts were known",
    "leakage_by_category.png": "Dialogues leaking each confidential category",
}


def plots_unavailable() -> str | None:
    """Why plots cannot be drawn (matplotlib missing), or None."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return "plots skipped: matplotlib is not installed (pip install 'simulator[report]')"
    return None


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    # no Software tag: the bytes do not depend on the matplotlib version
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return buffer.getvalue()


def _outside_legend(ax: Any, title: str) -> None:
    """The legend to the right of the axes, where it never hides a bar or a point."""
    ax.legend(title=title, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _agent_ticks(ax: Any, agents: list[str]) -> None:
    """Agent names under their bars, slanted when long so that they never overlap."""
    slanted = max((len(a) for a in agents), default=0) > 10
    ax.set_xticks(range(len(agents)), agents, rotation=20 if slanted else 0)
    if slanted:
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")


def success_by_mode(metrics: StudyMetrics) -> bytes:
    plt = _pyplot()
    agents, modes = metrics.agents, metrics.modes
    fig, ax = plt.subplots(figsize=(2.5 + 0.45 * len(agents) * max(2, len(modes)), 3.6))
    width = 0.8 / max(1, len(modes))
    for i, mode in enumerate(modes):
        xs, ys, lows, highs = [], [], [], []
        for j, agent in enumerate(agents):
            group = metrics.groups.get((agent, mode))
            if group is None:
                continue
            rate = group.success_rate
            low, high = group.interval(metrics.seed)
            xs.append(j + (i - (len(modes) - 1) / 2) * width)
            ys.append(rate * 100)
            lows.append(0 if math.isnan(low) else (rate - low) * 100)
            highs.append(0 if math.isnan(high) else (high - rate) * 100)
        ax.bar(xs, ys, width, label=mode, yerr=[lows, highs], capsize=3)
    _agent_ticks(ax, agents)
    ax.set_ylabel("task success (%)")
    ax.set_ylim(0, 105)
    _outside_legend(ax, "mode")
    ax.set_title("Success by mode", fontsize=10)
    return _png(fig)


def success_vs_turns(metrics: StudyMetrics) -> bytes:
    plt = _pyplot()
    by_agent: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (agent, _mode, turns), (won, total) in metrics.by_turns.items():
        cell = by_agent[agent][turns]
        cell[0] += won
        cell[1] += total
    turns_seen = sorted({t for cells in by_agent.values() for t in cells})
    position = {t: i for i, t in enumerate(turns_seen)}
    fig, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(turns_seen) + 2), 3.6))
    agents = metrics.agents
    for i, agent in enumerate(agents):
        points = sorted(by_agent.get(agent, {}).items())
        shift = (i - (len(agents) - 1) / 2) * 0.08  # agents with equal figures stay visible
        xs = [position[t] + shift for t, _ in points]
        ys = [won / total * 100 for _, (won, total) in points]
        sizes = [12 + 4 * total for _, (_, total) in points]
        (line,) = ax.plot(xs, ys, alpha=0.4)
        ax.scatter(xs, ys, s=sizes, label=agent, color=line.get_color())
    labels = ["never" if t < 0 else str(t) for t in turns_seen]
    ax.set_xticks(range(len(turns_seen)), labels)
    ax.set_xlabel("user turn in which all required facts were known (marker size: dialogues)")
    ax.set_ylabel("task success (%)")
    ax.set_ylim(-5, 105)
    _outside_legend(ax, "agent")
    ax.set_title("Success against turns to full information", fontsize=10)
    return _png(fig)


def leakage_by_category(metrics: StudyMetrics) -> bytes:
    plt = _pyplot()
    categories = metrics.leakage_categories() or ["(none declared)"]
    agents = metrics.agents
    fig, ax = plt.subplots(figsize=(max(4.0, 1.5 * len(categories) + 2), 3.6))
    width = 0.8 / max(1, len(agents))
    for i, agent in enumerate(agents):
        ys = []
        for category in categories:
            leaked = exposed = 0
            for (a, _), group in metrics.groups.items():
                if a == agent and category in group.leakage:
                    leaked += group.leakage[category][0]
                    exposed += group.leakage[category][1]
            ys.append(leaked / exposed * 100 if exposed else 0.0)
        xs = [j + (i - (len(agents) - 1) / 2) * width for j in range(len(categories))]
        ax.bar(xs, ys, width, label=agent)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylabel("dialogues leaking (%) of those exposed")
    ax.set_ylim(0, 105)
    _outside_legend(ax, "agent")
    ax.set_title("Leakage by confidential category (all modes)", fontsize=10)
    return _png(fig)


def render_plots(metrics: StudyMetrics) -> dict[str, bytes]:
    """File name → PNG bytes; empty when matplotlib is missing or there is nothing to plot."""
    if plots_unavailable() is not None or not metrics.groups:
        return {}
    return {
        "success_by_mode.png": success_by_mode(metrics),
        "success_vs_turns.png": success_vs_turns(metrics),
        "leakage_by_category.png": leakage_by_category(metrics),
    }


def write_plots(plots: dict[str, bytes], out_dir: Path) -> list[Path]:
    paths = []
    for name, data in plots.items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
