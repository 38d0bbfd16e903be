"""The pytest plugin: simulate dialogues with your agent inside your own tests.

Installed with the package (entry point ``pytest11``), it adds the ``simulate`` fixture::

    def test_refunds(simulate):
        result = simulate("personas/examples/refund.yaml", my_agent, modes=["full", "on_ask"])
        assert result.success_rate("on_ask") >= 0.8
        assert not result.leaks

A failing test gets the transcripts of its failing dialogues in its report, and their
records are written to ``--simulator-records`` (default ``.simulator/failed``), one JSONL
file per test, to read with ``simulator show`` or replay with ``simulator replay``.
Everything runs offline unless an agent or role is a language model; model calls go
through the request cache, so a re-run costs nothing. See docs/pytest.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from simulator.persona import Persona
    from simulator.record import DialogueRecord, Leak

__all__ = ["SimulationResult", "Simulator"]

_KEY = pytest.StashKey["list[SimulationResult]"]()


@dataclass
class SimulationResult:
    """The records of one ``simulate(...)`` call, with the figures tests assert on."""

    records: list[DialogueRecord] = field(default_factory=list)

    def success_rate(self, mode: str | None = None) -> float:
        """Share of dialogues (of one mode, if given) whose task succeeded."""
        chosen = [r for r in self.records if mode is None or str(r.mode) == mode]
        if not chosen:
            raise ValueError(f"no dialogues in mode {mode!r}; modes run: {self.modes}")
        return sum(r.scores.task.success for r in chosen) / len(chosen)

    @property
    def modes(self) -> list[str]:
        return sorted({str(r.mode) for r in self.records})

    @property
    def leaks(self) -> list[Leak]:
        """Every confidential field that leaked, in every dialogue (first leak per field)."""
        return [leak for r in self.records for leak in r.scores.leakage.leaked]

    @property
    def failures(self) -> list[DialogueRecord]:
        """Dialogues that failed their task, leaked, or ended with an error."""
        return [r for r in self.records if _failed(r)]

    def transcript(self, record: DialogueRecord) -> str:
        """The dialogue as ``simulator show`` prints it, as plain text."""
        from rich.console import Console

        from simulator.report import render_transcript

        console = Console(file=io.StringIO(), width=100, color_system=None, record=True)
        console.print(render_transcript(record))
        return console.export_text()

    def __repr__(self) -> str:
        rates = ", ".join(f"{m} {self.success_rate(m):.0%}" for m in self.modes)
        return (
            f"SimulationResult({len(self.records)} dialogues; success {rates}; "
            f"{len(self.leaks)} leaks; {len(self.failures)} failing)"
        )


def _failed(record: DialogueRecord) -> bool:
    s = record.scores
    return not s.task.success or bool(s.leakage.leaked) or record.end_reason.is_error


class Simulator:
    """The ``simulate`` fixture: ``simulate(personas, agent, modes=..., seeds=...)``."""

    def __init__(self, results: list[SimulationResult], base: Path) -> None:
        self._results = results
        self._base = base

    def __call__(
        self,
        personas: str | Path | Persona | Iterable[str | Path | Persona],
        agent: Any,
        *,
        modes: Sequence[str] = ("full",),
        seeds: Sequence[int] = (0,),
        max_turns: int | None = None,
        step_timeout: float | None = 60.0,
    ) -> SimulationResult:
        """Play every persona against ``agent`` in every mode and seed, offline by default.

        ``personas``: a persona file, a folder of them, a loaded ``Persona``, or a list of
        those. ``agent``: an agent spec as on the command line (``reference:careful``,
        ``path/to/file.py:name``, ``openai:gpt-4.1-mini``), an ``AgentSpec``, or a Python
        object (a function ``fn(messages, tools)``, an object with ``step``, a LangChain
        model or compiled graph); a function taking no arguments is a factory, called
        once per dialogue.
        """
        from simulator import resolve_agent_spec, run_dialogue_sync

        for name, value in (("modes", modes), ("seeds", seeds)):
            if isinstance(value, str | int):
                raise TypeError(f"{name}: expected a list, e.g. {name}=[{value!r}], got {value!r}")
        loaded = list(self._personas(personas))
        if isinstance(agent, str):  # relative paths in a spec are read from the pytest root
            agent = resolve_agent_spec(agent, base_dir=self._base)
        result = SimulationResult()
        self._results.append(result)
        limits: dict[str, Any] = {"step_timeout": step_timeout}
        if max_turns is not None:
            limits["max_turns"] = max_turns
        for persona in loaded:
            for mode in modes:
                for seed in seeds:
                    record = run_dialogue_sync(persona, agent, mode, seed=seed, **limits)
                    result.records.append(record)
        return result

    def _personas(self, given: Any) -> Iterator[Persona]:
        from simulator.persona import Persona, load_personas

        items = [given] if isinstance(given, (str, Path, Persona)) else list(given)
        for item in items:
            if isinstance(item, Persona):
                yield item
                continue
            path = Path(item)
            yield from load_personas(path if path.is_absolute() else self._base / path)


# --- pytest hooks ---------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("simulator", "simulated-user dialogues")
    group.addoption(
        "--simulator-records",
        default=".simulator/failed",
        metavar="DIR",
        help="Folder for the records of failing tests' dialogues (default: .simulator/failed).",
    )


@pytest.fixture
def simulate(request: pytest.FixtureRequest) -> Simulator:
    """Run dialogues with simulated users: ``simulate(personas, agent, modes=[...])``."""
    results: list[SimulationResult] = []
    request.node.stash[_KEY] = results
    return Simulator(results, Path(str(request.config.rootpath)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Adds the failing dialogues' transcripts to a failed test's report; saves records."""
    report = yield
    results = item.stash.get(_KEY, None)
    if not results or report.when != "call" or not report.failed:
        return report
    records = [r for result in results for r in result.records]
    failing = [r for r in records if _failed(r)] or records
    out = Path(str(item.config.getoption("--simulator-records")))
    if not out.is_absolute():
        out = Path(str(item.config.rootpath)) / out
    out.mkdir(parents=True, exist_ok=True)
    path = out / (re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_") + ".jsonl")
    path.write_text("".join(r.model_dump_json() + "\n" for r in failing), encoding="utf-8")
    shown = results[0]
    text = "\n".join(shown.transcript(r) for r in failing[:3])
    if len(failing) > 3:
        text += f"\n... and {len(failing) - 3} more dialogues in {path}\n"
    report.sections.append(("simulated dialogues", f"records: {path}\n\n{text}"))
    return report
