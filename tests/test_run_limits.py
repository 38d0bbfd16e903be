"""Limits that keep a run going whatever the agent does (issue 14, items 7 to 9).

7. An agent reply is cut at ``max_message_chars`` where it enters the dialogue, before
   the user's classifier or the judge reads it, and ends the dialogue (``agent_oversized``).
8. The CRM's ``sql_query`` refuses values and results too large to hold, as a tool error.
9. The same fork made twice gets two ids; the report lists the forks.

Only public entry points (the command line, ``run_dialogue``, the CRM environment) are used,
so each test fails on its own on the code before these limits existed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import simulator
from simulator.agent import AgentReply, ToolCall, ToolSpec, resolve_agent_spec
from simulator.cli import app
from simulator.env._protocol import ToolError
from simulator.env.crm import CRMEnvironment
from simulator.persona import Mode, load_persona, load_personas
from simulator.record import AgentMessageEvent, DialogueRecord, ToolResultEvent
from simulator.run import read_records, run_dialogue

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
NO_RECORD_AFTER = 120  # seconds: far above what the run takes; a stalled run fails, not hangs
CODE = Path(simulator.__file__).resolve().parents[1]  # the command runs the code under test


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "simulator", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=CODE,
            env={**os.environ, "COLUMNS": "100"},
            timeout=NO_RECORD_AFTER,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"simulator {args[0]} did not finish within {NO_RECORD_AFTER} s")


# --- 7. an oversized agent reply ---------------------------------------------------------------


def _the_reply() -> str:
    """What ``refund_agents.py:oversized`` says: about 10 MB of order lines."""
    sys.path.insert(0, str(AGENTS.parent))
    try:
        import refund_agents  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(AGENTS.parent))
    text: str = refund_agents.oversized([], [])
    return text


def test_a_10_mb_reply_is_cut_and_ends_the_run_with_agent_oversized(tmp_path: Path) -> None:
    reply = _the_reply()
    assert len(reply) > 10_000_000
    out = tmp_path / "run"
    ran = cli(
        "run",
        "-p",
        REFUND,
        "-a",
        f"{AGENTS}:oversized",
        "-m",
        "on_ask",
        "--repeats",
        "1",
        "--out",
        out,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    (record,) = read_records(out / "dialogues.jsonl")
    assert record.end_reason == "agent_oversized" and record.end_reason.is_error
    assert record.max_message_chars == 65_536
    assert record.error == (
        f"the reply had {len(reply):,} characters (text and tool calls), over the limit of "
        "65,536: its first 65,536 were kept"
    )
    (message,) = [e for e in record.events if isinstance(e, AgentMessageEvent)]
    assert message.truncated_from == len(reply)
    assert message.content == reply[:65_536]
    assert record.messages[-1] == {"role": "assistant", "content": reply[:65_536]}
    assert [e.type for e in record.events] == ["user_turn", "agent_message", "end"]
    # the judge read what was kept: the e-mail said in words is a leak
    assert [leak.field for leak in record.scores.leakage.leaked] == ["other_email"]
    assert (out / "report.html").stat().st_size < 2_000_000
    shown = cli("show", out)
    assert shown.returncode == 0, shown.stderr
    assert f"reply TRUNCATED: {len(reply):,} characters, over the limit of 65,536" in shown.stdout
    assert "END: agent_oversized" in shown.stdout


class _Scripted:
    """An agent saying the given replies, one per step."""

    def __init__(self, *replies: AgentReply) -> None:
        self.replies = list(replies)

    async def step(self, messages: Sequence[Any], tools: Sequence[ToolSpec]) -> AgentReply:
        return self.replies.pop(0) if self.replies else AgentReply(content="Which order?")


def _refund(agent: _Scripted, **limits: Any) -> DialogueRecord:
    spec = resolve_agent_spec(f"{AGENTS}:careful")
    return asyncio.run(
        run_dialogue(load_persona(REFUND), spec, "on_ask", agent_instance=agent, **limits)
    )


def test_max_message_chars_counts_text_and_tool_calls_and_keeps_what_fits() -> None:
    fits = AgentReply(content="x" * 100)
    record = _refund(_Scripted(fits), max_message_chars=100, max_turns=2)
    assert record.end_reason == "max_turns"  # exactly at the limit: kept whole, goes on
    first = next(e for e in record.events if isinstance(e, AgentMessageEvent))
    assert first.truncated_from is None and first.content == "x" * 100

    small = ToolCall(id="a", name="submit_answer", arguments={"answer": "12.99"})
    big = ToolCall(id="b", name="submit_answer", arguments={"answer": "9" * 500})
    over = AgentReply(content="The refund is $12.99.", tool_calls=[small, big])
    record = _refund(_Scripted(over), max_message_chars=80)
    assert record.end_reason == "agent_oversized"
    (message,) = [e for e in record.events if isinstance(e, AgentMessageEvent)]
    size = 21 + (13 + len('{"answer": "12.99"}')) + (13 + len(json.dumps(big.arguments)))
    assert message.truncated_from == size
    assert message.content == "The refund is $12.99." and message.tool_calls == [small]
    assert record.error == (
        f"the reply had {size} characters (text and tool calls), over the limit of 80: its first "
        f"{size - 13 - len(json.dumps(big.arguments))} were kept and 1 of its 2 tool calls left out"
    )
    assert not any(isinstance(e, ToolResultEvent) for e in record.events)  # nothing ran


def test_max_message_chars_is_a_study_key_and_a_flag(tmp_path: Path) -> None:
    study = tmp_path / "study.yaml"
    study.write_text(
        f"personas: [{REFUND}]\nagents: ['{AGENTS}:oversized']\nmodes: [on_ask]\n"
        "repeats: 1\nmax_message_chars: 300\n"
    )
    runner = CliRunner()
    for flags, limit in (([], 300), (["--max-message-chars", "200"], 200)):
        out = tmp_path / f"run{limit}"
        ran = runner.invoke(app, ["run", str(study), *flags, "--no-report", "-o", str(out)])
        assert ran.exit_code == 0, ran.output
        (record,) = read_records(out / "dialogues.jsonl")
        assert record.max_message_chars == limit
        assert len(record.messages[-1]["content"]) == limit
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["config"]["max_message_chars"] == limit
    study.write_text(study.read_text().replace("300", "0"))
    bad = runner.invoke(app, ["run", str(study), "-o", str(tmp_path / "bad")])
    assert bad.exit_code != 0 and "max_message_chars" in str(bad.exception)


# --- 8. the CRM's SQL tool and huge values -------------------------------------------------------


@contextlib.contextmanager
def _at_most_one_more_gigabyte() -> Iterator[None]:
    """Cap this process's address space while a query runs: code that would allocate
    gigabytes fails the test with an error instead of taking the machine's memory."""
    resource = pytest.importorskip("resource")
    vm_kb = next(
        int(line.split()[1])
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmSize:")
    )
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (vm_kb * 1024 + (1 << 30), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_a_huge_blob_query_is_refused_as_a_tool_error() -> None:
    env = CRMEnvironment("b2c", 0)
    try:
        with _at_most_one_more_gigabyte():
            for query in ("SELECT randomblob(1000000000)", "SELECT hex(zeroblob(60000))"):
                with pytest.raises(ToolError, match=r"longer than 100,000 bytes"):
                    env.call("sql_query", {"query": query})
            # a sort of 50 kB rows would take gigabytes within the time limit
            sort = "SELECT zeroblob(50000) FROM cases a, cases b ORDER BY random()"
            with pytest.raises(ToolError, match=r"needed more than 256 MB of memory"):
                env.call("sql_query", {"query": sort})
        with pytest.raises(ToolError, match=r"first row is over 65,536 characters"):
            env.call("sql_query", {"query": "SELECT randomblob(40000) FROM cases"})
        # rows past the result limit are left out, as rows past the row limit are
        cut = json.loads(env.call("sql_query", {"query": "SELECT hex(zeroblob(20000)) FROM cases"}))
        assert len(cut["rows"]) == 1 and cut["truncated"] is True
        assert env.call("sql_query", {"query": "SELECT 1 AS one"}) == (
            '{"columns":["one"],"rows":[[1]],"truncated":false}'
        )
    finally:
        env.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_the_agent_sees_the_refused_blob_query_as_a_tool_message() -> None:
    persona = load_personas([ROOT / "personas" / "crm"])[0]
    blob = ToolCall(id="q", name="sql_query", arguments={"query": "SELECT randomblob(1000000000)"})
    agent = _Scripted(AgentReply(tool_calls=[blob]), AgentReply(content="That query failed."))
    spec = resolve_agent_spec("reference:careful")
    with _at_most_one_more_gigabyte():
        record = asyncio.run(
            run_dialogue(persona, spec, "full", agent_instance=agent, max_turns=1, step_timeout=20)
        )
    (result,) = [e for e in record.events if isinstance(e, ToolResultEvent)]
    assert result.error and "longer than 100,000 bytes" in result.result
    tool_message = next(m for m in record.messages if m["role"] == "tool")
    assert tool_message["content"].startswith("Error: query refused: a string or blob")
    said = [e.content for e in record.events if isinstance(e, AgentMessageEvent)]
    assert said == ["", "That query failed."]  # the dialogue went on after the error


# --- 9. the same fork twice, and forks in the report ---------------------------------------------


def _run_and_fork_twice(tmp_path: Path) -> tuple[Path, list[DialogueRecord]]:
    runner = CliRunner()
    run = tmp_path / "run"
    args = [
        "run",
        "-p",
        str(REFUND),
        "-a",
        f"{AGENTS}:eager",
        "-m",
        "on_ask",
        "--repeats",
        "1",
        "-o",
        str(run),
    ]
    made = runner.invoke(app, [*args, "--no-report"])
    assert made.exit_code == 0, made.output
    fork = ["replay", str(run), "--fork-at", "1", "-a", f"{AGENTS}:careful"]
    first = runner.invoke(app, fork)
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, fork)
    assert second.exit_code == 0, second.output
    assert "both are kept" in second.output
    return run, list(read_records(run / "forks.jsonl"))


