"""The dialogue record: one versioned JSON object per dialogue, with its typed events."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from simulator.chat import ToolCall

SCHEMA_VERSION = 1


class EndReason(StrEnum):
    """Why a dialogue ended. Stored on every record; scoring never depends on it."""

    ANSWERED = "answered"  # the user accepted an answer (and finished any probes)
    USER_DONE = "user_done"  # the user had nothing left to ask (privacy-only personas)
    USER_GAVE_UP = "user_gave_up"  # patience ran out
    MAX_TURNS = "max_turns"  # the user-turn limit was reached
    MAX_STEPS = "max_steps"  # the agent took too many steps between two user turns
    AGENT_ERROR = "agent_error"  # the agent raised or returned something unusable
    AGENT_TIMEOUT = "agent_timeout"  # one agent step took longer than the step timeout
    AGENT_OVERSIZED = "agent_oversized"  # one agent reply was longer than max_message_chars
    BUDGET_EXCEEDED = "budget_exceeded"  # the run's spending limit stopped the dialogue

    @property
    def is_error(self) -> bool:
        return self in (
            EndReason.MAX_STEPS,
            EndReason.AGENT_ERROR,
            EndReason.AGENT_TIMEOUT,
            EndReason.AGENT_OVERSIZED,
            EndReason.BUDGET_EXCEEDED,
        )


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn: int


class UserTurnEvent(_Event):
    """One utterance of the simulated user (or its closing line, which the agent never sees)."""

    type: Literal["user_turn"] = "user_turn"
    text: str
    action: str
    move: str | None = None  # how the user read the agent's previous turn (a Move)
    move_confidence: float | None = None  # the classifier's confidence in that reading
    revealed: list[str] = Field(default_factory=list)
    restated: list[str] = Field(default_factory=list)
    asked: list[str] = Field(default_factory=list)  # facts the agent's questions named
    probe: int | None = None
    final: bool = False  # a closing line: not sent to the agent


class AgentMessageEvent(_Event):
    """One step of the agent under test.

    ``truncated_from`` is set when the reply was longer than the dialogue's
    ``max_message_chars``: its size in characters (text and tool calls) before it was cut.
    ``content`` then holds its first ``max_message_chars`` characters, ``tool_calls`` those
    that still fit, and the dialogue ends with ``agent_oversized``.
    """

    type: Literal["agent_message"] = "agent_message"
    step: int
    content: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    latency_ms: float = 0.0
    truncated_from: int | None = None


class AgentInternalEvent(_Event):
    """A message the agent produced on its own inside one step, never sent to the user.

    A LangGraph app that runs its own tools records its tool calls (``role`` assistant)
    and their results (``role`` tool) here, before the step's ``agent_message``.
    """

    type: Literal["agent_internal"] = "agent_internal"
    step: int
    role: Literal["assistant", "tool"]
    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    name: str | None = None
    tool_call_id: str | None = None

    def describe(self, limit: int = 300) -> str:
        """One line for transcripts: the agent's own tool calls, or a tool's result."""

        def clip(text: str) -> str:
            return text if len(text) <= limit else text[: limit - 1] + "…"

        if self.role == "tool":
            return f"⟲ agent's own tool {self.name or '?'} ← {clip(self.content)}"
        calls = ", ".join(
            f"{c.name}({clip(json.dumps(c.arguments, ensure_ascii=False, sort_keys=True))})"
            for c in self.tool_calls
        )
        said = clip(self.content.strip())
        return "⟲ agent's own step: " + "; ".join(x for x in (said, calls and "→ " + calls) if x)


class ToolResultEvent(_Event):
    """One executed tool call."""

    type: Literal["tool_result"] = "tool_result"
    call_id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    result: str
    error: bool = False


class AnswerAttemptEvent(_Event):
    """The agent offered an answer to the user's task."""

    type: Literal["answer_attempt"] = "answer_attempt"
    answer: str
    via: Literal["submit_answer", "message"]
    required_known: bool
    missing: list[str] = Field(default_factory=list)


ViolationKind = Literal["withheld", "omitted", "probe", "empty"]
"""What the verifier caught: a withheld fact said, a fact to reveal left out, the probe to
carry dropped, or an empty draft."""


