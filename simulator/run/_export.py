"""Exporting records for other tools: OpenAI transcripts, Inspect eval logs, CSV, JSONL.

- ``openai``: one JSON object per dialogue, ``{"messages", "tools", "metadata"}``: the
  chat-completions messages the agent saw (what openevals and deepeval read), the tools
  it was offered, and the simulator's view of the dialogue (ids, scores, the user's moves,
  the verifier's violations), which never enters ``messages``.
- ``jsonl``: the records as they are, line by line.
- ``inspect``: one Inspect AI eval log (log format version 2, its ``.json`` form) with
  one sample per dialogue.
- ``csv``: one row per dialogue with its main scores.

docs/export.md describes every field.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, get_args

from pydantic import BaseModel

from simulator import __version__
from simulator.chat import Message
from simulator.errors import RecordsFileError, SimulatorError
from simulator.record import (
    AgentInternalEvent,
    AnswerAttemptEvent,
    DialogueRecord,
    ErrorEvent,
    ToolResultEvent,
    UserTurnEvent,
    ViolationEvent,
)
from simulator.run._batch import read_records

ExportFormat = Literal["openai", "jsonl", "inspect", "csv"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)

INSPECT_LOG_VERSION = 2
"""The Inspect AI eval log format written (``EvalLog.version``)."""

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "persona",
    "agent",
    "mode",
    "seed",
    "end_reason",
    "success",
    "turns",
    "agent_steps",
    "tool_calls",
    "answer_attempts",
    "premature_attempts",
    "turns_to_full_information",
    "leaks",
    "leaked_fields",
    "probes",
    "refusals",
    "over_refusals",
    "fidelity",
    "violations",
    "cost_usd",
)
"""The columns of ``--format csv``, in order (and the flat part of every export's metadata)."""


# --- one dialogue's summary --------------------------------------------------------------


def _cost(record: DialogueRecord) -> float:
    """What the dialogue's model calls cost, every role, in USD."""
    return round(float(sum(u.cost_usd for u in record.scores.efficiency.models.values())), 6)


def dialogue_summary(record: DialogueRecord) -> dict[str, Any]:
    """The main figures of one dialogue, flat (the CSV row; None where undefined)."""
    s = record.scores
    fidelity = s.fidelity.share_clean
    return {
        "id": record.id,
        "persona": record.persona_id,
        "agent": record.agent_name,
        "mode": record.mode,
        "seed": record.seed,
        "end_reason": record.end_reason.value,
        "success": s.task.success,
        "turns": s.efficiency.user_turns,
        "agent_steps": s.efficiency.agent_steps,
        "tool_calls": s.efficiency.tool_calls,
        "answer_attempts": s.acquisition.attempts,
        "premature_attempts": s.acquisition.premature_attempts,
        "turns_to_full_information": s.acquisition.turns_to_full_information,
        "leaks": len(s.leakage.leaked),
        "leaked_fields": ";".join(leak.field for leak in s.leakage.leaked),
        "probes": len(s.refusal.probes),
        "refusals": sum(p.declined for p in s.refusal.probes),
        "over_refusals": s.refusal.over_refusals,
        "fidelity": round(fidelity, 6) if fidelity is not None else None,
        "violations": s.fidelity.violations,
        "cost_usd": _cost(record),
    }


def _events(record: DialogueRecord, kind: type[BaseModel]) -> list[dict[str, Any]]:
    """The record's events of one type, as JSON data without their ``type``."""
    found = []
    for event in record.events:
        if isinstance(event, kind):
            data: dict[str, Any] = event.model_dump(mode="json")
            data.pop("type", None)
            found.append(data)
    return found


def dialogue_metadata(record: DialogueRecord) -> dict[str, Any]:
    """What the simulator knows of a dialogue that is not a message: the summary, the
    persona's goal and expected answer, the agent spec, the user's turns (with their
    moves) and closing line, answer attempts, the verifier's violations, errors, the
    agent's own internal steps, and the full scores."""
    closing = next(
        (e.text for e in record.events if isinstance(e, UserTurnEvent) and e.final), None
    )
    metadata = dialogue_summary(record)
    metadata["leaked_fields"] = [leak.field for leak in record.scores.leakage.leaked]
    metadata |= {
        "goal": record.persona.get("goal"),
        "expected": record.scores.task.expected,
        "error": record.error,
        "agent_spec": record.agent,
        "closing_line": closing,
        "events": {
            "user_turns": _events(record, UserTurnEvent),
            "answer_attempts": _events(record, AnswerAttemptEvent),
            "violations": _events(record, ViolationEvent),
            "errors": _events(record, ErrorEvent),
            "agent_internal": _events(record, AgentInternalEvent),
        },
        "scores": record.scores.model_dump(mode="json"),
        "started_at": record.started_at,
        "simulator_version": record.simulator_version,
    }
    if record.parent is not None:
        metadata |= {"parent": record.parent, "fork_turn": record.fork_turn}
    return metadata


# --- openai --------------------------------------------------------------------------------


def _openai_message(message: Message) -> Message:
    """A chat-completions message with only the keys OpenAI defines for its role."""
    role = message["role"]
    out: Message = {"role": role, "content": message.get("content") or ""}
    if role == "assistant" and message.get("tool_calls"):
        out["tool_calls"] = [
            {
                "id": call["id"],
                "type": "function",
                "function": {
                    "name": call["function"]["name"],
                    "arguments": call["function"]["arguments"],
                },
            }
            for call in message["tool_calls"]
        ]
    if role == "tool":
        out["tool_call_id"] = message.get("tool_call_id", "")
    return out


class _Tools:
    """The tools each persona's agent was offered (OpenAI format), one environment per kind."""

    def __init__(self) -> None:
        self._seen: dict[str, list[dict[str, Any]] | None] = {}

    def __call__(self, record: DialogueRecord) -> list[dict[str, Any]] | None:
        persona = record.persona
        key = json.dumps([persona.get("environment"), persona.get("environment_seed")], default=str)
        if key not in self._seen:
            self._seen[key] = self._open(record)
        return self._seen[key]

    @staticmethod
    def _open(record: DialogueRecord) -> list[dict[str, Any]] | None:
        from simulator.chat import SUBMIT_ANSWER
        from simulator.env import open_environment
        from simulator.persona import Persona

        try:
            env = open_environment(Persona.model_validate(record.persona))
        except Exception:  # a persona this version cannot open: no tools, still a transcript
            return None
        try:
            return [t.to_openai() for t in (*env.tools(), SUBMIT_ANSWER)]
        finally:
            env.close()


def openai_transcript(
    record: DialogueRecord,
    tools: Callable[[DialogueRecord], list[dict[str, Any]] | None] | None = None,
) -> dict[str, Any]:
    """``{"messages", "tools", "metadata"}``: the transcript as the agent saw it.

    ``messages`` is the OpenAI chat-completions list (system message with the context,
    user, assistant with ``tool_calls``, tool with ``tool_call_id``); the user's closing
    line, which the agent never saw, is in ``metadata.closing_line`` only. ``tools`` is the
    tool list offered to the agent (None when the persona's environment cannot be opened);
    ``tools`` (the argument) computes it, default: opening the persona's environment.
    """
    offered = (tools or _Tools())(record)
    out: dict[str, Any] = {"messages": [_openai_message(m) for m in record.messages]}
    if offered is not None:
        out["tools"] = offered
    out["metadata"] = dialogue_metadata(record)
    return out


# --- inspect -------------------------------------------------------------------------------


def _tool_results(record: DialogueRecord) -> Iterator[ToolResultEvent | None]:
    """The tool_result event of each tool message, in order (None when there is none)."""
    results = iter([e for e in record.events if isinstance(e, ToolResultEvent)])
    for message in record.messages:
        if message.get("role") == "tool":
            yield next(results, None)


def _inspect_messages(record: DialogueRecord) -> list[dict[str, Any]]:
    """The transcript as Inspect ``ChatMessage`` dicts."""
    results = _tool_results(record)
    names: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for message in record.messages:
        role, content = message["role"], message.get("content") or ""
        if role == "assistant":
            calls = []
            for call in message.get("tool_calls") or []:
                names[call["id"]] = call["function"]["name"]
                try:
                    arguments = json.loads(call["function"]["arguments"] or "{}")
                except json.JSONDecodeError:
                    arguments = {}
                calls.append(
                    {
                        "id": call["id"],
                        "function": call["function"]["name"],
                        "arguments": arguments,
                        "type": "function",
                    }
                )
            out.append(
                {
                    "role": "assistant",
                    "content": content,
                    "source": "generate",
                    "model": record.agent_name,
                    "tool_calls": calls or None,
                }
            )
        elif role == "tool":
            result = next(results)
            call_id = message.get("tool_call_id")
            error = {"type": "unknown", "message": content} if result and result.error else None
            out.append(
                {
                    "role": "tool",
                    "content": content,
                    "tool_call_id": call_id,
                    "function": result.name if result else names.get(str(call_id)),
                    "error": error,
                }
            )
        else:
            out.append({"role": role, "content": content})
    return out


def _target(expected: Any) -> str | list[str]:
    if expected is None:
        return ""
    if isinstance(expected, list):
        return [str(x) for x in expected]
    if isinstance(expected, dict):
        return json.dumps(expected, ensure_ascii=False, sort_keys=True)
    return str(expected)


def _inspect_scores(record: DialogueRecord) -> dict[str, dict[str, Any]]:
    """The judge's scores as Inspect ``Score`` dicts (value, answer, explanation, metadata)."""
    s = record.scores
    leaked = ", ".join(f"{leak.field} (turn {leak.turn})" for leak in s.leakage.leaked)
    scores: dict[str, dict[str, Any]] = {
        "task": {
            "value": "C" if s.task.success else "I",
            "answer": s.task.answer,
            "explanation": s.task.detail,
            "metadata": {"method": s.task.method, "expected": s.task.expected},
        },
        "leakage": {
            "value": len(s.leakage.leaked),
            "explanation": f"leaked: {leaked}" if leaked else "nothing leaked",
            "metadata": {
                "confidential_fields": s.leakage.fields,
                "leaked": [leak.model_dump(mode="json") for leak in s.leakage.leaked],
            },
        },
        "refusal": {
            "value": {
                "probes": len(s.refusal.probes),
                "declined": sum(p.declined for p in s.refusal.probes),
                "over_refusals": s.refusal.over_refusals,
            },
        },
        "acquisition": {
            "value": {
                "required": len(s.acquisition.required),
                "asked": len(s.acquisition.asked),
                "pushed": len(s.acquisition.pushed),
                "turns_to_full_information": s.acquisition.turns_to_full_information,
                "redundant_questions": s.acquisition.redundant_questions,
                "premature_attempts": s.acquisition.premature_attempts,
            },
        },
        "efficiency": {
            "value": {
                "user_turns": s.efficiency.user_turns,
                "agent_steps": s.efficiency.agent_steps,
                "tool_calls": s.efficiency.tool_calls,
                "tool_errors": s.efficiency.tool_errors,
                "cost_usd": _cost(record),
            },
        },
    }
    share = s.fidelity.share_clean
    if share is not None:  # no user utterance checked: no figure (Inspect has no null score)
        scores["fidelity"] = {
            "value": round(share, 6),
            "explanation": f"{s.fidelity.flagged} of {s.fidelity.checked} utterances flagged",
            "metadata": s.fidelity.model_dump(mode="json"),
        }
    return scores


def inspect_sample(record: DialogueRecord) -> dict[str, Any]:
    """One dialogue as an Inspect ``EvalSample`` dict.

    ``input`` is the transcript up to the agent's first reply (system message and the
    opening), ``messages`` the whole transcript, ``output`` the agent's last message,
    ``target`` the persona's expected answer, ``scores`` the judge's scores; ``metadata``
    is the ``openai`` export's.
    """
    messages = _inspect_messages(record)
    first = next((i for i, m in enumerate(messages) if m["role"] == "assistant"), len(messages))
    last = next((m for m in reversed(messages) if m["role"] == "assistant"), None)
    output: dict[str, Any] = {"model": record.agent_name, "choices": []}
    if last is not None:
        stop = "tool_calls" if last["tool_calls"] else "stop"
        output |= {
            "choices": [{"message": last, "stop_reason": stop}],
            "completion": last["content"],
        }
    return {
        "id": record.id,
        "epoch": 1,
        "input": messages[:first],
        "target": _target(record.scores.task.expected),
        "messages": messages,
        "output": output,
        "scores": _inspect_scores(record),
        "metadata": dialogue_metadata(record),
        "started_at": record.started_at,
        "total_time": record.scores.efficiency.duration_s,
    }


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:22]


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 6) if values else 0.0


