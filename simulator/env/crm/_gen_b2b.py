"""Generate the B2B org: people, territories, catalog, accounts and leads, then its
service desk (``_gen_desk``, from its own random stream).

Deals (opportunities, quotes, contracts, orders, activities and calls) are in
``_gen_deals``. Reps differ in sales-cycle speed, win rate and lead conversion, so the
ranking families have real winners; two or three account names share a stem, as in
real CRMs.
"""

from __future__ import annotations

import datetime as dt
import math

from simulator.env.crm import _text_b2b as text
from simulator.env.crm import _words as w
from simulator.env.crm._build import Builder, Calendar, Generated, add_articles, iso
from simulator.env.crm._gen_deals import Deals, Item, Rep
from simulator.env.crm._gen_desk import service_desk
from simulator.env.crm._gen_sales import sales_team
from simulator.env.crm._tables import TODAY
from simulator.env.crm._tables_b2b import TABLES_B2B

_LEAD_MONTHS = (1.1, 1.0, 1.2, 1.0, 0.9, 0.8, 0.7, 0.7, 1.1, 1.2, 1.1, 0.8)


def generate_b2b(seed: int, scale: int) -> Generated:
    """All rows of the B2B org for ``seed`` at ``scale`` (deterministic)."""
    b = Builder("b2b", seed, scale, TABLES_B2B)
    numbers = text.policy_numbers(b.rng)
    reps = sales_team(b, round(14 * scale**0.5), "brightlinesupply.com")
    items = _catalog(b)
    taken: set[str] = set()
    accounts = [account(b, reps, taken, "Customer") for _ in range(60 * scale)]
    keys = add_articles(b, text.articles(numbers), 2001)
    b.out.truth["b2b"] = {"numbers": numbers, "articles": keys}
    deals = Deals(b, reps, items, numbers)
    for account_id, owner in accounts:
        for _ in range(b.rng.choices((0, 1, 2, 3, 4, 6), (2, 4, 3, 2, 1, 1))[0]):
            created = deals.calendar.draw(b.rng)
            deals.opportunity(account_id, owner, created, "Existing Business", None)
    for _ in range(70 * scale):  # this quarter's pipeline
        account_id, owner = b.rng.choice(accounts)
        created = TODAY - dt.timedelta(days=b.rng.randint(5, 110))
        deals.opportunity(account_id, owner, created, "Existing Business", None)
    _leads(b, reps, deals, taken, scale)
    deals.finish()
    service_desk(b, seed, scale)
    return b.out


def _catalog(b: Builder) -> list[Item]:
    standard, partner = b.next_id("01sPbk"), b.next_id("01sPbk")
    b.add("pricebooks", (standard, "Standard Price Book", 1, 1))
    b.add("pricebooks", (partner, "Partner Price Book", 0, 1))
    items = []
    for family, name, code, price, kind in w.BUSINESS_PRODUCTS:
        pid = b.next_id("01tPrd")
        cost = round(price * b.rng.uniform(0.35, 0.6), 2)
        floor = round(price * b.rng.uniform(0.72, 0.86), 2)
        b.add("products", (pid, name, code, family, f"{name} ({family}).", 1, cost, floor))
        entry = b.next_id("01uPbe")
        b.add("pricebook_entries", (entry, standard, pid, price, 1))
        b.add("pricebook_entries", (b.next_id("01uPbe"), partner, pid, round(price * 0.9, 2), 1))
        items.append(Item(pid, family, name, code, price, kind, entry, "Laptop" in name))
    return items


_BRANCHES = ("West", "East", "North", "South", "Holdings", "Partners", "International")