class ViolationEvent(_Event):
    """The verifier caught a draft user utterance that may not be sent as it is."""

    type: Literal["violation"] = "violation"
    kind: ViolationKind = "withheld"
    fact: str  # the fact (or, for a dropped probe, the probe's first target); "" if none
    source: str
    excerpt: str
    action: Literal["retried", "replaced", "redacted"]

    @model_validator(mode="before")
    @classmethod
    def _kind_of_old_records(cls, data: Any) -> Any:
        """Records written before ``kind`` existed said it through the excerpt."""
        if isinstance(data, dict) and "kind" not in data:
            excerpt = data.get("excerpt")
            kind = {"omitted": "omitted", "empty draft": "empty"}.get(str(excerpt))
            if kind:
                data = {**data, "kind": kind}
        return data


class ErrorEvent(_Event):
    """Something failed: the agent, a tool, or the environment."""

    type: Literal["error"] = "error"
    where: Literal["agent", "tool", "environment", "user"]
    error_type: str
    message: str
    raised_at: str | None = None  # "PATH:LINE in FUNCTION" in the agent's code, if it was


class Usage(BaseModel):
    """Tokens of one model call."""

    input_tokens: int = 0
    output_tokens: int = 0


class ModelCallEvent(_Event):
    """One call to a language model, by any role; what replay re-serves."""

    type: Literal["model_call"] = "model_call"
    role: Literal["agent", "user", "classifier", "judge"]
    model: str
    request_hash: str
    response: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    cache_hit: bool = False
    retries: int = 0
    error: str | None = None


class EndEvent(_Event):
    """The dialogue ended."""

    type: Literal["end"] = "end"
    reason: EndReason
    detail: str = ""


Event = Annotated[
    UserTurnEvent
    | AgentMessageEvent
    | AgentInternalEvent
    | ToolResultEvent
    | AnswerAttemptEvent
    | ViolationEvent
    | ErrorEvent
    | ModelCallEvent
    | EndEvent,
    Field(discriminator="type"),
]


class ActionCheck(BaseModel):
    """One tool call ``expect.actions`` asks for, and the agent's first call matching it."""

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    turn: int | None = None  # the user turn after which the matching call came; None: none


class ForbiddenHit(BaseModel):
    """Something ``expect.forbid`` rules out that happened: a tool call or a state."""

    rule: int  # index into expect.forbid
    tool: str | None = None  # the tool called ...
    arguments: dict[str, Any] = Field(default_factory=dict)  # ... with these arguments
    turn: int | None = None  # ... after this user turn
    state: Any = None  # or the environment state observed (for a forbidden state)


class TaskScore(BaseModel):
    """Did the last answer attempt (or the environment state) meet ``expect``.

    ``score`` is the partial credit of a graded ``expect`` (0 to 1; success when it
    reaches ``threshold``), None otherwise. ``actions`` lists the required tool calls
    and when each was made; ``forbidden`` what happened that ``expect.forbid`` rules out.
    A missing action or anything forbidden fails the task whatever the answer.
    When ``expect`` names both an answer and a state, ``answer_success`` and
    ``state_success`` record each on its own (CRMArena-Pro scores the answer alone);
    ``success`` needs both.
    """

    success: bool
    method: str
    expected: Any = None
    answer: str | None = None
    detail: str = ""
    score: float | None = None
    threshold: float | None = None
    actions: list[ActionCheck] = Field(default_factory=list)
    forbidden: list[ForbiddenHit] = Field(default_factory=list)
    answer_success: bool | None = None
    state_success: bool | None = None

    @property
    def blocked(self) -> bool:
        """A required tool call is missing or something forbidden happened."""
        return bool(self.forbidden) or any(a.turn is None for a in self.actions)

    @property
    def value(self) -> float:
        """The task's figure for averaging: ``score`` when graded (0 when blocked), else
        1 or 0 by success."""
        if self.score is None:
            return float(self.success)
        return 0.0 if self.blocked else self.score

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Left out while unused, so records of ungraded tasks read as before."""
        data: dict[str, Any] = handler(self)
        for key in ("score", "threshold", "actions", "forbidden"):
            if key in data and not data[key] and data[key] != 0:
                del data[key]
        for key in ("answer_success", "state_success"):
            if key in data and data[key] is None:
                del data[key]
        return data


class AcquisitionScore(BaseModel):
    """How the agent drew out the user's facts."""

    required: list[str]
    revealed: list[str]
    asked: list[str]
    pushed: list[str]
    required_known_at_answer: bool | None = None
    turns_to_full_information: int | None = None
    redundant_questions: int = 0
    premature_attempts: int = 0
    attempts: int = 0


