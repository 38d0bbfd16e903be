"""The CRM sandbox: deterministic realistic data, read-only SQL, search, isolation."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import statistics
import threading
import time
from typing import Any

import pytest

from simulator.env import NoEnvironment, ToolError, open_environment, parse_crm
from simulator.env.crm import TABLES, CRMEnvironment, build, dump, world
from simulator.errors import SimulatorError
from simulator.persona._schema import Persona, StateCheck

TODAY = dt.date(2025, 11, 3)


@pytest.fixture(scope="module")
def b2c() -> sqlite3.Connection:
    return build("b2c", 0)


@pytest.fixture(scope="module")
def b2b() -> sqlite3.Connection:
    return build("b2b", 0)


@pytest.fixture
def env() -> Any:
    environment = CRMEnvironment("b2c", 0)
    yield environment
    environment.close()


def sql(env: CRMEnvironment, query: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(env.call("sql_query", {"query": query}))
    return result


def fingerprint(env: CRMEnvironment) -> list[Any]:
    """Row counts of every table, a checksum of case owners, and the schema text."""
    counts = [sql(env, f"SELECT COUNT(*) FROM {t.name}")["rows"][0][0] for t in TABLES[env.org]]
    owners = sql(env, "SELECT group_concat(owner_id) FROM cases")["rows"][0][0]
    schema = sql(env, "SELECT group_concat(sql, ';') FROM sqlite_master")["rows"][0][0]
    return [counts, owners, schema]


# --- data ----------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["b2b", "b2c"])
def test_same_seed_same_database_different_seed_different(org: str) -> None:
    first = "\n".join(build(org, 0).iterdump())
    assert first == "\n".join(build(org, 0).iterdump())
    assert first == dump(org, 0)  # the cached world is the generated database
    assert first != "\n".join(build(org, 1).iterdump())


@pytest.mark.parametrize("org", ["b2b", "b2c"])
def test_build_is_fast_and_scale_grows_the_world(org: str) -> None:
    started = time.perf_counter()
    small = build(org, 5)
    assert time.perf_counter() - started < 2.0
    big = build(org, 5, scale=2)
    table = "customers" if org == "b2c" else "leads"
    n1 = small.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    n2 = big.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    assert 1.8 * n1 <= n2 <= 2.2 * n1
    for t in TABLES[org]:
        if t.name != "audit_log":
            assert small.execute(f"SELECT COUNT(*) FROM {t.name}").fetchone()[0] > 0, t.name


def test_field_names_follow_salesforce_and_internal_fields_are_marked() -> None:
    b2b = {t.name: t for t in TABLES["b2b"]}
    assert b2b["opportunities"].sobject == "Opportunity"
    assert {"stage_name", "close_date", "is_won"} <= set(b2b["opportunities"].column_names)
    assert {"customer_signed_date", "contract_term"} <= set(b2b["contracts"].column_names)
    assert {"territories", "pricebook_entries", "quote_line_items", "voice_calls", "events"} <= set(
        b2b
    )
    b2c = {t.name: t for t in TABLES["b2c"]}
    assert {"case_history", "live_chat_transcripts", "email_messages", "issues"} <= set(b2c)
    internal = {
        (t.name, c.name) for org in TABLES for t in TABLES[org] for c in t.columns if c.internal
    }
    assert {("products", "price_floor"), ("accounts", "credit_limit")} <= internal
    assert {("products", "unit_cost"), ("customers", "churn_risk")} <= internal


def test_values_look_real_and_contacts_are_unique(b2c: sqlite3.Connection) -> None:
    phones = [r[0] for r in b2c.execute("SELECT phone FROM customers")]
    assert len(phones) == len(set(phones))
    assert all(re.fullmatch(r"\+1 \(\d{3}\) 555-01\d\d", p) for p in phones)
    emails = [
        r[0] for r in b2c.execute("SELECT email FROM customers UNION ALL SELECT email FROM users")
    ]
    assert len(emails) == len(set(emails)) and all("@" in e for e in emails)
    ids = [r[0] for r in b2c.execute("SELECT id FROM cases")]
    assert all(re.fullmatch(r"500Cas\d{7}", i) for i in ids)
    visibility = {r[0] for r in b2c.execute("SELECT DISTINCT visibility FROM knowledge_articles")}
    assert visibility == {"public", "internal"}


def test_distributions_are_realistic(b2c: sqlite3.Connection, b2b: sqlite3.Connection) -> None:
    amounts = sorted(r[0] for r in b2b.execute("SELECT amount FROM opportunities"))
    assert amounts[-1] > 10 * statistics.median(amounts), "deal sizes are heavy-tailed"
    month = "SELECT COUNT(*) FROM cases WHERE substr(created_date, 1, 7) = ?"
    dec, jun = (b2c.execute(month, (m,)).fetchone()[0] for m in ("2024-12", "2025-06"))
    assert dec > 1.25 * jun, "holiday season brings more cases"
    (twins,) = b2c.execute(
        "SELECT COUNT(*) FROM (SELECT first_name, last_name FROM customers GROUP BY 1, 2 "
        "HAVING COUNT(*) > 1)"
    ).fetchone()
    assert twins >= 2, "a few customers share a name"
    (stems,) = b2b.execute(
        "SELECT COUNT(*) FROM (SELECT substr(name, 1, instr(name, ' ')) AS stem FROM accounts "
        "GROUP BY stem HAVING COUNT(*) > 1)"
    ).fetchone()
    assert stems >= 3, "account names share stems"


def test_dates_and_sums_are_consistent(b2c: sqlite3.Connection, b2b: sqlite3.Connection) -> None:
    for created, closed in b2c.execute("SELECT created_date, closed_date FROM cases"):
        start = dt.datetime.fromisoformat(created)
        assert start.tzinfo is None and start.date() < TODAY
        if closed is not None:
            assert start < dt.datetime.fromisoformat(closed) < dt.datetime(2025, 11, 3)
    rows = b2b.execute(
        "SELECT o.amount, SUM(i.total_price) FROM opportunities o JOIN opportunity_line_items i "
        "ON i.opportunity_id = o.id GROUP BY o.id"
    ).fetchall()
    assert all(abs(a - b) < 0.01 for a, b in rows)
    (bad,) = b2b.execute(
        "SELECT COUNT(*) FROM contracts c JOIN opportunities o ON o.id = c.opportunity_id "
        "WHERE c.customer_signed_date < o.close_date OR o.stage_name != 'Closed Won'"
    ).fetchone()
    assert bad == 0
    (transfers,) = b2c.execute(
        "SELECT COUNT(*) FROM case_history WHERE field = 'Owner' AND old_value IS NOT NULL"
    ).fetchone()
    assert transfers > 100


# --- tools ---------------------------------------------------------------------------


def test_tools_per_org_and_schema(env: CRMEnvironment) -> None:
    every = [
        "describe_schema",
        "sql_query",
        "search_text",
        "reassign_case",
        "route_lead",
        "update_opportunity_stage",
        "approve_quote",
        "reject_quote",
    ]
    assert [t.name for t in env.tools()] == every  # both orgs: a service desk and sales
    assert "reassign_case" in env.instructions and "Brightline Home" in env.instructions
    b2b = CRMEnvironment("b2b", 0)
    assert [t.name for t in b2b.tools()] == every
    assert "route_lead" in b2b.instructions and "Brightline Supply" in b2b.instructions
    assert "support cases" in b2b.instructions and "leads" in env.instructions
    b2b.close()
    schema = env.call("describe_schema", {})
    for table in TABLES["b2c"]:
        assert f"{table.name} (" in schema
    assert "[internal]" in schema and "unit_cost" in schema
    one = env.call("describe_schema", {"table": "cases"})
    assert "case_number" in one and "customers (" not in one
    with pytest.raises(ToolError, match="no table 'case'; tables: users, customers"):
        env.call("describe_schema", {"table": "case"})


def test_query_result_format_row_cap_and_limit() -> None:
    small = CRMEnvironment("b2c", 0, row_limit=5)
    try:
        assert "At most 5 rows" in small.tools()[1].description
        result = sql(small, "SELECT id FROM users")
        assert len(result["rows"]) == 5 and result["truncated"] is True
        text = small.call("sql_query", {"query": "SELECT 1 AS one"})
        assert text == '{"columns":["one"],"rows":[[1]],"truncated":false}'
    finally:
        small.close()


def test_search_text_finds_articles_and_transcripts(env: CRMEnvironment) -> None:
    found = json.loads(env.call("search_text", {"query": "return window", "source": "knowledge"}))
    assert found["columns"][:4] == ["source", "record_id", "parent_id", "visibility"]
    assert found["rows"][0][4] == "Return policy" and "[" in found["rows"][0][5]
    chats = json.loads(env.call("search_text", {"query": "credit account", "source": "chat"}))
    assert chats["rows"] and all(
        r[0] == "chat" and r[2].startswith("500Cas") for r in chats["rows"]
    )
    many = json.loads(env.call("search_text", {"query": "problem", "limit": 10}))
    assert len(many["rows"]) == 10
    with pytest.raises(ToolError, match="between 1 and 10"):
        env.call("search_text", {"query": "refund", "limit": 50})
    with pytest.raises(ToolError, match="at least one word"):
        env.call("search_text", {"query": "the ?!"})
    with pytest.raises(ToolError, match="must be one of"):
        env.call("search_text", {"query": "refund", "source": "tweets"})
    via_sql = sql(env, "SELECT COUNT(*) FROM text_search WHERE text_search MATCH 'refund'")
    assert via_sql["rows"][0][0] > 0, "FTS5 is usable from SQL too"


WRITES = [
    "INSERT INTO users VALUES ('x', 'a', 'b', 'c', 'd', 'e', 'f', 1, 'g')",
    "UPDATE cases SET owner_id = NULL",
    "DELETE FROM cases",
    "REPLACE INTO issues VALUES ('x', 'y', 'z', 'w')",
    "DROP TABLE cases",
    "CREATE TABLE t (x)",
    "CREATE TEMP TABLE t (x)",
    "ALTER TABLE cases ADD COLUMN y",
    "ATTACH DATABASE ':memory:' AS other",
    "DETACH DATABASE main",
    "PRAGMA query_only=OFF",
    "PRAGMA writable_schema=1",
    "PRAGMA journal_mode=DELETE",
    "SELECT 1; DROP TABLE cases",
    "SELECT 1; DELETE FROM cases",
    "VACUUM",
    "BEGIN",
    "REINDEX",
    "ANALYZE",
    "WITH x AS (SELECT 1) DELETE FROM cases",
    "WITH x AS (SELECT 1) UPDATE cases SET status = 'New'",
    "WITH x AS (SELECT 1) INSERT INTO knowledge_articles SELECT * FROM knowledge_articles",
    "INSERT INTO text_search(text_search) VALUES ('delete-all')",
    "SELECT load_extension('evil')",
    "/* hi */ DELETE FROM cases",
    "-- note\nUPDATE cases SET status = 'x'",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_tool_cannot_write(env: CRMEnvironment, statement: str) -> None:
    before = fingerprint(env)
    with pytest.raises(ToolError):
        env.call("sql_query", {"query": statement})
    assert fingerprint(env) == before
    assert not env.has_private_copy
    other = CRMEnvironment("b2c", 0)  # the shared world is untouched too
    assert fingerprint(other) == before
    other.close()


def test_writes_are_refused_by_sqlite_itself() -> None:
    """Below the tool's statement check: the authorizer, then the read-only connection."""
    w = world("b2c", 0)
    with w.reader() as guard:
        statements = ("DELETE FROM cases", "PRAGMA query_only=OFF", "DROP TABLE users",
                      "ATTACH DATABASE ':memory:' AS x", "CREATE TEMP TABLE t (x)")  # fmt: skip
        for statement in statements:
            with pytest.raises(sqlite3.DatabaseError):
                guard.conn.execute(statement)
        guard.conn.set_authorizer(None)  # even without the authorizer...
        try:
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                guard.conn.execute("DELETE FROM cases")
            guard.conn.execute("PRAGMA query_only=OFF")  # ...and without query_only,
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                guard.conn.execute("DELETE FROM cases")  # the reader opened mode=ro
        finally:
            guard.conn.execute("PRAGMA query_only=ON")
            guard.conn.set_authorizer(guard._authorize)
    copy = w.private_copy()  # a dialogue's own copy keeps query_only without the authorizer
    copy.conn.set_authorizer(None)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        copy.conn.execute("DELETE FROM cases")
    copy.close()


