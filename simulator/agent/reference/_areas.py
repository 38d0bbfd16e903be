"""Sales territories: which one a user names, and the SQL keeping a territory's records.

A territory is a row of ``territories`` listing its states ('NY,MA,PA,NJ,MD'). Users name
it ('the Northeast territory'); the agent reads the names from the database once and
finds them in the messages. A record is in the territory when its person's or company's
state is one of those listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.agent.reference._families import Memo, Plan
from simulator.agent.reference._parse import NO_FILTER, last_match, name_in, sql_text
from simulator.agent.reference._view import View

BUYERS = {"b2b": ("accounts", "account_id", "billing_state"),
          "b2c": ("customers", "customer_id", "mailing_state")}  # fmt: skip
"""(table, opportunities' column, state column) of whom deals are with, per org."""
_NAMES = "SELECT name FROM territories ORDER BY name"


def territory_in(texts: Sequence[str], memo: Memo) -> Plan[str | None]:
    """The territory named in the latest message naming one (the names are looked up
    once), or NO_FILTER after 'all territories'; None when no message says."""
    rows = yield from memo.lookup("territories", "", _NAMES)
    names = [(str(r[0]), [str(r[0])]) for r in rows.rows]

    def named(text: str) -> str | None:
        if re.search(r"\b(all|any|every) (?:sales )?territor(?:y|ies)\b", text, re.I):
            return NO_FILTER
        return name_in(text, names)

    return last_match(texts, named)


def within(name: str, state: str) -> str:
    """SQL condition: the state expression ``state`` lies in territory ``name``."""
    return (
        f"(SELECT ',' || states || ',' FROM territories WHERE name = {sql_text(name)}) "
        f"LIKE '%,' || {state} || ',%'"
    )


def deal_state(view: View, alias: str = "o.") -> str:
    """SQL: the state of whom an opportunity (``alias``) is with."""
    table, column, state = BUYERS[view.org or "b2c"]
    return f"(SELECT b.{state} FROM {table} b WHERE b.id = {alias}{column})"


def case_state(view: View, alias: str = "c.") -> str:
    """SQL: the state of whoever opened a case (``alias``)."""
    table, column = view.people
    return f"(SELECT x.mailing_state FROM {table} x WHERE x.id = {alias}{column})"
