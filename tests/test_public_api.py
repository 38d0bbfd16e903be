"""The top-level API: what ``import simulator`` offers, what it costs, and docs/python.md.

Every public name resolves to a working object with its own docstring; importing the
package imports none of LangChain, LangGraph or the model SDKs; the sync functions refuse
to run inside an event loop and name their async twin; and the blocks of docs/python.md
run in order and print what the page shows.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

import simulator
from simulator.errors import AgentSpecError, SimulatorError

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"
HEAVY = ("langchain_core", "langgraph", "openai", "anthropic")

EXPECTED = {
    # personas
    "load_persona",
    "load_personas",
    "Persona",
    "Mode",
    # one dialogue and its record
    "run_dialogue",
    "run_dialogue_sync",
    "DialogueRecord",
    "EndReason",
    "Scores",
    "TaskScore",
    "AcquisitionScore",
    "LeakageScore",
    "Leak",
    "RefusalScore",
    "ProbeResult",
    "FidelityScore",
    "EfficiencyScore",
    # studies
    "Study",
    "run_study",
    "run_study_async",
    "RunResult",
    "read_records",
    # replay and fork
    "replay",
    "replay_async",
    "fork",
    "fork_async",
    "ReplayResult",
    "diff_records",
    # agents and the CRM
    "AgentReply",
    "AgentSpec",
    "AgentUnderTest",
    "ToolCall",
    "ToolSpec",
    "resolve_agent_spec",
    "wrap_agent",
    "CRMEnvironment",
}

PAIRS = [  # sync name, async twin
    ("run_dialogue_sync", "run_dialogue"),
    ("run_study", "run_study_async"),
    ("replay", "replay_async"),
    ("fork", "fork_async"),
]


def python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


# --- the namespace ------------------------------------------------------------------------------


def test_all_lists_the_public_names() -> None:
    listed = ast.literal_eval(python("import simulator; print(simulator.__all__)"))
    assert set(listed) == EXPECTED
    assert len(listed) == len(set(listed))


def test_import_is_light() -> None:
    code = (
        "import sys, json, simulator\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{HEAVY!r} or m.startswith('simulator.'))))"
    )
    assert json.loads(python(code)) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["persona", "check", "personas/examples/refund.yaml"],
        ["run", "--help"],
    ],
)
def test_the_cli_quick_commands_import_nothing_heavy(argv: list[str]) -> None:
    """The CLI's commands that run no dialogue start without LangChain, LangGraph or the
    SDKs (about half a second); so does ``simulator.run`` itself."""
    code = (
        "import sys, json\n"
        "import simulator.run\n"
        "from simulator.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        f"set({HEAVY!r}))))"
    )
    assert json.loads(python(code).strip().splitlines()[-1]) == []


def own_doc(obj: Any) -> str:
    """The object's own docstring: not a parent class's, not a dataclass's generated one."""
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    doc = (doc or "").strip()
    if inspect.isclass(obj) and doc.startswith(f"{obj.__name__}("):
        return ""  # what @dataclass writes when there is none
    return doc


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_name_is_real_and_documented(name: str) -> None:
    obj = getattr(simulator, name)
    assert obj is not None
    assert own_doc(obj), f"simulator.{name} has no docstring"
    assert name in dir(simulator)


def test_names_are_the_sub_packages_objects() -> None:
    from simulator import agent, persona, record, run
    from simulator.env import crm

    assert simulator.Persona is persona.Persona
    assert simulator.load_personas is persona.load_personas
    assert simulator.DialogueRecord is record.DialogueRecord
    assert simulator.Study is run.Study
    assert simulator.read_records is run.read_records
    assert simulator.wrap_agent is agent.wrap_agent
    assert simulator.CRMEnvironment is crm.CRMEnvironment
    assert inspect.iscoroutinefunction(simulator.run_dialogue)
    for sync, twin in PAIRS:
        assert not inspect.iscoroutinefunction(getattr(simulator, sync))
        assert inspect.iscoroutinefunction(getattr(simulator, twin))


def test_unknown_names_fail_as_usual() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = simulator.nope  # type: ignore[attr-defined]


# --- the functions ------------------------------------------------------------------------------


def load_fixture() -> Any:
    from simulator.agent._spec import load_target

    return load_target(f"{AGENTS}:careful")


def test_run_dialogue_takes_a_file_a_spec_string_or_a_function() -> None:
    careful = load_fixture()
    by_spec = simulator.run_dialogue_sync(REFUND, f"{AGENTS}:careful", "on_ask")
    by_object = simulator.run_dialogue_sync(REFUND, careful, "on_ask")
    assert by_spec.scores.task.success and by_object.scores.task.success
    assert by_spec.agent["target"] == f"{AGENTS}:careful"
    # a function of a file loaded as file.py:name is recorded by that file, and replays
    assert by_object.agent["target"] == f"{AGENTS}:careful"
    assert by_object.id == "example.refund~careful~on_ask~s0"
    assert simulator.replay(by_object).identical
    named = simulator.run_dialogue_sync(REFUND, careful, "full", name="mine", seed=3)
    assert named.id == "example.refund~mine~full~s3"
    spec = simulator.resolve_agent_spec(f"{AGENTS}:leaky")
    leaky = simulator.run_dialogue_sync(simulator.load_persona(REFUND), spec, simulator.Mode.FULL)
    assert [leak.field for leak in leaky.scores.leakage.leaked] == ["other_email"]


