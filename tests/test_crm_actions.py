"""Workflow actions validate their inputs against the data, write, and audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from simulator.env import ToolError
from simulator.env.crm import CRMEnvironment


@pytest.fixture
def b2c() -> Iterator[CRMEnvironment]:
    env = CRMEnvironment("b2c", 0, actor_id="005Mgr0000001")
    yield env
    env.close()


@pytest.fixture
def b2b() -> Iterator[CRMEnvironment]:
    env = CRMEnvironment("b2b", 0, actor_id="005Mgr0000001")
    yield env
    env.close()


def one(env: CRMEnvironment, query: str) -> Any:
    rows = json.loads(env.call("sql_query", {"query": query}))["rows"]
    return rows[0][0] if rows else None


def rejected(env: CRMEnvironment, name: str, args: dict[str, Any], message: str) -> None:
    """The action is refused with ``message`` and writes nothing at all."""
    with pytest.raises(ToolError, match=message):
        env.call(name, args)
    assert not env.has_private_copy or one(env, "SELECT COUNT(*) FROM audit_log") == 0


def test_reassign_case_validates_and_audits(b2c: CRMEnvironment) -> None:
    new = one(b2c, "SELECT id FROM cases WHERE owner_id IS NULL ORDER BY id LIMIT 1")
    closed = one(b2c, "SELECT id FROM cases WHERE status = 'Closed' ORDER BY id LIMIT 1")
    agent = "005Agt0000002"
    rejected(b2c, "reassign_case", {"case_id": "00001001", "owner_id": agent}, "case_number")
    rejected(b2c, "reassign_case", {"case_id": closed, "owner_id": agent}, "is closed")
    rejected(
        b2c,
        "reassign_case",
        {"case_id": new, "owner_id": "005Mgr0000001"},
        "not an active support agent",
    )
    rejected(
        b2c, "reassign_case", {"case_id": new, "owner_id": "nobody"}, "not an active support agent"
    )
    rejected(b2c, "reassign_case", {"case_id": new}, "needs a 'owner_id' argument")
    rejected(b2c, "reassign_case", {"case_id": new, "owner_id": 7}, "'owner_id' must be a string")
    rejected(b2c, "reassign_case", {"case_id": new, "owner_id": " "}, "must not be empty")
    rejected(b2c, "reassign_case", {"case_id": new, "owner_id": agent, "status": "x"}, "unexpected")
    assert not b2c.has_private_copy, "invalid actions never copy the world"
    result = json.loads(
        b2c.call("reassign_case", {"case_id": new, "owner_id": agent, "note": "hi"})
    )
    assert result == {"ok": True, "action": "reassign_case", "record_id": new,
                      "field": "owner_id", "old_value": None, "new_value": agent}  # fmt: skip
    assert one(b2c, f"SELECT owner_id FROM cases WHERE id = '{new}'") == agent
    history = one(
        b2c, f"SELECT new_value FROM case_history WHERE case_id = '{new}' AND field = 'Owner'"
    )
    assert history == agent
    audit = json.loads(b2c.call("sql_query", {"query": "SELECT * FROM audit_log"}))["rows"]
    assert audit == [[1, "2025-11-03T09:00:00", "005Mgr0000001", "reassign_case", "cases", new,
                      "owner_id", None, agent, "hi"]]  # fmt: skip
    rejected_again = "already assigned"
    with pytest.raises(ToolError, match=rejected_again):
        b2c.call("reassign_case", {"case_id": new, "owner_id": agent})


def test_route_lead_validates(b2b: CRMEnvironment) -> None:
    lead = one(b2b, "SELECT id FROM leads WHERE owner_id IS NULL ORDER BY id LIMIT 1")
    converted = one(b2b, "SELECT id FROM leads WHERE status = 'Closed - Converted' LIMIT 1")
    rejected(
        b2b, "route_lead", {"lead_id": converted, "owner_id": "005Rep0000001"}, "only open leads"
    )
    rejected(
        b2b, "route_lead", {"lead_id": lead, "owner_id": "005Mgr0000001"}, "not an active sales rep"
    )
    rejected(
        b2b, "route_lead", {"lead_id": "00QLea9999999", "owner_id": "005Rep0000001"}, "no lead"
    )
    b2b.call("route_lead", {"lead_id": lead, "owner_id": "005Rep0000001"})
    assert one(b2b, f"SELECT owner_id FROM leads WHERE id = '{lead}'") == "005Rep0000001"


def test_update_opportunity_stage_validates(b2b: CRMEnvironment) -> None:
    opp, stage = json.loads(
        b2b.call("sql_query", {"query": "SELECT id, stage_name FROM opportunities WHERE "
                               "is_closed = 0 AND stage_name = 'Proposal' ORDER BY id LIMIT 1"})
    )["rows"][0]  # fmt: skip
    won = one(b2b, "SELECT id FROM opportunities WHERE stage_name = 'Closed Won' LIMIT 1")
    act = "update_opportunity_stage"
    rejected(
        b2b, act, {"opportunity_id": opp, "stage_name": "Closed Won"}, "must be one of Prospecting"
    )
    rejected(b2b, act, {"opportunity_id": opp, "stage_name": "negotiation"}, "must be one of")
    rejected(b2b, act, {"opportunity_id": won, "stage_name": "Negotiation"}, "closed opportunities")
    rejected(b2b, act, {"opportunity_id": opp, "stage_name": stage}, "already at stage")
    b2b.call(act, {"opportunity_id": opp, "stage_name": "Negotiation"})
    assert one(b2b, f"SELECT stage_name FROM opportunities WHERE id = '{opp}'") == "Negotiation"


def test_quote_decisions_validate(b2b: CRMEnvironment) -> None:
    pending = json.loads(
        b2b.call("sql_query", {"query": "SELECT id FROM quotes WHERE status = 'Needs Review' "
                               "ORDER BY id LIMIT 2"})
    )["rows"]  # fmt: skip
    (first,), (second,) = pending
    accepted = one(b2b, "SELECT id FROM quotes WHERE status = 'Accepted' LIMIT 1")
    article = one(b2b, "SELECT id FROM knowledge_articles WHERE title = 'Price floor policy'")
    rejected(b2b, "approve_quote", {"quote_id": accepted}, "only quotes with status 'Needs Review'")
    rejected(b2b, "reject_quote", {"quote_id": first}, "needs a 'article_id' argument")
    rejected(b2b, "reject_quote", {"quote_id": first, "article_id": "KA-1"}, "no knowledge article")
    b2b.call("approve_quote", {"quote_id": first})
    b2b.call("reject_quote", {"quote_id": second, "article_id": article})
    state = "SELECT status || '|' || COALESCE(rejection_article_id, 'none') FROM quotes WHERE id = "
    assert one(b2b, f"{state}'{first}'") == "Approved|none"
    assert one(b2b, f"{state}'{second}'") == f"Rejected|{article}"
    with pytest.raises(ToolError, match="has status 'Approved'"):
        b2b.call("reject_quote", {"quote_id": first, "article_id": article})
    assert one(b2b, "SELECT COUNT(*) FROM audit_log") == 3  # approve, reject (status, article)
