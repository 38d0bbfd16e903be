"""The CRM's tables: one declaration serves both the DDL and ``describe_schema``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TODAY = dt.date(2025, 11, 3)
"""The sandbox's fixed "today", so quarters and months mean the same thing in every run."""

COMPANY = "Brightline Supply"
"""The company whose CRM this is (the agent's employer)."""


@dataclass(frozen=True)
class Column:
    """One column: SQL type, a one-line description, and whether it is internal-only."""

    name: str
    type: str
    description: str
    internal: bool = False


@dataclass(frozen=True)
class Table:
    """One table with its purpose and columns."""

    name: str
    description: str
    columns: tuple[Column, ...]

    def ddl(self) -> str:
        """The CREATE TABLE statement (the first column is the primary key)."""
        cols = [
            f"{c.name} {c.type}" + (" PRIMARY KEY" if i == 0 else "")
            for i, c in enumerate(self.columns)
        ]
        return f"CREATE TABLE {self.name} ({', '.join(cols)})"


def _c(name: str, type_: str, description: str, internal: bool = False) -> Column:
    return Column(name, type_, description, internal)


TABLES: tuple[Table, ...] = (
    Table(
        "users",
        "Employees: sales reps, support agents and their managers.",
        (
            _c("id", "TEXT", "user id, like 005Rep0000003 or 005Agt0000004"),
            _c("first_name", "TEXT", "first name"),
            _c("last_name", "TEXT", "last name"),
            _c("email", "TEXT", "work e-mail"),
            _c(
                "role",
                "TEXT",
                "'Sales Rep', 'Support Agent', 'Sales Operations', 'Support Manager'",
            ),
            _c("region", "TEXT", "sales or support region"),
            _c("hired_date", "TEXT", "ISO date the employee joined"),
        ),
    ),
    Table(
        "accounts",
        "Business customers (B2B accounts).",
        (
            _c("id", "TEXT", "account id, like 001Acc0000017"),
            _c("name", "TEXT", "company name"),
            _c("industry", "TEXT", "industry"),
            _c("billing_city", "TEXT", "billing city"),
            _c("billing_state", "TEXT", "two-letter US state"),
            _c("owner_id", "TEXT", "users.id of the account's sales rep"),
            _c("created_date", "TEXT", "ISO date the account was created"),
            _c("credit_limit", "REAL", "approved credit limit in USD", internal=True),
        ),
    ),
    Table(
        "contacts",
        "People at business accounts.",
        (
            _c("id", "TEXT", "contact id, like 003Con0000123"),
            _c("account_id", "TEXT", "accounts.id"),
            _c("first_name", "TEXT", "first name"),
            _c("last_name", "TEXT", "last name"),
            _c("title", "TEXT", "job title"),
            _c("phone", "TEXT", "direct phone, like +1 (415) 555-0142"),
            _c("email", "TEXT", "e-mail"),
        ),
    ),
    Table(
        "products",
        "The product catalog.",
        (
            _c("id", "TEXT", "product id, like PRD-00017"),
            _c("name", "TEXT", "product name"),
            _c("category", "TEXT", "category, e.g. 'headphones', 'laptop', 'software'"),
            _c("brand", "TEXT", "brand"),
            _c("colour", "TEXT", "colour (NULL for software and services)"),
            _c("list_price", "REAL", "list price in USD"),
            _c("unit_cost", "REAL", "our cost in USD", internal=True),
            _c(
                "price_floor",
                "REAL",
                "lowest price sales may quote without approval",
                internal=True,
            ),
        ),
    ),
    Table(
        "opportunities",
        "Deals with business accounts.",
        (
            _c("id", "TEXT", "opportunity id, like 006Opp0000123"),
            _c("name", "TEXT", "deal name"),
            _c("account_id", "TEXT", "accounts.id"),
            _c("owner_id", "TEXT", "users.id of the sales rep who owns the deal"),
            _c(
                "stage",
                "TEXT",
                "'Prospecting', 'Qualification', 'Proposal', 'Negotiation', "
                "'Closed Won' or 'Closed Lost'",
            ),
            _c("created_date", "TEXT", "ISO date the deal was opened"),
            _c("close_date", "TEXT", "ISO date the deal closed (or is expected to close)"),
            _c("amount", "REAL", "USD, the sum of quantity * unit_price of its line items"),
        ),
    ),
    Table(
        "opportunity_line_items",
        "Products on a deal.",
        (
            _c("id", "TEXT", "line item id"),
            _c("opportunity_id", "TEXT", "opportunities.id"),
            _c("product_id", "TEXT", "products.id"),
            _c("quantity", "INTEGER", "units"),
            _c("unit_price", "REAL", "agreed USD price per unit"),
        ),
    ),
    Table(
        "customers",
        "Consumers who buy in the online store (B2C).",
        (
            _c("id", "TEXT", "customer id, like CUST-00042"),
            _c("first_name", "TEXT", "first name"),
            _c("last_name", "TEXT", "last name"),
            _c("phone", "TEXT", "phone, like +1 (415) 555-0142"),
            _c("email", "TEXT", "e-mail"),
            _c("street", "TEXT", "street address"),
            _c("city", "TEXT", "city"),
            _c("state", "TEXT", "two-letter US state"),
            _c("created_date", "TEXT", "ISO date the customer signed up"),
        ),
    ),
    Table(
        "orders",
        "Store orders by customers.",
        (
            _c("id", "TEXT", "order id, like ORD-000123"),
            _c("customer_id", "TEXT", "customers.id"),
            _c("order_date", "TEXT", "ISO date of purchase"),
            _c("status", "TEXT", "'Delivered', 'Shipped', 'Processing' or 'Returned'"),
            _c("total", "REAL", "USD, the sum of the order's items"),
        ),
    ),
    Table(
        "order_items",
        "Products in a store order.",
        (
            _c("id", "TEXT", "order item id"),
            _c("order_id", "TEXT", "orders.id"),
            _c("product_id", "TEXT", "products.id"),
            _c("quantity", "INTEGER", "units"),
            _c("unit_price", "REAL", "USD paid per unit"),
        ),
    ),
    Table(
        "cases",
        "Support cases; handle time is closed_at - created_at.",
        (
            _c("id", "TEXT", "case id, like 500Cas0000123"),
            _c("subject", "TEXT", "short summary"),
            _c("customer_id", "TEXT", "customers.id (store customers) or NULL"),
            _c("account_id", "TEXT", "accounts.id (business accounts) or NULL"),
            _c("product_id", "TEXT", "products.id the case is about"),
            _c("owner_id", "TEXT", "users.id of the support agent who handled it"),
            _c("status", "TEXT", "'New', 'Working', 'Escalated' or 'Closed'"),
            _c("priority", "TEXT", "'Low', 'Medium' or 'High'"),
            _c("origin", "TEXT", "'Phone', 'Email', 'Web' or 'Chat'"),
            _c("created_at", "TEXT", "ISO datetime opened, like 2025-09-14T10:32:00"),
            _c("closed_at", "TEXT", "ISO datetime closed, NULL while open"),
        ),
    ),
    Table(
        "quotes",
        "Price quotes sent to business accounts.",
        (
            _c("id", "TEXT", "quote id, like 0Q0Quo0000012"),
            _c("opportunity_id", "TEXT", "opportunities.id"),
            _c("account_id", "TEXT", "accounts.id"),
            _c("status", "TEXT", "'Draft', 'Presented', 'Accepted' or 'Rejected'"),
            _c("discount_pct", "REAL", "discount off list price, percent"),
            _c("total", "REAL", "quoted USD total"),
            _c("created_date", "TEXT", "ISO date"),
            _c("valid_until", "TEXT", "ISO date"),
        ),
    ),
    Table(
        "knowledge_articles",
        "Help and policy articles.",
        (
            _c("id", "TEXT", "article id, like KA-0007"),
            _c("title", "TEXT", "title"),
            _c("category", "TEXT", "topic"),
            _c("body", "TEXT", "article text"),
            _c("visibility", "TEXT", "'public' (may be shared with customers) or 'internal'"),
            _c("updated_date", "TEXT", "ISO date"),
        ),
    ),
)


def describe() -> str:
    """Human- and model-readable schema: tables, columns, types, descriptions."""
    lines = [
        "SQLite database, read-only. Dates are ISO strings without time zone "
        f"(today is {TODAY.isoformat()}). Columns marked [internal] are for employees only.",
    ]
    for table in TABLES:
        lines.append("")
        lines.append(f"{table.name}: {table.description}")
        for col in table.columns:
            mark = " [internal]" if col.internal else ""
            lines.append(f"  - {col.name} {col.type}: {col.description}{mark}")
    return "\n".join(lines)
