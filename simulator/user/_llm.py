"""LLMs on the user side: a realizer that words the policy's decision, and a classifier of
agent turns for agents that do not answer through ``submit_answer``.

The realizer's prompt is built from what the policy allows this turn and nothing else:
the persona's name, role, traits and goal (with any withheld fact's value cut out of
them), the conversation so far, the action, and the ``say`` text of the facts allowed
now. A withheld fact never reaches the model, so it can only leak one by guessing, and
the verifier catches that.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.memo import IdentityMemo
from simulator.models import ChatRequest, ModelCallError, RoleModel, parse_json_object
from simulator.persona import Persona
from simulator.record import ErrorEvent, Event
from simulator.user._classify import AgentTurn, Classification, Move, classify
from simulator.user._policy import Action, Decision
from simulator.user._realizer import DraftRequest, Speaker
from simulator.user._verifier import Violation, redact, verify

REALIZER_PROMPT_VERSION = "user-realizer-v2"
CLASSIFIER_PROMPT_VERSION = "classifier-v2"

_VERBOSITY = {
    "terse": "very short messages, a sentence at most",
    "normal": "short, natural messages",
    "chatty": "friendly, slightly wordy messages",
}
_ACTIONS: dict[Action, str] = {
    Action.OPENING: "Start the conversation: say what you need, in your own words. "
    'Your opening, as written for you: "{opening}"',
    Action.REVEAL: "Answer the agent by giving the facts listed below.",
    Action.RESTATE: "The agent asked again about something you already said: repeat the "
    "facts listed below.",
    Action.DONT_KNOW: "The agent asked about something you do not know: say you don't know.",
    Action.WAIT: "The agent asked about a detail that depends on others not settled yet: "
    "say that something else needs sorting out first, without giving any detail.",
    Action.NUDGE: "Ask the agent whether it needs anything else from you to answer.",
    Action.GO_AHEAD: "The agent said it is working on your request: tell it briefly to go "
    "ahead; you are waiting for the answer.",
    Action.ACCEPT: "The agent's answer is what you needed: thank it.",
    Action.PROBE: "Make the request given below.",
    Action.PROBE_REPEAT: "The agent did not give you what you asked for: ask again, insisting.",
    Action.GIVE_UP: "You have run out of patience: say you will sort it out yourself, and "
    "say goodbye.",
    Action.GOODBYE: "Thank the agent and say goodbye.",
}
_PREMATURE = (
    "The agent's answer came before it had all your details and does not look right to "
    "you: say so. Then: "
)


def _persona_text(persona: Persona, text: str, allowed: set[str]) -> str:
    """Persona prose with every withheld fact's value cut out (goals often name them)."""
    violations = [v for v in _facts_in(persona, text) if v.fact not in allowed]
    return redact(text, violations) if violations else text


_FACTS_IN: IdentityMemo[Persona, list[Violation]] = IdentityMemo()


def _facts_in(persona: Persona, text: str) -> list[Violation]:
    """Every fact's occurrences in a persona's own prose (its role, goal, opening, probes),
    found once per persona and text: each turn's prompt only filters them by what the
    ledger allows by then."""
    return _FACTS_IN.get(persona, lambda p: verify(p, text, ()), text)


class LLMRealizer(RoleModel):
    """Words the user's turns with a model; the policy and the verifier stay in charge."""

    source = "llm"
    role_name = "user"

    def prompt(self, request: DraftRequest) -> ChatRequest:
        """The model request for one draft (also what the tests inspect)."""
        persona, decision = request.persona, request.decision
        allowed = set(request.allowed)
        traits = persona.traits
        system = "\n".join(
            [
                "You are role-playing a person writing to an assistant (the agent) in a chat.",
                f"Name: {persona.name}",
                f"Role: {_persona_text(persona, persona.role, allowed) or 'a user'}",
                f"Goal: {_persona_text(persona, persona.goal, allowed)}",
                f"Style: {_VERBOSITY[traits.verbosity]}; tone {traits.tone}.",
                "",
                "Write only your next message to the agent: plain text, no quotes, no "
                "role labels, no stage directions. Give no detail about your request "
                "other than the facts you are told you may give in this message; if the "
                "agent asks about anything else, do not make it up.",
            ]
        )
        lines = ["Conversation so far:"]
        lines += [
            f"{'YOU' if who == 'user' else 'AGENT'}: {text}" for who, text in request.conversation
        ]
        if not request.conversation:
            lines.append("(nothing yet: you write first)")
        lines += ["", "What to do in this message: " + _instruction(persona, decision, allowed)]
        says = [persona.fact(f).say.strip() for f in (*decision.reveal, *decision.restate)]
        if says:
            lines.append("Facts you may give now (state each one, its value exactly as written):")
            lines += [f"- {say}" for say in says]
        if decision.probe is not None:
            probe = persona.probes[decision.probe]
            ask = (
                probe.repeat
                if decision.action == Action.PROBE_REPEAT and probe.repeat
                else probe.ask
            )
            ask = _persona_text(persona, ask.strip(), allowed)
            lines.append(f'Then make this request, in your own words: "{ask}"')
        if request.attempt:
            lines.append(
                f"(Attempt {request.attempt + 1}: an earlier draft of this message was "
                "rejected: it gave a detail not listed above, left out a listed fact, or "
                "left out the request you had to make.)"
            )
        seed = None if self.role.seed is None else self.role.seed + request.attempt
        return ChatRequest(
            model=self.role.model,
            messages=[
                {"role": "system", "content": system},
                {"role": "user", "content": "\n".join(lines)},
            ],
            temperature=self.role.temperature,
            seed=seed,
            max_tokens=self.role.max_tokens,
        )

    async def draft(self, request: DraftRequest) -> str:
        response = await self.ask(self.prompt(request))
        return _clean_draft(response.text)


