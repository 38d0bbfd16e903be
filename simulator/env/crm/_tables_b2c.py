"""The B2C service org's tables: customers, orders, cases with history, transcripts..."""

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

CASE_STATUSES = ("New", "Working", "Escalated", "Closed")

TABLES_B2C: tuple[Table, ...] = (
    users_table("'Support Agent' or 'Support Manager'"),
    Table(
        "customers",
        "Contact",
        "Consumers who buy in the online store (person accounts).",
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
        "The store catalog.",
        (
            key("product", "01tPrd0000017"),
            c("name", "TEXT", "product name, including its colour"),
            c("product_code", "TEXT", "product code, like AUR-HP-BLK"),
            c("family", "TEXT", "product type, e.g. 'headphones', 'laptop', 'router'"),
            c("brand", "TEXT", "brand"),
            c("colour", "TEXT", "colour"),
            c("list_price", "REAL", "store price in USD"),
            c("unit_cost", "REAL", "our cost per unit in USD", internal=True),
            c("is_active", "INTEGER", "1 when sold"),
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
    Table(
        "issues",
        "Issue__c",
        "Known issue types that cases are filed under.",
        (
            key("issue", "a0IIss0000007"),
            c("name", "TEXT", "short name, e.g. 'Battery drains quickly'"),
            c("product_family", "TEXT", "products.family the issue applies to"),
            c("description", "TEXT", "description"),
        ),
    ),
    Table(
        "cases",
        "Case",
        "Support cases. Handle time is closed_date - created_date. New cases waiting to be "
        "routed have owner_id NULL.",
        (
            key("case", "500Cas0000123"),
            c("case_number", "TEXT", "case number shown to the customer, like 00001234"),
            c("subject", "TEXT", "short summary"),
            c("description", "TEXT", "what the customer reported"),
            ref("customer_id", "customers"),
            ref("product_id", "products", "the case is about"),
            ref("issue_id", "issues"),
            c("order_id", "TEXT", "orders.id, when the case is about an order"),
            ref("owner_id", "users", "of the agent handling it (NULL: not routed yet)"),
            c("status", "TEXT", "'" + "', '".join(CASE_STATUSES) + "'"),
            c("priority", "TEXT", "'Low', 'Medium' or 'High'"),
            c("origin", "TEXT", "'Phone', 'Email', 'Web' or 'Chat'"),
            c("created_date", "TEXT", "ISO datetime opened, like 2025-09-14T10:32:00"),
            c("closed_date", "TEXT", "ISO datetime closed, NULL while open"),
        ),
    ),
    Table(
        "case_history",
        "CaseHistory",
        "Field changes on cases. field = 'Owner' rows are transfers from old_value to "
        "new_value (user ids); the first owner assignment has old_value NULL.",
        (
            key("history"),
            ref("case_id", "cases"),
            c("field", "TEXT", "'Owner' or 'Status'"),
            c("old_value", "TEXT", "value before"),
            c("new_value", "TEXT", "value after"),
            c("created_date", "TEXT", "ISO datetime of the change"),
        ),
    ),
    Table(
        "live_chat_transcripts",
        "LiveChatTranscript",
        "Chat sessions between customers and agents.",
        (
            key("transcript", "570Lct0000012"),
            ref("case_id", "cases"),
            ref("customer_id", "customers"),
            ref("owner_id", "users", "of the agent"),
            c("start_time", "TEXT", "ISO datetime"),
            c("end_time", "TEXT", "ISO datetime"),
            c("body", "TEXT", "the transcript, one 'Speaker: text' line per message"),
        ),
    ),
    Table(
        "email_messages",
        "EmailMessage",
        "E-mails on cases.",
        (
            key("e-mail"),
            ref("parent_id", "cases"),
            c("subject", "TEXT", "subject"),
            c("text_body", "TEXT", "body"),
            c("from_address", "TEXT", "sender"),
            c("to_address", "TEXT", "recipient"),
            c("message_date", "TEXT", "ISO datetime"),
            c("incoming", "INTEGER", "1 when sent by the customer"),
        ),
    ),
    knowledge_table(),
    AUDIT,
)
