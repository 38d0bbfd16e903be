"""Generate deals: opportunities with line items, quotes, contracts, orders, tasks,
events and sales-call transcripts (the B2B org's, and, with :class:`Playbook` and
``_gen_home``, the B2C org's home packages).

Deal sizes are heavy-tailed (log-normal quantities), opportunities are opened with a
seasonal rhythm, a deal counts as sold on its contract's customer_signed_date, and a few
records are deliberately off: stages that disagree with their activities, open tasks of
the wrong stage, quotes that break a discount, price-floor or configuration rule.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from simulator.env.crm import _text_b2b as text
from simulator.env.crm._build import Builder, Calendar, at, iso
from simulator.env.crm._tables import SHAPES, TODAY
from simulator.env.crm._tables_sales import OPEN_STAGES

_OPP_MONTHS = (0.8, 0.9, 1.1, 1.0, 1.0, 0.9, 0.8, 0.7, 1.1, 1.2, 1.1, 0.9)
_TASK_PRIORITIES = ("Low", "Normal", "Normal", "High")
_TASK_KINDS = ("Email", "Meeting", "Other")
_DAY = dt.timedelta(days=1)
DISCOUNTS = (0.0, 5.0, 8.0, 10.0, 12.0, 15.0, 18.0, 20.0, 22.0, 25.0, 28.0, 30.0, 35.0)


@dataclass(frozen=True)
class Rep:
    """A sales rep and the habits that make the sales families' answers differ."""

    id: str
    name: str
    states: frozenset[str]
    cycle: float
    win_rate: float
    conversion: float


@dataclass(frozen=True)
class Item:
    """A catalog product with what the configuration rules call it."""

    id: str
    family: str
    name: str
    code: str
    price: float
    kind: str
    entry: str
    host: bool = False
    """Whether the accessory rule counts it (laptops for docks, home theaters for mounts)."""


@dataclass(frozen=True)
class Playbook:
    """What differs in how the orgs sell: the activities of each stage, deal names, call
    wording, whether won deals become orders, and the sizes planted quotes take."""

    stages: dict[str, tuple[str, ...]]
    suffixes: tuple[str, ...]
    calls: text.CallLines
    orders: bool
    sizes: dict[str, tuple[int, int]]
    """(low, high) quantities for planted configuration quotes: ``devices`` added when a
    quote has none, ``extra`` over the devices, ``hosts`` added, ``over_hosts``."""


B2B_PLAYBOOK = Playbook(
    stages=text.STAGE_ACTIVITIES,
    suffixes=("Refresh", "Expansion", "Renewal", "New Site", "Rollout"),
    calls=text.B2B_CALLS,
    orders=True,
    sizes={"devices": (2, 40), "extra": (1, 15), "hosts": (2, 30), "over_hosts": (1, 10)},
)


@dataclass
class Line:
    item: Item
    quantity: int
    discount: float = 0.0
    unit_price: float = field(init=False)
    """The list price less the discount, rounded to the cent (set once: lines never change)."""

    def __post_init__(self) -> None:
        self.unit_price = round(self.item.price * (1 - self.discount / 100), 2)


@dataclass
class Opp:
    id: str
    account_id: str
    owner: Rep
    stage: str
    created: dt.date
    close: dt.date
    lines: list[Line] = field(default_factory=list)


