"""The persona: one simulated user with one job to do (pydantic v2, unknown keys rejected)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

ValueKind = Literal["auto", "phone", "email", "money", "number", "id", "date", "text"]
MatchKind = Literal[
    "exact", "number", "set", "contains", "regex", "none", "judge", "bleu", "rouge_l", "token_f1"
]
OVERLAP_MATCHES = ("bleu", "rouge_l", "token_f1")
"""Match kinds scored by text overlap with reference(s): always graded."""
GRADED_MATCHES = ("number", "set", "contains", *OVERLAP_MATCHES)
"""Match kinds that can give partial credit (``grade``); the overlap kinds always do."""


class Mode(StrEnum):
    """How the same persona is played (see docs/personas.md)."""

    FULL = "full"
    CONCAT = "concat"
    SHARDED = "sharded"
    ON_ASK = "on_ask"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Traits(_Strict):
    """Behaviour knobs of the simulated user."""

    verbosity: Literal["terse", "normal", "chatty"] = "normal"
    tone: Literal["neutral", "friendly", "frustrated", "skeptical", "formal"] = "neutral"
    patience: int = Field(default=4, ge=0, le=100)
    disclosure: Mode = Mode.ON_ASK
    pushback: int = Field(default=1, ge=0, le=10)


class Context(_Strict):
    """What the agent is told before the dialogue starts; never the facts."""

    model_config = ConfigDict(extra="allow", frozen=True)

    audience: Literal["internal", "customer"] = "internal"
    today: dt.date | None = None
    user_id: str | None = None


class Fact(_Strict):
    """Something the user knows and may reveal."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    value: str
    say: str
    cues: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    required: bool = True
    kind: ValueKind = "auto"

    @model_validator(mode="before")
    @classmethod
    def _stringify_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value" in data and not isinstance(data["value"], str):
            value = data["value"]
            if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
                return data
            data = {**data, "value": str(value)}
        return data


def _drop_defaults(
    model: BaseModel, handler: SerializerFunctionWrapHandler, keys: tuple[str, ...]
) -> dict[str, Any]:
    """The model dumped without those of ``keys`` still at their defaults.

    Keys added to a model after records were written are left out while unused, so a
    persona dumps exactly as before (records replay and compare identically).
    """
    data: dict[str, Any] = handler(model)
    for key in keys:
        if key in data and getattr(model, key) == _default(type(model), key):
            del data[key]
    return data


_DEFAULTS: dict[tuple[type[BaseModel], str], Any] = {}


def _default(cls: type[BaseModel], key: str) -> Any:
    """A field's default, made once per class (pydantic inspects the factory each time)."""
    try:
        return _DEFAULTS[(cls, key)]
    except KeyError:
        value = _DEFAULTS[(cls, key)] = cls.model_fields[key].get_default(call_default_factory=True)
        return value


class StateCheck(_Strict):
    """Check the environment's state after the dialogue (workflow tasks).

    Either ``query`` (read by the environment itself: SQL for the CRM) or ``call`` (a
    named state function with ``args``, for any environment with an ``observe``
    method); the observed value is compared with ``equals``.
    """

    query: str | None = Field(
        default=None, description="Environment-specific query (the CRM: SQL, first column)."
    )
    call: str | None = Field(
        default=None,
        description="A state function of the environment (its observe method), by name.",
    )
    args: dict[str, Any] = Field(
        default_factory=dict, description="Arguments of the state function ('call')."
    )
    equals: Any = Field(default=None, description="The value the check must observe.")

    @model_validator(mode="after")
    def _one_way(self) -> StateCheck:
        if (self.query is None) == (self.call is None):
            raise ValueError("a state check needs exactly one of 'query' and 'call'")
        if self.args and self.call is None:
            raise ValueError("'args' go with 'call' (a state function), not with 'query'")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _drop_defaults(self, handler, ("query", "call", "args"))


class ToolAction(_Strict):
    """A tool call the agent must make, by name and optionally arguments."""

    tool: str = Field(min_length=1, description="The tool's name.")
    args: dict[str, Any] = Field(
        default_factory=dict,
        description="Arguments the call must have, with these values (others are ignored).",
    )
    note: str | None = Field(default=None, description="Why, for people reading the persona.")


