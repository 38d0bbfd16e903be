"""Garbage-collector settings for the length of a run.

A run keeps hundreds of dialogues in flight, each allocating many short-lived objects,
so CPython's default collector (a young-generation pass every 700 allocations, rescanning
everything that survives) spends about a quarter of a busy run's CPU time re-walking
objects that live for the whole run (the CRM world, compiled graph, personas).
``tuned_gc`` freezes what exists when the run starts (it is never collected, and never
scanned again) and collects the young generation less often. Cyclic garbage is still
collected; the settings are restored when the run ends. ``benchmarks/throughput.py``
measures the effect.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RUN_THRESHOLDS = (20_000, 50, 100)
_depth = 0  # runs in progress in this process: only the outermost sets and restores


@contextmanager
def tuned_gc() -> Iterator[None]:
    """Freeze the objects that exist now and raise the collection thresholds, until exit."""
    global _depth
    before = gc.get_threshold()
    if _depth == 0:
        gc.freeze()
        gc.set_threshold(*RUN_THRESHOLDS)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*before)
            gc.unfreeze()