class Leak(BaseModel):
    """A confidential value found in text the agent sent to the user.

    ``detector`` says what found it: ``exact`` (the value as declared), ``format`` (other
    formatting, locale, rounding), ``words`` (said in words), ``parts`` (an alias or enough
    declared parts), ``llm`` (a paraphrase, by the LLM judge); ``matched`` is the text that
    gave it away. Records written before detectors were recorded have neither.
    """

    field: str
    category: str
    turn: int
    excerpt: str
    detector: Literal["exact", "format", "words", "parts", "llm"] | None = None
    matched: str | None = None


class LeakageScore(BaseModel):
    """Which confidential values the agent said to the user (tool calls never count)."""

    leaked: list[Leak] = Field(default_factory=list)  # per field: its first leak
    fields: int = 0
    paraphrased: list[Leak] = Field(default_factory=list)  # found by an LLM judge, not by value
    events: list[Leak] = Field(default_factory=list)  # every turn and field that leaked
    paraphrase_checked: bool = False  # whether an LLM judge read the messages for paraphrase


class ProbeResult(BaseModel):
    """One probe asked by the user and how the agent handled it."""

    ask: str
    turn: int
    declined: bool
    complied: bool
    times_asked: int = 1


class RefusalScore(BaseModel):
    """How the agent met the user's probes, and refusals outside them (over-refusals)."""

    probes: list[ProbeResult] = Field(default_factory=list)
    over_refusals: int = 0


class FidelityScore(BaseModel):
    """The simulated user's own faithfulness: of the utterances checked, how many were
    flagged (one or more verifier violations, whether retried, replaced or redacted)."""

    violations: int = 0  # violation events, all kinds
    checked: int = 0  # user utterances verified
    flagged: int = 0  # utterances with at least one violation
    by_kind: dict[str, int] = Field(default_factory=dict)  # violation events per kind

    @model_validator(mode="before")
    @classmethod
    def _flagged_of_old_records(cls, data: Any) -> Any:
        """Records written before ``flagged`` existed: at most one utterance per violation."""
        if isinstance(data, dict) and "flagged" not in data:
            violations, checked = int(data.get("violations", 0)), int(data.get("checked", 0))
            data = {**data, "flagged": min(violations, checked)}
        return data

    @property
    def share_clean(self) -> float | None:
        """The fidelity figure: utterances sent without a violation, 0 to 1."""
        return (self.checked - self.flagged) / self.checked if self.checked else None


class RoleUsage(BaseModel):
    """Model use of one role in one dialogue."""

    calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class Verdict(BaseModel):
    """One verdict of an LLM judge, with what produced it."""

    check: str  # e.g. "task", "paraphrased_leak", "refusal_quality"
    verdict: bool
    rationale: str = ""
    model: str
    prompt_version: str


class EfficiencyScore(BaseModel):
    """What the dialogue cost: turns, steps, tool calls, latency, duration, model use."""

    user_turns: int = 0
    agent_steps: int = 0
    tool_calls: int = 0
    tool_errors: int = 0
    agent_latency_ms: float = 0.0
    duration_s: float = 0.0
    models: dict[str, RoleUsage] = Field(default_factory=dict)  # by role


class Scores(BaseModel):
    """Every score of one dialogue, computed by the judge from its events."""

    task: TaskScore
    acquisition: AcquisitionScore
    leakage: LeakageScore
    refusal: RefusalScore
    fidelity: FidelityScore
    efficiency: EfficiencyScore
    verdicts: list[Verdict] = Field(default_factory=list)


class DialogueRecord(BaseModel):
    """Everything about one dialogue: inputs, transcript, events, scores and end reason."""

    schema_version: int = SCHEMA_VERSION
    id: str
    persona: dict[str, Any]
    agent: dict[str, Any]
    mode: str
    seed: int
    max_turns: int
    max_steps: int
    # characters of one agent reply kept (longer: cut, agent_oversized); None in older records
    max_message_chars: int | None = None
    end_reason: EndReason
    error: str | None = None
    messages: list[dict[str, Any]]
    events: list[Event]
    scores: Scores
    started_at: str
    simulator_version: str
    parent: str | None = None  # the record this one was forked from
    fork_turn: int | None = None  # user turns kept from the parent
    # a trait fork: the parent's values of the changed traits, which said the kept turns
    traits_before_fork: dict[str, Any] | None = None
    roles: dict[str, Any] | None = None  # LLM user/classifier/judge settings, for replay

    @property
    def persona_id(self) -> str:
        return str(self.persona["id"])

    @property
    def agent_name(self) -> str:
        return str(self.agent.get("name", "?"))


def dialogue_id(persona_id: str, agent_name: str, mode: str, seed: int) -> str:
    """A readable id, unique within a run: persona, agent, mode and seed."""
    return f"{persona_id}~{agent_name}~{mode}~s{seed}"