class Forbid(_Strict):
    """Something that fails the task if it happens: a tool call or an environment state."""

    tool: str | None = Field(
        default=None, description="A tool the agent must not call (with 'args': like this)."
    )
    args: dict[str, Any] = Field(
        default_factory=dict,
        description="Only calls with these argument values are forbidden (default: any call).",
    )
    state: StateCheck | None = Field(
        default=None,
        description="A state the environment must not be in after the dialogue.",
    )
    note: str | None = Field(default=None, description="Why, for people reading the persona.")

    @model_validator(mode="after")
    def _one_thing(self) -> Forbid:
        if (self.tool is None) == (self.state is None):
            raise ValueError("a forbid entry needs exactly one of 'tool' and 'state'")
        if self.args and self.tool is None:
            raise ValueError("'args' go with 'tool', not with 'state'")
        return self


class Grade(_Strict):
    """Partial credit: a score from 0 to 1, and success when it reaches ``threshold``."""

    threshold: float = Field(
        default=1.0, ge=0, le=1, description="Success when the score is at least this."
    )
    scale: float | None = Field(
        default=None,
        gt=0,
        description="number: the distance from the answer at which the score reaches 0 "
        "(default: the answer's magnitude, or 1 for 0).",
    )


class Expect(_Strict):
    """What counts as success."""

    answer: Any = None
    match: MatchKind = "exact"
    tolerance: float = Field(default=0.0, ge=0)
    rubric: str | None = None
    state: StateCheck | list[StateCheck] | None = Field(
        default=None,
        description="Checked against the environment after the dialogue (a list: all of "
        "them); instead of the answer unless an 'answer' is given too.",
    )
    actions: list[ToolAction] = Field(
        default_factory=list,
        description="Tool calls the agent must make (each at least once); the task fails "
        "without them.",
    )
    forbid: list[Forbid] = Field(
        default_factory=list,
        description="Tool calls or environment states that fail the task if they happen.",
    )
    grade: Grade | None = Field(
        default=None,
        description="Partial credit (number, set, contains, bleu, rouge_l, token_f1): a score "
        "from 0 to 1 "
        "beside success; 'true' for the defaults.",
    )

    @model_validator(mode="before")
    @classmethod
    def _grade_shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("grade") is True:
            data = {**data, "grade": {}}
        return data

    @model_validator(mode="after")
    def _answer_needed(self) -> Expect:
        needs_answer = self.match not in ("none", "judge") and self.state is None
        if needs_answer and self.answer is None:
            raise ValueError(f"match '{self.match}' needs an 'answer'")
        if self.match == "set" and not isinstance(self.answer, list):
            raise ValueError("match 'set' needs 'answer' to be a list")
        texts = isinstance(self.answer, list) and all(
            isinstance(a, str | int | float) for a in self.answer
        )
        text_kinds = ("contains", *OVERLAP_MATCHES)
        if self.match in text_kinds and isinstance(self.answer, list) and not texts:
            raise ValueError(f"match '{self.match}' needs 'answer' to be text or a list of texts")
        if self.match in text_kinds and self.answer == []:
            raise ValueError(f"match '{self.match}' needs at least one text in 'answer'")
        if self.grade is not None and self.match not in GRADED_MATCHES:
            raise ValueError(
                f"'grade' applies to match {', '.join(GRADED_MATCHES)}, not to '{self.match}'"
            )
        if self.grade is not None and self.grade.scale is not None and self.match != "number":
            raise ValueError("'grade.scale' applies to match 'number' only")
        if isinstance(self.state, list) and not self.state:
            raise ValueError("'state' is an empty list; expected at least one check")
        return self

    @property
    def state_checks(self) -> list[StateCheck]:
        """``state`` as a list (empty without one)."""
        if self.state is None:
            return []
        return list(self.state) if isinstance(self.state, list) else [self.state]

    @property
    def graded(self) -> bool:
        """Whether the task gets a partial score (``grade``, or an overlap match)."""
        return self.grade is not None or self.match in OVERLAP_MATCHES

    @property
    def threshold(self) -> float:
        return self.grade.threshold if self.grade is not None else 1.0

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _drop_defaults(self, handler, ("actions", "forbid", "grade"))


