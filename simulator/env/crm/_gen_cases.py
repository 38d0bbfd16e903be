"""The service desk both orgs share: support agents, issues, and cases with their history,
chat transcripts and e-mails.

Cases follow a holiday seasonality with product-specific spikes (a bad firmware month),
agents differ in speed, transfer habit and product expertise, and closure time varies
by state. Who opens a case is a store customer (B2C) or a contact of a business account
(B2B): the caller passes them in as :class:`Requesters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from simulator.env.crm import _text_b2c as text
from simulator.env.crm import _words as w
from simulator.env.crm._build import NOW, Builder, Calendar, at, iso
from simulator.env.crm._tables import TODAY

CASE_MONTHS = (1.3, 0.9, 0.9, 0.85, 0.85, 0.9, 0.95, 1.0, 0.95, 1.0, 1.15, 1.45)
CASES_FROM = dt.date(2024, 9, 1)
_PRIORITIES, _PRIORITY_WEIGHTS = ("Low", "Medium", "High"), (3, 8, 10)  # cumulative 3, 5, 2
_ORIGINS, _ORIGIN_WEIGHTS = ("Phone", "Email", "Web", "Chat"), (3, 6, 8, 11)  # 3, 3, 2, 3


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


@dataclass
class Requesters:
    """Who may open cases: (id, full name, state) of each, their e-mail, and per product
    the people who bought it (they open most of its cases)."""

    people: list[tuple[str, str, str]]
    emails: dict[str, str]
    buyers: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Volume:
    """How many cases: closed and open ones per scale, and new ones waiting to be routed."""

    cases: int
    new: int
    support: str
    """The support desk's e-mail address."""
    spikes: tuple[int, ...] = (0, 1, 1, 2)
    """How many bad months a product may have (one is drawn per product)."""


def support_team(
    b: Builder, count: int, families: list[str], expertise: int, domain: str
) -> list[Agent]:
    """Two support managers and ``count`` agents, each expert in ``expertise`` families."""
    managers = []
    for _ in range(2):
        first, last = b.person()
        uid = b.next_id("005Mgr")
        managers.append(uid)
        b.add("users", _user(uid, first, last, "Support Manager", None, b, domain))
    agents = []
    for i in range(count):
        first, last = b.person()
        uid = b.next_id("005Agt")
        b.add("users", _user(uid, first, last, "Support Agent", managers[i % 2], b, domain))
        agents.append(
            Agent(
                uid,
                f"{first} {last}",
                speed=b.rng.uniform(0.5, 2.0),
                transfer_rate=b.rng.uniform(0.02, 0.3),
                expertise=frozenset(b.rng.sample(families, expertise)),
            )
        )
    return agents


def _user(
    uid: str, first: str, last: str, role: str, manager: str | None, b: Builder, domain: str
) -> tuple[object, ...]:
    joined = b.date_between(dt.date(2017, 1, 1), dt.date(2024, 3, 1))
    email = f"{first.lower()}.{last.lower()}@{domain}"
    return (uid, first, last, email, role, role, manager, 1, iso(joined))


