"""Generate the B2C org: store customers and orders, the service desk, the sales side.

Distributions are shaped so the service families have real answers: product popularity
is Zipf-like, cases follow a holiday seasonality with product-specific spikes (a bad
firmware month), agents differ in speed, transfer habit and product expertise, and
closure time varies by state (``_gen_cases``). A few customers share a name. The sales
side (home packages: leads, opportunities, quotes, contracts) is added last, from its
own random stream (``_gen_home``), so the store and service rows stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import accumulate

from simulator.env.crm import _text_b2c as text
from simulator.env.crm import _words as w
from simulator.env.crm._build import Builder, Calendar, Generated, add_articles, iso
from simulator.env.crm._gen_cases import (
    Product,
    Requesters,
    Volume,
    cases,
    issues,
    support_team,
)
from simulator.env.crm._gen_home import home_sales
from simulator.env.crm._tables import TODAY
from simulator.env.crm._tables_b2c import TABLES_B2C

_VOLUME = Volume(cases=2400, new=30, support="support@brightlinehome.com")
_ORDER_COUNTS = tuple(accumulate((3, 4, 4, 4, 3, 3, 2, 2, 1, 1)))
"""How many orders a customer places (1 to 10), as cumulative weights."""
_ORDER_MONTHS = (0.9, 0.7, 0.8, 0.8, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 1.5, 1.8)


def generate_b2c(seed: int, scale: int) -> Generated:
    """All rows of the B2C org for ``seed`` at ``scale`` (deterministic)."""
    b = Builder("b2c", seed, scale, TABLES_B2C)
    families = [f for f, *_ in w.CONSUMER_FAMILIES]
    agents = support_team(b, round(12 * scale**0.5), families, 3, "brightlinehome.com")
    products = _products(b)
    issue_ids = issues(b, w.ISSUES.items())
    customers = _customers(b, scale)
    buyers = _orders(b, customers, products, scale)
    numbers = text.policy_numbers(b.rng)
    care = text.care_numbers(b.rng, families)
    keys = add_articles(b, text.articles(numbers, care), 1001)
    b.out.truth["b2c"] = {**text.truth_of(numbers, care), "articles": keys}
    emails = {str(r[0]): str(r[4]) for r in b.out.rows["customers"]}
    who = Requesters(customers, emails, buyers)
    cases(b, agents, who, products, issue_ids, scale, _VOLUME)
    _lifetime_values(b)
    _price_floors(b)
    home_sales(b, seed, scale)
    return b.out


def _products(b: Builder) -> list[Product]:
    out: list[Product] = []
    for family, models, low, high in w.CONSUMER_FAMILIES:
        seen: set[tuple[str, str, str]] = set()
        while len(seen) < 4:
            key = (b.rng.choice(w.BRANDS), b.rng.choice(models), b.rng.choice(w.COLOURS))
            if key in seen:
                continue
            seen.add(key)
            brand, model, colour = key
            pid = b.next_id("01tPrd")
            price = float(b.rng.randint(low, high)) - 0.01
            name = f"{brand} {model}, {colour.capitalize()}"
            code = (
                f"{brand[:3].upper()}-{family[:2].upper()}{len(out) + 1:02d}-{colour[:3].upper()}"
            )
            cost = round(price * b.rng.uniform(0.45, 0.7), 2)
            b.add("products", (pid, name, code, family, brand, colour, price, cost, 1))
            out.append(Product(pid, family, name, 1.0 / (1 + len(out) % 17) ** 0.8))
    return out


def _customers(b: Builder, scale: int) -> list[tuple[str, str, str]]:
    """(id, full name, state) of every customer; three names are deliberately shared."""
    out: list[tuple[str, str, str]] = []
    count = 300 * scale
    twins = {count // 3, count // 2, (2 * count) // 3}
    previous: tuple[str, str] | None = None
    for i in range(count):
        first, last = b.twin(previous) if i in twins and previous else b.person()
        previous = (first, last)
        city, state, area = b.place()
        cid = b.next_id("003Cus")
        joined = b.date_between(dt.date(2021, 1, 1), dt.date(2024, 10, 1))
        street = f"{b.rng.randint(12, 9899)} {b.rng.choice(w.STREETS)}"
        email = b.email(first, last, b.rng.choice(w.MAIL_DOMAINS))
        risk = b.rng.choices(("Low", "Medium", "High"), (6, 3, 1))[0]
        b.add(
            "customers",
            (cid, first, last, b.phone(area), email, street, city, state, iso(joined), 0.0, risk),
        )
        out.append((cid, f"{first} {last}", state))
    return out


def _orders(
    b: Builder, customers: list[tuple[str, str, str]], products: list[Product], scale: int
) -> dict[str, list[str]]:
    """Store orders; returns product id -> the customers who bought it."""
    buyers: dict[str, list[str]] = defaultdict(list)
    calendar = Calendar(dt.date(2024, 6, 1), TODAY - dt.timedelta(days=1), _ORDER_MONTHS)
    weights = list(accumulate(p.weight for p in products))  # cumulative, as choices makes them
    prices = {str(r[0]): float(r[6]) for r in b.out.rows["products"]}
    by_family: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        by_family[p.family].append(p)
    for cid, _, _ in customers:
        n_orders = b.rng.choices(range(1, 11), cum_weights=_ORDER_COUNTS)[0]
        favourite = b.rng.choice(sorted(by_family)) if b.rng.random() < 0.5 else None
        for day in sorted(calendar.draw(b.rng) for _ in range(n_orders)):
            oid = b.next_id("801Ord")
            total = 0.0
            for _ in range(b.rng.choices((1, 2, 3), cum_weights=(6, 9, 10))[0]):
                if favourite and b.rng.random() < 0.3:  # repeat buyers of one kind of product
                    product = b.rng.choice(by_family[favourite])
                else:
                    product = b.rng.choices(products, cum_weights=weights)[0]
                price = prices[product.id]
                qty = 1 if b.rng.random() < 0.9 else 2
                b.add(
                    "order_items", (b.next_id("802Itm"), oid, product.id, qty, price, qty * price)
                )
                total += qty * price
                buyers[product.id].append(cid)
            age = (TODAY - day).days
            status = (
                "Processing"
                if age < 2
                else "Shipped"
                if age < 6
                else "Returned"
                if b.rng.random() < 0.05
                else "Delivered"
            )
            number = f"{len(b.out.rows['orders']) + 10001:08d}"
            b.add("orders", (oid, number, cid, iso(day), status, round(total, 2)))
    return buyers


def _price_floors(b: Builder) -> None:
    """Store products may be quoted down to 80 % of their list price."""
    rows = b.out.rows["products"]
    for i, row in enumerate(rows):
        rows[i] = (*row, round(float(row[6]) * 0.8, 2))


def _lifetime_values(b: Builder) -> None:
    spent: dict[str, float] = defaultdict(float)
    for row in b.out.rows["orders"]:
        spent[str(row[2])] += float(row[5])
    rows = b.out.rows["customers"]
    for i, row in enumerate(rows):
        rows[i] = (*row[:9], round(spent[str(row[0])], 2), row[10])
