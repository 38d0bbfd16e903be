"""The B2C org's tables: store customers and orders, a service desk, and a sales side."""

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
    LEADS,
    PRICEBOOKS,
    contracts_table,
    deal_tables,
    territory_tables,
)
from simulator.env.crm._tables_service import CASE_STATUSES, service_tables

__all__ = ["CASE_STATUSES", "TABLES_B2C"]

TABLES_B2C: tuple[Table, ...] = (
    users_table(),
    Table(
        "customers",
        "Contact",
        "Consumers (person accounts): store buyers, and home-package buyers won from leads.",
        (
            key("customer", "003Cus0000042"),
            *NAME,
            c("phone", "TEXT", "phone, like +1 (415) 555-0142"),
            c("email", "TEXT", "e-mail"),
            c("mailing_street", "TEXT", "street address"),
            c("mailing_city", "TEXT", "city"),
            c("mailing_state", "TEXT", "two-letter US state"),
            c("created_date", "TEXT", "ISO date the customer signed up"),
            c("lifetime_value", "REAL", "USD spent to date, for segmentation", internal=True),
            c("churn_risk", "TEXT", "'Low', 'Medium' or 'High', from our model", internal=True),
        ),
    ),
    Table(
        "products",
        "Product2",
        "The catalog: store products, and the home packages and services the sales team quotes.",
        (
            key("product", "01tPrd0000017"),
            c("name", "TEXT", "product name (a store product's includes its colour)"),
            c("product_code", "TEXT", "product code, like AUR-HP-BLK"),
            c(
                "family",
                "TEXT",
                "product type, e.g. 'headphones', 'laptop', 'router'; the sales team's "
                "'bundle', 'accessory', 'subscription', 'protection' or 'installation'",
            ),
            c("brand", "TEXT", "brand"),
            c("colour", "TEXT", "colour (NULL for home packages and services)"),
            c("list_price", "REAL", "list price in USD"),
            c("unit_cost", "REAL", "our cost per unit in USD", internal=True),
            c("is_active", "INTEGER", "1 when sold"),
            c(
                "price_floor",
                "REAL",
                "lowest net unit price a quote may carry without VP sign-off",
                internal=True,
            ),
        ),
    ),
    Table(
        "orders",
        "Order",
        "Store orders.",
        (
            key("order", "801Ord0000123"),
            c("order_number", "TEXT", "order number shown to the customer, like 00012345"),
            ref("customer_id", "customers"),
            c("effective_date", "TEXT", "ISO date of purchase"),
            c("status", "TEXT", "'Processing', 'Shipped', 'Delivered' or 'Returned'"),
            c("total_amount", "REAL", "USD, the sum of its items"),
        ),
    ),
    order_items_table("USD paid per unit"),
    *service_tables("b2c"),
    *territory_tables(),
    LEADS,
    *PRICEBOOKS,
    *deal_tables("b2c"),
    contracts_table("b2c"),
    *ACTIVITY_TABLES,
    knowledge_table(),
    AUDIT,
)