def issues(b: Builder, names: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """Insert the issue types; returns product family -> its issue ids."""
    out: dict[str, list[str]] = {}
    for family, titles in names:
        for name in titles:
            iid = b.next_id("a0IIss")
            b.add("issues", (iid, name, family, f"{name} ({family})."))
            out.setdefault(family, []).append(iid)
    return out


def cases(
    b: Builder,
    agents: list[Agent],
    who: Requesters,
    products: list[Product],
    issue_ids: dict[str, list[str]],
    scale: int,
    volume: Volume,
) -> None:
    """Every case: seasonal background, product spikes, and new unrouted cases."""
    rng = b.rng
    states = sorted({p[1] for p in w.PLACES})
    state_speed = {s: rng.uniform(0.6, 1.6) for s in states}
    issue_weights = {
        p.id: list(accumulate(rng.random() ** 2 + 0.05 for _ in issue_ids[p.family]))
        for p in products
    }  # cumulative, as random.choices would make them on every call
    calendar = Calendar(CASES_FROM, TODAY - dt.timedelta(days=4), CASE_MONTHS)
    plan: list[tuple[Product, dt.date, str | None]] = []
    weights = list(accumulate(p.weight for p in products))
    for _ in range(volume.cases * scale):
        plan.append((rng.choices(products, cum_weights=weights)[0], calendar.draw(rng), None))
    months = [
        (y, m) for y in (2024, 2025) for m in range(1, 13) if (2024, 10) <= (y, m) <= (2025, 10)
    ]
    for product in products:
        for year, month in rng.sample(months, rng.choice(volume.spikes)):
            spike_issue = rng.choice(issue_ids[product.family])
            for _ in range(rng.randint(7, 13) * scale):
                day = dt.date(year, month, rng.randint(1, 28))
                plan.append((product, day, spike_issue))
    plan.sort(key=lambda item: item[1])
    ctx = _CaseContext(b, agents, state_speed, who, volume.support)
    everyone = [c[0] for c in who.people]
    for product, day, spike in plan:
        owners = who.buyers.get(product.id) or everyone
        customer = rng.choice(owners) if rng.random() < 0.85 else rng.choice(who.people)[0]
        issues_of = issue_ids[product.family]
        issue = spike or rng.choices(issues_of, cum_weights=issue_weights[product.id])[0]
        ctx.case(product, issue, customer, at(day, rng))
    for _ in range(volume.new * scale):  # new cases waiting to be routed
        product = rng.choices(products, cum_weights=weights)[0]
        customer = rng.choice(who.buyers.get(product.id) or everyone)
        issues_of = issue_ids[product.family]
        issue = rng.choices(issues_of, cum_weights=issue_weights[product.id])[0]
        opened = NOW - dt.timedelta(minutes=rng.randint(60, 72 * 60))
        ctx.case(product, issue, customer, opened, new=True)


_PRIORITY_SPEED = {"Low": 1.3, "Medium": 1.0, "High": 0.6}
"""How long a case of each priority takes, relative to a medium one."""


class _CaseContext:
    """Writes one case with its history, chat transcript or e-mails."""

    def __init__(
        self,
        b: Builder,
        agents: list[Agent],
        state_speed: dict[str, float],
        who: Requesters,
        support: str,
    ) -> None:
        self.b = b
        self.agents = agents
        self.state_speed = state_speed
        self.state_of = {cid: state for cid, _, state in who.people}
        self.names = {cid: name for cid, name, _ in who.people}
        self.emails = who.emails
        self.support = support
        self.products = {r[0]: r for r in b.out.rows["products"]}
        self.issue_names = {r[0]: r[1] for r in b.out.rows["issues"]}
        truth = b.out.truth[b.out.org]
        self.numbers = truth["numbers"]
        self.users = {str(r[0]): f"{r[1]} {r[2]}" for r in b.out.rows["users"]}
        self.violations: dict[str, str | None] = truth.setdefault("policy_violation", {})
        self._pools: dict[tuple[str, str | None], tuple[list[Agent], list[float]]] = {}

    def _agent(self, family: str, exclude: str | None = None) -> Agent:
        key = (family, exclude)
        if key not in self._pools:  # cumulative weights, as random.choices makes them
            pool = [a for a in self.agents if a.id != exclude]
            weights = accumulate(3.0 if family in a.expertise else 1.0 for a in pool)
            self._pools[key] = (pool, list(weights))
        pool, cum = self._pools[key]
        return self.b.rng.choices(pool, cum_weights=cum)[0]

    def case(
        self, product: Product, issue: str, customer: str, opened: dt.datetime, new: bool = False
    ) -> None:
        b, rng = self.b, self.b.rng
        cid = b.next_id("500Cas")
        number = f"{len(b.out.rows['cases']) + 1001:08d}"
        priority = rng.choices(_PRIORITIES, cum_weights=_PRIORITY_WEIGHTS)[0]
        origin = rng.choices(_ORIGINS, cum_weights=_ORIGIN_WEIGHTS)[0]
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
            factor = _PRIORITY_SPEED[priority]
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
        for field_name, old, value, moment in history:
            b.add("case_history", (b.next_id("017Hst"), cid, field_name, old, value, iso(moment)))
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
            (incoming, address, self.support, opened, 1),
            (reply, self.support, address, later, 0),
        ):
            eid = b.next_id("02sEml")
            b.add("email_messages", (eid, cid, subject, body, sender, to, iso(when), inbound))
            b.out.search.append(("email", eid, cid, "internal", subject, body))
