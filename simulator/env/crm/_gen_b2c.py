"""Generate the B2C service org: customers, orders, cases with history and transcripts.

Distributions are shaped so the service families have real answers: product popularity
is Zipf-like, cases follow a holiday seasonality with product-specific spikes (a bad
firmware month), agents differ in speed, transfer habit and product expertise, and
closure time varies by state. A few customers share a name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from simulator.env.crm import _text_b2c as text
from simulator.env.crm import _words as w
from simulator.env.crm._build import NOW, Builder, Calendar, Generated, at, iso
from simulator.env.crm._tables import TODAY
from simulator.env.crm._tables_b2c import TABLES_B2C

_CASE_MONTHS = (1.3, 0.9, 0.9, 0.85, 0.85, 0.9, 0.95, 1.0, 0.95, 1.0, 1.15, 1.45)
_ORDER_MONTHS = (0.9, 0.7, 0.8, 0.8, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 1.5, 1.8)
CASES_FROM = dt.date(2024, 9, 1)


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    speed: float
    transfer_rate: float
    expertise: frozenset[str]


@dataclass(frozen=True)
class Product:
    id: str
    family: str
    name: str
    weight: float


def generate_b2c(seed: int, scale: int) -> Generated:
    """All rows of the B2C org for ``seed`` at ``scale`` (deterministic)."""
    b = Builder("b2c", seed, scale, TABLES_B2C)
    agents = _users(b, scale)
    products = _products(b)
    issues = _issues(b)
    customers = _customers(b, scale)
    buyers = _orders(b, customers, products, scale)
    numbers = text.policy_numbers(b.rng)
    care = text.care_numbers(b.rng, [f for f, *_ in w.CONSUMER_FAMILIES])
    keys = _articles(b, numbers, care)
    b.out.truth["b2c"] = {**text.truth_of(numbers, care), "articles": keys}
    _cases(b, agents, customers, buyers, products, issues, scale)
    _lifetime_values(b)
    return b.out


def _users(b: Builder, scale: int) -> list[Agent]:
    count = round(12 * scale**0.5)
    families = [f for f, *_ in w.CONSUMER_FAMILIES]
    managers = []
    for _ in range(2):
        first, last = b.person()
        uid = b.next_id("005Mgr")
        managers.append(uid)
        b.add("users", _user(uid, first, last, "Support Manager", "Support Manager", None, b))
    agents = []
    for i in range(count):
        first, last = b.person()
        uid = b.next_id("005Agt")
        b.add(
            "users", _user(uid, first, last, "Support Agent", "Support Agent", managers[i % 2], b)
        )
        agents.append(
            Agent(
                uid,
                f"{first} {last}",
                speed=b.rng.uniform(0.5, 2.0),
                transfer_rate=b.rng.uniform(0.02, 0.3),
                expertise=frozenset(b.rng.sample(families, 3)),
            )
        )
    return agents


def _user(
    uid: str, first: str, last: str, title: str, role: str, manager: str | None, b: Builder
) -> tuple[object, ...]:
    joined = b.date_between(dt.date(2017, 1, 1), dt.date(2024, 3, 1))
    email = f"{first.lower()}.{last.lower()}@brightlinehome.com"
    return (uid, first, last, email, title, role, manager, 1, iso(joined))


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


def _issues(b: Builder) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for family, names in w.ISSUES.items():
        for name in names:
            iid = b.next_id("a0IIss")
            b.add("issues", (iid, name, family, f"{name} ({family})."))
            out[family].append(iid)
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
    weights = [p.weight for p in products]
    prices = {str(r[0]): float(r[6]) for r in b.out.rows["products"]}
    by_family: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        by_family[p.family].append(p)
    for cid, _, _ in customers:
        n_orders = b.rng.choices(range(1, 11), (3, 4, 4, 4, 3, 3, 2, 2, 1, 1))[0]
        favourite = b.rng.choice(sorted(by_family)) if b.rng.random() < 0.5 else None
        for day in sorted(calendar.draw(b.rng) for _ in range(n_orders)):
            oid = b.next_id("801Ord")
            total = 0.0
            for _ in range(b.rng.choices((1, 2, 3), (6, 3, 1))[0]):
                if favourite and b.rng.random() < 0.3:  # repeat buyers of one kind of product
                    product = b.rng.choice(by_family[favourite])
                else:
                    product = b.rng.choices(products, weights)[0]
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


def _articles(
    b: Builder, numbers: dict[str, int], care: dict[str, dict[str, int]]
) -> dict[str, str]:
    keys: dict[str, str] = {}
    for article in text.articles(numbers, care):
        aid = b.next_id("ka0Kav")
        published = b.date_between(dt.date(2024, 1, 1), dt.date(2025, 10, 1))
        number = f"{len(keys) + 1001:09d}"
        b.add(
            "knowledge_articles",
            (aid, number, article.title, article.category, article.summary, article.body,
             article.visibility, iso(published)),
        )  # fmt: skip
        b.out.search.append(
            ("knowledge", aid, None, article.visibility, article.title, article.body)
        )
        keys[article.key] = aid
    return keys


def _cases(
    b: Builder,
    agents: list[Agent],
    customers: list[tuple[str, str, str]],
    buyers: dict[str, list[str]],
    products: list[Product],
    issues: dict[str, list[str]],
    scale: int,
) -> None:
    rng = b.rng
    states = sorted({p[1] for p in w.PLACES})
    state_speed = {s: rng.uniform(0.6, 1.6) for s in states}
    issue_weights = {p.id: [rng.random() ** 2 + 0.05 for _ in issues[p.family]] for p in products}
    state_of = {cid: state for cid, _, state in customers}
    names = {cid: name for cid, name, _ in customers}
    calendar = Calendar(CASES_FROM, TODAY - dt.timedelta(days=4), _CASE_MONTHS)
    plan: list[tuple[Product, dt.date, str | None]] = []
    weights = [p.weight for p in products]
    for _ in range(2400 * scale):
        plan.append((rng.choices(products, weights)[0], calendar.draw(rng), None))
    months = [
        (y, m) for y in (2024, 2025) for m in range(1, 13) if (2024, 10) <= (y, m) <= (2025, 10)
    ]
    for product in products:
        for year, month in rng.sample(months, rng.choice((0, 1, 1, 2))):
            spike_issue = rng.choice(issues[product.family])
            for _ in range(rng.randint(7, 13) * scale):
                day = dt.date(year, month, rng.randint(1, 28))
                plan.append((product, day, spike_issue))
    plan.sort(key=lambda item: item[1])
    ctx = _CaseContext(b, agents, state_speed, state_of, names)
    for product, day, spike in plan:
        owners = buyers.get(product.id) or [c[0] for c in customers]
        customer = rng.choice(owners) if rng.random() < 0.85 else rng.choice(customers)[0]
        issue = spike or rng.choices(issues[product.family], issue_weights[product.id])[0]
        ctx.case(product, issue, customer, at(day, rng))
    for _ in range(30 * scale):  # new cases waiting to be routed
        product = rng.choices(products, weights)[0]
        customer = rng.choice(buyers.get(product.id) or [c[0] for c in customers])
        issue = rng.choices(issues[product.family], issue_weights[product.id])[0]
        opened = NOW - dt.timedelta(minutes=rng.randint(60, 72 * 60))
        ctx.case(product, issue, customer, opened, new=True)


class _CaseContext:
    """Writes one case with its history, chat transcript or e-mails."""

    def __init__(
        self,
        b: Builder,
        agents: list[Agent],
        state_speed: dict[str, float],
        state_of: dict[str, str],
        names: dict[str, str],
    ) -> None:
        self.b = b
        self.agents = agents
        self.state_speed = state_speed
        self.state_of = state_of
        self.names = names
        self.products = {r[0]: r for r in b.out.rows["products"]}
        self.issue_names = {r[0]: r[1] for r in b.out.rows["issues"]}
        self.numbers = b.out.truth["b2c"]["numbers"]
        self.users = {str(r[0]): f"{r[1]} {r[2]}" for r in b.out.rows["users"]}
        self.emails = {str(r[0]): str(r[4]) for r in b.out.rows["customers"]}
        self.violations: dict[str, str | None] = {}
        b.out.truth["b2c"]["policy_violation"] = self.violations

    def _agent(self, family: str, exclude: str | None = None) -> Agent:
        pool = [a for a in self.agents if a.id != exclude]
        weights = [3.0 if family in a.expertise else 1.0 for a in pool]
        return self.b.rng.choices(pool, weights)[0]

    def case(
        self, product: Product, issue: str, customer: str, opened: dt.datetime, new: bool = False
    ) -> None:
        b, rng = self.b, self.b.rng
        cid = b.next_id("500Cas")
        number = f"{len(b.out.rows['cases']) + 1001:08d}"
        priority = rng.choices(("Low", "Medium", "High"), (3, 5, 2))[0]
        origin = rng.choices(("Phone", "Email", "Web", "Chat"), (3, 3, 2, 3))[0]
        issue_name = self.issue_names[issue]
        product_name = str(self.products[product.id][1])
        description = f"Customer reports: {issue_name.lower()} on their {product_name}."
        history: list[tuple[str, str | None, str | None, dt.datetime]] = []
        owner: str | None = None
        closed: dt.datetime | None = None
        status = "New"
        if not new:
            agent = self._agent(product.family)
            owner = agent.id
            history.append(("Owner", None, owner, opened))
            factor = {"Low": 1.3, "Medium": 1.0, "High": 0.6}[priority]
            factor *= 0.7 if product.family in agent.expertise else 1.0
            factor *= self.state_speed[self.state_of[customer]]
            hours = min(600.0, max(0.4, rng.lognormvariate(2.9, 0.7) * agent.speed * factor))
            end = opened + dt.timedelta(minutes=round(hours * 60))
            moment = opened + dt.timedelta(minutes=rng.randint(5, 90))
            history.append(("Status", "New", "Working", moment))
            transfers = 0
            while rng.random() < agent.transfer_rate and transfers < 2:
                moment = opened + (end - opened) * rng.uniform(0.1, 0.6)
                nxt = self._agent(product.family, exclude=agent.id)
                history.append(("Owner", agent.id, nxt.id, moment))
                agent, owner = nxt, nxt.id
                transfers += 1
            if end < NOW and rng.random() > 0.04:
                closed, status = end, "Closed"
                history.append(("Status", "Working", "Closed", end))
            else:
                status = rng.choice(("Working", "Working", "Escalated"))
        b.add(
            "cases",
            (cid, number, issue_name, description, customer, product.id, issue, None, owner,
             status, priority, origin, iso(opened), iso(closed)),
        )  # fmt: skip
        for field, old, value, moment in history:
            b.add("case_history", (b.next_id("017Hst"), cid, field, old, value, iso(moment)))
        if owner is not None and origin == "Chat":
            self._chat(cid, customer, owner, opened, product_name, issue_name)
        elif origin == "Email":
            self._emails(cid, customer, opened, product_name, issue_name)

    def _chat(
        self, cid: str, customer: str, owner: str, opened: dt.datetime, product: str, issue: str
    ) -> None:
        b, rng = self.b, self.b.rng
        breach = rng.choice(text.VIOLATIONS) if rng.random() < 0.12 else None
        agent = self.users[owner]
        lines = text.chat(
            rng,
            self.numbers,
            customer=self.names[customer],
            agent=agent,
            product=product,
            issue=issue,
            breach=breach,
        )
        self.violations[cid] = breach
        body = text.render(lines)
        tid = b.next_id("570Lct")
        end = opened + dt.timedelta(minutes=rng.randint(6, 40))
        b.add("live_chat_transcripts", (tid, cid, customer, owner, iso(opened), iso(end), body))
        b.out.search.append(("chat", tid, cid, "internal", f"Chat on case {cid}", body))

    def _emails(
        self, cid: str, customer: str, opened: dt.datetime, product: str, issue: str
    ) -> None:
        b = self.b
        address = self.emails[customer]
        incoming, reply = text.email_bodies(self.names[customer], product, issue)
        subject = f"Problem with my {product}"
        later = opened + dt.timedelta(hours=b.rng.randint(1, 20))
        for body, sender, to, when, inbound in (
            (incoming, address, "support@brightlinehome.com", opened, 1),
            (reply, "support@brightlinehome.com", address, later, 0),
        ):
            eid = b.next_id("02sEml")
            b.add("email_messages", (eid, cid, subject, body, sender, to, iso(when), inbound))
            b.out.search.append(("email", eid, cid, "internal", subject, body))


def _lifetime_values(b: Builder) -> None:
    spent: dict[str, float] = defaultdict(float)
    for row in b.out.rows["orders"]:
        spent[str(row[2])] += float(row[5])
    rows = b.out.rows["customers"]
    for i, row in enumerate(rows):
        rows[i] = (*row[:9], round(spent[str(row[0])], 2), row[10])
