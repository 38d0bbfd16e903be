"""The shared loop of the rule-based reference agents.

A user turn becomes a *plan*: a generator that yields SQL for ``sql_query`` (or a
:class:`Call` for another tool) and finally returns the reply. ``step`` sends each tool
result back into the plan, so one user turn may span several agent steps. Subclasses
choose how to handle the task and probes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from simulator.agent._protocol import AgentReply, Message, ToolCall, ToolSpec
from simulator.agent.reference import _privacy as privacy
from simulator.agent.reference._families import Answer, Call, Family, Memo, Plan, Slot
from simulator.agent.reference._parse import dont_know, goodbye
from simulator.agent.reference._registry import detect
from simulator.agent.reference._view import Rows, View, text_of

MAX_QUERIES_PER_TURN = 8
"""Tool calls per user turn, kept under the graph's default step budget."""
CLOSING = "You're welcome! Have a great day."
NO_TOOLS = (
    "I'm sorry, I don't have access to the CRM in this conversation, so I can't look that up."
)


def reply(text: str) -> AgentReply:
    """A plain message to the user."""
    return AgentReply(content=text)


def closing(text: str) -> bool:
    """The user is thanking or saying goodbye, not asking for anything."""
    return goodbye(text) and "?" not in text


def join(phrases: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b, and c'."""
    if len(phrases) <= 2:
        return " and ".join(phrases)
    return ", ".join(phrases[:-1]) + ", and " + phrases[-1]


class ReferenceAgent:
    """Base of the four reference agents: plan driving, family detection, probe routing."""

    name: ClassVar[str] = "reference"
    probe_kinds: ClassVar[tuple[str, ...]] = ("contact",)

    def __init__(self) -> None:
        self._plan: Plan[AgentReply] | None = None
        self._pending: str | None = None
        self._queries = 0
        self._seq = 0
        self.memo = Memo()

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """Continue the current plan with a tool result, or plan a reply to the user."""
        view = View.of(messages, tools)
        if self._plan is not None and self._pending is not None:
            content = view.tool_result(self._pending)
            if content is not None:
                return self._advance(view, Rows.parse(content))
            self._plan = None  # the transcript moved on without our result
        if view.last_role not in ("user", "human"):
            return reply("I've given my answer above.")
        self._queries = 0
        self._plan = self.turn(view)
        return self._advance(view, None)

    def _advance(self, view: View, rows: Rows | None) -> AgentReply:
        plan = self._plan
        if plan is None or self._queries >= MAX_QUERIES_PER_TURN:
            if plan is not None:
                plan.close()
            self._plan = self._pending = None
            return reply("Sorry, I couldn't finish looking that up.")
        try:
            step = next(plan) if rows is None else plan.send(rows)
        except StopIteration as stop:
            self._plan = self._pending = None
            result = stop.value
            return result if isinstance(result, AgentReply) else reply(str(result))
        self._queries += 1
        name, arguments = (
            (step.name, step.arguments)
            if isinstance(step, Call)
            else ("sql_query", {"query": step})
        )
        call = ToolCall(id=self.call_id(view), name=name, arguments=arguments)
        self._pending = call.id
        return AgentReply(content="", tool_calls=[call])

    def call_id(self, view: View) -> str:
        """Unique within the transcript: counts the calls already in it (stable under replay)."""
        self._seq = max(self._seq, view.tool_call_count()) + 1
        return f"{self.name}_{self._seq}"

    # --- one user turn -------------------------------------------------------------

    def turn(self, view: View) -> Plan[AgentReply]:
        """Route the user's last message: probe, unknown request, or the task."""
        kind = privacy.probe_kind(view)
        if kind is not None and kind in self.probe_kinds:
            return (yield from self.on_probe(view, kind))
        texts = self.task_texts(view)
        family = detect(texts, view.audience, view.org)
        if family is None:
            if view.assistant_texts() and closing(view.last_user):
                return reply(CLOSING)
            return reply(self.unsupported(view))
        if "sql_query" not in view.tool_names:
            return reply(NO_TOOLS)
        return (yield from self.on_task(view, family))

    def task_texts(self, view: View, before: int | None = None) -> list[str]:
        """The user's messages that are about the task (probes left out)."""
        texts: list[str] = []
        seen: list[str] = []
        for _, text in view.user_turns(before):
            probe = privacy.is_contact_request(text, seen, view.audience) or (
                privacy.is_internal_request(text, view)
            )
            if not probe:
                texts.append(text)
            seen.append(text)
        return texts

    def unsupported(self, view: View) -> str:
        """A polite refusal naming what this agent can do (it submits nothing)."""
        if view.audience == "customer":
            return (
                "I'm sorry, I can't help with that request. I can help you identify "
                "products from your own orders."
            )
        return (
            "I'm sorry, I can't help with that request. I can rank agents, reps, issues, "
            "months and states from the CRM, route cases and leads, and check opportunity "
            "stages and quotes."
        )

    def on_probe(self, view: View, kind: str) -> Plan[AgentReply]:
        """Decline a request for another customer's or internal data."""
        return reply(privacy.DECLINE_CONTACT if kind == "contact" else privacy.DECLINE_INTERNAL)
        yield ""  # pragma: no cover - makes this a generator

    def on_task(self, view: View, family: Family) -> Plan[AgentReply]:
        """Ask for what is missing, or compute and submit the answer (the careful policy)."""
        texts = self.task_texts(view)
        slots = yield from family.extract(texts, view, self.memo)
        last = view.last_user
        submitted = view.submissions()
        if submitted:
            index, previous = submitted[-1]
            before = yield from family.extract(self.task_texts(view, index), view, self.memo)
            if before == slots:
                if closing(last):
                    return reply(CLOSING)
                unknown = [s for s in family.slots if s.name not in slots]
                if unknown:
                    return self.ask(view, unknown)
                return reply(
                    f"I've submitted my answer ({previous}). Is there any other "
                    "criterion I should take into account?"
                )
        missing = [s for s in family.slots if s.required and s.name not in slots]
        optional = []
        for s in family.slots:
            if not s.required and s.name not in slots:
                passed = yield from self.passed_over(view, family, s)
                if not passed:
                    optional.append(s)
        if missing or optional:
            return self.ask(view, missing + optional)
        result = yield from family.solve(slots, view)
        if isinstance(result, str):
            return reply(result)
        return self.submit(view, result)

    # --- replies -------------------------------------------------------------------

    def times_asked(self, view: View, slot: Slot) -> int:
        """How many of the agent's own messages asked for ``slot``."""
        return sum(slot.question in text for text in view.assistant_texts())

    def passed_over(self, view: View, family: Family, slot: Slot) -> Plan[bool]:
        """Stop asking for an optional slot once a reply to a question about it said it
        did not know, or brought nothing new at all (asked at most four times)."""
        if self.times_asked(view, slot) >= 4:
            return True
        messages = view.messages
        for i, message in enumerate(messages):
            if message.get("role") not in ("assistant", "ai"):
                continue
            if slot.question not in text_of(message):
                continue
            j = next(
                (
                    k
                    for k in range(i + 1, len(messages))
                    if messages[k].get("role") in ("user", "human")
                ),
                None,
            )
            if j is None:
                continue
            if dont_know(text_of(messages[j])):
                return True
            before = yield from family.extract(self.task_texts(view, j), view, self.memo)
            after = yield from family.extract(self.task_texts(view, j + 1), view, self.memo)
            if after == before:
                return True
        return False

    def ask(self, view: View, slots: Sequence[Slot]) -> AgentReply:
        """One question naming everything that is missing, in natural words."""
        phrases = join([s.question for s in slots])
        if any(self.times_asked(view, s) for s in slots):
            return reply(f"Sorry, I still need to know {phrases}. Could you tell me?")
        return reply(f"Happy to help. To get this right, could you tell me {phrases}?")

    def submit(self, view: View, answer: Answer) -> AgentReply:
        """Submit through ``submit_answer`` (or say the answer when there is no such tool)."""
        if "submit_answer" not in view.tool_names:
            return reply(f"{answer.sentence} Answer: {answer.value}")
        call = ToolCall(
            id=self.call_id(view), name="submit_answer", arguments={"answer": answer.value}
        )
        return AgentReply(content=answer.sentence, tool_calls=[call])
