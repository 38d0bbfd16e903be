"""The B2C org's sales side: a team selling home packages (bundles with installation,
care plans, subscriptions) to store customers and to consumer leads.

It is generated after the store and the service desk, from its own random stream, with
ids continuing the org's counters, so every store and service row stays as it was. A
converted lead becomes a new customer (no store orders) with an opportunity.
"""

from __future__ import annotations

import datetime as dt

from simulator.env.crm import _text_home as text
from simulator.env.crm import _words as w
from simulator.env.crm._build import Builder, Calendar, add_articles, iso
from simulator.env.crm._gen_deals import Deals, Item, Line, Playbook, Rep
from simulator.env.crm._gen_sales import sales_team
from simulator.env.crm._stream import Stream
from simulator.env.crm._tables import TODAY

PLAYBOOK = Playbook(
    stages=text.STAGE_ACTIVITIES,
    suffixes=("Home Theater", "Smart Home", "Home Office", "Whole-Home Wi-Fi", "Upgrade"),
    calls=text.CALLS,
    orders=False,
    sizes={"devices": (1, 3), "extra": (1, 3), "hosts": (1, 2), "over_hosts": (1, 2)},
)
_LEAD_MONTHS = (0.9, 0.8, 1.0, 1.1, 1.1, 0.9, 0.8, 0.8, 1.0, 1.2, 1.4, 1.3)


class HomeDeals(Deals):
    """Deals in home packages: one to three bundles, with mounts, plans and services."""

    def _lines(self) -> list[Line]:
        rng = self.rng
        by_kind: dict[str, list[Item]] = {}
        for item in self.items:
            by_kind.setdefault(item.kind, []).append(item)
        lines: list[Line] = []
        bundles = 0
        discount = rng.choice((0.0, 0.0, 5.0, 10.0))
        if rng.random() < 0.85:
            bundle = rng.choice(by_kind["device"])
            bundles = rng.choice((1, 1, 1, 2, 2, 3))
            lines.append(Line(bundle, bundles, discount))
            if bundle.host and rng.random() < 0.5:
                lines.append(Line(by_kind["accessory"][0], rng.randint(1, bundles), discount))
        if rng.random() < 0.5 or not lines:
            months = max(3, min(60, round(rng.lognormvariate(2.7, 0.5))))
            lines.append(Line(rng.choice(by_kind["licence"]), months, discount))
        if bundles and rng.random() < 0.5:
            kind = rng.choice(("support", "warranty"))
            lines.append(Line(by_kind[kind][0], rng.randint(1, bundles), discount))
        if bundles >= self.numbers["install_minimum"] and rng.random() < 0.5:
            lines.append(Line(by_kind["installation"][0], 1, discount))
        return lines


def home_sales(b: Builder, seed: int, scale: int) -> None:
    """Add the sales side to a generated B2C org (its own random stream)."""
    b.rng = Stream(f"crm:b2c:{seed}:{scale}:sales")
    numbers = text.policy_numbers(b.rng)
    reps = sales_team(b, round(12 * scale**0.5), "brightlinehome.com")
    items = _catalog(b)
    truth = b.out.truth["b2c"]
    truth["numbers"].update(numbers)
    truth["articles"].update(add_articles(b, text.articles(numbers), 1001))
    deals = HomeDeals(b, reps, items, truth["numbers"], PLAYBOOK)
    customers = [(str(r[0]), str(r[7])) for r in b.out.rows["customers"]]
    for customer, state in b.rng.sample(customers, len(customers) // 5):
        local = [r for r in reps if state in r.states] or reps
        owner = b.rng.choice(local)
        for _ in range(b.rng.choice((1, 1, 2))):
            created = deals.calendar.draw(b.rng)
            deals.opportunity(customer, owner, created, "Existing Business", None)
    for _ in range(40 * scale):  # this quarter's pipeline
        customer, state = b.rng.choice(customers)
        owner = b.rng.choice([r for r in reps if state in r.states] or reps)
        created = TODAY - dt.timedelta(days=b.rng.randint(5, 110))
        deals.opportunity(customer, owner, created, "Existing Business", None)
    _leads(b, reps, deals, scale)
    deals.finish()


def _catalog(b: Builder) -> list[Item]:
    standard, partner = b.next_id("01sPbk"), b.next_id("01sPbk")
    b.add("pricebooks", (standard, "Standard Price Book", 1, 1))
    b.add("pricebooks", (partner, "Partner Price Book", 0, 1))
    items = []
    for family, name, code, price, kind, host in w.HOME_PRODUCTS:
        pid = b.next_id("01tPrd")
        cost = round(price * b.rng.uniform(0.35, 0.6), 2)
        floor = round(price * b.rng.uniform(0.72, 0.86), 2)
        b.add("products", (pid, name, code, family, "Brightline", None, price, cost, 1, floor))
        entry = b.next_id("01uPbe")
        b.add("pricebook_entries", (entry, standard, pid, price, 1))
        b.add("pricebook_entries", (b.next_id("01uPbe"), partner, pid, round(price * 0.9, 2), 1))
        items.append(Item(pid, family, name, code, price, kind, entry, host))
    return items


def _leads(b: Builder, reps: list[Rep], deals: Deals, scale: int) -> None:
    """Consumer leads; a converted one becomes a customer with an opportunity."""
    calendar = Calendar(dt.date(2024, 7, 1), TODAY - dt.timedelta(days=8), _LEAD_MONTHS)
    plan = [(calendar.draw(b.rng), False) for _ in range(300 * scale)]
    plan += [(TODAY - dt.timedelta(days=b.rng.randint(0, 6)), True) for _ in range(20 * scale)]
    for created, fresh in sorted(plan):
        first, last = b.person()
        city, state, area = b.place()
        lid = b.next_id("00QLea")
        email = b.email(first, last, b.rng.choice(w.MAIL_DOMAINS))
        phone = b.phone(area)
        local = [r for r in reps if state in r.states] or reps
        owner = None
        if not fresh:
            owner = b.rng.choice(local) if b.rng.random() < 0.85 else b.rng.choice(reps)
        status, converted, opp = "Open - Not Contacted", None, None
        age = (TODAY - created).days
        if owner is not None:
            if age > 20 and b.rng.random() < owner.conversion:
                converted = min(
                    TODAY - dt.timedelta(days=1), created + dt.timedelta(days=b.rng.randint(4, 45))
                )
                status = "Closed - Converted"
                customer = b.next_id("003Cus")
                street = f"{b.rng.randint(12, 9899)} {b.rng.choice(w.STREETS)}"
                risk = b.rng.choices(("Low", "Medium", "High"), (6, 3, 1))[0]
                b.add(
                    "customers",
                    (customer, first, last, phone, email, street, city, state, iso(converted),
                     0.0, risk),
                )  # fmt: skip
                opp = deals.opportunity(customer, owner, converted, "New Business", lid)
            elif age > 60:
                status = "Closed - Not Converted"
            else:
                status = b.rng.choice(("Open - Not Contacted", "Working - Contacted"))
        b.add(
            "leads",
            (lid, first, last, None, None, email, phone, state, None,
             b.rng.choice(w.LEAD_SOURCES), status, owner.id if owner else None, iso(created),
             int(converted is not None), iso(converted), opp),
        )  # fmt: skip
        if owner is not None and status != "Open - Not Contacted" and b.rng.random() < 0.3:
            deals.lead_call(lid, owner, f"{first} {last}", created)
