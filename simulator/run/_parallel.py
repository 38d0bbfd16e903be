"""Running a run's dialogues in several processes on one machine (``workers`` > 1).

The pending jobs are dealt round-robin to N worker processes (``spawn`` context), each
running its share with its own event loop and model registry. ``concurrency`` is the
run's total, dealt out among the workers as evenly as it goes (``split``): N workers at
concurrency C keep C dialogues in flight, as one process does, only on N cores.
Workers never touch ``dialogues.jsonl``: each finished record goes back to the parent as
one JSON line over the worker's own pipe, and the parent, the only writer, appends and
flushes it whole (so no line is torn or interleaved) and reports it to ``on_done`` (one
progress bar). A worker writes to its pipe from its event loop's thread: a
``multiprocessing.Queue`` would hand each record to a feeder thread, and the two threads'
trading of the GIL cost a worker whose loop is busy up to about 1.5 ms of CPU per record.

The budget is one run-wide counter in shared memory (``SharedBudget``): every model call
of every worker checks and charges it, exactly as the threads of one process do, so the
granularity is one model call, as with one worker. A worker whose parent is gone (killed,
crashed) exits at once, in-flight dialogues and all: nobody would write their records,
and their model calls would cost for nothing. It watches the parent's sentinel from its
event loop, so a worker stuck in a slow model call or agent exits as soon as the parent
does.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
from collections.abc import Awaitable, Callable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from shlex import quote
from typing import Any, BinaryIO, Final

from simulator.errors import SimulatorError
from simulator.models import Budget, Roles
from simulator.record import DialogueRecord
from simulator.run._batch import RECORDS_FILE, DialogueJob, drop_torn_tail, run_each
from simulator.run._gc import tuned_gc

_CONTEXT: Final = "spawn"  # portable, and a worker inherits no event loop or open file


class SharedBudget(Budget):
    """A ``Budget`` whose spend lives in shared memory, charged by every worker process."""

    def __init__(self, limit_usd: float | None, spent: Synchronized[float]) -> None:
        super().__init__(limit_usd)
        self._shared = spent

    @classmethod
    def new(cls, limit_usd: float | None, spent_usd: float = 0.0) -> SharedBudget:
        """A shared budget with ``spent_usd`` already charged (the records of a resume)."""
        return cls(limit_usd, mp.get_context(_CONTEXT).Value("d", spent_usd))

    @property
    def spent_usd(self) -> float:
        return float(self._shared.value)

    @property
    def exhausted(self) -> bool:
        return self.limit_usd is not None and self.spent_usd >= self.limit_usd

    def check(self) -> None:
        self._spent = self.spent_usd  # the base class words its message from _spent
        super().check()

    def spend(self, usd: float) -> None:
        with self._shared.get_lock():
            self._shared.value += usd


class RecordWriter:
    """The parent's end of a run shared among processes (or Ray tasks): the only writer of
    ``dialogues.jsonl``. Each record arrives as one JSON line and is appended in one write
    and flushed, so no line is torn or interleaved; ``on_done`` sees every record once."""

    def __init__(
        self, out_dir: Path, on_done: Callable[[DialogueRecord], None] | None = None
    ) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / RECORDS_FILE
        drop_torn_tail(self.path)
        self.on_done = on_done
        self.ran = 0
        self._fh: BinaryIO | None = None

    def __enter__(self) -> RecordWriter:
        self._fh = self.path.open("ab")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def write(self, payload: str) -> None:
        """Append one record, given as its JSON text (no newline)."""
        assert self._fh is not None, "RecordWriter used outside its with block"
        line = payload.encode() + b"\n"
        self._fh.write(line)  # one write of one whole line, by the only writer
        self._fh.flush()
        self.ran += 1
        if self.on_done is not None:
            self.on_done(DialogueRecord.model_validate_json(line))


def _worker(
    jobs: list[DialogueJob],
    out: Connection,
    settings: dict[str, Any],
    limit_usd: float | None,
    spent: Synchronized[float] | None,
    initializer: Callable[[], None] | None = None,
) -> None:
    """One worker process: run its jobs, sending each record to the parent as a JSON line."""
    parent = mp.parent_process()

    def orphaned() -> bool:
        return parent is not None and not parent.is_alive()

    try:
        if initializer is not None:
            initializer()
        budget = SharedBudget(limit_usd, spent) if spent is not None else None
        with tuned_gc():
            asyncio.run(
                _watching(
                    parent,
                    run_each(
                        jobs,
                        lambda record: out.send(("record", record.model_dump_json())),
                        budget=budget,
                        stop=orphaned,
                        **settings,
                    ),
                )
            )
    except BaseException as exc:  # reported to the parent, which raises it
        if orphaned():
            return  # nobody reads the pipe any more
        with contextlib.suppress(OSError):  # the parent went since
            out.send(("error", f"{type(exc).__name__}: {exc}"))
        raise
    try:
        out.send(("done", None))
    except OSError:  # BrokenPipeError: the parent is gone, and with it the run
        if not orphaned():
            raise


_ORPHANED_EXIT: Final = 3  # the exit code of a worker whose parent went first


async def _watching(parent: mp.process.BaseProcess | None, work: Awaitable[object]) -> None:
    """Await ``work``, leaving the process the moment ``parent`` is gone (its sentinel
    turns readable): no cancellation to wait for, no thread of a sync agent to join."""
    if parent is not None:
        asyncio.get_running_loop().add_reader(parent.sentinel, os._exit, _ORPHANED_EXIT)
    await work


def shard(jobs: Sequence[DialogueJob], workers: int) -> list[list[DialogueJob]]:
    """Deal the jobs round-robin: each worker gets a mix of agents, modes and personas."""
    return [list(jobs[i::workers]) for i in range(workers)]


def split(concurrency: int, workers: int) -> list[int]:
    """The run's ``concurrency`` dealt out among ``workers``: shares that differ by at most
    one and add up to it (``split(64, 3)`` is ``[22, 21, 21]``); never more workers than
    dialogues in flight, so each share is at least 1."""
    workers = max(1, min(workers, concurrency))
    return [concurrency // workers + (i < concurrency % workers) for i in range(workers)]


async def run_jobs_in_processes(
    jobs: Sequence[DialogueJob],
    out_dir: Path,
    *,
    workers: int,
    concurrency: int,
    max_turns: int,
    max_steps: int,
    step_timeout: float | None,
    max_message_chars: int,
    roles: Roles | None,
    budget: SharedBudget | None,
    on_done: Callable[[DialogueRecord], None] | None = None,
    initializer: Callable[[], None] | None = None,
) -> int:
    """Run ``jobs`` (already filtered to the missing ones) in ``workers`` processes; the
    parent appends every record to ``out_dir/dialogues.jsonl``. Return how many ran.

    ``concurrency`` is the total number of dialogues in flight, shared among the workers
    (``split``); with fewer than ``workers`` dialogues in flight, fewer workers start.

    ``initializer`` (picklable, as for ``ProcessPoolExecutor``) runs first in each
    worker: e.g. registering models in the worker's default registry.
    """
    writer = RecordWriter(out_dir, on_done)
    ctx = mp.get_context(_CONTEXT)
    settings = {
        "max_turns": max_turns,
        "max_steps": max_steps,
        "step_timeout": step_timeout,
        "max_message_chars": max_message_chars,
        "roles": roles,
    }
    spent = budget._shared if budget is not None else None
    limit = budget.limit_usd if budget is not None else None
    shares = split(concurrency, min(workers, len(jobs)))
    pipes: dict[Connection, mp.process.BaseProcess] = {}
    for share, c in zip(shard(jobs, len(shares)), shares, strict=True):
        if not share:
            continue
        reader, sender = ctx.Pipe(duplex=False)
        args = (share, sender, {**settings, "concurrency": c}, limit, spent, initializer)
        worker = ctx.Process(target=_worker, args=args, daemon=True)
        worker.start()
        sender.close()  # the worker holds the only sending end: its exit closes the pipe
        pipes[reader] = worker
    procs = list(pipes.values())
    loop = asyncio.get_running_loop()
    try:
        with writer:
            while pipes:  # the pipes of the workers that have not said they are done
                ready = await loop.run_in_executor(None, wait, list(pipes), 0.5)
                for conn in ready:
                    assert isinstance(conn, Connection)
                    try:
                        kind, payload = conn.recv()
                    except EOFError:  # the worker is gone without saying it was done
                        dead = pipes.pop(conn)
                        conn.close()
                        dead.join(5)
                        raise SimulatorError(
                            f"a worker process died (exit code {dead.exitcode}); the records "
                            "so far are kept: finish with simulator run --resume "
                            + quote(str(out_dir))
                        ) from None
                    if kind == "record":
                        writer.write(payload)
                    elif kind == "error":
                        raise SimulatorError(f"a worker process failed: {payload}")
                    else:
                        del pipes[conn]
                        conn.close()
    finally:
        for conn, unfinished in pipes.items():  # left only when the run stops early
            if unfinished.is_alive():
                unfinished.terminate()
            conn.close()
        for proc in procs:
            proc.join()
    return writer.ran
