"""Both orgs have every family: their data, the reference agents through the real graph,
and the added half of each world drawn apart from the half that was there before."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import simulator
from simulator.env.crm import FAMILIES, TABLES, _gen_b2b, _gen_b2c, build, dump, world
from simulator.env.crm._db import generate
from simulator.persona import Persona, load_personas
from simulator.record import DialogueRecord

PACK = load_personas(Path(__file__).resolve().parents[1] / "personas" / "crm")
BUSINESS = [p for p in PACK if p.expect.match != "none"]
PRIVACY = [p for p in PACK if p.expect.match == "none"]


def org_of(persona: Persona) -> str:
    return persona.environment.removeprefix("crm-")


def play(agent: str, personas: list[Persona]) -> list[DialogueRecord]:
    return [simulator.run_dialogue_sync(p, f"reference:{agent}", "full") for p in personas]


def test_both_orgs_hold_the_data_of_every_family() -> None:
    for org in ("b2b", "b2c"):
        conn = build(org, 0)
        names = {t.name for t in TABLES[org]}
        assert {"cases", "case_history", "issues", "live_chat_transcripts", "leads",
                "opportunities", "quotes", "quote_line_items", "contracts", "territories",
                "voice_calls", "tasks"} <= names  # fmt: skip
        for table in ("cases", "case_history", "live_chat_transcripts", "email_messages",
                      "leads", "opportunities", "opportunity_line_items", "quotes",
                      "contracts", "tasks", "voice_calls"):  # fmt: skip
            (count,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            assert count > 50, (org, table, count)
        roles = dict(conn.execute("SELECT user_role, COUNT(*) FROM users GROUP BY 1").fetchall())
        assert roles["Support Agent"] >= 8 and roles["Sales Rep"] >= 12, (org, roles)
        titles = {r[0] for r in conn.execute("SELECT title FROM knowledge_articles")}
        assert {"Quote discount approval matrix", "Price floor policy", "Quote validity",
                "Opportunity stage criteria", "Lead routing policy",
                "Case routing policy"} <= titles  # fmt: skip
        (rules,) = conn.execute(
            "SELECT COUNT(*) FROM knowledge_articles WHERE category = 'Configuration'"
        ).fetchone()
        assert rules == 4
    b2b, b2c = build("b2b", 0), build("b2c", 0)
    assert b2b.execute("SELECT COUNT(*) FROM cases c JOIN contacts p ON p.id = c.contact_id")
    (orphans,) = b2b.execute(
        "SELECT COUNT(*) FROM cases c LEFT JOIN contacts p ON p.id = c.contact_id "
        "WHERE p.id IS NULL"
    ).fetchone()
    assert orphans == 0  # B2B cases are opened by contacts of accounts
    (orphans,) = b2c.execute(
        "SELECT COUNT(*) FROM opportunities o LEFT JOIN customers c ON c.id = o.customer_id "
        "WHERE c.id IS NULL"
    ).fetchone()
    assert orphans == 0  # B2C deals are with store customers (converted leads are new ones)
    (bundles,) = b2c.execute(
        "SELECT COUNT(*) FROM opportunity_line_items li JOIN products p ON p.id = li.product_id "
        "WHERE p.family = 'bundle'"
    ).fetchone()
    assert bundles > 100


@pytest.mark.parametrize(
    ("org", "module", "added"),
    [("b2b", _gen_b2b, "service_desk"), ("b2c", _gen_b2c, "home_sales")],
)
def test_the_added_half_leaves_every_existing_row_as_it_was(
    org: str, module: object, added: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new half is drawn from its own random stream after the old one, with ids
    continuing the counters: without it, every table is a prefix of the whole world."""
    whole = generate(org, 0, 1)
    monkeypatch.setattr(module, added, lambda b, seed, scale: None)
    before = generate(org, 0, 1)
    grew = set()
    for table, rows in before.rows.items():
        cut = [r[: len(rows[0])] for r in whole.rows[table][: len(rows)]] if rows else []
        assert cut == rows, table
        if len(whole.rows[table]) > len(rows):
            grew.add(table)
    assert whole.search[: len(before.search)] == before.search
    assert {"cases", "leads", "opportunities"} & grew


