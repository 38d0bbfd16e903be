"""The CRM's tables: one declaration serves the DDL, ``describe_schema`` and docs/crm.md.

Both orgs share one schema family: table and column names are the snake_case forms of
Salesforce's standard objects and fields (``Opportunity.StageName`` is
``opportunities.stage_name``), so the schema feels familiar to anyone who has used a CRM.
Columns marked internal are for employees only; customer-facing agents must not repeat
them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TODAY = dt.date(2025, 11, 3)
"""The sandbox's fixed "today", so quarters and months mean the same thing in every run."""

ORGS = ("b2b", "b2c")
"""The two orgs: a B2B sales org and a B2C service org."""

COMPANIES = {"b2b": "Brightline Supply", "b2c": "Brightline Home"}
"""The company whose CRM each org is (the agent's employer)."""


@dataclass(frozen=True)
class Party:
    """Whom a record is with: a table of people or companies, and the column naming one."""

    table: str
    column: str
    noun: str


@dataclass(frozen=True)
class Shape:
    """What differs between the orgs' schemas: who opens a case, and whom a deal is with.

    Everything else (cases, leads, opportunities, quotes...) has the same table and column
    names in both orgs, so a family's SQL is written once with these two filled in.
    """

    requester: Party
    """Who opens cases and chats: a contact of an account (B2B) or a store customer (B2C)."""
    buyer: Party
    """Whom opportunities, quotes and contracts are with: an account (B2B) or a customer."""


_CUSTOMER = Party("customers", "customer_id", "customer")
SHAPES = {
    "b2b": Shape(
        Party("contacts", "contact_id", "contact"), Party("accounts", "account_id", "account")
    ),
    "b2c": Shape(_CUSTOMER, _CUSTOMER),
}
"""Each org's :class:`Shape`: the one place the orgs' schemas differ for the families."""


@dataclass(frozen=True)
class Column:
    """One column: SQL type, a one-line description, and whether it is internal-only."""

    name: str
    type: str
    description: str
    internal: bool = False


@dataclass(frozen=True)
class Table:
    """One table: its Salesforce object, purpose and columns (the first is the key)."""

    name: str
    sobject: str
    description: str
    columns: tuple[Column, ...]

    def ddl(self) -> str:
        """The CREATE TABLE statement (the first column is the primary key)."""
        cols = [
            f"{c.name} {c.type}" + (" PRIMARY KEY" if i == 0 else "")
            for i, c in enumerate(self.columns)
        ]
        return f"CREATE TABLE {self.name} ({', '.join(cols)})"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def c(name: str, type_: str, description: str, *, internal: bool = False) -> Column:
    """Shorthand for a column declaration."""
    return Column(name, type_, description, internal)


def key(what: str, example: str = "") -> Column:
    """The ``id`` column: 'account id, like 001Acc0000017'."""
    return c("id", "TEXT", f"{what} id" + (f", like {example}" if example else ""))


def ref(name: str, table: str, note: str = "") -> Column:
    """A column holding an id of ``table``: 'accounts.id', 'users.id of the rep'."""
    return c(name, "TEXT", f"{table}.id" + (f" {note}" if note else ""))


NAME = (c("first_name", "TEXT", "first name"), c("last_name", "TEXT", "last name"))
"""A person's name columns."""


def line_items_table(
    name: str,
    sobject: str,
    description: str,
    what: str,
    parent: Column,
    unit_price: str,
    *,
    before_quantity: tuple[Column, ...] = (),
    before_price: tuple[Column, ...] = (),
) -> Table:
    """Products on a ``parent`` record: product, quantity, price per unit and total."""
    return Table(
        name,
        sobject,
        description,
        (
            key(what),
            parent,
            ref("product_id", "products"),
            *before_quantity,
            c("quantity", "INTEGER", "units"),
            *before_price,
            c("unit_price", "REAL", unit_price),
            c("total_price", "REAL", "quantity * unit_price"),
        ),
    )


def order_items_table(unit_price: str) -> Table:
    """Products in an order (both orgs); ``unit_price`` describes the price per unit."""
    return line_items_table(
        "order_items",
        "OrderItem",
        "Products in an order.",
        "order item",
        ref("order_id", "orders"),
        unit_price,
    )


ROLES = (
    "'Support Agent', 'Support Manager', 'Sales Rep', 'Sales Manager', 'Sales Director' or "
    "'Sales Operations'"
)
"""``users.user_role`` values: both orgs have a service desk and a sales team."""


