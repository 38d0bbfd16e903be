"""Deterministic generation of the CRM world from a seed (``random.Random(seed)`` only)."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Sequence
from typing import Any

from simulator.env.crm import _words as w
from simulator.env.crm._tables import TABLES, TODAY

Row = tuple[Any, ...]

_START = dt.date(2024, 6, 1)


class _World:
    """Accumulates the rows of every table while keeping generated values unique."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}
        self._names: set[tuple[str, str]] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()

    def person(self) -> tuple[str, str]:
        """A first/last name pair not used by anyone else in the database."""
        while True:
            pool = w.FEMALE_FIRST if self.rng.random() < 0.5 else w.MALE_FIRST
            name = (self.rng.choice(pool), self.rng.choice(w.LAST))
            if name not in self._names:
                self._names.add(name)
                return name

    def phone(self, area: str) -> str:
        """A unique number in the fictional 555-01xx range, like ``+1 (415) 555-0142``."""
        while True:
            number = f"+1 ({area}) 555-{self.rng.randint(100, 199):04d}"
            if number not in self._phones:
                self._phones.add(number)
                return number
            area = self.rng.choice(w.PLACES)[2]

    def email(self, first: str, last: str, domain: str) -> str:
        """A unique, realistic-looking address."""
        f, la = first.lower(), last.lower()
        styles = (f"{f}.{la}", f"{f[0]}{la}", f"{f}_{la}", f"{f}{la[0]}")
        base = self.rng.choice(styles)
        candidate = f"{base}@{domain}"
        n = 1
        while candidate in self._emails:
            n += 1
            candidate = f"{base}{n}@{domain}"
        self._emails.add(candidate)
        return candidate

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))


def generate(seed: int) -> dict[str, list[Row]]:
    """All rows of the CRM for ``seed``; the same seed always gives the same rows."""
    world = _World(seed)
    reps, agents = _users(world)
    accounts = _accounts(world, reps)
    _contacts(world, accounts)
    consumer, business = _products(world)
    _opportunities(world, accounts, reps, consumer + business)
    customers, purchases = _customers_and_orders(world, consumer)
    _cases(world, agents, customers, purchases, accounts, consumer + business)
    _articles(world)
    return world.rows


def _users(world: _World) -> tuple[list[str], list[str]]:
    rng = world.rng
    plan = [
        ("Rep", "Sales Rep", 12),
        ("Agt", "Support Agent", 10),
        ("Ops", "Sales Operations", 2),
        ("Mgr", "Support Manager", 2),
    ]
    reps: list[str] = []
    agents: list[str] = []
    for tag, role, count in plan:
        for i in range(1, count + 1):
            uid = f"005{tag}{i:07d}"
            first, last = world.person()
            email = f"{first.lower()}.{last.lower()}@brightlinesupply.com"
            hired = world.date_between(dt.date(2017, 1, 1), dt.date(2024, 3, 1))
            world.rows["users"].append(
                (uid, first, last, email, role, rng.choice(w.REGIONS), hired.isoformat())
            )
            if tag == "Rep":
                reps.append(uid)
            elif tag == "Agt":
                agents.append(uid)
    return reps, agents


def _accounts(world: _World, reps: Sequence[str]) -> list[str]:
    rng = world.rng
    prefixes = list(w.ACCOUNT_PREFIXES)
    rng.shuffle(prefixes)
    ids: list[str] = []
    for i, prefix in enumerate(prefixes[:30], start=1):
        noun, industry = rng.choice(w.INDUSTRIES)
        legal = rng.random() < 0.5
        name = f"{prefix} {rng.choice(w.LEGAL_FORMS)}" if legal else f"{prefix} {noun}"
        city, state, _ = rng.choice(w.PLACES)
        aid = f"001Acc{i:07d}"
        created = world.date_between(dt.date(2019, 1, 1), dt.date(2024, 5, 1))
        credit = float(rng.randrange(50_000, 1_000_000, 10_000))
        world.rows["accounts"].append(
            (aid, name, industry, city, state, rng.choice(reps), created.isoformat(), credit)
        )
        ids.append(aid)
    return ids


def _contacts(world: _World, accounts: Sequence[str]) -> None:
    rng = world.rng
    n = 0
    by_id = {row[0]: row for row in world.rows["accounts"]}
    for aid in accounts:
        name = str(by_id[aid][1])
        domain = "".join(ch for ch in name.split()[0].lower() if ch.isalpha()) + ".com"
        area = next(p[2] for p in w.PLACES if p[0] == by_id[aid][3])
        for _ in range(rng.randint(2, 4)):
            n += 1
            first, last = world.person()
            world.rows["contacts"].append(
                (
                    f"003Con{n:07d}",
                    aid,
                    first,
                    last,
                    rng.choice(w.TITLES),
                    world.phone(area),
                    world.email(first, last, domain),
                )
            )


