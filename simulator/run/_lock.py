"""One run at a time in a run folder.

Two ``simulator run`` processes appending to one ``dialogues.jsonl`` would each run the
dialogues the other has not finished yet, and the folder would hold some dialogues twice
(a second terminal resuming a run that is in fact still going). ``run_lock`` takes an
exclusive lock on ``RUN/.lock`` (``flock``: the system releases it when the process
ends, however it ends) for as long as the run writes the folder; a second run into the
folder is refused with the first one's process id. Where ``fcntl`` is missing (Windows)
there is no lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simulator.errors import SimulatorError
from simulator.run._manifest import MANIFEST_FILE

LOCK_FILE = ".lock"

_held: dict[Path, int] = {}  # folders this process holds, and how many times


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold ``run_dir`` for this process (made if missing); re-entrant within it. A folder
    that holds no run when the lock is let go (the run stopped before its manifest) keeps
    no lock file, and is removed again if the lock made it and it is empty."""
    made = not run_dir.exists()
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimulatorError(f"cannot use {run_dir} as a run folder: {_why(exc)}") from None
    key = run_dir.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        import fcntl
    except ImportError:  # no flock here: one run at a time is up to you
        yield
        return
    try:
        handle = (run_dir / LOCK_FILE).open("a+", encoding="utf-8")
    except OSError as exc:
        raise SimulatorError(f"cannot write in {run_dir}: {_why(exc)}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise SimulatorError(
                f"{run_dir} is in use by another run (process {holder}): let it finish or "
                "stop it before running into this folder again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            if not (run_dir / MANIFEST_FILE).exists():  # no run here: leave nothing behind
                (run_dir / LOCK_FILE).unlink(missing_ok=True)
                if made:
                    with contextlib.suppress(OSError):
                        run_dir.rmdir()  # only if empty
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
