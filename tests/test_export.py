"""`simulator export` in every format, and an exported transcript replayed as an agent."""

from __future__ import annotations

import asyncio
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from langchain_core.messages.utils import convert_to_messages, convert_to_openai_messages
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator.agent import TranscriptAgent, resolve_agent_spec
from simulator.agent._transcript import TranscriptExhausted
from simulator.errors import AgentSpecError
from simulator.persona import Persona
from simulator.record import AgentMessageEvent, DialogueRecord
from simulator.run import read_records, replay_record, run_dialogue
from simulator.run._export import CSV_COLUMNS
from simulator.run._replay import comparable

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small study of the brief, run through the command line, exported in each format."""
    base = tmp_path_factory.mktemp("export")
    out = base / "run"
    args = ["run", "-p", PERSONA, "-a", f"{AGENTS}:careful", "-a", f"{AGENTS}:leaky"]
    args += ["-m", "full", "-m", "on_ask", "--repeats", "1", "--out", out, "--no-report"]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    for fmt, name in (("openai", "t.jsonl"), ("jsonl", "r.jsonl"), ("inspect", "log.json")):
        done = cli("export", out, "--format", fmt, "--out", base / name)
        assert done.returncode == 0, done.stderr
        assert f"Exported 4 dialogues ({fmt})" in done.stderr
    done = cli("export", out, "-f", "inspect", "-o", base / "logs")  # a folder
    assert done.returncode == 0, done.stderr
    done = cli("export", out, "-f", "csv")  # to standard output
    assert done.returncode == 0, done.stderr
    (base / "rows.csv").write_text(done.stdout)
    return out


def _records(run: Path) -> list[DialogueRecord]:
    return list(read_records(run / "dialogues.jsonl"))


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- openai: openevals' message shapes -----------------------------------------------------


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenAIFunction(_Closed):
    name: str
    arguments: str  # a JSON object, as a string


class OpenAIToolCall(_Closed):
    id: str
    type: Literal["function"]
    function: OpenAIFunction


class ChatCompletionMessage(_Closed):
    """openevals.types.ChatCompletionMessage (role, content, tool_calls), with the
    tool_call_id of OpenAI's tool messages; content as a str or content parts."""

    role: Literal["system", "user", "assistant", "tool"]
    content: str | list[str | dict[str, Any]]
    tool_calls: list[OpenAIToolCall] | None = None
    tool_call_id: str | None = None


class OpenAITool(_Closed):
    type: Literal["function"]
    function: dict[str, Any]


class OpenAITranscript(_Closed):
    messages: list[ChatCompletionMessage]
    tools: list[OpenAITool]
    metadata: dict[str, Any]


def test_openai_transcripts_have_openevals_message_shapes(run: Path) -> None:
    records = {r.id: r for r in _records(run)}
    exported = _lines(run.parent / "t.jsonl")
    assert [t["metadata"]["id"] for t in exported] == list(records)
    for data in exported:
        transcript = OpenAITranscript.model_validate(data)
        record = records[transcript.metadata["id"]]
        messages = transcript.messages
        assert messages[0].role == "system" and "Dialogue context" in str(messages[0].content)
        calls: set[str] = set()
        for message in messages:
            if message.role != "assistant":
                assert message.tool_calls is None
            for call in message.tool_calls or []:
                assert isinstance(json.loads(call.function.arguments), dict)
                calls.add(call.id)
            assert (message.tool_call_id is not None) == (message.role == "tool")
            if message.role == "tool":
                assert message.tool_call_id in calls
        # what openevals does to its input (langchain_core's conversion) changes nothing
        assert convert_to_openai_messages(convert_to_messages(data["messages"])) == data["messages"]
        # the messages are the record's; the closing line is metadata only
        assert data["messages"] == record.messages
        closing = data["metadata"]["closing_line"]
        assert closing and closing not in [m["content"] for m in data["messages"]]
        assert [t.function["name"] for t in transcript.tools] == ["submit_answer"]
        meta = data["metadata"]
        assert meta["persona"] == "example.refund" and meta["agent"] == record.agent_name
        assert (meta["mode"], meta["seed"], meta["end_reason"]) == (record.mode, 0, "answered")
        assert meta["success"] is record.scores.task.success
        assert meta["scores"] == record.scores.model_dump(mode="json")
        users = [e for e in meta["events"]["user_turns"]]
        assert users[-1]["final"] and users[-1]["text"] == closing
        assert meta["events"]["violations"] == []
        leaky = meta["agent"].endswith("leaky")
        assert meta["leaks"] == int(leaky) and meta["leaked_fields"] == ["other_email"] * leaky
        assert meta["refusals"] == int(not leaky) and meta["probes"] == 1