def _instruction(persona: Persona, decision: Decision, allowed: set[str]) -> str:
    opening = _persona_text(persona, persona.opening.strip(), allowed)
    text = _ACTIONS[decision.action].format(opening=opening)
    if decision.premature:
        text = _PREMATURE + text[0].lower() + text[1:]
    return text


def _clean_draft(text: str) -> str:
    text = text.strip()
    for label in ("YOU:", "You:", "User:", "USER:"):
        text = text.removeprefix(label).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


class LLMClassifier(RoleModel):
    """Reads an agent turn that is not a ``submit_answer`` call, with the rule-based
    classifier's six moves."""

    role_name = "classifier"

    def prompt(
        self, persona: Persona, turn: AgentTurn, conversation: Sequence[tuple[Speaker, str]]
    ) -> ChatRequest:
        system = (
            "You classify one turn of an assistant (the agent) talking with a user, as the "
            "user would read it. Reply with one JSON object only: "
            '{"move": "answer" | "question" | "stall" | "partial" | "refusal" | "tool_only", '
            '"asked": [fact ids], "refusal": true | false, "confidence": 0.0-1.0}.\n'
            "- answer: a candidate final answer to the user's request: a value, an amount, "
            "an entity, a list, a yes/no with substance, or a report that the requested "
            "action was done. Right or wrong does not matter; an offer of more help after "
            "it does not change it; details the user gave, repeated back, are not an answer.\n"
            "- question: asks the user for something (a fact, a clarification, a choice), "
            'with or without a question mark; list in "asked" the ids of the user\'s facts '
            "(below) it asks about, possibly none. A tentative answer that depends on the "
            "question is a question.\n"
            '- stall: no content towards the request: "let me check", "one moment", '
            "promises, pleasantries, acknowledgements, restating the request, a plan.\n"
            "- partial: some results, explicitly not final yet.\n"
            "- refusal: declines the request without answering it.\n"
            "- tool_only: no text for the user.\n"
            '"refusal" is true when the turn declines any request.'
        )
        facts = [f"- {f.id}: {f.say.strip()}" for f in persona.facts]
        recent = [
            f"{'USER' if who == 'user' else 'AGENT'}: {text}" for who, text in conversation[-6:]
        ]
        user = "\n".join(
            [
                f"The user's request: {persona.goal}",
                "The user's facts (id: what it is):",
                *(facts or ["(none)"]),
                "",
                "Recent conversation:",
                *(recent or ["(none)"]),
                "",
                "The agent's turn to classify:",
                turn.text,
            ]
        )
        return ChatRequest(
            model=self.role.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            temperature=self.role.temperature,
            seed=self.role.seed,
            max_tokens=self.role.max_tokens,
        )

    async def classify(
        self, persona: Persona, turn: AgentTurn, conversation: Sequence[tuple[Speaker, str]] = ()
    ) -> Classification | None:
        """The classification, or None when the model's answer cannot be read."""
        response = await self.ask(self.prompt(persona, turn, conversation))
        return parse_classification(persona, response.text, turn)


async def read_turn(
    persona: Persona,
    turn: AgentTurn,
    *,
    answers_by_tool: bool,
    classifier: LLMClassifier | None,
    conversation: Sequence[tuple[Speaker, str]],
    events: list[Event],
    turn_number: int,
    said: str = "",
) -> Classification:
    """The rule-based reading of an agent turn, or the LLM classifier's for agents that
    do not use ``submit_answer``. An unreadable or failed LLM answer falls back to the
    rules, with an ``ErrorEvent`` appended to ``events``."""
    rules = classify(persona, turn, answers_by_tool=answers_by_tool, said=said)
    if classifier is None or answers_by_tool or turn.submitted is not None or not turn.text.strip():
        return rules
    try:
        found = await classifier.classify(persona, turn, conversation)
    except ModelCallError as exc:
        found, reason = None, f"{type(exc).__name__}: {exc}"
    else:
        reason = "unparseable classifier output"
    if found is None:
        message = f"{reason}; the rule-based classifier was used"
        events.append(
            ErrorEvent(
                turn=turn_number, where="user", error_type="ClassifierFallback", message=message
            )
        )
        return rules
    return found


def parse_classification(persona: Persona, text: str, turn: AgentTurn) -> Classification | None:
    """A classifier answer as a ``Classification``: unknown fact ids are dropped; an
    unknown move or unreadable JSON gives None. An answer attempt's answer is the agent's
    own text (what the user read), not the model's summary of it."""
    data = parse_json_object(text)
    if data is None:
        return None
    try:
        move = Move(str(data.get("move", "")).strip().lower())
    except ValueError:
        return None
    known = {f.id for f in persona.facts}
    raw_asked = data.get("asked") or []
    asked = [str(a) for a in raw_asked if str(a) in known] if isinstance(raw_asked, list) else []
    asked = [f.id for f in persona.facts if f.id in set(asked)]  # persona order, no repeats
    refusal = data.get("refusal") is True
    confidence = _confidence(data.get("confidence"))
    if move == Move.ANSWER:
        answer = turn.text.strip() or None
        return Classification(move, answer=answer, refusal=refusal, confidence=confidence)
    if move == Move.QUESTION:
        return Classification(move, asked=asked, refusal=refusal, confidence=confidence)
    return Classification(move, refusal=refusal, confidence=confidence)


def _confidence(value: object) -> float:
    """The model's confidence, clipped to [0, 1]; 1.0 when it gave none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 1.0
    return min(1.0, max(0.0, float(value)))
