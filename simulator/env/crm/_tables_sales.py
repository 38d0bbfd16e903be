"""The sales side's tables, the same in both orgs: territories, leads, price books,
opportunities and quotes with their line items, contracts, tasks, events and calls.

Only the column naming whom a deal is with differs (``SHAPES``): ``account_id`` in B2B,
``customer_id`` (a store customer) in B2C.
"""

from __future__ import annotations

from simulator.env.crm._tables import NAME, SHAPES, Table, c, key, line_items_table, ref

STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal",
    "Negotiation",
    "Closed Won",
    "Closed Lost",
)
"""Opportunity stages in pipeline order (``opportunities.stage_name``)."""

OPEN_STAGES = STAGES[:5]

LEAD_STATUSES = (
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
)


def territory_tables() -> tuple[Table, ...]:
    """territories and user_territory_associations."""
    return (
        Table(
            "territories",
            "Territory2",
            "Sales territories; each covers a set of US states.",
            (
                key("territory", "0MITer0000002"),
                c("name", "TEXT", "territory name, e.g. 'Pacific Northwest'"),
                c("states", "TEXT", "comma-separated two-letter states, e.g. 'OR,WA,ID'"),
                c("description", "TEXT", "description"),
            ),
        ),
        Table(
            "user_territory_associations",
            "UserTerritory2Association",
            "Which reps work which territory.",
            (
                key("association"),
                ref("user_id", "users", "of the rep"),
                ref("territory_id", "territories"),
                c("role_in_territory", "TEXT", "'Owner' or 'Support'"),
            ),
        ),
    )


LEADS = Table(
    "leads",
    "Lead",
    "Prospective buyers not yet converted; owner_id is NULL while a lead awaits routing.",
    (
        key("lead", "00QLea0000123"),
        *NAME,
        c("company", "TEXT", "company name (NULL for a consumer)"),
        c("title", "TEXT", "job title (NULL for a consumer)"),
        c("email", "TEXT", "e-mail"),
        c("phone", "TEXT", "phone"),
        c("state", "TEXT", "two-letter US state"),
        c("industry", "TEXT", "industry (NULL for a consumer)"),
        c("lead_source", "TEXT", "'Web', 'Referral', 'Trade Show', 'Partner' or 'Cold Call'"),
        c("status", "TEXT", "'" + "', '".join(LEAD_STATUSES) + "'"),
        ref("owner_id", "users", "of the rep, NULL while unassigned"),
        c("created_date", "TEXT", "ISO date"),
        c("is_converted", "INTEGER", "1 when converted to an opportunity"),
        c("converted_date", "TEXT", "ISO date of conversion, NULL otherwise"),
        ref("converted_opportunity_id", "opportunities", "created by the conversion"),
    ),
)

PRICEBOOKS = (
    Table(
        "pricebooks",
        "Pricebook2",
        "Price books.",
        (
            key("price book"),
            c("name", "TEXT", "'Standard Price Book' or 'Partner Price Book'"),
            c("is_standard", "INTEGER", "1 for the standard price book"),
            c("is_active", "INTEGER", "1 when in use"),
        ),
    ),
    Table(
        "pricebook_entries",
        "PricebookEntry",
        "List prices of products in each price book.",
        (
            key("price book entry"),
            ref("pricebook_id", "pricebooks"),
            ref("product_id", "products"),
            c("unit_price", "REAL", "list price in USD"),
            c("is_active", "INTEGER", "1 when in use"),
        ),
    ),
)