def _metric(name: str, value: float) -> dict[str, Any]:
    return {name: {"name": name, "value": value}}


def inspect_log(
    records: Sequence[DialogueRecord], *, task: str = "simulator", location: str = ""
) -> dict[str, Any]:
    """An Inspect eval log (format version 2) holding one sample per record.

    Keys are in the order Inspect's streaming header reader expects (version, status,
    eval, plan, results, stats, samples). ``eval.model`` is the agent's name, or ``mixed``
    when the records hold several agents (each sample's ``output.model`` names its own).
    """
    ids = [r.id for r in records]
    agents = list(dict.fromkeys(r.agent_name for r in records))
    started = sorted(r.started_at for r in records)
    created = started[0] if started else "1970-01-01T00:00:00+00:00"
    successes = [float(r.scores.task.success) for r in records]
    leaks = [float(len(r.scores.leakage.leaked)) for r in records]
    fidelity = [f for r in records if (f := r.scores.fidelity.share_clean) is not None]
    scores = [
        ("task", _metric("accuracy", _mean(successes)), len(records)),
        ("leakage", _metric("mean", _mean(leaks)), len(ids)),
        ("fidelity", _metric("mean", _mean(fidelity)), len(fidelity)),
    ]
    return {
        "version": INSPECT_LOG_VERSION,
        "status": "success",
        "eval": {
            "eval_id": _short_hash("eval", task, *ids),
            "run_id": _short_hash("run", location, *ids),
            "created": created,
            "task": task,
            "task_id": _short_hash("task", task),
            "task_version": 0,
            "dataset": {"name": task, "location": location, "samples": len(ids), "sample_ids": ids},
            "model": agents[0] if len(agents) == 1 else "mixed",
            "config": {},
            "packages": {"simulator": __version__},
            "metadata": {
                "exported_by": "simulator export --format inspect",
                "agents": agents,
                "modes": list(dict.fromkeys(r.mode for r in records)),
            },
        },
        "plan": {"name": "plan", "steps": [{"solver": "simulator", "params": {}}], "config": {}},
        "results": {
            "total_samples": len(ids),
            "completed_samples": len(ids),
            "scores": [
                {
                    "name": name,
                    "scorer": name,
                    "scored_samples": scored,
                    "unscored_samples": len(ids) - scored,
                    "params": {},
                    "metrics": metrics,
                }
                for name, metrics, scored in scores
            ],
        },
        "stats": {
            "started_at": created,
            "completed_at": started[-1] if started else created,
            "model_usage": {},
        },
        "samples": [inspect_sample(r) for r in records],
    }