def test_error_messages_are_clear(env: CRMEnvironment) -> None:
    with pytest.raises(ToolError, match="one SQL statement"):
        env.call("sql_query", {"query": "SELECT 1; SELECT 2"})
    with pytest.raises(ToolError, match="no such table: nope"):
        env.call("sql_query", {"query": "SELECT * FROM nope"})
    with pytest.raises(ToolError, match="workflow tools"):
        env.call("sql_query", {"query": "UPDATE cases SET status = 'x'"})
    with pytest.raises(ToolError, match="needs a 'query' argument"):
        env.call("sql_query", {})
    with pytest.raises(ToolError, match="'query' must be a string"):
        env.call("sql_query", {"query": 5})
    with pytest.raises(ToolError, match="unknown tool 'submit_answer'"):
        env.call("submit_answer", {"answer": "1"})
    with pytest.raises(ToolError, match="unexpected argument"):
        env.call("describe_schema", {"tables": "cases"})
    with pytest.raises(ToolError, match="must be a JSON object"):
        env.call("sql_query", ["SELECT 1"])  # type: ignore[arg-type]


def test_runaway_query_is_interrupted_by_the_time_limit() -> None:
    slow = CRMEnvironment("b2c", 0, time_limit=0.2)
    try:
        started = time.perf_counter()
        with pytest.raises(ToolError, match=r"longer than 0.2 s"):
            slow.call("sql_query", {"query": "SELECT COUNT(*) FROM cases a, cases b, cases c"})
        assert time.perf_counter() - started < 2
        assert sql(slow, "SELECT COUNT(*) FROM issues")["rows"] == [[43]]
    finally:
        slow.close()