def _products(world: _World) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    """Returns (consumer, business) lists of (product id, category, list price)."""
    rng = world.rng
    consumer: list[tuple[str, str, float]] = []
    business: list[tuple[str, str, float]] = []
    n = 0
    for category, models, low, high in w.CONSUMER_CATEGORIES:
        seen: set[tuple[str, str, str]] = set()
        while len(seen) < 4:
            key = (rng.choice(w.BRANDS), rng.choice(models), rng.choice(w.COLOURS))
            if key in seen:
                continue
            seen.add(key)
            brand, model, colour = key
            n += 1
            price = float(rng.randint(low, high)) - 0.01
            pid = f"PRD-{n:05d}"
            name = f"{brand} {model}, {colour.capitalize()}"
            cost = round(price * rng.uniform(0.45, 0.7), 2)
            floor = round(price * rng.uniform(0.78, 0.9), 2)
            world.rows["products"].append((pid, name, category, brand, colour, price, cost, floor))
            consumer.append((pid, category, price))
    for category, name, price in w.BUSINESS_PRODUCTS:
        n += 1
        pid = f"PRD-{n:05d}"
        cost = round(price * 0.4, 2)
        world.rows["products"].append(
            (pid, name, category, "Brightline", None, price, cost, round(price * 0.8, 2))
        )
        business.append((pid, category, price))
    return consumer, business


def _opportunities(
    world: _World,
    accounts: Sequence[str],
    reps: Sequence[str],
    products: Sequence[tuple[str, str, float]],
) -> None:
    rng = world.rng
    owners = {row[0]: row[5] for row in world.rows["accounts"]}
    names = {row[0]: row[1] for row in world.rows["accounts"]}
    weights = [rng.uniform(0.3, 3.0) for _ in accounts]
    n_item = n_quote = 0
    for i in range(1, 261):
        aid = rng.choices(accounts, weights)[0]
        owner = owners[aid] if rng.random() < 0.8 else rng.choice(reps)
        created = world.date_between(_START, dt.date(2025, 10, 25))
        close = created + dt.timedelta(days=rng.randint(14, 150))
        if close < TODAY:
            stage = "Closed Won" if rng.random() < 0.6 else "Closed Lost"
        else:
            stage = rng.choice(w.OPEN_STAGES)
        oid = f"006Opp{i:07d}"
        amount = 0.0
        for _ in range(rng.randint(1, 4)):
            pid, category, price = rng.choice(products)
            qty = rng.randint(10, 400) if category == "software" else rng.randint(1, 40)
            unit = round(price * (1 - rng.choice((0, 0, 0.05, 0.1, 0.15))), 2)
            n_item += 1
            world.rows["opportunity_line_items"].append(
                (f"00kOli{n_item:07d}", oid, pid, qty, unit)
            )
            amount += qty * unit
        amount = round(amount, 2)
        deal = f"{names[aid]} - {rng.choice(('Refresh', 'Expansion', 'Renewal', 'New Site'))}"
        world.rows["opportunities"].append(
            (oid, deal, aid, owner, stage, created.isoformat(), close.isoformat(), amount)
        )
        if stage not in ("Prospecting",) and rng.random() < 0.35:
            n_quote += 1
            disc = rng.choice((0.0, 5.0, 10.0, 15.0, 20.0))
            status = {"Closed Won": "Accepted", "Closed Lost": "Rejected"}.get(
                stage, rng.choice(("Draft", "Presented"))
            )
            qdate = created + dt.timedelta(days=rng.randint(3, 12))
            world.rows["quotes"].append(
                (
                    f"0Q0Quo{n_quote:07d}",
                    oid,
                    aid,
                    status,
                    disc,
                    round(amount * (1 - disc / 100), 2),
                    qdate.isoformat(),
                    (qdate + dt.timedelta(days=30)).isoformat(),
                )
            )