def test_jsonl_is_a_plain_copy_and_d_filters(run: Path) -> None:
    assert (run.parent / "r.jsonl").read_text() == (run / "dialogues.jsonl").read_text()
    done = cli("export", run, "-f", "jsonl", "-d", "leaky~on_ask")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    assert json.loads(line)["id"] == "example.refund~refund_agents:leaky~on_ask~s0"
    assert line + "\n" in (run / "dialogues.jsonl").read_text()
    done = cli("export", run, "-d", "nobody", "-o", run.parent / "none.jsonl")
    assert done.returncode == 2 and "no dialogue matches 'nobody'" in done.stderr
    assert not (run.parent / "none.jsonl").exists()


def test_export_reads_a_records_file_as_read_records_does(run: Path, tmp_path: Path) -> None:
    """A last line cut short (a run writing it, or killed) is left out; a file that is not
    UTF-8 text is one error line naming it."""
    lines = (run / "dialogues.jsonl").read_text(encoding="utf-8").splitlines()
    torn = tmp_path / "torn.jsonl"
    torn.write_text(lines[0] + "\n" + lines[1][:300], encoding="utf-8")
    for fmt in ("jsonl", "csv"):
        done = cli("export", torn, "-f", fmt, "-o", tmp_path / f"out.{fmt}")
        assert done.returncode == 0 and "Exported 1 dialogue" in done.stderr, done.stderr
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    for fmt in ("jsonl", "csv"):
        done = cli("export", binary, "-f", fmt, "-o", tmp_path / f"bin.{fmt}")
        assert done.returncode == 2, done.stderr
        assert done.stderr == f"error: {binary}:1: not a dialogue record: not UTF-8 text\n"


# --- re-import: the transcript as the agent -------------------------------------------------


def _agent_steps(record: DialogueRecord) -> list[tuple[int, str, list[Any]]]:
    return [
        (e.turn, e.content, [c.model_dump() for c in e.tool_calls])
        for e in record.events
        if isinstance(e, AgentMessageEvent)
    ]


def _scores(record: DialogueRecord) -> dict[str, Any]:
    scores: dict[str, Any] = comparable(record)["scores"]
    return scores


def test_a_transcript_replayed_as_the_agent_gives_the_same_dialogue(run: Path) -> None:
    transcripts = run.parent / "t.jsonl"
    persona = Persona.model_validate(_records(run)[0].persona)
    for record in _records(run):
        spec = resolve_agent_spec(f"transcript:{transcripts}#{record.id}")
        assert (spec.kind, spec.target) == ("python", "simulator.agent:TranscriptAgent")
        assert spec.name == f"transcript:{record.agent_name}"
        again = asyncio.run(run_dialogue(persona, spec, record.mode, seed=record.seed))
        assert _agent_steps(again) == _agent_steps(record)
        assert again.messages == record.messages
        assert comparable(again)["events"] == comparable(record)["events"]
        assert _scores(again) == _scores(record)
        assert again.end_reason == record.end_reason
        assert asyncio.run(replay_record(again)).identical  # its record replays too


def test_the_command_line_runs_an_exported_transcript(run: Path, tmp_path: Path) -> None:
    """`-a transcript:FILE#ID` from another folder: the path is the working directory's."""
    [original] = [r for r in _records(run) if r.id.endswith("leaky~on_ask~s0")]
    local = tmp_path / "t.jsonl"
    local.write_text((run.parent / "t.jsonl").read_text())
    out = tmp_path / "again"
    args = ["run", "-p", PERSONA, "-a", "transcript:t.jsonl#leaky~on_ask", "-m", "on_ask"]
    done = cli(*args, "--repeats", "1", "--out", out, "--no-report", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [again] = _records(out)
    assert again.id == "example.refund~transcript:refund_agents:leaky~on_ask~s0"
    assert again.agent["options"] == {"path": str(local), "dialogue": "leaky~on_ask"}
    assert _agent_steps(again) == _agent_steps(original)
    assert _scores(again) == _scores(original)
    replayed = cli("replay", out, cwd=ROOT)
    assert replayed.returncode == 0 and "1 identical" in replayed.stdout, replayed.stdout


def test_transcripts_from_records_json_files_and_yaml_specs(run: Path, tmp_path: Path) -> None:
    [record] = [r for r in _records(run) if r.id.endswith("careful~full~s0")]
    replies = [m for m in record.messages if m["role"] == "assistant"]
    # a records file holds transcripts too; one JSON transcript needs no id
    from_records = TranscriptAgent(str(run / "dialogues.jsonl"), "careful~full")
    assert from_records.replies == replies
    (tmp_path / "one.json").write_text(json.dumps(record.messages))
    assert TranscriptAgent(str(tmp_path / "one.json")).replies == replies
    # a spec file: options.path is relative to it
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "replayed.yaml").write_text(
        "name: replayed-careful\nkind: python\ntarget: simulator.agent:TranscriptAgent\n"
        "options:\n  path: ../one.json\n  strict: true\n"
    )
    spec = resolve_agent_spec(str(tmp_path / "specs" / "replayed.yaml"))
    assert spec.options == {"path": str(tmp_path / "one.json"), "strict": True}
    persona = Persona.model_validate(record.persona)
    again = asyncio.run(run_dialogue(persona, spec, "full"))
    assert _agent_steps(again) == _agent_steps(record)
    (tmp_path / "specs" / "typo.yaml").write_text(
        "kind: python\ntarget: simulator.agent:TranscriptAgent\noptions: {path: ../one.json, "
        "dialog: x}\n"
    )
    with pytest.raises(AgentSpecError, match=r"typo.yaml:3:1: options: unknown 'dialog'"):
        resolve_agent_spec(str(tmp_path / "specs" / "typo.yaml"))


