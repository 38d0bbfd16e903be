"""Running a run's dialogues as Ray tasks (``executor: ray``): the engine past one machine.

The pending jobs are dealt round-robin into batches (``shard``, as the local workers get
theirs); each batch is one Ray task that runs its jobs with its own event loop, model
registry and ``concurrency`` limit (``run_each``, as a local worker does) and yields
each finished record as one JSON line the moment its dialogue ends (a streaming
generator). The driver, the only writer of ``dialogues.jsonl``, appends and flushes each
line whole (``RecordWriter``, shared with the local workers) and reports it to
``on_done``: one progress bar, and a killed run resumes like any other (only the missing
ids are submitted). A batch Ray retries after losing its node may yield a dialogue twice:
the driver keeps the first and drops the copy.

The budget is one run-wide counter held by a small Ray actor: every model call of every
task reads it before the call and adds its cost after, and every task reads it before
starting a dialogue, so the granularity is one model call, as on one machine (at the
price of a round trip to the actor per call). The driver submits at most two batches per
CPU of the cluster at a time and submits no more once the budget is spent.

Connecting: ``ray.init(address)``, where no address means ``RAY_ADDRESS`` (an existing
cluster), else a Ray started on this machine by ``ray start``, else a new local instance,
which is shut down at the end. Ray is an optional extra (``pip install 'simulator[ray]'``);
this module imports it only when a run asks for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import math
import os
import queue
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from simulator.errors import SimulatorError
from simulator.models import Budget
from simulator.record import DialogueRecord
from simulator.run._batch import DialogueJob, run_each
from simulator.run._gc import tuned_gc
from simulator.run._parallel import RecordWriter, shard

RAY_MISSING: Final = "--executor ray needs Ray, an optional extra: pip install 'simulator[ray]'"
BATCHES_PER_SLOT: Final = 4  # batches per CPU of the cluster, so that fast ones even out
FORWARDED_PREFIX: Final = "SIMULATOR_"  # the driver's settings (prices, cache, limits)


def import_ray() -> Any:
    """The ``ray`` module, or a one-line ``SimulatorError`` saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise SimulatorError(RAY_MISSING) from None


def check_ray_address(address: str | None) -> None:
    """Fail in one line if the cluster named (``address``, else ``RAY_ADDRESS``) does not
    answer at its host and port: Ray itself would retry for minutes. ``auto``, ``local``
    and ``ray://`` client addresses are left to Ray."""
    where = address or os.environ.get("RAY_ADDRESS")
    if not where or where in ("auto", "local") or "://" in where:
        return
    host, sep, port = where.rpartition(":")
    if not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=5).close()
    except OSError as exc:
        raise SimulatorError(
            f"cannot reach the Ray cluster at {where}: {exc.strerror or exc} (is it started? "
            "ray start --head)"
        ) from None


def batch_size(pending: int, slots: int, concurrency: int) -> int:
    """Dialogues per Ray task: about ``BATCHES_PER_SLOT`` batches per CPU, but never fewer
    than ``concurrency`` (a task fills its concurrency) nor more than 8 × ``concurrency``
    (a batch retried after a lost node redoes little)."""
    even = math.ceil(pending / max(1, slots * BATCHES_PER_SLOT))
    return max(1, min(max(even, concurrency), 8 * concurrency))


class _SpendCounter:
    """The run-wide spend, as a Ray actor: its methods run one at a time."""

    def __init__(self, spent_usd: float) -> None:
        self._spent = spent_usd

    def spend(self, usd: float) -> float:
        self._spent += usd
        return self._spent

    def spent(self) -> float:
        return self._spent


class CounterBudget(Budget):
    """A ``Budget`` whose spend is a ``_SpendCounter`` actor's, charged by every Ray task:
    ``exhausted`` (so ``check``, before each model call) reads it, ``spend`` adds to it."""

    def __init__(self, limit_usd: float | None, counter: Any) -> None:
        super().__init__(limit_usd)
        self._counter = counter

    @property
    def exhausted(self) -> bool:
        self._spent = float(import_ray().get(self._counter.spent.remote()))
        return self.limit_usd is not None and self._spent >= self.limit_usd

    def spend(self, usd: float) -> None:
        with self._lock:
            self._spent = float(import_ray().get(self._counter.spend.remote(usd)))


