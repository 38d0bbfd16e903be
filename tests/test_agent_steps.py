"""A LangGraph agent's own steps are on the record; user modules load from the working dir.

The agent is ``examples/react_agent.py``, built with ``langchain.agents.create_agent``
(the current API), driven by a scripted chat model so no network is touched.
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from simulator.agent import RunnableAgent, resolve_agent_spec
from simulator.agent._spec import build_agent
from simulator.errors import AgentSpecError
from simulator.persona import Mode, load_persona
from simulator.record import AgentInternalEvent, AgentMessageEvent, DialogueRecord, EndReason
from simulator.run import run_dialogue

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
EXAMPLE = ROOT / "examples" / "react_agent.py"


class ScriptedModel(GenericFakeChatModel):
    """A chat model that plays a fixed list of replies; tools are accepted and ignored."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("react_agent_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _script() -> Iterator[AIMessage]:
    call = {"name": "lookup_refund", "id": "call-1"}
    call["args"] = {"order": "ORD-7731", "title": "The Left Hand of Darkness"}  # type: ignore[assignment]
    yield AIMessage("", tool_calls=[call])  # type: ignore[list-item]
    yield AIMessage("Your refund for that order is $12.99.")
    while True:
        yield AIMessage("Sorry, I can't share another customer's contact details.")


def _play() -> DialogueRecord:
    graph = _example().make_agent(ScriptedModel(messages=_script()))
    spec = resolve_agent_spec(f"{EXAMPLE}:make_agent")  # names it; the instance plays
    run = run_dialogue(PERSONA, spec, Mode.FULL, agent_instance=RunnableAgent(graph))
    return asyncio.run(run)


def test_the_example_uses_the_current_langchain_api_without_deprecation_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        graph = _example().make_agent(ScriptedModel(messages=_script()))
    assert "create_react_agent" not in EXAMPLE.read_text().split('"""', 2)[2]
    assert hasattr(graph, "ainvoke")


def test_a_langgraph_agents_own_tool_calls_and_results_are_recorded() -> None:
    record = _play()
    internal = [e for e in record.events if isinstance(e, AgentInternalEvent)]
    assert [(e.role, e.name) for e in internal] == [("assistant", None), ("tool", "lookup_refund")]
    call = internal[0].tool_calls[0]
    assert call.name == "lookup_refund"
    assert call.arguments == {"order": "ORD-7731", "title": "The Left Hand of Darkness"}
    assert internal[1].content == "refund due: $12.99"
    # recorded before the step's reply, with that step's number, and never sent to the user
    first_reply = next(e for e in record.events if isinstance(e, AgentMessageEvent))
    assert record.events.index(internal[-1]) < record.events.index(first_reply)
    assert {e.step for e in internal} == {first_reply.step}
    assert all(m["role"] != "tool" for m in record.messages)
    assert record.scores.task.success
    assert record.end_reason == EndReason.ANSWERED
    # old readers: the record round-trips through JSON with the new events
    again = DialogueRecord.model_validate_json(record.model_dump_json())
    assert again.events == record.events


def test_show_and_diff_print_the_agents_own_steps(tmp_path: Path) -> None:
    record = _play()
    path = tmp_path / "dialogues.jsonl"
    path.write_text(record.model_dump_json() + "\n")
    shown = subprocess.run(
        [sys.executable, "-m", "simulator", "show", str(path)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert shown.returncode == 0, shown.stderr
    assert "agent's own step: → lookup_refund(" in shown.stdout
    assert "agent's own tool lookup_refund ← refund due: $12.99" in shown.stdout

    from simulator.run._diff import turn_views

    lines = [line for view in turn_views(record) for line in view.agent]
    assert any(line.startswith("⟲ agent's own tool lookup_refund") for line in lines)


def _without_cwd(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """As under the ``simulator`` console script: the working dir is not on sys.path."""
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".", str(folder))])


def test_module_attr_is_found_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cwd_agent_7f3a.py").write_text("def reply(messages, tools):\n    return 'hi'\n")
    _without_cwd(monkeypatch, tmp_path)
    monkeypatch.delitem(sys.modules, "cwd_agent_7f3a", raising=False)
    agent = build_agent(resolve_agent_spec("cwd_agent_7f3a:reply"))
    assert asyncio.run(agent.step([{"role": "user", "content": "x"}], [])).content == "hi"


def test_an_unknown_module_names_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_cwd(monkeypatch, tmp_path)
    with pytest.raises(AgentSpecError) as caught:
        build_agent(resolve_agent_spec("no_such_agent_module_91:reply"))
    message = str(caught.value)
    assert "working directory" in message and str(tmp_path) in message
    assert "PYTHONPATH" in message and "file.py:attr" in message


def test_the_console_script_finds_a_module_in_the_working_directory(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("simulator")
    if not script.exists():
        pytest.skip("the simulator console script is not installed beside this Python")
    (tmp_path / "cwd_agent_b21.py").write_text(
        "def reply(messages, tools):\n    return 'The refund is 12.99.'\n"
    )
    persona = ROOT / "personas" / "examples" / "refund.yaml"
    done = subprocess.run(
        [
            str(script),
            "run",
            "-p",
            str(persona),
            "-a",
            "cwd_agent_b21:reply",
            "-m",
            "full",
            "--repeats",
            "1",
            "--out",
            str(tmp_path / "run"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "run" / "dialogues.jsonl").read_text().count("\n") == 1
