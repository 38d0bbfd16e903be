"""Deliberate irregularities in the B2B pipeline, the raw material of the policy and
workflow families: quotes awaiting review (some breaking the discount, price-floor or
validity policy), quotes with invalid product configurations, opportunities whose stage
disagrees with their activities, open tasks that belong to another stage, and sales
calls with mixed sentiment.
"""

from __future__ import annotations

import datetime as dt

from simulator.env.crm import _text_b2b as text
from simulator.env.crm._gen_deals import DISCOUNTS, Deals, Item, Line, Opp
from simulator.env.crm._tables import TODAY
from simulator.env.crm._tables_sales import OPEN_STAGES


def plant(deals: Deals) -> None:
    """Add every planted irregularity, in a fixed order (the output stays deterministic)."""
    rng = deals.rng
    late = [o for o in deals.open if OPEN_STAGES.index(o.stage) >= 2 and o.lines]
    for opp in rng.sample(late, min(len(late), len(late) * 3 // 5)):
        _review_quote(deals, opp)
    for opp in rng.sample(late, min(len(late), len(late) * 3 // 5)):
        _config_quote(deals, opp)
    rows = {str(r[0]): i for i, r in enumerate(deals.b.out.rows["opportunities"])}
    shuffled = list(deals.open)
    rng.shuffle(shuffled)
    cut = len(shuffled) // 6
    for opp in shuffled[:cut]:
        _wrong_stage(deals, opp, rows[opp.id])
    for opp in shuffled[cut : cut + len(shuffled) // 4]:
        _stray_task(deals, opp)
    for opp in deals.all:
        if rng.random() < 0.3:
            deals.opportunity_call(opp)


def _review_quote(deals: Deals, opp: Opp) -> None:
    rng = deals.rng
    discount = rng.choice(DISCOUNTS[2:])
    lines = [Line(li.item, li.quantity, discount) for li in opp.lines]
    expires = None
    if rng.random() < 0.18:
        expires = TODAY - dt.timedelta(days=rng.randint(2, 20))
    else:
        expires = TODAY + dt.timedelta(days=rng.randint(3, 25))
    deals.quote(opp, "Needs Review", lines, expires)


def _config_quote(deals: Deals, opp: Opp) -> None:
    """A draft quote whose configuration breaks one rule (or, one time in four, none)."""
    rng = deals.rng
    size = deals.playbook.sizes
    kinds = {i.kind: i for i in deals.items}
    hosts = [i for i in deals.items if i.host]  # what the accessory rule counts
    lines = [Line(li.item, li.quantity) for li in opp.lines]
    devices = sum(li.quantity for li in lines if li.item.kind == "device")
    rule = rng.choice((*text.CONFIG_RULES, None))
    if rule == "installation_minimum":
        lines = [li for li in lines if li.item.kind == "device"] or [Line(hosts[0], 2)]
        count = rng.randint(1, deals.numbers["install_minimum"] - 1)
        lines = [Line(lines[0].item, count), Line(kinds["installation"], 1)]
    elif rule in ("support_coverage", "warranty_coverage"):
        kind = "support" if rule == "support_coverage" else "warranty"
        lines = [li for li in lines if li.item.kind not in ("support", "warranty", "installation")]
        if not devices:
            devices = rng.randint(*size["devices"])
            lines.append(Line(rng.choice(hosts), devices))
        lines.append(Line(kinds[kind], devices + rng.randint(*size["extra"])))
    elif rule == "accessory_hosts":
        lines = [li for li in lines if li.item.kind not in ("accessory", "installation")]
        lines = [li for li in lines if li.item.kind != "device" or li.item in hosts]
        host_count = sum(li.quantity for li in lines if li.item in hosts)
        if not host_count:
            host_count = rng.randint(*size["hosts"])
            lines.append(Line(rng.choice(hosts), host_count))
        lines = _cap_services(lines, host_count)
        extra = rng.randint(*size["over_hosts"])
        lines.append(Line(_item(deals.items, "accessory"), host_count + extra))
    deals.quote(opp, rng.choice(("Draft", "Needs Review")), lines)


def _cap_services(lines: list[Line], devices: int) -> list[Line]:
    out = []
    for li in lines:
        if li.item.kind in ("support", "warranty"):
            out.append(Line(li.item, min(li.quantity, devices), li.discount))
        else:
            out.append(li)
    return out


def _item(items: list[Item], kind: str) -> Item:
    return next(i for i in items if i.kind == kind)


def _wrong_stage(deals: Deals, opp: Opp, row: int) -> None:
    """Record a stage the activities do not support (ahead of or behind the real one)."""
    rng = deals.rng
    others = [s for s in OPEN_STAGES if s != opp.stage]
    recorded = rng.choice(others)
    rows = deals.b.out.rows["opportunities"]
    old = rows[row]
    rows[row] = (*old[:4], recorded, *old[5:])


def _stray_task(deals: Deals, opp: Opp) -> None:
    """An open task that belongs to another stage (stale, or too early)."""
    rng = deals.rng
    for _ in range(rng.choice((1, 1, 2))):
        stage = rng.choice([s for s in OPEN_STAGES if s != opp.stage])
        subject = rng.choice(deals.playbook.stages[stage])
        due = TODAY + dt.timedelta(days=rng.randint(-10, 20))
        deals.task(opp, subject, rng.choice(("Not Started", "In Progress")), due)
