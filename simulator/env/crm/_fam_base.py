"""The employee-asked families: who asks, how they open, and what the answer is checked by.

Most task families are asked by an employee of the org's company (a manager, an
analyst). Such a family states only what is its own: the users' role and the job of the
employees who ask, three openings, the goal of a draw, and how the answer is matched.
:class:`Internal` builds the persona body from these, rotating employees and openings by
persona index.
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulator.env.crm._personas import context, pick
from simulator.env.crm._task import Ctx, Draw, Family


def managers(ctx: Ctx, role: str) -> list[tuple[str, str]]:
    """(id, full name) of the org's users with ``role``."""
    rows = ctx.rows(
        "SELECT id, first_name || ' ' || last_name FROM users WHERE user_role = ? ORDER BY id",
        (role,),
    )
    return [(str(a), str(b)) for a, b in rows]


def internal(ctx: Ctx, role: str, job: str, index: int) -> dict[str, Any]:
    """Name, job and context of the employee playing an internal persona."""
    uid, name = managers(ctx, role)[index % len(managers(ctx, role))]
    return {"name": name, "job": job, "context": context("internal", uid)}


class Internal(Family):
    """A family whose personas are employees: the persona body is built from its parts.

    The answer is expected as is (``match``), or as the database state a workflow leaves
    (``state_query``); 'none' is always an exact answer.
    """

    role: ClassVar[str]
    """``users.user_role`` of the employees who ask (they take turns by persona index)."""
    job: ClassVar[str]
    """The asking employee's job, as the persona's role line states it."""
    openings: ClassVar[tuple[str, ...]]
    """First messages, rotated by persona index."""
    match: ClassVar[str] = "exact"
    """How the expected answer is matched when it is not 'none'."""

    def goal(self, draw: Draw) -> str:
        """What the employee wants, in full (the user simulator's brief)."""
        raise NotImplementedError

    def asker(self, draw: Draw) -> tuple[str, str]:
        """(role, job) of the employee asking ``draw``; the family's own by default."""
        return self.role, self.job

    def state_query(self, draw: Draw) -> str | None:
        """SQL reading the value a workflow must leave, for families judged by state."""
        return None

    def state_equals(self, draw: Draw, answer: Any) -> Any:
        """What ``state_query`` must read after the workflow (by default, the answer)."""
        return answer

    def expect(self, draw: Draw, answer: Any) -> dict[str, Any]:
        """The persona's ``expect`` block for ``answer``: for a workflow, the id or value
        the agent names (exact, as CRMArena-Pro scores it) and the state it leaves."""
        query = self.state_query(draw)
        if query is not None:
            state = {"query": query, "equals": self.state_equals(draw, answer)}
            return {"answer": answer, "match": "exact", "state": state}
        if answer == "none":
            return {"answer": "none", "match": "exact"}
        return {"answer": answer, "match": self.match}

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        role, job = self.asker(draw)
        return {
            **internal(ctx, role, job, index),
            "goal": self.goal(draw),
            "opening": pick(self.openings, index),
            "expect": self.expect(draw, answer),
        }