def deal_tables(org: str) -> tuple[Table, ...]:
    """opportunities, opportunity_line_items, quotes and quote_line_items of ``org``."""
    buyer = SHAPES[org].buyer
    return (
        Table(
            "opportunities",
            "Opportunity",
            f"Deals with {buyer.noun}s.",
            (
                key("opportunity", "006Opp0000123"),
                c("name", "TEXT", "deal name"),
                ref(buyer.column, buyer.table),
                ref("owner_id", "users", "of the rep who owns the deal"),
                c("stage_name", "TEXT", "'" + "', '".join(STAGES) + "'"),
                c("amount", "REAL", "USD, the sum of its line items' total_price"),
                c("probability", "INTEGER", "percent"),
                c("type", "TEXT", "'New Business' or 'Existing Business'"),
                c("lead_source", "TEXT", "where the deal came from"),
                c("created_date", "TEXT", "ISO date the deal was opened"),
                c("close_date", "TEXT", "ISO date the deal closed (or is expected to close)"),
                c("is_closed", "INTEGER", "1 when Closed Won or Closed Lost"),
                c("is_won", "INTEGER", "1 when Closed Won"),
            ),
        ),
        line_items_table(
            "opportunity_line_items",
            "OpportunityLineItem",
            "Products on a deal.",
            "line item",
            ref("opportunity_id", "opportunities"),
            "agreed USD price per unit",
            before_quantity=(ref("pricebook_entry_id", "pricebook_entries"),),
        ),
        Table(
            "quotes",
            "Quote",
            "Price quotes. Quotes with status 'Needs Review' wait for a manager's approval.",
            (
                key("quote", "0Q0Quo0000012"),
                c("quote_number", "TEXT", "quote number, like 00000012"),
                c("name", "TEXT", "quote name"),
                ref("opportunity_id", "opportunities"),
                ref(buyer.column, buyer.table),
                ref("owner_id", "users", "of the rep who prepared it"),
                c(
                    "status",
                    "TEXT",
                    "'Draft', 'Needs Review', 'Approved', 'Rejected', 'Presented', 'Accepted' "
                    "or 'Denied'",
                ),
                c("discount", "REAL", "overall discount off list price, percent"),
                c("subtotal", "REAL", "USD at list price"),
                c("grand_total", "REAL", "USD after discount"),
                c("created_date", "TEXT", "ISO date"),
                c("expiration_date", "TEXT", "ISO date after which the quote is void"),
                ref("rejection_article_id", "knowledge_articles", "cited when rejected"),
            ),
        ),
        line_items_table(
            "quote_line_items",
            "QuoteLineItem",
            "Products on a quote.",
            "quote line item",
            ref("quote_id", "quotes"),
            "net USD price per unit after discount",
            before_price=(
                c("list_price", "REAL", "USD list price per unit"),
                c("discount", "REAL", "discount off list price, percent"),
            ),
        ),
    )


def contracts_table(org: str) -> Table:
    buyer = SHAPES[org].buyer
    return Table(
        "contracts",
        "Contract",
        "Signed agreements; a deal counts as sold on its customer_signed_date.",
        (
            key("contract", "800Ctr0000012"),
            c("contract_number", "TEXT", "contract number"),
            ref(buyer.column, buyer.table),
            ref("opportunity_id", "opportunities", "the contract closes"),
            ref("owner_id", "users", "of the rep"),
            c("status", "TEXT", "'Draft', 'Activated' or 'Expired'"),
            c("start_date", "TEXT", "ISO date"),
            c("contract_term", "INTEGER", "months"),
            c("customer_signed_date", "TEXT", "ISO date the customer signed"),
            c("company_signed_date", "TEXT", "ISO date we countersigned"),
        ),
    )


ACTIVITY_TABLES = (
    Table(
        "tasks",
        "Task",
        "To-dos on leads and opportunities (what_id).",
        (
            key("task", "00TTsk0000123"),
            c("subject", "TEXT", "what to do, e.g. 'Discovery call', 'Send proposal'"),
            c("status", "TEXT", "'Not Started', 'In Progress' or 'Completed'"),
            c("priority", "TEXT", "'Low', 'Normal' or 'High'"),
            c("type", "TEXT", "'Call', 'Email', 'Meeting' or 'Other'"),
            c("what_id", "TEXT", "opportunities.id or leads.id the task is about"),
            ref("owner_id", "users"),
            c("activity_date", "TEXT", "ISO due date"),
            c("created_date", "TEXT", "ISO date"),
        ),
    ),
    Table(
        "events",
        "Event",
        "Meetings on the calendar.",
        (
            key("event"),
            c("subject", "TEXT", "what the meeting is"),
            c("what_id", "TEXT", "opportunities.id or leads.id"),
            ref("owner_id", "users"),
            c("start_date_time", "TEXT", "ISO datetime"),
            c("duration_in_minutes", "INTEGER", "minutes"),
        ),
    ),
    Table(
        "voice_calls",
        "VoiceCall",
        "Recorded sales calls with their transcripts.",
        (
            key("voice call", "0LQVoc0000012"),
            c("related_record_id", "TEXT", "leads.id or opportunities.id"),
            ref("owner_id", "users", "of the rep on the call"),
            c("call_start_date_time", "TEXT", "ISO datetime"),
            c("call_duration_in_seconds", "INTEGER", "seconds"),
            c("call_type", "TEXT", "'Inbound' or 'Outbound'"),
            c("transcript", "TEXT", "the call transcript, one 'Speaker: text' line per turn"),
        ),
    ),
)
"""tasks, events and voice_calls."""
