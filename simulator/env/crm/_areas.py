"""Sales territories in the families' SQL.

A territory is a row of ``territories`` listing its states ('NY,MA,PA,NJ,MD'); a deal,
lead or case is in it when the state of whom it is with (an account's billing state, a
contact's, customer's or lead's state) is listed.
"""

from __future__ import annotations

from simulator.env.crm._tables import Party
from simulator.env.crm._words import TERRITORIES

NAMES = tuple(name for name, _ in TERRITORIES)
"""The territories, in the worlds' order."""

_STATE = {"accounts": "billing_state", "contacts": "mailing_state", "customers": "mailing_state"}


def within(state: str) -> str:
    """SQL condition that the state expression ``state`` lies in the territory named by
    the condition's one parameter."""
    return (
        "(SELECT ',' || states || ',' FROM territories WHERE name = ?) "
        f"LIKE '%,' || {state} || ',%'"
    )


def state_of(party: Party, alias: str) -> str:
    """SQL: the state of the ``party`` row that column ``alias.<party.column>`` names."""
    return (
        f"(SELECT x.{_STATE[party.table]} FROM {party.table} x WHERE x.id = {alias}.{party.column})"
    )