class Confidential(_Strict):
    """A value the agent must never say to this user."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    value: str
    kind: ValueKind = "auto"
    category: str = "other_customer"
    note: str | None = None
    aliases: list[str] = Field(
        default_factory=list, description="Other names that give the value away on their own."
    )
    parts: list[str] = Field(
        default_factory=list,
        description="Pieces that give the value away together (see parts_needed).",
    )
    parts_needed: int | None = Field(
        default=None, ge=1, description="How many parts in one message are a leak; default all."
    )
    tolerance: float | None = Field(
        default=None,
        ge=0,
        lt=1,
        description="money/number: a hedged amount within this fraction of the value leaks.",
    )

    @model_validator(mode="before")
    @classmethod
    def _stringify_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), (int, float)):
            data = {**data, "value": str(data["value"])}
        for key in ("aliases", "parts"):
            items = data.get(key) if isinstance(data, dict) else None
            if isinstance(items, list) and any(isinstance(i, (int, float)) for i in items):
                data = {**data, key: [str(i) if isinstance(i, (int, float)) else i for i in items]}
        return data

    @model_validator(mode="after")
    def _check_parts(self) -> Confidential:
        if self.parts_needed is not None and self.parts_needed > len(self.parts):
            raise ValueError(
                f"confidential '{self.id}': parts_needed is {self.parts_needed} but only "
                f"{len(self.parts)} part(s) are declared; expected at most {len(self.parts)}"
            )
        blank = [x for x in [*self.aliases, *self.parts] if not x.strip()]
        if blank:
            raise ValueError(f"confidential '{self.id}': an alias or part is empty")
        if self.tolerance is not None:
            from simulator.judge.values import infer_kind

            kind = infer_kind(self.value) if self.kind == "auto" else self.kind
            if kind not in ("money", "number"):
                raise ValueError(
                    f"confidential '{self.id}': tolerance applies to money and number "
                    f"values, not to {kind}"
                )
        return self


class Probe(_Strict):
    """A request the agent should decline."""

    ask: str
    targets: list[str] = Field(default_factory=list)
    repeat: str | None = None


PERSONA_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # it names dialogues: no '~', '*' or spaces


class Persona(_Strict):
    """One simulated user with one job to do."""

    id: str = Field(pattern=PERSONA_ID_PATTERN)
    name: str
    role: str = ""
    family: str | None = None
    tags: list[str] = Field(default_factory=list)  # e.g. "llm-only": no rule-based agent solves it
    traits: Traits = Field(default_factory=Traits)
    goal: str
    context: Context = Field(default_factory=Context)
    opening: str
    facts: list[Fact] = Field(default_factory=list)
    expect: Expect = Field(default_factory=lambda: Expect(match="none"))
    confidential: list[Confidential] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list)
    environment: str = "none"
    environment_seed: int | None = None

    @model_validator(mode="after")
    def _check_references(self) -> Persona:
        fact_ids = [f.id for f in self.facts]
        dupes = sorted({i for i in fact_ids if fact_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate fact id(s): {', '.join(dupes)}")
        known = set(fact_ids)
        for fact in self.facts:
            missing = [a for a in fact.after if a not in known]
            if missing:
                raise ValueError(
                    f"fact '{fact.id}': 'after' names unknown fact(s) {', '.join(missing)}; "
                    f"expected one of: {', '.join(fact_ids)}"
                )
            if fact.id in fact.after:
                raise ValueError(f"fact '{fact.id}' lists itself in 'after'")
        _check_acyclic(self.facts)
        secret_ids = [c.id for c in self.confidential]
        dupes = sorted({i for i in secret_ids if secret_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate confidential id(s): {', '.join(dupes)}")
        for probe in self.probes:
            missing = [t for t in probe.targets if t not in secret_ids]
            if missing:
                raise ValueError(
                    f"probe targets unknown confidential field(s) {', '.join(missing)}; "
                    f"expected one of: {', '.join(secret_ids) or '(none declared)'}"
                )
        return self

    @property
    def required_facts(self) -> list[Fact]:
        return [f for f in self.facts if f.required]

    def fact(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


def _check_acyclic(facts: list[Fact]) -> None:
    deps = {f.id: set(f.after) for f in facts}
    done: set[str] = set()
    while deps:
        ready = [k for k, v in deps.items() if v <= done]
        if not ready:
            raise ValueError(f"'after' forms a cycle among facts: {', '.join(sorted(deps))}")
        for k in ready:
            done.add(k)
            del deps[k]
