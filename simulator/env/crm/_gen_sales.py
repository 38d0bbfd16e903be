"""What both orgs' sales sides share: the sales team and its territories."""

from __future__ import annotations

import datetime as dt

from simulator.env.crm import _words as w
from simulator.env.crm._build import Builder, iso
from simulator.env.crm._gen_deals import Rep


def sales_team(b: Builder, count: int, domain: str) -> list[Rep]:
    """Territories, a sales director, two managers, two operations analysts and at least
    ``count`` reps (two per territory), each owning a territory and maybe supporting one."""
    territories = []
    for name, states in w.TERRITORIES:
        tid = b.next_id("0MITer")
        b.add("territories", (tid, name, states, f"Accounts and leads in {states}."))
        territories.append((tid, frozenset(states.split(","))))
    director = _user(b, domain, "005Dir", "Sales Director", "Sales Director", None)
    managers = [
        _user(b, domain, "005Mgr", "Sales Manager", "Sales Manager", director) for _ in range(2)
    ]
    for _ in range(2):
        _user(b, domain, "005Ops", "Sales Operations Analyst", "Sales Operations", director)
    reps: list[Rep] = []
    for i in range(max(len(territories) * 2, count)):
        uid = _user(b, domain, "005Rep", "Account Executive", "Sales Rep", managers[i % 2])
        own = [territories[i % len(territories)]]
        if b.rng.random() < 0.35:
            own.append(b.rng.choice(territories))
        for j, (tid, _) in enumerate(dict.fromkeys(own)):
            b.add(
                "user_territory_associations",
                (b.next_id("0R0Uta"), uid, tid, "Owner" if j == 0 else "Support"),
            )
        row = b.out.rows["users"][-1]
        reps.append(
            Rep(
                uid,
                f"{row[1]} {row[2]}",
                frozenset().union(*(states for _, states in own)),
                cycle=b.rng.uniform(0.55, 1.8),
                win_rate=b.rng.uniform(0.35, 0.75),
                conversion=b.rng.uniform(0.12, 0.6),
            )
        )
    return reps


def _user(b: Builder, domain: str, prefix: str, title: str, role: str, manager: str | None) -> str:
    first, last = b.person()
    uid = b.next_id(prefix)
    joined = b.date_between(dt.date(2016, 1, 1), dt.date(2024, 1, 1))
    email = f"{first.lower()}.{last.lower()}@{domain}"
    b.add("users", (uid, first, last, email, title, role, manager, 1, iso(joined)))
    return uid
