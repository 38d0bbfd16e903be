"""The disclosure ledger: which facts the user has revealed, and in which turn."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.persona import Fact, Persona

Ledger = Mapping[str, int]
"""Fact id -> the user turn (1-based) in which it was first revealed."""


def may_reveal(fact: Fact, ledger: Ledger) -> bool:
    """A fact may be revealed once every fact in its ``after`` list is out."""
    return fact.id not in ledger and all(dep in ledger for dep in fact.after)


def revealable(persona: Persona, ledger: Ledger) -> list[Fact]:
    """Unrevealed facts whose ``after`` facts are all revealed, in persona order."""
    return [f for f in persona.facts if may_reveal(f, ledger)]


def next_fact(persona: Persona, ledger: Ledger) -> Fact | None:
    """The next fact in persona order that may be revealed now (sharded mode)."""
    ready = revealable(persona, ledger)
    return ready[0] if ready else None


def missing_required(persona: Persona, ledger: Ledger) -> list[str]:
    """Required facts not yet revealed."""
    return [f.id for f in persona.facts if f.required and f.id not in ledger]


def reveal_order(persona: Persona) -> list[Fact]:
    """All facts in an order that respects ``after`` (persona order where it can)."""
    ledger: dict[str, int] = {}
    order: list[Fact] = []
    while (fact := next_fact(persona, ledger)) is not None:
        ledger[fact.id] = 0
        order.append(fact)
    return order
