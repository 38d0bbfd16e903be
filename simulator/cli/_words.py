"""Counts in the CLI's sentences: "1 dialogue", "2 dialogues"."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an "s" unless ``n`` is 1."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
