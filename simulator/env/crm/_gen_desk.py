"""The B2B org's service desk: support agents, issues, care and policy articles, and the
cases its business customers open (a contact of an account, about a product the
account bought), with their history, chats and e-mails.

It is generated after the sales side, from its own random stream, with ids continuing
the org's counters, so every sales row stays as it was without it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from simulator.env.crm import _text_desk as desk
from simulator.env.crm._build import Builder, add_articles, iso
from simulator.env.crm._gen_cases import Product, Requesters, Volume, cases, issues, support_team
from simulator.env.crm._stream import Stream
from simulator.env.crm._tables import TODAY

VOLUME = Volume(cases=250, new=15, support="support@brightlinesupply.com", spikes=(1, 1, 1, 2))
"""Closed and open cases per scale, and new cases waiting to be routed: about 470 cases
at scale 1 (the B2C store's desk has about 2,900). Business customers open fewer tickets
than consumers, and the desk's size is what keeps building the B2B org within 20 % of
its cost before the desk existed (``benchmarks/crm_env.py --against``); every service
family still fills its ten personas, most reaching four required facts."""


def service_desk(b: Builder, seed: int, scale: int) -> None:
    """Add the service desk to a generated B2B org (its own random stream)."""
    b.rng = Stream(f"crm:b2b:{seed}:{scale}:service")
    families = list(desk.ISSUES)
    agents = support_team(b, round(8 * scale**0.5), families, 1, "brightlinesupply.com")
    issue_ids = issues(b, desk.ISSUES.items())
    numbers = desk.policy_numbers(b.rng)
    care = desk.care_numbers(b.rng)
    truth = b.out.truth["b2b"]
    truth["numbers"].update(numbers)
    truth["care"] = care
    truth["articles"].update(add_articles(b, desk.articles(numbers, care), 2001))
    _reorders(b)
    contacts = b.out.rows["contacts"]
    people = [(str(r[0]), f"{r[2]} {r[3]}", str(r[7])) for r in contacts]
    of_account: dict[str, list[str]] = {}
    for r in contacts:
        of_account.setdefault(str(r[1]), []).append(str(r[0]))
    account_of_order = {str(r[0]): str(r[2]) for r in b.out.rows["orders"]}
    buyers: dict[str, list[str]] = {}
    lines: Counter[str] = Counter()
    for item in b.out.rows["order_items"]:
        product = str(item[2])
        lines[product] += 1
        for contact in of_account.get(account_of_order[str(item[1])], []):
            buyers.setdefault(product, []).append(contact)
    products = [
        Product(str(r[0]), str(r[3]), str(r[1]), 1.0 + lines[str(r[0])])
        for r in b.out.rows["products"]
    ]
    who = Requesters(people, {str(r[0]): str(r[6]) for r in contacts}, buyers)
    cases(b, agents, who, products, issue_ids, scale, VOLUME)


REORDERED = ("HW-LT14", "HW-LT16", "HW-DK01", "HW-MN27", "SW-BKP", "SW-SEC", "SW-COL", "SW-MDM")
"""What customers re-order under a running contract: laptops, docks, monitors, seats."""


def _reorders(b: Builder) -> None:
    """Add-on orders under activated contracts over the last year: more laptops, docks,
    monitors and licence seats (customers buy the same kind of product again)."""
    rng = b.rng
    standard = b.out.rows["pricebooks"][0][0]
    prices = {str(r[2]): float(r[3]) for r in b.out.rows["pricebook_entries"] if r[1] == standard}
    products = {str(r[2]): str(r[0]) for r in b.out.rows["products"]}
    first = dt.date(2024, 9, 1)
    for contract in list(b.out.rows["contracts"]):
        cid, account, owner, status = str(contract[0]), str(contract[2]), contract[4], contract[5]
        if status != "Activated":
            continue
        for _ in range(rng.choice((1, 2, 2, 3, 4, 5))):
            day = b.date_between(first, TODAY - dt.timedelta(days=3))
            oid = b.next_id("801Ord")
            total = 0.0
            for code in rng.sample(REORDERED, rng.choice((1, 1, 2))):
                pid = products[code]
                qty = max(1, round(rng.lognormvariate(1.8, 0.8)))
                if code.startswith("SW"):
                    qty *= 5
                price = prices[pid]
                b.add("order_items", (b.next_id("802Itm"), oid, pid, qty, price, qty * price))
                total += qty * price
            number = f"{len(b.out.rows['orders']) + 1:08d}"
            b.add(
                "orders", (oid, number, account, cid, owner, "Activated", iso(day), round(total, 2))
            )
