"""docs/crm.md: its generated sections (schema, family table, examples) match the code."""

from __future__ import annotations

from simulator.env.crm._docs import DOC, render


def test_crm_docs_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "docs/crm.md is stale: run `python -m simulator.env.crm._docs`"


def test_every_table_and_family_is_documented() -> None:
    from simulator.env.crm import FAMILIES, TABLES

    text = DOC.read_text(encoding="utf-8")
    for org, tables in TABLES.items():
        for table in tables:
            assert f"#### `{table.name}` ({table.sobject})" in text, (org, table.name)
        for family in FAMILIES[org]:
            assert f"#### `{family.name}` ({org})" in text, (org, family.name)