# --- isolation -------------------------------------------------------------------------


def _new_case(env: CRMEnvironment) -> str:
    rows = sql(env, "SELECT id FROM cases WHERE owner_id IS NULL ORDER BY id LIMIT 1")["rows"]
    return str(rows[0][0])


def test_no_dialogue_sees_another_dialogues_writes() -> None:
    writer, reader = CRMEnvironment("b2c", 0, actor_id="005Mgr0000001"), CRMEnvironment("b2c", 0)
    try:
        case = _new_case(writer)
        check = StateCheck(
            query=f"SELECT owner_id FROM cases WHERE id = '{case}'", equals="005Agt0000003"
        )
        assert writer.check_state(check) == (False, None)
        assert not writer.has_private_copy, "reads alone never copy the world"
        writer.call("reassign_case", {"case_id": case, "owner_id": "005Agt0000003"})
        assert writer.has_private_copy
        assert writer.check_state(check) == (True, "005Agt0000003")
        assert reader.check_state(check) == (False, None)
        later = CRMEnvironment("b2c", 0)
        assert later.check_state(check) == (False, None)
        later.close()
    finally:
        writer.close()
        reader.close()
    with pytest.raises(ToolError, match="closed"):
        writer.call("sql_query", {"query": "SELECT 1"})


def test_a_world_built_in_one_thread_gives_private_copies_in_another() -> None:
    """The image a writer's copy starts from is made on first use, in whichever thread
    asks first (a tool call in LangGraph's thread pool, a Ray worker's thread)."""
    from simulator.env.crm import World

    built: list[World] = []
    maker = threading.Thread(target=lambda: built.append(World("b2b", 0, 1)))
    maker.start()
    maker.join()
    copies: list[int] = []
    errors: list[BaseException] = []

    def copy() -> None:
        try:
            guard = built[0].private_copy()
            copies.append(
                guard.query("SELECT COUNT(*) FROM cases", limit=1, time_limit=5).rows[0][0]
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=copy) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(copies)) == 1 and copies[0] > 100
    assert built[0].image == world("b2b").image  # the same bytes as the shared world's


