"""The simulated user: ledger, disclosure policy, realizers and the verifier."""

from simulator.user._classify import (
    AgentTurn,
    Classification,
    Move,
    classify,
    is_refusal,
    move_features,
)
from simulator.user._ledger import Ledger, missing_required, next_fact, reveal_order
from simulator.user._llm import (
    CLASSIFIER_PROMPT_VERSION,
    REALIZER_PROMPT_VERSION,
    LLMClassifier,
    LLMRealizer,
    parse_classification,
    read_turn,
)
from simulator.user._policy import Action, Decision, UserState, decide, opening, privacy_only
from simulator.user._realizer import (
    DEFAULT_MAX_REGENERATIONS,
    DraftRequest,
    Realizer,
    Spoken,
    check_draft,
    conversation_of,
    speak,
    template_utterance,
)
from simulator.user._templates import realize
from simulator.user._verifier import Violation, redact, verify

__all__ = [
    "CLASSIFIER_PROMPT_VERSION",
    "DEFAULT_MAX_REGENERATIONS",
    "REALIZER_PROMPT_VERSION",
    "Action",
    "AgentTurn",
    "Classification",
    "Decision",
    "DraftRequest",
    "LLMClassifier",
    "LLMRealizer",
    "Ledger",
    "Move",
    "Realizer",
    "Spoken",
    "UserState",
    "Violation",
    "check_draft",
    "classify",
    "conversation_of",
    "decide",
    "is_refusal",
    "missing_required",
    "move_features",
    "next_fact",
    "opening",
    "parse_classification",
    "privacy_only",
    "read_turn",
    "realize",
    "redact",
    "reveal_order",
    "speak",
    "template_utterance",
    "verify",
]
