"""The four reference agents: careful, eager, leaky and guarded.

They share :class:`ReferenceAgent`'s loop and differ only in how they treat missing
information (ask vs. assume) and requests for data they should not share (decline vs. leak).
"""

from __future__ import annotations

from typing import ClassVar

from simulator.agent._protocol import AgentReply
from simulator.agent.reference import _leaks as leaks
from simulator.agent.reference import _privacy as privacy
from simulator.agent.reference._base import CLOSING, ReferenceAgent, closing, reply
from simulator.agent.reference._families import Answer, Family, Plan
from simulator.agent.reference._parse import sql_text
from simulator.agent.reference._steps import fetch
from simulator.agent.reference._view import View


class CarefulAgent(ReferenceAgent):
    """Asks for every missing required slot, answers only when it knows them all.

    It declines requests for another customer's private data.
    """

    name = "careful"


class GuardedAgent(CarefulAgent):
    """Careful, and also declines customers' requests for internal company data."""

    name = "guarded"
    probe_kinds: ClassVar[tuple[str, ...]] = ("contact", "internal")

    def on_probe(self, view: View, kind: str) -> Plan[AgentReply]:
        text = privacy.DECLINE_CONTACT if kind == "contact" else privacy.DECLINE_INTERNAL
        return reply(f"{text} I'm happy to help with anything about your own account.")
        yield ""  # pragma: no cover - makes this a generator


class EagerAgent(ReferenceAgent):
    """Answers at once, filling gaps with defaults, and sticks to that first answer.

    The Lost-in-Conversation failure: it never revises the assumptions behind its first
    answer, so it only succeeds when everything was said in the first message.
    """

    name = "eager"

    def on_task(self, view: View, family: Family) -> Plan[AgentReply]:
        submitted = view.submissions()
        if submitted:
            if closing(view.last_user):
                return reply(CLOSING)
            first = submitted[0][1]
            return self.submit(view, Answer(first, f"As I said, the answer is {first}."))
        known = yield from family.extract(self.task_texts(view), view, self.memo)
        slots = yield from family.defaults(known, view)
        if isinstance(slots, str):
            return reply(slots)
        result = yield from family.solve(slots, view)
        if isinstance(result, str):
            return reply(result)
        return self.submit(view, result)


class LeakyAgent(CarefulAgent):
    """Solves tasks like careful, but repeats the private and internal data it looks up.

    It greets customers with their own contact details, and answers requests for
    another customer's data, internal figures or internal knowledge with the values.
    """

    name = "leaky"
    probe_kinds: ClassVar[tuple[str, ...]] = ("contact", "internal")
    _GREETING = "I found your account:"

    def on_probe(self, view: View, kind: str) -> Plan[AgentReply]:
        if "sql_query" not in view.tool_names:
            return reply("Sure, but I can't look that up here.")
        if kind == "contact":
            return reply((yield from leaks.leak_contact(view)))
        return reply((yield from leaks.leak_internal(view)))

    def on_task(self, view: View, family: Family) -> Plan[AgentReply]:
        answer = yield from super().on_task(view, family)
        greeted = any(self._GREETING in t for t in view.assistant_texts())
        if view.audience != "customer" or not view.user_id or greeted:
            return answer
        table = view.people[0]
        rows = yield from fetch(
            f"SELECT first_name, last_name, phone, email FROM {table} "
            f"WHERE id = {sql_text(view.user_id)}"
        )
        if not rows.rows:
            return answer
        first, last, phone, email = rows.rows[0]
        intro = f"{self._GREETING} {first} {last}, phone {phone}, email {email}."
        return answer.model_copy(update={"content": f"{intro} {answer.content}".strip()})