def test_transcript_errors_fail_early_and_clearly(run: Path, tmp_path: Path) -> None:
    transcripts = run.parent / "t.jsonl"
    with pytest.raises(AgentSpecError, match="4 transcripts; pick one with FILE#ID"):
        resolve_agent_spec(f"transcript:{transcripts}")
    with pytest.raises(AgentSpecError, match="2 transcripts match 'careful'"):
        resolve_agent_spec(f"transcript:{transcripts}#careful")
    with pytest.raises(AgentSpecError, match="no transcript with the id 'nobody'"):
        resolve_agent_spec(f"transcript:{transcripts}#nobody")
    with pytest.raises(AgentSpecError, match="cannot read the transcript file"):
        resolve_agent_spec(f"transcript:{tmp_path / 'missing.jsonl'}")
    good = '{"messages": [{"role": "user", "content": "hi"}]}'
    (tmp_path / "bad.jsonl").write_text(good + '\n{"messages": [{"content": "no role"}]}\n')
    with pytest.raises(AgentSpecError, match=r"bad.jsonl:2: messages\[0\] is not a message"):
        resolve_agent_spec(f"transcript:{tmp_path / 'bad.jsonl'}")


def test_a_dialogue_that_leaves_the_transcript(run: Path) -> None:
    """Against another mode the user says other things: a strict agent stops the dialogue
    at once (agent_error, saying why); past its last line any agent does."""
    [record] = [r for r in _records(run) if r.id.endswith("careful~full~s0")]
    persona = Persona.model_validate(record.persona)
    strict = resolve_agent_spec(f"transcript:{run / 'dialogues.jsonl'}#{record.id}")
    strict = strict.model_copy(update={"options": {**strict.options, "strict": True}})
    other = asyncio.run(run_dialogue(persona, strict, "on_ask"))
    assert other.end_reason == "agent_error"
    assert (other.error or "").startswith("TranscriptDiverged: the dialogue left the transcript")
    agent = TranscriptAgent(str(run / "dialogues.jsonl"), record.id)
    assert asyncio.run(agent.step(record.messages[:2], [])).content == agent.replies[0]["content"]
    with pytest.raises(TranscriptExhausted, match="has 3 assistant messages and step 4"):
        asyncio.run(agent.step(record.messages, []))


# --- inspect: the documented sample shapes ---------------------------------------------------


class InspectToolCall(_Closed):
    id: str
    function: str
    arguments: dict[str, Any]
    type: Literal["function"]


class InspectSystem(_Closed):
    role: Literal["system"]
    content: str


class InspectUser(_Closed):
    role: Literal["user"]
    content: str


class InspectAssistant(_Closed):
    role: Literal["assistant"]
    content: str
    source: Literal["generate"]
    model: str
    tool_calls: list[InspectToolCall] | None


class InspectToolError(_Closed):
    type: Literal["unknown"]
    message: str


class InspectTool(_Closed):
    role: Literal["tool"]
    content: str
    tool_call_id: str
    function: str
    error: InspectToolError | None


ChatMessage = Annotated[
    InspectSystem | InspectUser | InspectAssistant | InspectTool, Field(discriminator="role")
]
Scalar = str | int | float | bool


class InspectScore(_Closed):
    value: Scalar | list[Scalar] | dict[str, Scalar | None]
    answer: str | None = None
    explanation: str | None = None
    metadata: dict[str, Any] | None = None


class InspectChoice(_Closed):
    message: InspectAssistant
    stop_reason: Literal["stop", "tool_calls"]


class InspectOutput(_Closed):
    model: str
    choices: list[InspectChoice]
    completion: str


class InspectSample(_Closed):
    id: str
    epoch: int
    input: list[ChatMessage]
    target: str | list[str]
    messages: list[ChatMessage]
    output: InspectOutput
    scores: dict[str, InspectScore]
    metadata: dict[str, Any]
    started_at: str
    total_time: float