class Deals:
    """Writes opportunities and everything that hangs off them."""

    def __init__(
        self,
        b: Builder,
        reps: list[Rep],
        items: list[Item],
        numbers: dict[str, int],
        playbook: Playbook = B2B_PLAYBOOK,
    ):
        self.b = b
        self.rng = b.rng
        self.reps = reps
        self.items = items
        self.numbers = numbers
        self.playbook = playbook
        self.buyers = SHAPES[b.out.org].buyer.table
        self.calendar = Calendar(dt.date(2024, 3, 1), TODAY - dt.timedelta(days=2), _OPP_MONTHS)
        self.by_kind: dict[str, list[Item]] = {}
        for item in items:
            self.by_kind.setdefault(item.kind, []).append(item)
        self.open: list[Opp] = []
        self.all: list[Opp] = []
        self._account_names: dict[str, str] = {}
        self.contacts: dict[str, list[str]] = {}
        if "contacts" in b.out.rows:
            for row in b.out.rows["contacts"]:
                self.contacts.setdefault(str(row[1]), []).append(f"{row[2]} {row[3]}")
        truth = b.out.truth[b.out.org]
        self.bant: dict[str, list[str]] = truth.setdefault("bant", {})
        self.insights: dict[str, dict[str, str]] = truth.setdefault("insights", {})

    # --- opportunities ---------------------------------------------------------------

    def opportunity(
        self, account_id: str, owner: Rep, created: dt.date, kind: str, lead_id: str | None
    ) -> str:
        rng = self.rng
        oid = self.b.next_id("006Opp")
        cycle = max(9.0, rng.lognormvariate(math.log(55), 0.45) * owner.cycle)
        expected = created + dt.timedelta(days=round(cycle))
        if expected < TODAY:
            stage = "Closed Won" if rng.random() < owner.win_rate else "Closed Lost"
        else:
            progress = (TODAY - created).days / cycle
            stage = OPEN_STAGES[min(4, int(progress * 5.5))]
        opp = Opp(oid, account_id, owner, stage, created, expected, self._lines())
        amount = round(sum(li.quantity * li.unit_price for li in opp.lines), 2)
        closed = stage.startswith("Closed")
        probability = {"Closed Won": 100, "Closed Lost": 0}.get(
            stage, 10 + 20 * OPEN_STAGES.index(stage) if not closed else 0
        )
        account = self.account_name(account_id)
        suffix = rng.choice(self.playbook.suffixes)
        self.b.add(
            "opportunities",
            (oid, f"{account} - {suffix}", account_id, owner.id, stage, amount, probability, kind,
             "Lead Conversion" if lead_id else "Account Management", iso(created),
             iso(expected), int(closed), int(stage == "Closed Won")),
        )  # fmt: skip
        for line in opp.lines:
            item = line.item
            self.b.add(
                "opportunity_line_items",
                (self.b.next_id("00kOli"), oid, item.id, item.entry, line.quantity,
                 line.unit_price, round(line.quantity * line.unit_price, 2)),
            )  # fmt: skip
        reached = 5 if closed else OPEN_STAGES.index(stage) + 1
        if stage == "Closed Lost":
            reached = rng.randint(1, 5)
        if reached >= 4:
            self.quote(opp, "Accepted" if stage == "Closed Won" else self._quote_status(stage))
        if stage == "Closed Won":
            self._contract(opp)
        if not closed:
            self.open.append(opp)
        self.all.append(opp)
        self._activities(opp, reached)
        return oid

    def account_name(self, account_id: str) -> str:
        """The name of whom a deal is with: an account, or a customer (both are added
        while deals are generated)."""
        if account_id not in self._account_names:
            rows = self.b.out.rows[self.buyers]
            new = rows[len(self._account_names) :]
            if self.buyers == "accounts":
                self._account_names.update((str(r[0]), str(r[1])) for r in new)
            else:
                self._account_names.update((str(r[0]), f"{r[1]} {r[2]}") for r in new)
        return self._account_names[account_id]

    def _quote_status(self, stage: str) -> str:
        if stage == "Closed Lost":
            return "Denied"
        return self.rng.choice(("Draft", "Presented", "Presented", "Approved"))

    def _lines(self) -> list[Line]:
        rng = self.rng
        by_kind = self.by_kind
        lines: list[Line] = []
        devices = 0
        discount = rng.choice((0.0, 0.0, 5.0, 10.0, 15.0))
        if rng.random() < 0.8:
            device = rng.choice(by_kind["device"])
            devices = max(1, min(900, round(rng.lognormvariate(2.4, 1.0))))
            lines.append(Line(device, devices, discount))
            if rng.random() < 0.4 and device.host:
                lines.append(Line(by_kind["accessory"][0], rng.randint(1, devices), discount))
        if rng.random() < 0.6 or not lines:
            seats = max(5, min(3000, round(rng.lognormvariate(3.6, 0.9))))
            lines.append(Line(rng.choice(by_kind["licence"]), seats, discount))
        if devices and rng.random() < 0.5:
            kind = rng.choice(("support", "warranty"))
            lines.append(Line(by_kind[kind][0], rng.randint(1, devices), discount))
        if devices >= self.numbers["install_minimum"] and rng.random() < 0.4:
            lines.append(Line(by_kind["installation"][0], rng.randint(1, 3), discount))
        return lines

    # --- quotes, contracts, orders ---------------------------------------------------

    def quote(
        self,
        opp: Opp,
        status: str,
        lines: list[Line] | None = None,
        expires: dt.date | None = None,
    ) -> str:
        """Insert a quote for ``opp`` (its own lines unless given); returns the quote id."""
        rng = self.rng
        qid = self.b.next_id("0Q0Quo")
        number = f"{len(self.b.out.rows['quotes']) + 1:08d}"
        lines = lines if lines is not None else opp.lines
        discount = lines[0].discount if lines else 0.0
        created = opp.created + dt.timedelta(days=rng.randint(5, 25))
        created = min(created, TODAY - dt.timedelta(days=1))
        expires = expires or created + dt.timedelta(days=30)
        subtotal = round(sum(li.quantity * li.item.price for li in lines), 2)
        total = round(sum(li.quantity * li.unit_price for li in lines), 2)
        name = f"Quote for {opp.id[-4:]}-{number[-3:]}"
        self.b.add(
            "quotes",
            (qid, number, name, opp.id, opp.account_id, opp.owner.id, status, discount,
             subtotal, total, iso(created), iso(expires), None),
        )  # fmt: skip
        for line in lines:
            self.b.add(
                "quote_line_items",
                (self.b.next_id("0QLQli"), qid, line.item.id, line.quantity, line.item.price,
                 line.discount, line.unit_price, round(line.quantity * line.unit_price, 2)),
            )  # fmt: skip
        return qid

    def _contract(self, opp: Opp) -> None:
        rng = self.rng
        signed = opp.close + dt.timedelta(days=rng.choice((0, 2, 5, 9, 14, 21, 30, 40)))
        cid = self.b.next_id("800Ctr")
        number = f"{len(self.b.out.rows['contracts']) + 1:08d}"
        if signed >= TODAY:
            self.b.add(
                "contracts",
                (cid, number, opp.account_id, opp.id, opp.owner.id, "Draft", None, 12, None, None),
            )
            return
        company = min(TODAY - dt.timedelta(days=1), signed + dt.timedelta(days=rng.randint(0, 4)))
        term = rng.choice((12, 24, 36))
        status = "Activated" if company + dt.timedelta(days=30 * term) > TODAY else "Expired"
        self.b.add(
            "contracts",
            (cid, number, opp.account_id, opp.id, opp.owner.id, status, iso(company), term,
             iso(signed), iso(company)),
        )  # fmt: skip
        if not self.playbook.orders:
            return
        order = self.b.next_id("801Ord")
        total = round(sum(li.quantity * li.unit_price for li in opp.lines), 2)
        self.b.add(
            "orders",
            (order, f"{len(self.b.out.rows['orders']) + 1:08d}", opp.account_id, cid,
             opp.owner.id, "Activated", iso(company), total),
        )  # fmt: skip
        for line in opp.lines:
            self.b.add(
                "order_items",
                (self.b.next_id("802Itm"), order, line.item.id, line.quantity, line.unit_price,
                 round(line.quantity * line.unit_price, 2)),
            )  # fmt: skip

    # --- activities and calls --------------------------------------------------------

    def _activities(self, opp: Opp, reached: int) -> None:
        rng = self.rng
        span = max(1, (min(opp.close, TODAY) - opp.created).days)
        for k in range(reached):
            stage = OPEN_STAGES[k]
            done = opp.created + dt.timedelta(days=round(span * (k + 0.5) / max(reached, 1)))
            done = min(done, TODAY - dt.timedelta(days=1))
            first, second = self.playbook.stages[stage]
            self.task(opp, first, "Completed", done)
            if k < reached - 1 or opp.stage.startswith("Closed"):
                if rng.random() < 0.5:
                    self.task(opp, second, "Completed", done)
            else:  # the current stage's remaining work is still open
                due = TODAY + dt.timedelta(days=rng.randint(1, 20))
                self.task(opp, second, rng.choice(("Not Started", "In Progress")), due)
        if rng.random() < 0.3:
            start = at(min(opp.close, TODAY - dt.timedelta(days=1)), rng)
            subject = rng.choice(("Quarterly business review", "Lunch with buyer", "Site visit"))
            self.b.add(
                "events",
                (self.b.next_id("00UEvt"), subject, opp.id, opp.owner.id, iso(start), 60),
            )

    def task(self, opp: Opp, subject: str, status: str, due: dt.date) -> str:
        tid = self.b.next_id("00TTsk")
        priority = self.rng.choice(_TASK_PRIORITIES)
        kind = "Call" if "call" in subject.lower() else self.rng.choice(_TASK_KINDS)
        created = min(due, opp.created + _DAY)
        self.b.add(
            "tasks",
            (tid, subject, status, priority, kind, opp.id, opp.owner.id, iso(due), iso(created)),
        )
        return tid

    def lead_call(self, lead_id: str, rep: Rep, buyer: str, created: dt.date) -> None:
        failing = {f for f in text.BANT if self.rng.random() < 0.3}
        body = text.lead_call(self.rng, rep.name, buyer, failing, self.playbook.calls)
        self.bant[lead_id] = sorted(failing)
        self._call(lead_id, rep, created + dt.timedelta(days=self.rng.randint(1, 6)), body)

    def _call(self, record: str, rep: Rep, day: dt.date, body: str) -> None:
        vid = self.b.next_id("0LQVoc")
        when = at(min(day, TODAY - dt.timedelta(days=1)), self.rng)
        self.b.add(
            "voice_calls",
            (vid, record, rep.id, iso(when), self.rng.randint(300, 2400),
             self.rng.choice(("Inbound", "Outbound")), body),
        )  # fmt: skip
        self.b.out.search.append(("call", vid, record, "internal", f"Call on {record}", body))

    # --- deliberate irregularities ---------------------------------------------------

    def finish(self) -> None:
        """Plant review quotes, stage errors, stray tasks and sales calls on open deals."""
        from simulator.env.crm._plant import plant  # _plant builds on this module

        plant(self)

    def opportunity_call(self, opp: Opp) -> None:
        topics = self.rng.sample(text.SUBTOPICS, 3)
        feelings = {t: self.rng.choice(("positive", "negative")) for t in topics}
        people = self.contacts.get(opp.account_id)
        if people is None and self.buyers == "customers":
            people = [self.account_name(opp.account_id)]
        buyer = self.rng.choice(people or ["Buyer"])
        body = text.opportunity_call(self.rng, opp.owner.name, buyer, feelings, self.playbook.calls)
        self.insights[opp.id] = feelings
        self._call(
            opp.id, opp.owner, opp.created + dt.timedelta(days=self.rng.randint(3, 20)), body
        )