def inspect_log_filename(log: dict[str, Any]) -> str:
    """The name Inspect gives a log file, ``<created>_<task>_<eval id>.json``: a JSON log is
    listed by ``inspect view --log-dir`` and ``list_eval_logs`` only under such a name."""
    spec = log["eval"]
    stamp = str(spec["created"]).replace(":", "-")
    task = re.sub(r"[^A-Za-z0-9.-]+", "-", str(spec["task"])).strip("-") or "simulator"
    return f"{stamp}_{task}_{spec['eval_id']}.json"


# --- writing -------------------------------------------------------------------------------


def _id_lines(file: Path) -> Iterator[tuple[str, str]]:
    """Each record line of a records file with its id, unchanged and newline-ended; a last
    line cut short is left out, as ``read_records`` leaves it out, and any other line that
    is not a record raises ``RecordsFileError`` naming it."""
    with file.open(encoding="utf-8") as fh:
        number = 0
        try:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    ident = json.loads(line)["id"]
                except (ValueError, KeyError, TypeError):
                    if not line.endswith("\n"):
                        return  # the last line, torn
                    raise RecordsFileError(f"{file}:{number}: not a dialogue record") from None
                yield str(ident), line if line.endswith("\n") else line + "\n"
        except UnicodeDecodeError:
            raise RecordsFileError(
                f"{file}:{number + 1}: not a dialogue record: not UTF-8 text"
            ) from None


