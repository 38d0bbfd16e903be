"""The simulated user: ledger, disclosure policy, realizers and the verifier."""

from simulator.user._classify import AgentTurn, Classification, Move, classify
from simulator.user._ledger import Ledger, missing_required, next_fact, reveal_order
from simulator.user._policy import Action, Decision, UserState, decide, opening, privacy_only
from simulator.user._templates import realize
from simulator.user._verifier import Violation, redact, verify

__all__ = [
    "Action",
    "AgentTurn",
    "Classification",
    "Decision",
    "Ledger",
    "Move",
    "UserState",
    "Violation",
    "classify",
    "decide",
    "missing_required",
    "next_fact",
    "opening",
    "privacy_only",
    "realize",
    "redact",
    "reveal_order",
    "verify",
]
