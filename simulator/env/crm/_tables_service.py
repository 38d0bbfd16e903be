"""The service desk's tables, the same in both orgs: issues, cases with their history,
live-chat transcripts and case e-mails.

Only the column naming who opened a case or chat differs (``SHAPES``): ``customer_id``
in the B2C store, ``contact_id`` (a contact of a business account) in B2B.
"""

from __future__ import annotations

from simulator.env.crm._tables import SHAPES, Table, c, key, ref

CASE_STATUSES = ("New", "Working", "Escalated", "Closed")


def service_tables(org: str) -> tuple[Table, ...]:
    """issues, cases, case_history, live_chat_transcripts and email_messages of ``org``."""
    who = SHAPES[org].requester
    return (
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
                ref(who.column, who.table, "of the " + who.noun + " who opened it"),
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
            f"Chat sessions between {who.noun}s and support agents.",
            (
                key("transcript", "570Lct0000012"),
                ref("case_id", "cases"),
                ref(who.column, who.table),
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
    )