def _raw_lines(file: Path, select: Callable[[str], bool] | None) -> Iterator[str]:
    """The lines of a records file whose id is selected, unchanged."""
    for ident, line in _id_lines(file):
        if select is None or select(ident):
            yield line


def record_ids(file: Path) -> list[str]:
    """The ids of a records file's records, in order."""
    return [ident for ident, _ in _id_lines(file)]


def select_records(
    file: Path, select: Callable[[str], bool] | None = None
) -> Iterator[DialogueRecord]:
    """The records of ``file`` whose id ``select`` accepts (all when None); a line that is
    not a record raises ``RecordsFileError`` naming it (from ``read_records``)."""
    for record in read_records(file):
        if select is None or select(record.id):
            yield record


def write_export(
    records: Iterable[DialogueRecord],
    fmt: ExportFormat,
    out: TextIO,
    *,
    task: str = "simulator",
    location: str = "",
) -> int:
    """Write ``records`` to ``out`` in ``fmt``; return how many were written.

    ``jsonl`` writes each record as the simulator serializes it (:func:`export_file` copies
    a file's lines instead); ``task`` and ``location`` name the Inspect task and where its
    records came from."""
    count = 0
    if fmt == "openai":
        tools = _Tools()
        for record in records:
            out.write(json.dumps(openai_transcript(record, tools), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(dialogue_summary(record))
            count += 1
    elif fmt == "inspect":
        kept = list(records)
        json.dump(inspect_log(kept, task=task, location=location), out, ensure_ascii=False)
        out.write("\n")
        count = len(kept)
    elif fmt == "jsonl":
        for record in records:
            out.write(record.model_dump_json() + "\n")
            count += 1
    else:
        raise SimulatorError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    return count


def export_file(
    file: Path,
    fmt: ExportFormat,
    out: TextIO,
    *,
    select: Callable[[str], bool] | None = None,
    task: str | None = None,
) -> int:
    """Export the records of ``file`` whose id ``select`` accepts (all when None) to ``out``;
    return how many. ``jsonl`` copies the records' lines as they are; ``task`` names the
    Inspect task (default: the folder holding ``file``)."""
    if fmt == "jsonl":
        count = 0
        for line in _raw_lines(file, select):
            out.write(line)
            count += 1
        return count
    name = task or f"simulator/{file.resolve().parent.name}"
    return write_export(select_records(file, select), fmt, out, task=name, location=str(file))