def test_the_same_fork_twice_gets_two_ids_and_diff_tells_them_apart(tmp_path: Path) -> None:
    run, forks = _run_and_fork_twice(tmp_path)
    (parent,) = read_records(run / "dialogues.jsonl")
    first_id = f"{parent.id}~fork1-refund_agents:careful"
    assert [f.id for f in forks] == [first_id, f"{first_id}~2"]
    assert {f.parent for f in forks} == {parent.id}
    runner = CliRunner()
    for fork in forks:
        shown = runner.invoke(app, ["diff", str(run), f"{run / 'forks.jsonl'}#{fork.id}"])
        assert shown.exit_code == 0, shown.output
        assert "part in user turn" in shown.output
    both = runner.invoke(app, ["diff", str(run), str(run / "forks.jsonl")])
    assert both.exit_code != 0
    assert "2 dialogues match" in str(both.exception) and f"{first_id}~2" in str(both.exception)
    replayed = runner.invoke(app, ["replay", str(run / "forks.jsonl")])
    assert replayed.exit_code == 0 and "2 identical, 0 diverged" in replayed.output


def test_the_report_lists_the_forks(tmp_path: Path) -> None:
    run, forks = _run_and_fork_twice(tmp_path)
    made = CliRunner().invoke(app, ["report", str(run)])
    assert made.exit_code == 0, made.output
    html = (run / "report.html").read_text()
    assert '<a href="#forks">Forks</a>' in html
    transcripts, section = html.split('<section id="forks">')
    assert transcripts.count('<details class="dialogue"') == 1  # the run's one dialogue
    for fork in forks:
        assert f'<a href="#{fork.id}">{fork.id}</a>' in section
        assert f'<details class="dialogue" id="{fork.id}"' in section
        assert f"forked from</b> {fork.parent} at turn 1" in section
    assert section.count(f'<a href="#{forks[0].parent}">') == 2
    assert len(re.findall(r"<td[^>]*>answered</td>", section)) == 2


def test_a_huge_concurrency_costs_no_more_than_the_dialogues_there_are(tmp_path: Path) -> None:
    """One coroutine per dialogue in flight, never more than the dialogues to run: a
    concurrency of 10**30 used to build a coroutine per unit, until memory ran out."""
    from simulator.run import DialogueJob, run_jobs

    spec = resolve_agent_spec(f"{AGENTS}:careful")
    jobs = [DialogueJob(load_persona(REFUND), spec, Mode.FULL, seed) for seed in range(3)]
    ran = asyncio.run(run_jobs(jobs, tmp_path, concurrency=10**30))
    assert ran == 3
    assert len(list(read_records(tmp_path / "dialogues.jsonl"))) == 3
