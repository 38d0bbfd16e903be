"""The LLM on the user side: it only words what the policy decided, and the verifier has
the last word. Test doubles stand in for the model (no SDK needed at this level)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from simulator.agent import AgentReply, AgentSpec, Message, ToolCall, ToolSpec
from simulator.models import (
    Budget,
    ChatRequest,
    ChatResponse,
    ModelCallError,
    ModelRegistry,
    RoleConfig,
    Roles,
)
from simulator.models._log import CallLog
from simulator.persona import Mode, load_persona
from simulator.record import (
    DialogueRecord,
    EndReason,
    ErrorEvent,
    ModelCallEvent,
    UserTurnEvent,
    ViolationEvent,
)
from simulator.run import run_dialogue
from simulator.user import Action, Decision, UserState
from simulator.user._classify import AgentTurn, Move
from simulator.user._llm import LLMRealizer, parse_classification
from simulator.user._realizer import OMITTED, DraftRequest

ROOT = Path(__file__).resolve().parents[1]
PERSONA = load_persona(ROOT / "personas" / "examples" / "refund.yaml")
SPEC = AgentSpec(name="scripted", kind="python", target="tests:scripted")  # label only
USER_MODEL = "openai:gpt-4.1-mini"


class Model:
    """A ChatClient double answering with ``answer(request)``; counts the requests."""

    def __init__(self, answer: Callable[[ChatRequest], str | Exception], model: str = USER_MODEL):
        self.model = model
        self.limit_key = "double"
        self.answer = answer
        self.requests: list[ChatRequest] = []

    async def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        out = self.answer(request)
        if isinstance(out, Exception):
            raise out
        return ChatResponse(text=out)


class Agent:
    """Asks for the details, then submits 12.99, then declines; keeps what it received."""

    def __init__(self, submit: bool = True) -> None:
        self.received: list[list[Message]] = []
        self.submit = submit

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        self.received.append([dict(m) for m in messages])
        said = sum(1 for m in messages if m["role"] == "assistant")
        if messages[-1]["role"] == "tool":
            return AgentReply(content="Done.")
        if said == 0:
            return AgentReply(content="Could you tell me the order number and the book title?")
        if said in (1, 2) and self.submit:
            return AgentReply(
                tool_calls=[ToolCall(id="c1", name="submit_answer", arguments={"answer": "12.99"})]
            )
        return AgentReply(content="Sorry, I can't share other customers' details.")


def play(
    model: Model | None,
    agent: Agent,
    *,
    mode: Mode = Mode.ON_ASK,
    classifier: Model | None = None,
    budget: Budget | None = None,
) -> DialogueRecord:
    registry = ModelRegistry(cache=False)
    roles = Roles()
    if model is not None:
        registry.register(model.model, model)
        roles = Roles(user=RoleConfig(model=model.model))
    if classifier is not None:
        registry.register(classifier.model, classifier)
        roles = roles.model_copy(update={"classifier": RoleConfig(model=classifier.model)})
    return asyncio.run(
        run_dialogue(
            PERSONA, SPEC, mode, agent_instance=agent, roles=roles, budget=budget, models=registry
        )
    )


def user_messages(agent: Agent) -> list[str]:
    return [m["content"] for m in agent.received[-1] if m["role"] == "user"]


LEAK = "Sure: order ORD-7731, The Left Hand of Darkness, and it arrived damaged."


@pytest.mark.parametrize("mode", [Mode.ON_ASK, Mode.SHARDED])
def test_a_realizer_that_reveals_withheld_facts_is_caught_every_time(mode: Mode) -> None:
    leaky = Model(lambda request: LEAK)
    agent = Agent()
    record = play(leaky, agent, mode=mode)
    templated = Agent()
    baseline = play(None, templated, mode=mode)

    # the agent received exactly the template utterances, never a violating draft
    assert user_messages(agent) == user_messages(templated)
    assert record.messages == baseline.messages
    turns = [e for e in record.events if isinstance(e, UserTurnEvent)]
    violations = [e for e in record.events if isinstance(e, ViolationEvent)]
    assert violations and all(v.source == "llm" for v in violations)
    for turn in turns:
        mine = [v for v in violations if v.turn == turn.turn]
        allowed = {f for t in turns if t.turn <= turn.turn for f in t.revealed}
        if allowed >= {"order", "item", "reason"}:  # nothing withheld: the draft is fine
            assert mine == [] and turn.text == LEAK
            continue
        # one draft and two regenerations, all caught; the last one replaced
        assert {v.action for v in mine} == {"retried", "replaced"}
        assert len([v for v in mine if v.action == "replaced"]) >= 1
        assert all("damaged" not in m for m in user_messages(agent))
    drafts_per_turn = {t.turn: 0 for t in turns}
    for call in (e for e in record.events if isinstance(e, ModelCallEvent)):
        drafts_per_turn[call.turn + 1] += 1
    caught_turns = {v.turn for v in violations}
    assert all(drafts_per_turn[t] == 3 for t in caught_turns)
    assert record.scores.fidelity.violations == len(violations)
    # every regeneration was a new request, not the cached draft again
    hashes = [e.request_hash for e in record.events if isinstance(e, ModelCallEvent)]
    assert len(hashes) == len(set(hashes))


def test_the_prompt_holds_only_the_facts_allowed_now() -> None:
    persona = PERSONA.model_copy(
        update={
            "goal": "Get the refund for ORD-7731, a damaged book.",
            "opening": "Hi, it's about ORD-7731: I returned The Left Hand of Darkness.",
        }
    )
    realizer = LLMRealizer(RoleConfig(model=USER_MODEL), calls=CallLog())
    decision = Decision(Action.REVEAL, UserState(), reveal=("order",))
    request = DraftRequest(
        persona=persona,
        mode=Mode.ON_ASK,
        decision=decision,
        allowed=("order",),
        conversation=(("user", "Hi, I sent something back."), ("agent", "Which order?")),
        turn=2,
        seed=0,
    )
    text = "\n".join(m["content"] for m in realizer.prompt(request).messages)
    assert "The order number is ORD-7731." in text  # allowed now: its say text
    assert "Left Hand of Darkness" not in text and "damaged" not in text  # withheld
    assert "Get the refund for ORD-7731, a … book." in text  # goal scrubbed of withheld values
    assert "AGENT: Which order?" in text and "Sam Rivera" in text
    opening = DraftRequest(
        persona=persona,
        mode=Mode.ON_ASK,
        decision=Decision(Action.OPENING, UserState()),
        allowed=(),
        conversation=(),
        turn=1,
        seed=0,
    )
    text = "\n".join(m["content"] for m in realizer.prompt(opening).messages)
    assert "ORD-7731" not in text and "Left Hand" not in text  # even the authored opening
    assert "Hi, it's about …: I returned …." in text


def test_a_draft_that_drops_a_revealed_fact_is_regenerated() -> None:
    dropped = []

    def answer(request: ChatRequest) -> str:
        """Says the allowed facts verbatim, except that the first draft giving the order
        number forgets it."""
        prompt = request.messages[-1]["content"]
        says = [line[2:] for line in prompt.splitlines() if line.startswith("- ")]
        if "The order number is ORD-7731." in says and not dropped:
            dropped.append(True)
            return "Sure, it's the order from last week."
        request = [line.split(": ", 1)[1].strip('"') for line in prompt.splitlines()
                   if line.startswith("Then make this request")]  # fmt: skip
        return " ".join(says + request) or "Thanks."

    record = play(Model(answer), Agent(), mode=Mode.SHARDED)
    (omission,) = [e for e in record.events if isinstance(e, ViolationEvent)]
    assert (omission.fact, omission.excerpt, omission.action) == ("order", OMITTED, "retried")
    first_turn = next(e for e in record.events if isinstance(e, UserTurnEvent))
    assert first_turn.text == "The order number is ORD-7731."


def test_a_failing_user_model_falls_back_to_the_template() -> None:
    failing = Model(lambda request: ModelCallError("HTTP 500 (gave up after 6 attempts)"))
    record = play(failing, Agent())
    baseline = play(None, Agent())
    assert record.messages == baseline.messages
    errors = [e for e in record.events if isinstance(e, ErrorEvent)]
    assert errors and all(e.where == "user" and "gave up" in e.message for e in errors)
    assert record.end_reason == baseline.end_reason


def test_budget_reached_by_the_user_model_ends_the_dialogue_cleanly() -> None:
    budget = Budget(0.0)
    record = play(Model(lambda request: "Hi"), Agent(), budget=budget)
    assert record.end_reason == EndReason.BUDGET_EXCEEDED
    (call,) = [e for e in record.events if isinstance(e, ModelCallEvent)]
    assert (call.error or "").startswith("budget exceeded")
    assert record.scores is not None and not record.scores.task.success


# --- the LLM classifier -----------------------------------------------------------------------


def test_classifier_answers_are_validated_against_the_persona() -> None:
    turn = AgentTurn(text="Please share the order number.")
    got = parse_classification(
        PERSONA, '{"move": "question", "asked": ["item", "bogus", "order"]}', turn
    )
    assert got is not None and got.move == Move.QUESTION and got.asked == ["order", "item"]
    answer = parse_classification(
        PERSONA, '```json\n{"move": "ANSWER", "refusal": false}\n```', turn
    )
    assert answer is not None and answer.move == Move.ANSWER and answer.answer == turn.text
    assert parse_classification(PERSONA, '{"move": "maybe"}', turn) is None
    assert parse_classification(PERSONA, "It is a question.", turn) is None


class Chatty(Agent):
    """Never calls submit_answer, and asks without a question mark."""

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        self.received.append([dict(m) for m in messages])
        said = sum(1 for m in messages if m["role"] == "assistant")
        if said == 0:
            return AgentReply(content="Please share the order number and the title of the book.")
        return AgentReply(content="Your refund will be $12.99.")


def test_llm_classifier_reads_agents_that_do_not_submit() -> None:
    def classify(request: ChatRequest) -> str:
        turn = request.messages[-1]["content"].rsplit("classify:\n", 1)[1]
        if turn.startswith("Please share"):
            return '{"move": "question", "asked": ["order", "item"], "refusal": false}'
        return '{"move": "answer", "asked": [], "refusal": false}'

    classifier = Model(classify, model="anthropic:claude-haiku-5-5")
    record = play(None, Chatty(), classifier=classifier)
    turns = [e for e in record.events if isinstance(e, UserTurnEvent)]
    assert turns[1].move == "question" and turns[1].revealed == ["order", "item"]
    assert record.scores.task.success and record.scores.task.answer == "Your refund will be $12.99."
    assert {e.role for e in record.events if isinstance(e, ModelCallEvent)} == {"classifier"}
    # the rules read the request without a question mark as a question too
    rules = play(None, Chatty())
    assert [e for e in rules.events if isinstance(e, UserTurnEvent)][1].move == "question"


def test_unreadable_classifier_output_falls_back_to_the_rules() -> None:
    classifier = Model(
        lambda request: "I think it's a question", model="anthropic:claude-haiku-5-5"
    )
    record = play(None, Chatty(), classifier=classifier)
    fallbacks = [e for e in record.events if isinstance(e, ErrorEvent)]
    assert fallbacks and all(e.error_type == "ClassifierFallback" for e in fallbacks)
    assert record.messages == play(None, Chatty()).messages


def test_classifier_is_not_asked_about_submitted_answers() -> None:
    classifier = Model(
        lambda request: '{"move": "question", "asked": ["order", "item"]}',
        model="anthropic:claude-haiku-5-5",
    )
    record = play(None, Agent(), classifier=classifier)
    calls = [e for e in record.events if isinstance(e, ModelCallEvent)]
    assert len(calls) == 1  # only the first agent turn, before submit_answer was used
    assert record.end_reason == EndReason.ANSWERED


def test_a_draft_that_drops_the_probe_is_redrawn_and_the_probe_is_sent() -> None:
    """After accepting, the user must ask the probe; a draft that only says thanks is
    rejected (kind ``probe``) and redrawn; the probe goes out, and is logged, only once
    the words really carry it."""
    drafts: list[str] = []

    def answer(request: ChatRequest) -> str:
        prompt = request.messages[-1]["content"]
        says = [line[2:] for line in prompt.splitlines() if line.startswith("- ")]
        request_line = [line for line in prompt.splitlines() if line.startswith("Then make")]
        if request_line and not any("Great" in d for d in drafts):
            drafts.append("Great, thanks so much!")
            return drafts[-1]
        ask = request_line[0].split(": ", 1)[1].strip('"') if request_line else ""
        return " ".join([*says, ask]).strip() or "Thanks."

    agent = Agent()
    record = play(Model(answer), agent)
    (dropped,) = [e for e in record.events if isinstance(e, ViolationEvent)]
    assert (dropped.kind, dropped.action) == ("probe", "retried")
    probe_turn = next(e for e in record.events if isinstance(e, UserTurnEvent) and e.probe == 0)
    assert "Jo Baker" in probe_turn.text and probe_turn.turn == dropped.turn
    assert all(m != "Great, thanks so much!" for m in user_messages(agent))
    fidelity = record.scores.fidelity
    assert (fidelity.violations, fidelity.flagged, fidelity.by_kind) == (1, 1, {"probe": 1})
    assert fidelity.share_clean == (fidelity.checked - 1) / fidelity.checked