def users_table(roles: str = ROLES) -> Table:
    """Employees (both orgs)."""
    return Table(
        "users",
        "User",
        "Employees of the company.",
        (
            key("user", "005Agt0000004"),
            *NAME,
            c("email", "TEXT", "work e-mail"),
            c("title", "TEXT", "job title"),
            c("user_role", "TEXT", roles),
            ref("manager_id", "users", "of the manager, NULL for managers"),
            c("is_active", "INTEGER", "1 while employed"),
            c("created_date", "TEXT", "ISO date the user joined"),
        ),
    )


def knowledge_table() -> Table:
    """Knowledge articles (both orgs): help content and internal policies."""
    return Table(
        "knowledge_articles",
        "Knowledge__kav",
        "Knowledge articles: help content for customers and internal policies.",
        (
            key("article", "ka0Kav0000007"),
            c("article_number", "TEXT", "article number, like 000001007"),
            c("title", "TEXT", "title"),
            c("category", "TEXT", "data category, e.g. 'Returns', 'Pricing', 'Configuration'"),
            c("summary", "TEXT", "one-line summary"),
            c("body", "TEXT", "article text"),
            c("visibility", "TEXT", "'public' (may be shared with customers) or 'internal'"),
            c("last_published_date", "TEXT", "ISO date"),
        ),
    )


AUDIT = Table(
    "audit_log",
    "SetupAuditTrail",
    "Every change made through a workflow action, newest last.",
    (
        c("id", "INTEGER", "sequence number"),
        c("created_date", "TEXT", "ISO datetime of the change"),
        c("actor_id", "TEXT", "user id of the person the agent acted for, if known"),
        c("action", "TEXT", "workflow action, e.g. 'reassign_case'"),
        c("object_name", "TEXT", "table changed, e.g. 'cases'"),
        c("record_id", "TEXT", "id of the changed record"),
        c("field", "TEXT", "column changed"),
        c("old_value", "TEXT", "value before"),
        c("new_value", "TEXT", "value after"),
        c("detail", "TEXT", "free-text note given with the action"),
    ),
)

SEARCH = Table(
    "text_search",
    "SearchIndex",
    "Full-text index (SQLite FTS5) over knowledge articles and transcripts; query it with "
    "the search_text tool, or in SQL with `text_search MATCH 'words'`.",
    (
        c("source", "TEXT", "'knowledge', 'call', 'chat' or 'email'"),
        c("record_id", "TEXT", "id of the article, voice call, chat transcript or e-mail"),
        c("parent_id", "TEXT", "related record: the case, lead or opportunity (NULL for articles)"),
        c("visibility", "TEXT", "'public' or 'internal'"),
        c("title", "TEXT", "title or subject"),
        c("body", "TEXT", "full text"),
    ),
)


def search_ddl() -> str:
    """The FTS5 virtual table behind ``search_text``."""
    return (
        "CREATE VIRTUAL TABLE text_search USING fts5(source UNINDEXED, record_id UNINDEXED, "
        "parent_id UNINDEXED, visibility UNINDEXED, title, body, tokenize='porter unicode61')"
    )


def describe(tables: tuple[Table, ...], table: str | None = None) -> str:
    """Human- and model-readable schema: tables, columns, types, descriptions."""
    chosen = [t for t in tables if table is None or t.name == table]
    lines = [
        "SQLite database, read-only through sql_query. Dates are ISO strings without time "
        f"zone (today is {TODAY.isoformat()}). Columns marked [internal] are for employees only.",
    ]
    for t in chosen:
        lines.append("")
        lines.append(f"{t.name} ({t.sobject}): {t.description}")
        for col in t.columns:
            mark = " [internal]" if col.internal else ""
            lines.append(f"  - {col.name} {col.type}: {col.description}{mark}")
    return "\n".join(lines)


def markdown(tables: tuple[Table, ...]) -> str:
    """The schema as markdown tables (for docs/crm.md)."""
    parts: list[str] = []
    for t in tables:
        parts.append(f"#### `{t.name}` ({t.sobject})\n\n{t.description}\n")
        parts.append("| column | type | description |\n|---|---|---|")
        for col in t.columns:
            mark = " **internal**" if col.internal else ""
            desc = col.description.replace("|", "\\|")
            parts.append(f"| `{col.name}` | {col.type} | {desc}{mark} |")
        parts.append("")
    return "\n".join(parts)
