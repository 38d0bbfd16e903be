"""Command-line and report details: version, -h, help at 80 columns, titles, diff ids."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from typer.main import get_command

from simulator import __version__
from simulator.cli import app
from simulator.cli._docs import COMMANDS
from simulator.record import DialogueRecord
from simulator.report._html import write_html
from simulator.run.metrics import StudyMetrics

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def cli(*args: str | Path, columns: int = 80) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_version_and_short_help() -> None:
    for flag in ("--version", "-V"):
        shown = cli(flag)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.strip() == f"simulator {__version__}"
    for words in (["-h"], ["run", "-h"], ["persona", "check", "-h"]):
        shown = cli(*words)
        assert shown.returncode == 0, shown.stderr
        assert "Usage:" in shown.stdout and "simulator" in shown.stdout


def test_help_text_and_examples_fit_80_columns() -> None:
    """Rich keeps the docstring's line breaks: a line past the panel width breaks in two."""
    root = get_command(app)
    for words in COMMANDS:
        command = root
        for word in words:
            command = command.commands[word]  # type: ignore[attr-defined]
        for line in (command.help or "").splitlines():
            assert len(line) <= 76, f"simulator {' '.join(words)}: {line!r}"


def test_an_ad_hoc_run_is_named_after_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "refund-check"
    done = cli("run", "-p", PERSONA, "-a", f"{AGENTS}:careful", "-m", "full", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Study default" not in done.stdout + done.stderr
    assert "<title>Study refund-check</title>" in (out / "report.html").read_text()


def _records() -> list[DialogueRecord]:
    records = []
    for path in sorted((ROOT / "dialogues").glob("*.jsonl")):
        records += [
            DialogueRecord.model_validate_json(line) for line in path.read_text().splitlines()
        ]
    return records


def test_the_report_shows_success_by_family_once(tmp_path: Path) -> None:
    records = _records()
    assert len({r.persona.get("family") for r in records}) > 1
    metrics = StudyMetrics().extend(records)
    page = write_html(tmp_path / "report.html", metrics, records).read_text()
    assert page.count("Success by task family") == 1


def test_diff_prints_both_ids_in_full() -> None:
    a = ROOT / "dialogues" / "eager-on-ask-gave-up.jsonl"
    b = ROOT / "dialogues" / "careful-on-ask-answered.jsonl"
    shown = cli("diff", a, b, columns=60)
    assert shown.returncode == 0, shown.stderr
    for path in (a, b):
        record = DialogueRecord.model_validate_json(path.read_text())
        assert record.id in shown.stdout.replace("\n", "")
        assert f": {record.id}" in shown.stdout


def test_the_replay_guide_shows_what_the_fork_command_does(tmp_path: Path) -> None:
    """docs/replay.md walks through a fork of eager by careful: its claims hold, with its
    own patterns, in a run that has a persona of the family in each org (as the demo's)."""
    guide = (ROOT / "docs" / "replay.md").read_text()
    pattern = re.search(r"replay runs/demo -d '([^']+)' \\\n\s+--fork-at 2", guide)
    assert pattern is not None
    crm = ROOT / "personas" / "crm"
    run = tmp_path / "demo"
    made = cli(
        "run",
        "-p",
        crm / "crm.sales_amount.b2b-q2-2025-signed-services-existing-business.yaml",
        "-p",
        crm / "crm.sales_amount.b2c-first-half-of-2025-signed-existing-business.yaml",
        "-a",
        "reference:eager",
        "-m",
        "sharded",
        "--repeats",
        "1",
        "--out",
        run,
        "--no-report",
    )
    assert made.returncode == 0, made.stderr
    fork = cli(
        "replay",
        run,
        "-d",
        pattern[1],
        "--fork-at",
        "2",
        "--agent",
        "reference:careful",
        columns=200,
    )
    assert fork.returncode == 0, fork.stderr
    said = next(line for line in fork.stdout.splitlines() if line.strip().startswith("fork:"))
    claimed = next(line for line in guide.splitlines() if line.startswith("#   fork:"))
    assert said.split("→")[0].strip() == claimed.lstrip("# ").split("→")[0].strip()
    assert f"diff 'runs/demo#{pattern[1]}' runs/demo/forks.jsonl" in guide
    diff = cli("diff", f"{run}#{pattern[1]}", run / "forks.jsonl", columns=200)
    assert diff.returncode == 0, diff.stderr
    asked = "could you tell me whether to include only one product family,"
    assert asked in " ".join(diff.stdout.split())
    assert asked in " ".join(guide.split())


def test_a_wrong_command_line_is_one_line_that_says_where_to_look() -> None:
    """As docs/cli.md says of every error: one line, status 2, no box, no traceback."""
    cases = {
        ("run", "--workers", "abc"): "error: Invalid value for '--workers': expected a whole "
        "number (see: simulator run --help)",
        ("run", "--nope"): "error: No such option: --nope",
        ("persona", "check"): "error: Missing argument 'PATH...'. (see: simulator persona "
        "check --help)",
        ("nosuch",): "error: No such command 'nosuch'. (see: simulator --help)",
    }
    for args, line in cases.items():
        result = cli(*args)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(line), result.stderr
    group = cli("persona")  # a group without a command: its help
    assert group.returncode == 2 and "Usage: simulator persona" in group.stderr + group.stdout
