"""An agent that crashes: its record says where in its code the error rose, and the run
says, after its tables, how many dialogues ended in an error and which to look at."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.agent import resolve_agent_spec
from simulator.errors import AgentSpecError, raised_at
from simulator.persona import Mode, load_persona
from simulator.record import EndReason, ErrorEvent
from simulator.run import run_dialogue

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENT = """\
import json


def helper(x):
    return json.loads("{not json")


def reply(messages, tools=None):
    return helper(messages)
"""


def test_the_error_event_names_the_line_of_the_agents_own_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_agent.py").write_text(AGENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    spec = resolve_agent_spec("broken_agent.py:reply")
    record = asyncio.run(run_dialogue(load_persona(REFUND), spec, Mode.FULL))
    assert record.end_reason == EndReason.AGENT_ERROR
    (error,) = [e for e in record.events if isinstance(e, ErrorEvent)]
    # the json module raised it; the line that called it is the agent's
    assert error.raised_at == "broken_agent.py:5 in helper"
    assert error.error_type == "JSONDecodeError"


def test_an_error_that_rose_inside_the_package_alone_has_no_place() -> None:
    with pytest.raises(AgentSpecError) as caught:
        resolve_agent_spec("reference:nobody")
    error = caught.value
    assert raised_at(error) == (
        f"tests/test_agent_errors.py:{error.__traceback__.tb_lineno} in "  # type: ignore[union-attr]
        "test_an_error_that_rose_inside_the_package_alone_has_no_place"
    )  # this test's own line is the only frame outside the package
    inside = error.with_traceback(error.__traceback__.tb_next)  # type: ignore[union-attr]
    assert raised_at(inside) is None


def test_a_run_whose_dialogues_end_in_errors_says_so_after_its_tables(tmp_path: Path) -> None:
    (tmp_path / "broken_agent.py").write_text(AGENT, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "-p", str(REFUND), "-a",
         "broken_agent.py:reply", "-m", "full", "--out", "run", "--no-report"],
        capture_output=True, text=True, cwd=tmp_path,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "2 dialogues = 1 persona × 1 agent × 1 mode × 2 seeds" in run.stderr
    first = "example.refund~broken_agent:reply~full~s0"
    assert (
        f"warning: 2 of the 2 dialogues run ended in an error (agent_error 2). The first, "
        f"{first}: JSONDecodeError: Expecting property name enclosed in double quotes: "
        f"line 1 column 2 (char 1) (at broken_agent.py:5 in helper)"
    ) in run.stderr
    assert f"see it with: simulator show run -d '{first}'" in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "-p", str(REFUND), "-a",
         f"{ROOT}/tests/fixtures/refund_agents.py:careful", "-m", "full", "--out", "ok",
         "--no-report"],
        capture_output=True, text=True, cwd=tmp_path,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "warning" not in ok.stderr
