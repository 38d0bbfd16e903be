"""Lost in Conversation sharded instructions (Microsoft, MIT licence) as personas.

The format is that of ``data/sharded_instructions_600.json`` in
microsoft/lost_in_conversation: a list of samples, each with ``task_id``, ``task``
(``code``, ``database``, ``actions``, ``math``, ``data2text``, ``summary``,
``translation``), ``shards`` (``[{"shard_id": 1, "shard": "..."}, ...]``; the README
says ``shard_text``, the data and code say ``shard``; both are read) and the task's own
keys (the reference answer among them). Shard 1 is the opening and every later shard a
fact, in order, so ``sharded`` mode plays their protocol (one shard per turn) with a
verified ledger. How each task's answer becomes ``expect`` is in docs/importers.md.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.errors import SimulatorError
from simulator.importers._common import (
    ImportResult,
    distinct_cues,
    read_tasks,
    safe_id,
)

SOURCE = "Lost in Conversation (microsoft/lost_in_conversation, MIT)"

TASKS = ("math", "translation", "data2text", "database", "actions", "code", "summary")
"""The task kinds of the sharded instructions; all but code and summary are imported."""

_GOALS = {
    "math": "Get the answer to a math word problem, given a little at a time.",
    "translation": "Get a German document translated into English, chunk by chunk.",
    "data2text": "Get a one-sentence description of a table, given hint by hint.",
    "database": "Get an SQL query for a question about a database.",
    "actions": "Get the function call(s) that do what the user asks.",
}
_ANSWER_FORM = {
    "math": "a single number",
    "translation": "the English translation of the whole document so far",
    "data2text": "one sentence describing the highlighted cells of the table",
    "database": "one SQL query",
    "actions": "function calls, [func(param=value, ...), ...]",
}
_TRANSLATE_FIRST = (
    "I'm translating a German document into English as it comes in, chunk by chunk. "
    "Each time, give me the English translation of the whole document so far.\n\n"
    "Chunk 1:\n\n"
)
_CHUNK_CUES = ["chunk", "next part", "rest of the document", "more text"]


def _shards(sample: Mapping[str, Any]) -> list[tuple[int, str]]:
    shards = sample.get("shards")
    if not isinstance(shards, list) or not shards:
        raise ValueError("no shards")
    out = []
    for i, shard in enumerate(shards, 1):
        if not isinstance(shard, dict):
            raise ValueError("a shard is not an object")
        text = shard.get("shard", shard.get("shard_text"))
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"shard {shard.get('shard_id', i)} has no text")
        out.append((int(shard.get("shard_id", i)), text.strip()))
    return sorted(out)


def _gsm8k_answer(answer: str) -> str:
    """The number after ``####`` of a GSM8K answer (their evaluator's gold)."""
    if "####" not in answer:
        raise ValueError("math answer has no '#### NUMBER' line")
    return answer.split("####")[1].strip().replace(",", "").replace("$", "")


def _expect(sample: Mapping[str, Any], task: str, threshold: float | None) -> dict[str, Any]:
    grade = {"grade": {"threshold": threshold}} if threshold is not None else {}
    if task == "math":
        return {"match": "number", "answer": _gsm8k_answer(str(sample["answer"]))}
    if task == "translation":
        return {"match": "bleu", "answer": str(sample["document_en"]), **grade}
    if task == "data2text":
        refs = [str(r) for r in sample["references"]]
        return {"match": "bleu", "answer": refs if len(refs) > 1 else refs[0], **grade}
    if task == "database":
        return {
            "match": "judge",
            "answer": str(sample["reference_sql"]),
            "rubric": "An SQL query returning the same rows as the expected one on the Spider "
            f"database '{sample.get('db_id', '?')}' (Lost in Conversation: execution match).",
        }
    if task == "actions":
        return {
            "match": "judge",
            "answer": json.dumps(sample["reference_answer"], ensure_ascii=False),
            "rubric": "Function calls matching the expected ones (names, and each parameter "
            "one of its allowed values), as the BFCL AST checker reads them.",
        }
    raise ValueError(f"task '{task}' is not imported")


def _lic_sample(
    sample: Mapping[str, Any], threshold: float | None
) -> tuple[dict[str, Any], list[str]]:
    task = str(sample.get("task") or "")
    if task == "code":
        raise ValueError("code tasks are graded by running test cases: not importable")
    if task == "summary":
        raise ValueError("summary tasks are graded by an LLM on insights and citations")
    if task not in _GOALS:
        raise ValueError(f"unknown task '{task}'; expected one of {', '.join(TASKS)}")
    shards = _shards(sample)
    notes: list[str] = []
    (_, first), rest = shards[0], shards[1:]
    if task == "translation":
        opening = _TRANSLATE_FIRST + first
        says = [
            "Here is the next chunk. Please translate the entire document so far.\n\n"
            f"Chunk {i}:\n\n{text}"
            for i, (_, text) in enumerate(rest, 2)
        ]
        cues = [list(_CHUNK_CUES) for _ in rest]
    else:
        opening = first
        says = [text for _, text in rest]
        cues = distinct_cues([t for _, t in rest], avoid=first)
    facts = [
        {
            "id": f"shard{sid}",
            "value": text,
            "say": say,
            "cues": cue,
            "kind": "text",
        }
        for (sid, text), say, cue in zip(rest, says, cues, strict=True)
    ]
    context: dict[str, Any] = {"task": task, "answer_format": _ANSWER_FORM[task]}
    if task == "database" and sample.get("schema_sql"):
        context["database_schema"] = str(sample["schema_sql"])
    if task == "actions" and sample.get("function") is not None:
        context["functions"] = json.dumps(sample["function"], ensure_ascii=False)
    expect = _expect(sample, task, threshold)
    if expect["match"] == "judge":
        notes.append("judged by an LLM judge (offline: by text overlap with the answer)")
    if expect["match"] == "bleu":
        notes.append("graded by BLEU as Lost in Conversation scores it (sacreBLEU defaults)")
    task_id = str(sample.get("task_id") or "?")
    data: dict[str, Any] = {
        "id": f"lic.{task}.{safe_id(task_id)}",
        "name": "LiC user",
        "role": "A user of a chat assistant, in a hurry",
        "family": f"lic-{task}",
        "tags": ["lic", task, *(["llm-only"] if expect["match"] == "judge" else [])],
        "traits": {"verbosity": "terse", "disclosure": "sharded"},
        "goal": _GOALS[task],
        "context": context,
        "opening": opening,
        "facts": facts,
        "expect": expect,
    }
    return data, notes


def import_lic(
    path: Path,
    *,
    tasks: Sequence[str] = (),
    threshold: float | None = None,
    on_task: Callable[[str], None] | None = None,
) -> ImportResult:
    """Personas for the samples of a Lost in Conversation sharded-instructions file.

    ``tasks`` keeps only those task kinds (default: every importable one);
    ``threshold`` is the graded tasks' success threshold (default 1.0: success only
    for a perfect score; their figures are the mean score).
    """
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown:
        raise SimulatorError(
            f"unknown task kind {', '.join(map(repr, unknown))}; Lost in Conversation's are: "
            f"{', '.join(TASKS)} (all but code and summary are imported)"
        )
    result = ImportResult()
    for sample in read_tasks(path):
        task_id = str(sample.get("task_id", "?"))
        if tasks and str(sample.get("task")) not in tasks:
            continue
        if on_task is not None:
            on_task(task_id)
        source = f"Imported from {SOURCE}: {path}, sample {json.dumps(task_id)}"
        result.add(task_id, functools.partial(_lic_sample, sample, threshold), source)
    return result
