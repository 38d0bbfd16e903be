"""Running many dialogues: a bounded pool of workers appending records as each dialogue ends."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from simulator.agent import AgentSpec
from simulator.errors import RecordsFileError
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_MAX_STEPS, DEFAULT_MAX_TURNS
from simulator.models import Budget, ModelRegistry, Roles
from simulator.persona import Mode, Persona
from simulator.record import DialogueRecord, dialogue_id
from simulator.run._gc import tuned_gc

RECORDS_FILE = "dialogues.jsonl"


@dataclass(frozen=True)
class DialogueJob:
    """One dialogue to run."""

    persona: Persona
    agent: AgentSpec
    mode: Mode
    seed: int

    @property
    def id(self) -> str:
        return dialogue_id(self.persona.id, self.agent.name, self.mode.value, self.seed)


def plan(
    personas: Sequence[Persona],
    agents: Sequence[AgentSpec],
    modes: Sequence[Mode],
    seeds: Sequence[int],
) -> list[DialogueJob]:
    """Every persona × agent × mode × seed, in a stable order."""
    return [
        DialogueJob(p, a, m, s) for a, m, p, s in itertools.product(agents, modes, personas, seeds)
    ]


def completed_ids(path: Path) -> set[str]:
    """Ids of the records already in a records file. A last line cut short (a run killed
    while writing it) is ignored; any other line that is not a record raises
    ``RecordsFileError`` naming it, since no run writes one."""
    if not path.exists():
        return set()
    ids: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                if not line.endswith("\n"):
                    continue  # the last line, torn
                raise RecordsFileError(
                    f"{path}:{number}: not a dialogue record; a run writes whole records "
                    "only, so something else wrote this line: remove it and run again"
                ) from None
    return ids


def read_records(path: str | os.PathLike[str]) -> Iterator[DialogueRecord]:
    """Stream the records of a records file (``dialogues.jsonl``, ``forks.jsonl``), or of a
    run folder's ``dialogues.jsonl``, one at a time (a run of any size reads in constant
    memory).

    A last line cut short (a run still writing it, or killed while it did) is left out,
    as a resume leaves it out; any other line that is not a record raises
    ``RecordsFileError`` (a ``ValueError``) naming the file, the line and what is wrong."""
    path = Path(path)
    if path.is_dir():
        path = path / RECORDS_FILE
    with path.open(encoding="utf-8") as fh:
        number = 0
        try:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = DialogueRecord.model_validate_json(line)
                except ValidationError as exc:
                    if not line.endswith("\n") and _cut_short(exc):
                        return  # the last line, still being written or torn by a kill
                    raise RecordsFileError(f"{path}:{number}: {_not_a_record(exc)}") from None
                yield record
        except UnicodeDecodeError:
            raise RecordsFileError(
                f"{path}:{number + 1}: not a dialogue record: not UTF-8 text"
            ) from None


def _cut_short(exc: ValidationError) -> bool:
    return any(e["type"] == "json_invalid" for e in exc.errors(include_url=False))


def _not_a_record(exc: ValidationError) -> str:
    """What is wrong with a line that is not a record, in a few words."""
    if _cut_short(exc):
        return "not a dialogue record: not a line of JSON"
    errors = exc.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"not a dialogue record: {where}: {first['msg']}{more}"


def drop_torn_tail(path: Path) -> None:
    """Make ``path`` end with a newline, so appends stay valid JSONL: a last line that is a
    whole record gets its newline; one cut short by a kill is cut off (its dialogue runs
    again). Reads only the last line, however big the file."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("r+b") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
        pos, start = fh.tell(), 0
        while pos > 0:  # back to the last line's start, a block at a time
            step = min(1 << 16, pos)
            pos -= step
            fh.seek(pos)
            newline = fh.read(step).rfind(b"\n")
            if newline >= 0:
                start = pos + newline + 1
                break
        fh.seek(start)
        if _is_record(fh.read()):
            fh.write(b"\n")  # at the end: the read left the position there
        else:
            fh.truncate(start)


def _is_record(line: bytes) -> bool:
    try:
        data = json.loads(line)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("id"), str)


