"""The disclosure policy: what the simulated user may reveal this turn, and when to stop.

Pure functions of the persona, the mode, the ledger and the classified agent turn: the
same inputs always give the same decision, whoever words the utterance afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from simulator.persona import Mode, Persona
from simulator.record import EndReason
from simulator.user._classify import Classification, Move
from simulator.user._ledger import may_reveal, missing_required, next_fact, reveal_order


class Action(StrEnum):
    """What the user does in one utterance."""

    OPENING = "opening"
    REVEAL = "reveal"
    RESTATE = "restate"
    DONT_KNOW = "dont_know"
    WAIT = "wait"  # asked about a fact whose `after` facts are not out yet
    NUDGE = "nudge"
    GO_AHEAD = "go_ahead"  # the agent stalled or is still working: "Sure, go ahead."
    ACCEPT = "accept"
    PROBE = "probe"
    PROBE_REPEAT = "probe_repeat"
    GIVE_UP = "give_up"
    GOODBYE = "goodbye"


@dataclass(frozen=True)
class UserState:
    """The simulated user's own progress, beside the ledger."""

    phase: Literal["task", "probe"] = "task"
    unproductive: int = 0  # consecutive user turns that gave the agent nothing new
    probe_index: int = 0
    probe_asks: int = 0
    accepted: bool = False


@dataclass(frozen=True)
class Decision:
    """The policy's choice for one user turn."""

    action: Action
    state: UserState
    reveal: tuple[str, ...] = ()
    restate: tuple[str, ...] = ()
    probe: int | None = None  # index of a probe whose ask follows the main text
    end: EndReason | None = None
    premature: bool = False  # an answer attempt came before every required fact was out


def privacy_only(persona: Persona) -> bool:
    """A persona whose whole job is a confidentiality probe."""
    return persona.expect.match == "none" and bool(persona.probes) and not persona.required_facts


def opening(persona: Persona, mode: Mode) -> Decision:
    """The first user message's content for a mode."""
    if mode in (Mode.FULL, Mode.CONCAT):
        reveal = tuple(f.id for f in reveal_order(persona))
    elif mode == Mode.SHARDED:
        first = next_fact(persona, {})
        reveal = (first.id,) if first else ()
    else:
        reveal = ()
    if privacy_only(persona):
        state = UserState(phase="probe", probe_index=0, probe_asks=1)
        return Decision(Action.OPENING, state, reveal=reveal, probe=0)
    return Decision(Action.OPENING, UserState(), reveal=reveal)


def decide(
    persona: Persona,
    mode: Mode,
    state: UserState,
    ledger: Mapping[str, int],
    move: Classification,
    *,
    probe_complied: bool = False,
) -> Decision:
    """The user's next move after the agent's turn."""
    if state.phase == "probe":
        return _after_probe(persona, state, probe_complied)
    decision = _task_turn(persona, mode, state, ledger, move)
    if decision.state.unproductive >= persona.traits.patience and decision.end is None:
        return Decision(Action.GIVE_UP, decision.state, end=EndReason.USER_GAVE_UP)
    return decision


def _after_probe(persona: Persona, state: UserState, complied: bool) -> Decision:
    if not complied and state.probe_asks < 1 + persona.traits.pushback:
        nxt = replace(state, probe_asks=state.probe_asks + 1)
        return Decision(Action.PROBE_REPEAT, nxt, probe=state.probe_index)
    if state.probe_index + 1 < len(persona.probes):
        nxt = replace(state, probe_index=state.probe_index + 1, probe_asks=1)
        return Decision(Action.PROBE, nxt, probe=nxt.probe_index)
    end = EndReason.ANSWERED if state.accepted else EndReason.USER_DONE
    return Decision(Action.GOODBYE, state, end=end)


def _task_turn(
    persona: Persona,
    mode: Mode,
    state: UserState,
    ledger: Mapping[str, int],
    move: Classification,
) -> Decision:
    """One task-phase turn. A turn that reveals something new resets patience; every
    other turn (a nudge, "go ahead", a restatement, "I don't know") uses some of it."""
    missing = missing_required(persona, ledger)
    upcoming = next_fact(persona, ledger)
    idle = replace(state, unproductive=state.unproductive + 1)
    fresh = replace(state, unproductive=0)

    if move.attempt:
        if not missing:
            accepted = replace(fresh, accepted=True)
            if persona.probes:
                probing = replace(accepted, phase="probe", probe_index=0, probe_asks=1)
                return Decision(Action.ACCEPT, probing, probe=0)
            return Decision(Action.ACCEPT, accepted, end=EndReason.ANSWERED)
        if mode == Mode.SHARDED and upcoming is not None:
            return Decision(Action.REVEAL, fresh, reveal=(upcoming.id,), premature=True)
        return Decision(Action.NUDGE, idle, premature=True)

    if mode == Mode.SHARDED:
        if upcoming is not None:
            return Decision(Action.REVEAL, fresh, reveal=(upcoming.id,))
        known = tuple(a for a in move.asked if a in ledger)
        if move.move == Move.QUESTION:
            action = Action.RESTATE if known else Action.DONT_KNOW
            return Decision(action, idle, restate=known)
        return Decision(_idle_action(move), idle)

    if move.move == Move.QUESTION:
        new = _chain_reveal(persona, ledger, move.asked)
        if new:
            return Decision(Action.REVEAL, fresh, reveal=new)
        known = tuple(a for a in move.asked if a in ledger)
        if known:
            return Decision(Action.RESTATE, idle, restate=known)
        if move.asked:
            return Decision(Action.WAIT, idle)
        return Decision(Action.DONT_KNOW, idle)
    return Decision(_idle_action(move), idle)


def _idle_action(move: Classification) -> Action:
    """A stall, a partial result or a turn of tool calls only is waited for ("Sure, go
    ahead."); a refusal or commentary gets the usual nudge."""
    if move.move in (Move.STALL, Move.PARTIAL, Move.TOOL_ONLY):
        return Action.GO_AHEAD
    return Action.NUDGE


def _chain_reveal(persona: Persona, ledger: Mapping[str, int], asked: list[str]) -> tuple[str, ...]:
    """Asked facts that may be revealed now, in persona order; a fact whose ``after``
    facts are revealed earlier in the same utterance may follow them."""
    wanted = set(asked)
    out: dict[str, int] = dict(ledger)
    revealed: list[str] = []
    progress = True
    while progress:
        progress = False
        for fact in persona.facts:
            if fact.id in wanted and may_reveal(fact, out):
                out[fact.id] = -1
                revealed.append(fact.id)
                progress = True
    return tuple(revealed)
