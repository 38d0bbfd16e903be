"""The B2B org's tables: accounts and contacts, the sales side, and a service desk."""

from __future__ import annotations

from simulator.env.crm._tables import (
    AUDIT,
    NAME,
    Table,
    c,
    key,
    knowledge_table,
    order_items_table,
    ref,
    users_table,
)
from simulator.env.crm._tables_sales import (
    ACTIVITY_TABLES,
    LEAD_STATUSES,
    LEADS,
    OPEN_STAGES,
    PRICEBOOKS,
    STAGES,
    contracts_table,
    deal_tables,
    territory_tables,
)
from simulator.env.crm._tables_service import service_tables

__all__ = ["LEAD_STATUSES", "OPEN_STAGES", "STAGES", "TABLES_B2B"]

TABLES_B2B: tuple[Table, ...] = (
    users_table(),
    *territory_tables(),
    Table(
        "accounts",
        "Account",
        "Business customers and prospects.",
        (
            key("account", "001Acc0000017"),
            c("name", "TEXT", "company name"),
            c("industry", "TEXT", "industry"),
            c("type", "TEXT", "'Customer' or 'Prospect'"),
            c("billing_city", "TEXT", "billing city"),
            c("billing_state", "TEXT", "two-letter US state"),
            c("annual_revenue", "REAL", "the company's annual revenue in USD"),
            c("number_of_employees", "INTEGER", "head count"),
            ref("owner_id", "users", "of the account's rep"),
            c("created_date", "TEXT", "ISO date"),
            c("credit_limit", "REAL", "approved credit limit in USD", internal=True),
        ),
    ),
    Table(
        "contacts",
        "Contact",
        "People at accounts.",
        (
            key("contact", "003Con0000123"),
            ref("account_id", "accounts"),
            *NAME,
            c("title", "TEXT", "job title"),
            c("phone", "TEXT", "direct phone, like +1 (415) 555-0142"),
            c("email", "TEXT", "e-mail"),
            c("mailing_state", "TEXT", "two-letter US state"),
        ),
    ),
    LEADS,
    Table(
        "products",
        "Product2",
        "The product catalog: hardware, software licences and services.",
        (
            key("product", "01tPrd0000017"),
            c("name", "TEXT", "product name"),
            c("product_code", "TEXT", "product code, like HW-LT14"),
            c("family", "TEXT", "'Hardware', 'Software' or 'Services'"),
            c("description", "TEXT", "description"),
            c("is_active", "INTEGER", "1 when sold"),
            c("unit_cost", "REAL", "our cost per unit in USD", internal=True),
            c(
                "price_floor",
                "REAL",
                "lowest net unit price a quote may carry without VP sign-off",
                internal=True,
            ),
        ),
    ),
    *PRICEBOOKS,
    *deal_tables("b2b"),
    contracts_table("b2b"),
    Table(
        "orders",
        "Order",
        "Orders placed under contracts.",
        (
            key("order", "801Ord0000012"),
            c("order_number", "TEXT", "order number"),
            ref("account_id", "accounts"),
            ref("contract_id", "contracts"),
            ref("owner_id", "users"),
            c("status", "TEXT", "'Draft' or 'Activated'"),
            c("effective_date", "TEXT", "ISO date"),
            c("total_amount", "REAL", "USD"),
        ),
    ),
    order_items_table("USD per unit"),
    *ACTIVITY_TABLES,
    *service_tables("b2b"),
    knowledge_table(),
    AUDIT,
)