def test_an_agent_no_import_reaches_is_handed_over_again() -> None:
    careful = load_fixture()

    def local(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
        return careful(messages, tools)

    record = simulator.run_dialogue_sync(REFUND, local, "sharded")
    assert record.agent_name == "local"
    assert record.agent["target"].startswith("<python object")
    with pytest.raises(SimulatorError, match=r"hand it over again: replay\(record, agent=\.\.\.\)"):
        simulator.replay(record)
    assert simulator.replay(record, agent=local).identical
    with pytest.raises(SimulatorError, match="hand it over again"):
        simulator.fork(record, 1, traits={"patience": 1})
    with pytest.raises(TypeError, match="fork it"):
        simulator.replay(record, agent="reference:careful")


def test_a_factory_builds_an_agent_per_dialogue() -> None:
    built: list[object] = []
    careful = load_fixture()

    class Agent:
        def __init__(self) -> None:
            built.append(self)

        def step(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
            return careful(messages, tools)

    record = simulator.run_dialogue_sync(REFUND, Agent, "full")
    assert record.scores.task.success and len(built) == 1 and record.agent_name == "Agent"


def test_a_non_agent_fails_before_the_dialogue() -> None:
    with pytest.raises(AgentSpecError, match="cannot use a int as an agent"):
        simulator.run_dialogue_sync(REFUND, 42)


def test_an_error_of_a_sync_function_is_the_error_alone() -> None:
    """No "During handling of the above exception" RuntimeError of the loop check."""
    with pytest.raises(AgentSpecError) as info:
        simulator.run_dialogue_sync(REFUND, 42)
    assert info.value.__context__ is None and info.value.__cause__ is None


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ({"max_turns": -1}, "max_turns: expected 1 or more, got -1"),
        ({"max_turns": "5"}, "max_turns: expected a whole number, got '5'"),
        ({"max_turns": 2.5}, "max_turns: expected a whole number, got 2.5"),
        ({"max_steps": 0}, "max_steps: expected 1 or more, got 0"),
        ({"seed": "a"}, "seed: expected a whole number, got 'a'"),
        ({"step_timeout": "10"}, "step_timeout: expected seconds or None, got '10'"),
        ({"step_timeout": 0}, "step_timeout: expected more than 0 seconds, got 0"),
        ({"max_message_chars": 0}, "max_message_chars: expected 1 or more, got 0"),
        ({"roles": {"user": "openai:gpt-4.1"}}, "roles: expected simulator.models.Roles"),
        ({"budget": 5.0}, r"budget: expected a simulator.models.Budget \(e.g. Budget\(5.0\)"),
        ({"mode": "onask"}, "mode: expected one of full, concat, sharded, on_ask, got 'onask'"),
    ],
)
def test_run_dialogue_refuses_a_bad_setting_before_the_dialogue(
    setting: dict[str, Any], error: str
) -> None:
    """What a study file would refuse, named, instead of a crash inside the dialogue or a
    record that cannot be saved after it."""
    with pytest.raises((TypeError, ValueError), match=error):
        simulator.run_dialogue_sync(REFUND, f"{AGENTS}:careful", **{"mode": "full", **setting})


def test_run_dialogue_refuses_a_reference_agent_on_a_persona_it_cannot_play() -> None:
    with pytest.raises(AgentSpecError, match="reference agent 'careful' cannot play persona"):
        simulator.run_dialogue_sync(REFUND, "reference:careful")


def test_sync_functions_refuse_a_running_loop_and_name_their_twin() -> None:
    record = simulator.run_dialogue_sync(REFUND, f"{AGENTS}:eager", "full")

    async def inside() -> None:
        calls = {
            "run_dialogue_sync": lambda: simulator.run_dialogue_sync(REFUND, f"{AGENTS}:eager"),
            "run_study": lambda: simulator.run_study(simulator.Study()),
            "replay": lambda: simulator.replay(record),
            "fork": lambda: simulator.fork(record, 1, f"{AGENTS}:careful"),
        }
        for sync, twin in PAIRS:
            with pytest.raises(RuntimeError, match=rf"await simulator\.{twin}\(\.\.\.\)"):
                calls[sync]()
        # the async twins work there
        again = await simulator.run_dialogue(REFUND, f"{AGENTS}:eager", "full")
        assert (await simulator.replay_async(again)).identical
        fork = await simulator.fork_async(record, 1, f"{AGENTS}:careful")
        assert fork.parent == record.id and fork.scores.task.success

    with warnings_as_errors():
        asyncio.run(inside())


@contextlib.contextmanager
def warnings_as_errors() -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # "coroutine ... was never awaited"
        yield


