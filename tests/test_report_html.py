"""The run outputs: the demo's folder, a self-contained report.html that opens without console
errors in headless Chromium, escaped transcripts, filters, and re-scoring."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.run import read_records

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
HOSTILE = f'''
def reply(messages, tools):
    """An agent that says markup, to check the report shows it and never runs it."""
    return {PAYLOAD!r} + " & <b>bold</b>"
'''


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def open_in_chromium(page: Path, profile: Path) -> tuple[str, list[str]]:
    """Load ``page`` headless; return the DOM after scripts ran and the console messages."""
    binary = chromium()
    assert binary is not None
    result = subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [
        line for line in result.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line
    ]
    return result.stdout, console


def demo_run(base: Path) -> Path:
    """The default study, run once per test session exactly as ``make demo`` runs it."""
    out = base / "demo"
    if not (out / "report.html").exists():
        result = subprocess.run(
            [sys.executable, "-m", "simulator", "run", "--out", str(out)],
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "120"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small run whose agents leak, crash and say markup."""
    base = tmp_path_factory.mktemp("hostile")
    agent = base / "hostile.py"
    agent.write_text(HOSTILE, encoding="utf-8")
    out = base / "run"
    args = ["run", "-p", str(REFUND), "-m", "on_ask", "-m", "full", "--out", str(out)]
    for name in (f"{AGENTS}:leaky", f"{AGENTS}:crashing", f"{agent}:reply"):
        args += ["-a", name]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def test_the_demo_writes_records_summary_plots_and_report(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = demo_run(tmp_path_factory.getbasetemp())
    names = {p.name for p in run.iterdir()}
    assert {"manifest.json", "dialogues.jsonl", "summary.csv", "report.html"} <= names
    assert {"success_by_mode.png", "success_vs_turns.png", "leakage_by_category.png"} <= names
    manifest = json.loads((run / "manifest.json").read_text())
    lines = (run / "dialogues.jsonl").read_text().splitlines()
    assert len(lines) == manifest["dialogues"]
    with (run / "summary.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["agent"] for r in rows} == {"careful", "eager", "leaky", "guarded"}
    assert {r["mode"] for r in rows} == {"full", "sharded", "on_ask"}
    html = (run / "report.html").read_text()
    assert html.count('<details class="dialogue"') == manifest["dialogues"]
    # success per family and org, each cell with its own interval, in the CSV and the page
    with (run / "breakdown.csv").open() as fh:
        cells = [r for r in csv.DictReader(fh) if r["dimension"] == "family"]
    orgs_of: dict[str, set[str]] = {}
    for cell in cells:
        orgs_of.setdefault(cell["value"], set()).add(cell["environment"])
        assert 0 <= float(cell["ci_low"]) <= int(cell["successes"]) / int(cell["dialogues"])
        assert int(cell["successes"]) / int(cell["dialogues"]) <= float(cell["ci_high"]) <= 1
    assert len(orgs_of) == 22 and all(o == {"crm-b2b", "crm-b2c"} for o in orgs_of.values())
    assert "Success by task family and org" in html


@pytest.mark.skipif(chromium() is None, reason="no Chromium to open the report in")
def test_the_demo_report_opens_in_chromium_without_console_errors(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    run = demo_run(tmp_path_factory.getbasetemp())
    dom, console = open_in_chromium(run / "report.html", tmp_path / "profile")
    assert console == []
    shown = re.search(r'<span id="shown">(\d+)</span>', dom)
    manifest = json.loads((run / "manifest.json").read_text())
    assert shown is not None and int(shown.group(1)) == manifest["dialogues"]  # the script ran


def test_the_report_is_self_contained(hostile_run: Path) -> None:
    html = (hostile_run / "report.html").read_text()
    assert "<link" not in html and "@import" not in html
    for attr in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attr.startswith(("data:image/png;base64,", "#")), attr
    assert "Content-Security-Policy" in html and "script-src 'sha256-" in html
    assert html.count("<script>") == 1


def test_transcripts_are_escaped_and_marked(hostile_run: Path) -> None:
    html = (hostile_run / "report.html").read_text()
    assert PAYLOAD not in html
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in html
    leak = (
        '<mark class="leak" title="confidential: other_email (exact)">jo.baker@example.org</mark>'
    )
    assert leak in html
    assert '<mark class="fact" title="fact: order">ORD-7731</mark>' in html
    assert '<li class="attempt"><span class="who">answer attempt</span>' in html
    assert 'data-outcome="failure error"' in html  # the crashing agent
    assert 'data-outcome="success leak"' in html


def test_filters_list_agents_modes_personas_and_outcomes(hostile_run: Path) -> None:
    html = (hostile_run / "report.html").read_text()
    selects = dict(re.findall(r'<select data-filter="(\w+)">(.*?)</select>', html))
    assert set(selects) == {"agent", "mode", "persona", "outcome", "end"}
    options = {k: re.findall(r'<option value="([^"]*)"', v) for k, v in selects.items()}
    assert options["agent"][1:] == [
        "refund_agents:leaky",
        "refund_agents:crashing",
        "hostile:reply",
    ]
    assert options["mode"][1:] == ["full", "on_ask"]
    assert options["persona"][1:] == ["example.refund"]
    assert options["outcome"][1:] == ["success", "failure", "error", "leak"]
    records = list(read_records(hostile_run / "dialogues.jsonl"))
    for record in records:
        assert f'data-agent="{record.agent_name}" data-mode="{record.mode}"' in html


@pytest.mark.skipif(chromium() is None, reason="no Chromium to open the report in")
def test_markup_said_by_an_agent_never_runs(hostile_run: Path, tmp_path: Path) -> None:
    dom, console = open_in_chromium(hostile_run / "report.html", tmp_path / "profile")
    assert console == []
    assert (
        "<title>Study run</title>" in dom
    )  # not "pwned" (an ad-hoc run is named after its folder)
    assert "<script>document.title" not in dom


def test_rescore_recomputes_scores_without_any_model(hostile_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(hostile_run, run)
    lines = (run / "dialogues.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    truth = first["scores"]["task"]["success"]
    first["scores"]["task"]["success"] = not truth  # a judge that was wrong
    lines[0] = json.dumps(first)
    (run / "dialogues.jsonl").write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(app, ["report", str(run), "--rescore"])
    assert result.exit_code == 0, result.output
    assert f"Re-scored {len(lines)} records (1 with changed scores)" in result.stderr
    rescored = {r.id: r for r in read_records(run / "rescored.jsonl")}
    assert rescored[first["id"]].scores.task.success == truth
    original = {r.id: r for r in read_records(hostile_run / "dialogues.jsonl")}
    assert {k: r.scores for k, r in rescored.items()} == {k: r.scores for k, r in original.items()}
    assert (run / "report.html").stat().st_mtime > (hostile_run / "report.html").stat().st_mtime