def test_shared_reads_from_many_threads_agree() -> None:
    expected = sql(CRMEnvironment("b2b", 0), "SELECT COUNT(*), SUM(amount) FROM opportunities")
    results: list[Any] = []

    def work() -> None:
        env = CRMEnvironment("b2b", 0)
        for _ in range(20):
            results.append(sql(env, "SELECT COUNT(*), SUM(amount) FROM opportunities"))
        env.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 160 and all(r == expected for r in results)


def test_open_environment_dispatches_on_the_persona() -> None:
    base = {"id": "x", "name": "X", "goal": "g", "opening": "hi"}
    assert isinstance(open_environment(Persona.model_validate(base)), NoEnvironment)
    for name, org in (("crm-b2b", "b2b"), ("crm-b2c", "b2c"), ("crm", "b2b")):
        persona = Persona.model_validate(
            {**base, "environment": name, "environment_seed": 0, "context": {"user_id": "u1"}}
        )
        env = open_environment(persona)
        assert isinstance(env, CRMEnvironment) and env.org == org and env.actor_id == "u1"
        env.close()
    assert parse_crm("crm-b2c@4") == ("b2c", 4) and parse_crm("crm-b2x") is None
    with pytest.raises(SimulatorError, match="known environments: none, crm-b2b, crm-b2c"):
        open_environment(Persona.model_validate({**base, "environment": "erp"}))
