"""The pytest plugin, as a user's test file would use it (run with pytest's pytester)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

USER_TESTS = f'''
from pathlib import Path

PERSONA = Path(r"{ROOT}") / "personas" / "examples" / "refund.yaml"
AGENTS = Path(r"{ROOT}") / "tests" / "fixtures" / "refund_agents.py"


def test_careful_passes(simulate):
    result = simulate(PERSONA, f"{{AGENTS}}:careful", modes=["full", "on_ask"])
    assert result.success_rate("on_ask") >= 0.8
    assert result.success_rate() == 1.0
    assert not result.leaks


def test_a_plain_function_is_an_agent(simulate):
    def agent(messages, tools):
        return "Your refund comes to $12.99."

    result = simulate(PERSONA, agent, modes=["full"], seeds=[0, 1])
    assert len(result.records) == 2
    assert result.success_rate("full") == 1.0


def test_leaky_fails(simulate):
    result = simulate(PERSONA, f"{{AGENTS}}:leaky", modes=["full"])
    assert not result.leaks
'''


def test_the_plugin_is_installed_with_the_package() -> None:
    names = {e.name: e.value for e in entry_points(group="pytest11")}
    assert names.get("simulator") == "simulator.pytest_plugin"


def test_a_users_tests_pass_and_fail_with_the_transcript_in_the_report(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_agent=USER_TESTS)
    records = tmp_path / "failed"
    result = pytester.runpytest_subprocess(
        "--simulator-records", str(records), "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2, failed=1)
    output = result.stdout.str()
    # the failing test's report carries its dialogue, with the leak marked
    assert "simulated dialogues" in output
    assert "test_leaky_fails" in output
    assert "jo.baker@example.org" in output and "LEAK" in output.upper()
    assert "AGENT:" in output and "USER 1:" in output
    # and its records are written for replay; passing tests write nothing
    written = sorted(p.name for p in records.iterdir())
    assert written == ["test_agent.py_test_leaky_fails.jsonl"]
    lines = (records / written[0]).read_text().splitlines()
    assert len(lines) == 1 and '"example.refund~refund_agents:leaky~full~s0"' in lines[0]


def test_simulate_cannot_run_inside_an_event_loop(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_async=f'''
import asyncio
from pathlib import Path

PERSONA = Path(r"{ROOT}") / "personas" / "examples" / "refund.yaml"


def test_inside_a_loop(simulate):
    async def main():
        simulate(PERSONA, lambda messages, tools: "hi")

    asyncio.run(main())
'''
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert "await simulator.run_dialogue" in result.stdout.str()


def test_the_documented_example_passes(pytester: pytest.Pytester) -> None:
    example = (ROOT / "examples" / "test_refund_agent.py").read_text()
    example = example.replace(
        "ROOT = Path(__file__).resolve().parents[1]", f'ROOT = Path(r"{ROOT}")'
    )
    pytester.makepyfile(test_refund_agent=example)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_simulate_takes_lists_of_modes_and_seeds() -> None:
    from simulator.pytest_plugin import Simulator

    simulate = Simulator([], ROOT)
    persona = ROOT / "personas" / "examples" / "refund.yaml"
    with pytest.raises(TypeError, match=r"modes: expected a list, e.g. modes=\['on_ask'\]"):
        simulate(persona, "tests/fixtures/refund_agents.py:careful", modes="on_ask")
    with pytest.raises(TypeError, match=r"seeds: expected a list, e.g. seeds=\[3\], got 3"):
        simulate(persona, "tests/fixtures/refund_agents.py:careful", seeds=3)  # type: ignore[arg-type]


def test_a_failing_tests_record_replays_from_the_project_root(pytester: pytest.Pytester) -> None:
    """pytest imports tests/test_x.py as module ``test_x``, which does not import from the
    project root: the record names the agent by its file, so the documented replay works."""
    tests = pytester.mkdir("tests")
    (tests / "test_sub_leak.py").write_text(
        f"""
import sys
sys.path.insert(0, r"{ROOT / "tests" / "fixtures"}")
from refund_agents import leaky as fixture

PERSONA = r"{ROOT / "personas" / "examples" / "refund.yaml"}"


def leaky(messages, tools):
    return fixture(messages, tools)


def test_leaks(simulate):
    assert not simulate(PERSONA, leaky, modes=["full"]).leaks
""",
        encoding="utf-8",
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "tests")
    result.assert_outcomes(failed=1)
    (saved,) = (pytester.path / ".simulator" / "failed").iterdir()
    record = json.loads(saved.read_text(encoding="utf-8").splitlines()[0])
    assert record["agent"]["target"] == "tests/test_sub_leak.py:leaky"
    replayed = subprocess.run(
        [sys.executable, "-m", "simulator", "replay", str(saved)],
        cwd=pytester.path,
        capture_output=True,
        text=True,
    )
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.startswith("identical")