def run_batch(
    jobs: list[DialogueJob],
    settings: dict[str, Any],
    models: list[str],
    limit_usd: float | None,
    counter: Any,
) -> Iterator[tuple[str, str]]:
    """One Ray task: run ``jobs`` (``run_each`` on an event loop of its own thread),
    yielding ``(id, record JSON)`` as each dialogue ends.

    Fails before the first dialogue if a model has no key on this node (a folder of
    ``agent_error`` records would otherwise be written, and never re-run by a resume).
    """
    from simulator.run._runner import check_model_credentials

    budget = CounterBudget(limit_usd, counter) if counter is not None else None
    out: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    stop = threading.Event()  # set when the task is cancelled or the driver is gone

    async def run() -> None:
        check_model_credentials(models)  # the SDK clients are made in the run's loop
        await run_each(
            jobs,
            lambda r: out.put(("record", (r.id, r.model_dump_json()))),
            budget=budget,
            stop=stop.is_set,
            **settings,
        )

    def work() -> None:
        try:
            with tuned_gc():
                asyncio.run(run())
        except BaseException as exc:  # raised in the task, so the driver sees it
            out.put(("error", exc))
        else:
            out.put(("done", None))

    thread = threading.Thread(target=work, name="simulator-batch", daemon=True)
    thread.start()
    try:
        while True:
            try:  # a timeout, so that a cancel (raised between bytecodes) gets in
                kind, payload = out.get(timeout=0.5)
            except queue.Empty:
                continue
            if kind == "record":
                yield payload
            elif kind == "error":
                raise payload
            else:
                break
    finally:
        stop.set()  # dialogues in flight finish; no new one starts
    thread.join()


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _task_failure(exc: BaseException) -> SimulatorError:
    """One line for a failed task: its own error when it is one of ours."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, SimulatorError):
        return SimulatorError(f"on a Ray node: {cause}")
    if isinstance(cause, BaseException):
        return SimulatorError(f"a Ray task failed: {type(cause).__name__}: {_first_line(cause)}")
    return SimulatorError(f"a Ray task failed: {_first_line(exc)}")


def forwarded_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The driver's ``SIMULATOR_*`` settings, given to the tasks (never any key)."""
    env = os.environ if environ is None else environ
    return {k: v for k, v in env.items() if k.startswith(FORWARDED_PREFIX)}


async def run_jobs_on_ray(
    jobs: Sequence[DialogueJob],
    out_dir: Path,
    *,
    settings: dict[str, Any],
    budget: Budget | None,
    models: Sequence[str] = (),
    address: str | None = None,
    on_done: Callable[[DialogueRecord], None] | None = None,
) -> int:
    """Run ``jobs`` (already filtered to the missing ones) as Ray tasks; the driver appends
    every record to ``out_dir/dialogues.jsonl``. ``settings`` are ``run_each``'s keywords
    (concurrency, limits, roles); ``models`` the model strings whose keys each task checks.
    ``budget`` holds the spend so far and, at the end, the run's. Return how many ran."""
    ray = import_ray()
    if not jobs:  # a finished run resumed: no need for a cluster
        return 0
    started = False
    if not ray.is_initialized():
        check_ray_address(address)
        try:
            ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = address or os.environ.get("RAY_ADDRESS") or "a local Ray"
            raise SimulatorError(f"cannot start or reach {where}: {_first_line(exc)}") from None
        started = True
    writer = RecordWriter(out_dir, on_done)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
    size = batch_size(len(jobs), slots, int(settings["concurrency"]))
    batches = shard(jobs, math.ceil(len(jobs) / size))
    counter = None
    if budget is not None:
        counter = ray.remote(num_cpus=0)(_SpendCounter).remote(budget.spent_usd)
    env = forwarded_env()
    options: dict[str, Any] = {"num_cpus": 1, "num_returns": "streaming"}
    if env:
        options["runtime_env"] = {"env_vars": env}
    task = ray.remote(**options)(run_batch)
    limit = budget.limit_usd if budget is not None else None
    written: set[str] = set()
    running: dict[asyncio.Task[None], Any] = {}

    async def consume(stream: Any) -> None:
        try:
            async for ref in stream:
                job_id, line = await ref
                if job_id not in written:  # a retried batch may yield a dialogue again
                    written.add(job_id)
                    writer.write(line)
        except ray.exceptions.RayError as exc:
            raise _task_failure(exc) from None

    async def spent() -> bool:
        if counter is None or limit is None:
            return False
        return float(await counter.spent.remote()) >= limit

    try:
        with writer:
            pending = iter(batches)
            while True:
                while len(running) < 2 * slots and not await spent():
                    batch = next(pending, None)
                    if batch is None:
                        break
                    stream = task.remote(batch, settings, list(models), limit, counter)
                    running[asyncio.ensure_future(consume(stream))] = stream
                if not running:
                    break
                finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for done in finished:
                    del running[done]
                    done.result()  # a failed task fails the run
    finally:
        for future, stream in running.items():
            future.cancel()
            with contextlib.suppress(Exception):  # already finished, or the cluster is gone
                ray.cancel(stream)
        if running:
            await asyncio.wait(running, timeout=5)
        if counter is not None and budget is not None:
            with contextlib.suppress(Exception):  # the count is only for the report
                budget.spend(float(ray.get(counter.spent.remote())) - budget.spent_usd)
                ray.kill(counter)
        if started:
            ray.shutdown()
    return writer.ran