def _customers_and_orders(
    world: _World,
    products: Sequence[tuple[str, str, float]],
) -> tuple[list[str], dict[str, list[str]]]:
    """Store customers with their orders; returns ids and each customer's product ids."""
    rng = world.rng
    ids: list[str] = []
    purchases: dict[str, list[str]] = {}
    n_order = n_item = 0
    for i in range(1, 121):
        cid = f"CUST-{i:05d}"
        first, last = world.person()
        city, state, area = rng.choice(w.PLACES)
        street = f"{rng.randint(12, 9899)} {rng.choice(w.STREETS)}"
        joined = world.date_between(dt.date(2021, 1, 1), dt.date(2024, 10, 1))
        world.rows["customers"].append(
            (
                cid,
                first,
                last,
                world.phone(area),
                world.email(first, last, rng.choice(w.MAIL_DOMAINS)),
                street,
                city,
                state,
                joined.isoformat(),
            )
        )
        ids.append(cid)
        bought: list[str] = []
        n_orders = rng.choices(range(1, 9), (3, 4, 4, 4, 3, 2, 2, 1))[0]
        dates = sorted(
            world.date_between(dt.date(2024, 11, 1), TODAY - dt.timedelta(days=1))
            for _ in range(n_orders)
        )
        for day in dates:
            n_order += 1
            oid = f"ORD-{n_order:06d}"
            total = 0.0
            for _ in range(rng.choices((1, 2, 3), (6, 3, 1))[0]):
                pid, _cat, price = rng.choice(products)
                qty = 1 if rng.random() < 0.9 else 2
                n_item += 1
                world.rows["order_items"].append((f"OI-{n_item:07d}", oid, pid, qty, price))
                total += qty * price
                bought.append(pid)
            age = (TODAY - day).days
            status = (
                "Processing"
                if age < 2
                else "Shipped"
                if age < 6
                else "Returned"
                if rng.random() < 0.05
                else "Delivered"
            )
            world.rows["orders"].append((oid, cid, day.isoformat(), status, round(total, 2)))
        purchases[cid] = bought
    return ids, purchases


def _cases(
    world: _World,
    agents: Sequence[str],
    customers: Sequence[str],
    purchases: dict[str, list[str]],
    accounts: Sequence[str],
    products: Sequence[tuple[str, str, float]],
) -> None:
    rng = world.rng
    speed = {a: rng.uniform(0.4, 2.2) for a in agents}
    load = [rng.uniform(0.4, 2.0) for _ in agents]
    start = dt.datetime(2024, 9, 1, 8)
    span_hours = int((dt.datetime.combine(TODAY, dt.time()) - start).total_seconds() // 3600)
    now = dt.datetime.combine(TODAY, dt.time())
    for i in range(1, 421):
        owner = rng.choices(agents, load)[0]
        created = start + dt.timedelta(
            hours=rng.randint(0, span_hours - 24), minutes=rng.choice((0, 15, 30, 45))
        )
        hours = min(400.0, max(0.3, rng.lognormvariate(2.9, 0.8) * speed[owner]))
        closed: dt.datetime | None = created + dt.timedelta(minutes=round(hours * 60))
        if closed is not None and (closed >= now or rng.random() < 0.06):
            closed = None
        cust: str | None = None
        acct: str | None = None
        if rng.random() < 0.6:
            cust = rng.choice(customers)
            bought = purchases.get(cust, [])
            pid = rng.choice(bought) if bought else rng.choice(products)[0]
        else:
            cust, acct, pid = None, rng.choice(accounts), rng.choice(products)[0]
        status = "Closed" if closed else rng.choice(("New", "Working", "Escalated"))
        world.rows["cases"].append(
            (
                f"500Cas{i:07d}",
                rng.choice(w.CASE_SUBJECTS),
                cust,
                acct,
                pid,
                owner,
                status,
                rng.choice(("Low", "Medium", "Medium", "High")),
                rng.choice(("Phone", "Email", "Web", "Chat")),
                created.isoformat(timespec="seconds"),
                closed.isoformat(timespec="seconds") if closed else None,
            )
        )


def _articles(world: _World) -> None:
    for i, (category, title, visibility, body) in enumerate(w.ARTICLES, start=1):
        updated = world.date_between(dt.date(2024, 1, 1), dt.date(2025, 10, 1))
        world.rows["knowledge_articles"].append(
            (f"KA-{i:04d}", title, category, body, visibility, updated.isoformat())
        )


def load(conn: sqlite3.Connection, rows: dict[str, list[Row]]) -> None:
    """Create the tables and insert ``rows`` (one transaction)."""
    with conn:
        for table in TABLES:
            conn.execute(table.ddl())
            marks = ", ".join("?" for _ in table.columns)
            conn.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows[table.name])