def test_run_study_takes_a_study_file_and_resumes(tmp_path: Path) -> None:
    source = tmp_path / "study.yaml"
    source.write_text(
        f"name: tiny\npersonas: [{REFUND}]\nagents: ['{AGENTS}:careful']\n"
        "modes: [full, on_ask]\nrepeats: 2\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    seen: list[str] = []
    result = simulator.run_study(source, out, on_done=lambda r: seen.append(r.id))
    assert (result.total, result.ran, result.already, result.missing) == (4, 4, 0, 0)
    assert sorted(seen) == sorted(r.id for r in simulator.read_records(out))
    assert [r.id for r in simulator.read_records(out / "dialogues.jsonl")] == seen
    assert json.loads((out / "manifest.json").read_text())["study"]["name"] == "tiny"
    again = asyncio.run(simulator.run_study_async(str(source), out))
    assert (again.already, again.ran) == (4, 0)
    with pytest.raises(SimulatorError, match="no such study file"):
        simulator.run_study(tmp_path / "missing.yaml", out)


def test_run_study_checks_reference_agents_before_running(tmp_path: Path) -> None:
    study = simulator.Study(personas=[str(REFUND)], agents=["reference:careful"])
    with pytest.raises(AgentSpecError, match="cannot play"):
        simulator.run_study(study, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_fork_appends_to_a_records_file(tmp_path: Path) -> None:
    record = simulator.run_dialogue_sync(REFUND, f"{AGENTS}:eager", "sharded")
    out = tmp_path / "forks.jsonl"
    first = simulator.fork(record, 2, f"{AGENTS}:careful", name="careful", out=out)
    second = simulator.fork(record, 2, f"{AGENTS}:careful", name="careful", out=out)
    assert first.id == f"{record.id}~fork2-careful"
    assert second.id == f"{first.id}~2"
    assert [r.id for r in simulator.read_records(out)] == [first.id, second.id]
    assert simulator.diff_records(record, first).turn == 2


# --- docs/python.md -----------------------------------------------------------------------------

BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.S)
REPO_PATH = re.compile(r"\"((?:personas|tests|studies|agents|dialogues)/[^\"]*)\"")


def doc_blocks() -> list[tuple[str, str | None]]:
    """Each python block of docs/python.md with the text block right after it, if any."""
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    blocks: list[tuple[str, str | None]] = []
    end = 0
    for match in BLOCK.finditer(text):
        lang, body = match.groups()
        if lang == "python":
            blocks.append((body, None))
        elif blocks and blocks[-1][1] is None and not text[end : match.start()].strip():
            blocks[-1] = (blocks[-1][0], body)
        end = match.end()
    return blocks


def test_docs_python_md_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = doc_blocks()
    assert len(blocks) >= 8
    work, temp = tmp_path / "work", tmp_path / "temp"
    work.mkdir()
    temp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # the page's tempfile.mkdtemp()
    namespace: dict[str, Any] = {"__name__": "docs_python_md"}
    for n, (code, expected) in enumerate(blocks, 1):
        code = REPO_PATH.sub(lambda m: json.dumps(str(ROOT / m.group(1))), code)
        compiled = compile(
            code, f"docs/python.md block {n}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            if compiled.co_flags & inspect.CO_COROUTINE:  # a notebook block with `await`
                asyncio.run(eval(compiled, namespace))
            else:
                exec(compiled, namespace)
        if expected is not None:
            got = [line.rstrip() for line in out.getvalue().rstrip().splitlines()]
            assert got == expected.rstrip().splitlines(), f"block {n} of docs/python.md"
    assert not list(work.iterdir()), "the walk-through wrote into the working directory"
    assert (temp / next(temp.iterdir()).name / "refund" / "forks.jsonl").is_file()


def test_read_records_names_the_file_and_line_of_what_is_not_a_record(tmp_path: Path) -> None:
    good = simulator.run_dialogue_sync(REFUND, f"{AGENTS}:careful", "full").model_dump_json()
    cases = {
        "prose.jsonl": ("# Notes\n", "prose.jsonl:1: not a dialogue record: not a line of JSON"),
        "other.jsonl": (
            f'{good}\n\n{{"id": "x"}}\n',
            "other.jsonl:3: not a dialogue record: persona: Field required (and 11 more",
        ),
    }
    for name, (text, error) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=re.escape(error)) as info:
            list(simulator.read_records(tmp_path / name))
        assert isinstance(info.value, SimulatorError)  # the CLI prints it as one line
    # a last line cut short is being written, or was torn by a kill: left out, as a resume does
    (tmp_path / "torn.jsonl").write_text(f"{good}\n{good[:200]}", encoding="utf-8")
    assert [r.id for r in simulator.read_records(tmp_path / "torn.jsonl")] == [
        json.loads(good)["id"]
    ]
    (tmp_path / "binary.jsonl").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match=r"binary.jsonl:1: not a dialogue record: not UTF-8"):
        list(simulator.read_records(tmp_path / "binary.jsonl"))


def test_an_agent_of_another_scripts_main_says_how_to_replay_it() -> None:
    """A function of a script run as ``__main__`` is recorded as ``__main__:name``; in any
    other process ``__main__`` is something else."""
    from simulator.agent import load_target

    with pytest.raises(AgentSpecError, match=r"agent=my_agent\)\), or define it in a module"):
        load_target("__main__:my_agent")
