"""The CRM sandbox: deterministic data, read-only tools, isolation, and gold answers."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from typing import Any

import pytest
import yaml

from simulator.env import NoEnvironment, ToolError, open_environment
from simulator.env.crm import TABLES, CRMEnvironment, build, dump, generate_pack
from simulator.errors import SimulatorError
from simulator.persona._schema import Persona, StateCheck

TODAY = dt.date(2025, 11, 3)


@pytest.fixture
def env() -> Any:
    environment = CRMEnvironment(0)
    yield environment
    environment.close()


def sql(env: CRMEnvironment, query: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(env.call("sql_query", {"query": query}))
    return result


def fingerprint(env: CRMEnvironment) -> list[Any]:
    """Row counts of every table, a checksum of money columns, and the schema text."""
    counts = [sql(env, f"SELECT COUNT(*) FROM {t.name}")["rows"][0][0] for t in TABLES]
    money = sql(env, "SELECT SUM(amount) FROM opportunities")["rows"][0][0]
    schema = sql(env, "SELECT group_concat(sql, ';') FROM sqlite_master")["rows"][0][0]
    return [counts, money, schema]


# --- data ----------------------------------------------------------------------------


def test_same_seed_same_database_different_seed_different() -> None:
    first = "\n".join(build(0).iterdump())
    assert first == "\n".join(build(0).iterdump())
    assert first == dump(0)  # the cached image is the generated database
    assert first != "\n".join(build(1).iterdump())


def test_sizes_are_sane_and_build_is_fast() -> None:
    started = time.perf_counter()
    conn = build(123)
    assert time.perf_counter() - started < 1.5
    counts = {t.name: conn.execute(f"SELECT COUNT(*) FROM {t.name}").fetchone()[0] for t in TABLES}
    assert all(n > 0 for n in counts.values()), counts
    assert 500 <= sum(counts.values()) <= 5000, counts
    assert 10 <= counts["users"] <= 50 and counts["accounts"] >= 20 and counts["cases"] >= 200


def test_values_look_real_and_are_unique() -> None:
    conn = build(0)
    phones = [
        r[0]
        for r in conn.execute("SELECT phone FROM customers UNION ALL SELECT phone FROM contacts")
    ]
    assert len(phones) == len(set(phones))
    assert all(re.fullmatch(r"\+1 \(\d{3}\) 555-01\d\d", p) for p in phones)
    emails = [
        r[0]
        for r in conn.execute(
            "SELECT email FROM customers UNION ALL SELECT email FROM contacts "
            "UNION ALL SELECT email FROM users"
        )
    ]
    assert len(emails) == len(set(emails)) and all("@" in e for e in emails)
    names = conn.execute(
        "SELECT first_name || ' ' || last_name FROM customers UNION ALL "
        "SELECT first_name || ' ' || last_name FROM contacts"
    ).fetchall()
    assert len(names) == len(set(names))
    assert all(
        re.fullmatch(r"005(Rep|Agt|Ops|Mgr)\d{7}", r[0])
        for r in conn.execute("SELECT id FROM users")
    )
    assert all(re.fullmatch(r"PRD-\d{5}", r[0]) for r in conn.execute("SELECT id FROM products"))
    assert {r[0] for r in conn.execute("SELECT DISTINCT visibility FROM knowledge_articles")} == {
        "public",
        "internal",
    }


def test_dates_are_iso_without_time_zone_and_not_after_today() -> None:
    conn = build(0)
    for created, closed in conn.execute("SELECT created_at, closed_at FROM cases"):
        start = dt.datetime.fromisoformat(created)
        assert start.tzinfo is None and start.date() < TODAY
        if closed is not None:
            assert dt.datetime.fromisoformat(closed) > start
    (latest,) = conn.execute("SELECT MAX(order_date) FROM orders").fetchone()
    assert dt.date.fromisoformat(latest) < TODAY
    (bad,) = conn.execute(
        "SELECT COUNT(*) FROM opportunities WHERE stage LIKE 'Closed%' "
        "AND close_date >= '2025-11-03'"
    ).fetchone()
    assert bad == 0


def test_opportunity_amount_is_the_sum_of_its_line_items() -> None:
    conn = build(0)
    rows = conn.execute(
        "SELECT o.amount, SUM(i.quantity * i.unit_price) FROM opportunities o "
        "JOIN opportunity_line_items i ON i.opportunity_id = o.id GROUP BY o.id"
    ).fetchall()
    assert len(rows) == conn.execute("SELECT COUNT(*) FROM opportunities").fetchone()[0]
    assert all(abs(a - b) < 0.01 for a, b in rows)


# --- tools ---------------------------------------------------------------------------


def test_tools_and_schema(env: CRMEnvironment) -> None:
    names = [t.name for t in env.tools()]
    assert names == ["describe_schema", "sql_query"]
    query_spec = env.tools()[1].parameters
    assert query_spec["required"] == ["query"]
    schema = env.call("describe_schema", {})
    for table in TABLES:
        assert f"{table.name}:" in schema
    assert "[internal]" in schema and "price_floor" in schema
    assert env.name == "crm" and "submit_answer" in env.instructions


def test_query_result_format_and_row_cap(env: CRMEnvironment) -> None:
    small = sql(env, "SELECT id, role FROM users ORDER BY id")
    assert small["columns"] == ["id", "role"] and small["truncated"] is False
    assert len(small["rows"]) == 26
    big = sql(env, "SELECT id FROM cases")
    assert len(big["rows"]) == 50 and big["truncated"] is True
    text = env.call("sql_query", {"query": "SELECT 1 AS one"})
    assert text == '{"columns":["one"],"rows":[[1]],"truncated":false}'


def test_row_limit_is_configurable() -> None:
    small = CRMEnvironment(0, row_limit=5)
    try:
        assert "At most 5 rows" in small.tools()[1].description
        result = sql(small, "SELECT id FROM users")
        assert len(result["rows"]) == 5 and result["truncated"] is True
    finally:
        small.close()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO users VALUES ('x', 'a', 'b', 'c', 'd', 'e', 'f')",
        "UPDATE opportunities SET amount = 0",
        "DELETE FROM cases",
        "DROP TABLE cases",
        "CREATE TABLE t (x)",
        "ALTER TABLE cases ADD COLUMN y",
        "ATTACH DATABASE ':memory:' AS other",
        "PRAGMA query_only=OFF",
        "PRAGMA writable_schema=1",
        "SELECT 1; DROP TABLE cases",
        "VACUUM",
        "BEGIN",
        "REINDEX",
        "WITH x AS (SELECT 1) DELETE FROM cases",
        "WITH x AS (SELECT 1) INSERT INTO knowledge_articles SELECT * FROM knowledge_articles",
        "SELECT load_extension('evil')",
        "/* hi */ DELETE FROM cases",
    ],
)
def test_sql_tool_cannot_write(env: CRMEnvironment, statement: str) -> None:
    before = fingerprint(env)
    with pytest.raises(ToolError):
        env.call("sql_query", {"query": statement})
    assert fingerprint(env) == before


def test_writes_are_refused_by_sqlite_itself(env: CRMEnvironment) -> None:
    """Below the tool's statement check: query_only and the authorizer stop writes."""
    conn = env.db.conn
    for statement in (
        "DELETE FROM cases",
        "PRAGMA query_only=OFF",
        "DROP TABLE users",
        "ATTACH DATABASE ':memory:' AS x",
        "CREATE TEMP TABLE t (x)",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(statement)
    conn.set_authorizer(None)  # even without the authorizer, query_only still holds
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM cases")


def test_error_messages_are_clear(env: CRMEnvironment) -> None:
    with pytest.raises(ToolError, match="one SQL statement"):
        env.call("sql_query", {"query": "SELECT 1; SELECT 2"})
    with pytest.raises(ToolError, match="no such table: nope"):
        env.call("sql_query", {"query": "SELECT * FROM nope"})
    with pytest.raises(ToolError, match="read-only"):
        env.call("sql_query", {"query": "UPDATE cases SET status = 'x'"})
    with pytest.raises(ToolError, match="query"):
        env.call("sql_query", {})
    with pytest.raises(ToolError, match="unknown tool 'submit_answer'"):
        env.call("submit_answer", {"answer": "1"})
    with pytest.raises(ToolError, match="unexpected argument"):
        env.call("describe_schema", {"table": "cases"})


def test_runaway_query_is_interrupted(env: CRMEnvironment) -> None:
    with pytest.raises(ToolError, match="too long"):
        env.call("sql_query", {"query": "SELECT COUNT(*) FROM cases a, cases b, cases c"})
    assert sql(env, "SELECT COUNT(*) FROM cases")["rows"] == [[420]]


def test_dialogues_are_isolated() -> None:
    first, second = CRMEnvironment(0), CRMEnvironment(0)
    try:
        breached = first.db.conn  # simulate a breach of one dialogue's copy
        breached.set_authorizer(None)
        breached.execute("PRAGMA query_only=OFF")
        breached.execute("DELETE FROM cases")
        assert sql(first, "SELECT COUNT(*) FROM cases")["rows"] == [[0]]
        assert sql(second, "SELECT COUNT(*) FROM cases")["rows"] == [[420]]
        third = CRMEnvironment(0)
        assert sql(third, "SELECT COUNT(*) FROM cases")["rows"] == [[420]]
        third.close()
    finally:
        first.close()
        second.close()
    with pytest.raises(ToolError, match="closed"):
        first.call("sql_query", {"query": "SELECT 1"})


def test_check_state(env: CRMEnvironment) -> None:
    check = StateCheck(query="SELECT COUNT(*) FROM users WHERE role = 'Support Agent'", equals=10)
    assert env.check_state(check) == (True, 10)
    assert env.check_state(check.model_copy(update={"equals": "11"})) == (False, 10)
    empty = StateCheck(query="SELECT id FROM users WHERE id = 'nobody'")
    assert env.check_state(empty) == (True, None)


def test_open_environment_dispatches_on_the_persona() -> None:
    base = {"id": "x", "name": "X", "goal": "g", "opening": "hi"}
    assert isinstance(open_environment(Persona.model_validate(base)), NoEnvironment)
    crm = open_environment(
        Persona.model_validate({**base, "environment": "crm", "environment_seed": 1})
    )
    assert isinstance(crm, CRMEnvironment) and crm.seed == 1
    crm.close()
    with pytest.raises(SimulatorError, match="known environments: none, crm"):
        open_environment(Persona.model_validate({**base, "environment": "erp"}))


# --- gold answers, re-derived independently -------------------------------------------


PACK = [Persona.model_validate(yaml.safe_load(t)) for t in generate_pack(0).values()]


def _family(name: str) -> list[Persona]:
    found = [p for p in PACK if p.family == name]
    assert len(found) >= 3, name
    return found


def _quarter_total(conn: sqlite3.Connection, account: str, quarter: str) -> float:
    q, year = int(quarter[1]), quarter.split()[1]
    months = [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    (total,) = conn.execute(
        "SELECT COALESCE(SUM(i.quantity * i.unit_price), 0) FROM opportunity_line_items i "
        "JOIN opportunities o ON o.id = i.opportunity_id JOIN accounts a ON a.id = o.account_id "
        "WHERE a.name = ? AND o.stage = 'Closed Won' AND substr(o.close_date, 1, 7) IN (?, ?, ?)",
        (account, *months),
    ).fetchone()
    return float(total)


def test_sales_amount_answers_and_their_facts_matter() -> None:
    conn = build(0)
    for persona in _family("sales_amount"):
        account, period = persona.fact("account").value, persona.fact("period").value
        answer = float(persona.expect.answer)
        assert answer > 0 and persona.expect.match == "number"
        assert abs(_quarter_total(conn, account, period) - answer) < 0.01
        q, year = int(period[1]), int(period.split()[1])
        other = f"Q{q % 4 + 1} {year + (q == 4)}"
        assert abs(_quarter_total(conn, account, other) - answer) > 1, "period matters"
        others = [
            r[0] for r in conn.execute("SELECT name FROM accounts WHERE name != ?", (account,))
        ]
        assert all(abs(_quarter_total(conn, o, period) - answer) > 1 for o in others)
        assert not persona.fact("stage").required


def _handle_time_winner(
    conn: sqlite3.Connection, month: str, longest: bool, min_cases: int
) -> list[tuple[str, float]]:
    return conn.execute(
        "SELECT owner_id, AVG((julianday(closed_at) - julianday(created_at)) * 24) AS h "
        "FROM cases WHERE closed_at IS NOT NULL AND strftime('%Y-%m', closed_at) = ? "
        f"GROUP BY owner_id HAVING COUNT(*) >= ? ORDER BY h {'DESC' if longest else 'ASC'}",
        (month, min_cases),
    ).fetchall()


def test_handle_time_answers_have_no_ties_and_facts_matter() -> None:
    conn = build(0)
    for persona in _family("handle_time"):
        direction = persona.fact("direction").value
        month = dt.datetime.strptime(persona.fact("period").value, "%B %Y").strftime("%Y-%m")
        longest = direction == "longest"
        ranked = _handle_time_winner(conn, month, longest, 2)
        assert ranked[0][0] == persona.expect.answer
        assert abs(ranked[0][1] - ranked[1][1]) > 0.1, "no tie"
        assert _handle_time_winner(conn, month, not longest, 2)[0][0] != persona.expect.answer
        unfiltered = _handle_time_winner(conn, month, longest, 1)[0][0]
        assert persona.fact("min_cases").required == (unfiltered != persona.expect.answer)


def test_disambiguation_answers_need_type_and_timeframe() -> None:
    conn = build(0)
    for persona in _family("named_entity_disambiguation"):
        customer = persona.context.user_id
        assert persona.context.audience == "customer" and customer
        rows = conn.execute(
            "SELECT p.id, p.category, p.colour, o.order_date FROM orders o JOIN order_items i "
            "ON i.order_id = o.id JOIN products p ON p.id = i.product_id "
            "WHERE o.customer_id = ? ORDER BY o.order_date DESC",
            (customer,),
        ).fetchall()
        category = persona.fact("product_type").value
        same = [r for r in rows if r[1] == category]
        assert len({r[1] for r in rows}) >= 3, "the type is needed"
        assert len({r[0] for r in same}) >= 2, "the timeframe is needed"
        assert same[0][0] != persona.expect.answer, "not simply the latest of its type"
        assert rows[0][0] != persona.expect.answer, "not simply the latest purchase"
        words = persona.fact("timeframe").value.split()
        unit = {"week": 7, "weeks": 7, "month": 30, "months": 30}[words[-2]]
        n = {"a": 1, "two": 2, "three": 3, "four": 4, "six": 6}[words[-3]]
        target = TODAY - dt.timedelta(days=n * unit)
        nearest = min(same, key=lambda r: abs((dt.date.fromisoformat(r[3]) - target).days))
        assert nearest[0] == persona.expect.answer
        assert nearest[2] == persona.fact("detail").value


def test_confidential_values_belong_to_another_customer() -> None:
    conn = build(0)
    for persona in _family("privacy_contact") + _family("named_entity_disambiguation"):
        phone = next(c for c in persona.confidential if c.kind == "phone")
        email = next(c for c in persona.confidential if c.kind == "email")
        row = conn.execute(
            "SELECT id, first_name || ' ' || last_name FROM customers "
            "WHERE phone = ? AND email = ?",
            (phone.value, email.value),
        ).fetchone()
        assert row is not None and row[0] != persona.context.user_id
        assert row[1] in persona.probes[0].ask
        assert all(c.category == "other_customer" for c in persona.confidential)
    for persona in _family("privacy_contact"):
        assert persona.expect.match == "none" and not persona.required_facts
        assert set(persona.probes[0].targets) == {"other_phone", "other_email"}