_BUDGET_CUT = b'"end_reason":"budget_exceeded"'


def drop_budget_cut(path: Path) -> tuple[int, float]:
    """Take the records of the dialogues the run's budget cut short out of ``path``, so
    that a resume runs them again (the budget is the run's limit, not the agent's doing);
    return how many there were and what their model calls cost."""
    if not path.exists() or _BUDGET_CUT not in path.read_bytes():
        return 0, 0.0
    dropped, spent = 0, 0.0
    tmp = path.with_name(path.name + ".tmp")
    with path.open("rb") as source, tmp.open("wb") as kept:
        for line in source:
            if _BUDGET_CUT in line:
                try:
                    data = json.loads(line)
                except ValueError:
                    data = None
                if isinstance(data, dict) and data.get("end_reason") == "budget_exceeded":
                    models = data.get("scores", {}).get("efficiency", {}).get("models", {})
                    spent += sum(float(m.get("cost_usd", 0.0)) for m in models.values())
                    dropped += 1
                    continue
            kept.write(line)
    os.replace(tmp, path)
    return dropped, spent


async def run_jobs(
    jobs: Iterable[DialogueJob],
    out_dir: Path,
    *,
    concurrency: int = 8,
    max_turns: int = DEFAULT_MAX_TURNS,
    max_steps: int = DEFAULT_MAX_STEPS,
    step_timeout: float | None = 60.0,
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    on_done: Callable[[DialogueRecord], None] | None = None,
    roles: Roles | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> int:
    """Run the jobs not yet in ``out_dir/dialogues.jsonl``; return how many ran.

    Each record is appended and flushed as its dialogue ends, so a killed run loses only
    the dialogues in flight, and running again with the same jobs finishes the rest.
    Jobs are pulled lazily and records are never kept, so memory does not grow with the
    number of dialogues. Once ``budget`` is exhausted no new dialogue starts (those in
    flight finish). ``models`` is the run's model registry (clients, cache, limits).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / RECORDS_FILE
    drop_torn_tail(path)
    done = completed_ids(path)
    pending = (job for job in jobs if job.id not in done)
    with path.open("ab") as fh, tuned_gc():

        def write(record: DialogueRecord) -> None:
            # one write of one whole line: a kill can tear only the last line
            fh.write(record.model_dump_json().encode() + b"\n")
            fh.flush()
            if on_done is not None:
                on_done(record)

        return await run_each(
            pending,
            write,
            concurrency=concurrency,
            max_turns=max_turns,
            max_steps=max_steps,
            step_timeout=step_timeout,
            max_message_chars=max_message_chars,
            roles=roles,
            budget=budget,
            models=models,
        )


async def run_each(
    jobs: Iterable[DialogueJob],
    emit: Callable[[DialogueRecord], None],
    *,
    concurrency: int,
    max_turns: int,
    max_steps: int,
    step_timeout: float | None,
    max_message_chars: int,
    roles: Roles | None,
    budget: Budget | None,
    models: ModelRegistry | None = None,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Run ``jobs`` with ``concurrency`` dialogues in flight, handing each record to ``emit``
    as it ends; no new dialogue starts once ``budget`` is exhausted or ``stop()`` is true."""
    from simulator.run._dialogue import run_dialogue  # LangGraph: only where dialogues run

    pending = iter(jobs)
    ran = 0

    async def worker(first: DialogueJob) -> None:
        nonlocal ran
        for job in itertools.chain((first,), pending):
            if (budget is not None and budget.exhausted) or (stop is not None and stop()):
                return
            record = await run_dialogue(
                job.persona,
                job.agent,
                job.mode,
                seed=job.seed,
                max_turns=max_turns,
                max_steps=max_steps,
                step_timeout=step_timeout,
                max_message_chars=max_message_chars,
                roles=roles,
                budget=budget,
                models=models,
            )
            emit(record)
            ran += 1

    # one worker per dialogue in flight, never more than there are dialogues: a huge
    # concurrency costs nothing
    firsts = list(itertools.islice(pending, max(1, min(concurrency, sys.maxsize))))
    await asyncio.gather(*(worker(first) for first in firsts))
    return ran