def company_name(b: Builder, taken: set[str]) -> tuple[str, str]:
    """(unique company name, industry); stems repeat across companies on purpose."""
    stem = b.rng.choice(w.ACCOUNT_STEMS)
    noun, industry = b.rng.choice(w.INDUSTRIES)
    base = f"{stem} {b.rng.choice(w.LEGAL_FORMS)}" if b.rng.random() < 0.4 else f"{stem} {noun}"
    name: str | None = base
    if base in taken:
        branches = (f"{base} {branch}" for branch in _BRANCHES)
        name = next((c for c in branches if c not in taken), None)
    n = 2
    while name is None:  # large worlds: number the namesakes
        name = f"{base} {n}" if f"{base} {n}" not in taken else None
        n += 1
    taken.add(name)
    return name, industry


def account(b: Builder, reps: list[Rep], taken: set[str], kind: str) -> tuple[str, Rep]:
    """Insert one account (and its contacts); returns (id, owner)."""
    name, industry = company_name(b, taken)
    city, state, area = b.place()
    local = [r for r in reps if state in r.states] or reps
    owner = b.rng.choice(local)
    aid = b.next_id("001Acc")
    employees = int(math.exp(b.rng.uniform(math.log(20), math.log(20000))))
    revenue = round(employees * b.rng.uniform(80_000, 250_000), -3)
    created = b.date_between(dt.date(2018, 1, 1), dt.date(2024, 5, 1))
    credit = float(b.rng.randrange(50_000, 1_000_000, 10_000))
    b.add(
        "accounts",
        (
            aid,
            name,
            industry,
            kind,
            city,
            state,
            revenue,
            employees,
            owner.id,
            iso(created),
            credit,
        ),
    )
    domain = "".join(ch for ch in name.split()[0].lower() if ch.isalpha()) + ".example.com"
    for _ in range(b.rng.randint(2, 4)):
        first, last = b.person()
        b.add(
            "contacts",
            (b.next_id("003Con"), aid, first, last, b.rng.choice(w.BUYER_TITLES), b.phone(area),
             b.email(first, last, domain), state),
        )  # fmt: skip
    return aid, owner


def _leads(b: Builder, reps: list[Rep], deals: Deals, taken: set[str], scale: int) -> None:
    calendar = Calendar(dt.date(2024, 7, 1), TODAY - dt.timedelta(days=8), _LEAD_MONTHS)
    plan = [(calendar.draw(b.rng), False) for _ in range(600 * scale)]
    plan += [(TODAY - dt.timedelta(days=b.rng.randint(0, 6)), True) for _ in range(30 * scale)]
    for created, fresh in sorted(plan):
        first, last = b.person()
        company, industry = company_name(b, taken)
        _, state, area = b.place()
        lid = b.next_id("00QLea")
        domain = "".join(ch for ch in company.split()[0].lower() if ch.isalpha()) + ".example.org"
        local = [r for r in reps if state in r.states] or reps
        owner = (
            None
            if fresh
            else (b.rng.choice(local) if b.rng.random() < 0.85 else b.rng.choice(reps))
        )
        status, converted, opp = "Open - Not Contacted", None, None
        age = (TODAY - created).days
        if owner is not None:
            if age > 20 and b.rng.random() < owner.conversion:
                converted = min(
                    TODAY - dt.timedelta(days=1), created + dt.timedelta(days=b.rng.randint(4, 45))
                )
                status = "Closed - Converted"
                account_id, _ = account(b, reps, taken, "Prospect")
                opp = deals.opportunity(account_id, owner, converted, "New Business", lid)
            elif age > 60:
                status = "Closed - Not Converted"
            else:
                status = b.rng.choice(("Open - Not Contacted", "Working - Contacted"))
        b.add(
            "leads",
            (lid, first, last, company, b.rng.choice(w.BUYER_TITLES), b.email(first, last, domain),
             b.phone(area) if b.rng.random() < 0.7 else None, state, industry,
             b.rng.choice(w.LEAD_SOURCES), status, owner.id if owner else None, iso(created),
             int(converted is not None), iso(converted), opp),
        )  # fmt: skip
        if owner is not None and status != "Open - Not Contacted" and b.rng.random() < 0.3:
            deals.lead_call(lid, owner, f"{first} {last}", created)