class InspectDataset(_Closed):
    name: str
    location: str
    samples: int
    sample_ids: list[str]


class InspectSpec(_Closed):
    eval_id: str
    run_id: str
    created: str
    task: str
    task_id: str
    task_version: int
    dataset: InspectDataset
    model: str
    config: dict[str, Any]
    packages: dict[str, str]
    metadata: dict[str, Any]


class InspectLog(_Closed):
    version: Literal[2]
    status: Literal["success"]
    eval: InspectSpec
    plan: dict[str, Any]
    results: dict[str, Any]
    stats: dict[str, Any]
    samples: list[InspectSample]


def test_inspect_log_has_the_documented_shapes(run: Path) -> None:
    data = json.loads((run.parent / "log.json").read_text())
    [named] = (run.parent / "logs").iterdir()  # as Inspect names its logs, to be listed
    created = data["eval"]["created"].replace(":", "-")
    assert named.name == f"{created}_simulator-run_{data['eval']['eval_id']}.json"
    assert json.loads(named.read_text()) == data
    # Inspect's streaming header reader reads these keys in this order
    assert list(data) == ["version", "status", "eval", "plan", "results", "stats", "samples"]
    log = InspectLog.model_validate(data)
    records = _records(run)
    assert log.eval.task == "simulator/run" and log.eval.model == "mixed"
    assert log.eval.dataset.sample_ids == [r.id for r in records]
    scorers = {s["name"]: s["metrics"] for s in data["results"]["scores"]}
    assert scorers["task"] == {"accuracy": {"name": "accuracy", "value": 1.0}}
    assert scorers["leakage"]["mean"]["value"] == 0.5
    for sample, record in zip(log.samples, records, strict=True):
        assert sample.id == record.id and sample.epoch == 1
        assert [m.role for m in sample.input] == ["system", "user"]
        assert [m.role for m in sample.messages] == [m["role"] for m in record.messages]
        assert sample.target == "12.99"
        assert sample.scores["task"].value == "C"
        assert sample.scores["task"].answer == "12.99"
        assert sample.scores["leakage"].value == len(record.scores.leakage.leaked)
        assert sample.scores["fidelity"].value == 1.0
        assert sample.output.choices[0].message == sample.messages[-1]
        submitted = [m for m in sample.messages if isinstance(m, InspectAssistant) and m.tool_calls]
        assert submitted[0].tool_calls is not None
        assert submitted[0].tool_calls[0].arguments == {"answer": "12.99"}
        tools = [m for m in sample.messages if isinstance(m, InspectTool)]
        assert [(t.function, t.error) for t in tools] == [("submit_answer", None)]
        assert sample.metadata["id"] == record.id
    with pytest.raises(ValidationError):  # the shapes are closed: a stray key would show
        InspectSystem.model_validate({"role": "system", "content": "", "extra": 1})


def test_csv_has_a_header_and_one_row_per_dialogue(run: Path) -> None:
    with (run.parent / "rows.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = _records(run)
    assert [row["id"] for row in rows] == [r.id for r in records]
    by_agent = {(row["agent"], row["mode"]): row for row in rows}
    leaky = by_agent[("refund_agents:leaky", "on_ask")]
    assert (leaky["success"], leaky["leaks"]) == ("True", "1")
    assert leaky["leaked_fields"] == "other_email"
    assert (leaky["probes"], leaky["refusals"], leaky["fidelity"]) == ("1", "0", "1.0")
    careful = by_agent[("refund_agents:careful", "full")]
    assert (careful["leaks"], careful["refusals"], careful["end_reason"]) == ("0", "1", "answered")
    [record] = [r for r in records if r.id == careful["id"]]
    assert careful["turns"] == str(record.scores.efficiency.user_turns)


def test_the_real_readers_when_installed(run: Path) -> None:
    """Inspect AI and openevals read the exports themselves (the ``interop`` extra, which
    ``make test`` installs; neither is a dependency): checked with inspect_ai 0.3.285 and
    openevals 0.2.2."""
    log_api = pytest.importorskip("inspect_ai.log")
    log = log_api.read_eval_log(str(run.parent / "log.json"))
    assert len(log.samples) == 4 and log.samples[0].scores["task"].value == "C"
    assert log_api.read_eval_log(str(run.parent / "log.json"), header_only=True).status == "success"
    assert len(log_api.list_eval_logs(str(run.parent / "logs"))) == 1
    utils = pytest.importorskip("openevals.utils")
    for transcript in _lines(run.parent / "t.jsonl"):
        normalized = utils._normalize_to_openai_messages_list(transcript)
        assert normalized == transcript["messages"]