def test_generation_is_deterministic_for_both_orgs() -> None:
    for org in ("b2b", "b2c"):
        first = generate(org, 0, 1)
        again = generate(org, 0, 1)
        assert first.rows == again.rows and first.search == again.search
        assert first.truth == again.truth
        assert generate(org, 1, 1).rows != first.rows
    assert dump("b2c") == dump("b2c") and world("b2b").size == world("b2b").size


def test_the_pack_has_ten_personas_per_family_and_org_with_varied_answers() -> None:
    counts = Counter((org_of(p), p.family) for p in PACK)
    assert set(counts.values()) == {10} and len(counts) == 44
    for org in ("b2b", "b2c"):
        for family in FAMILIES[org]:
            mine = [p for p in BUSINESS if p.family == family.name and org_of(p) == org]
            answers = {str(p.expect.answer) for p in mine}
            if mine and family.name != "knowledge_qa":
                assert len(answers) >= 3, (org, family.name, answers)
            required = [len(p.required_facts) for p in mine]
            assert all(1 <= n <= 4 for n in required), (org, family.name, required)


def test_workflow_personas_expect_the_answer_and_the_state() -> None:
    workflow = {"case_routing", "lead_routing", "wrong_stage", "quote_approval"}
    for persona in PACK:
        if persona.family in workflow:
            assert persona.expect.state is not None and persona.expect.answer is not None
            assert persona.expect.match == "exact", persona.id


@pytest.mark.parametrize("org", ["b2b", "b2c"])
def test_careful_succeeds_on_every_business_persona_in_full_mode(org: str) -> None:
    personas = [p for p in BUSINESS if org_of(p) == org]
    assert len(personas) == 19 * 10
    failed = [
        (r.persona_id, r.end_reason, r.scores.task.detail)
        for r in play("careful", personas)
        if not r.scores.task.success or r.scores.leakage.leaked
    ]
    assert failed == []


@pytest.mark.parametrize("org", ["b2b", "b2c"])
def test_guarded_declines_every_probe(org: str) -> None:
    personas = [p for p in PRIVACY if org_of(p) == org]
    assert len(personas) == 3 * 10
    for record in play("guarded", personas):
        assert record.scores.task.success, (record.persona_id, record.scores.task.detail)
        assert record.scores.refusal.probes and all(
            p.declined for p in record.scores.refusal.probes
        )
        assert record.scores.leakage.leaked == []


def test_required_fact_counts_vary_within_every_family_and_reach_four() -> None:
    """Every business family asks for a mix of required-fact counts in each org, and the
    pack as a whole holds personas needing 1, 2, 3 and 4 facts (docs/crm.md, 'Required
    facts per family')."""
    counts: dict[tuple[str, str], Counter[int]] = {}
    for p in BUSINESS:
        counts.setdefault((p.family, org_of(p)), Counter())[len(p.required_facts)] += 1
    assert len(counts) == 38
    for stratum, seen in counts.items():
        assert len(seen) > 1, (stratum, seen)
        assert max(seen) >= 2 and set(seen) <= {1, 2, 3, 4}, (stratum, seen)
    everything = Counter(len(p.required_facts) for p in BUSINESS)
    assert set(everything) == {1, 2, 3, 4}
    assert everything[4] >= 40
    four = {family for (family, _), seen in counts.items() if 4 in seen}
    assert four == {
        "activity_priority", "best_region", "case_routing", "conversion_rate", "handle_time",
        "lead_routing", "monthly_trend", "named_entity_disambiguation", "sales_amount",
        "sales_cycle", "top_issue", "transfer_count",
    }  # fmt: skip
