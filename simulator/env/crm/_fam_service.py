"""B2C query families (database querying and computation over support cases).

handle_time, transfer_count, top_issue, monthly_trend and best_region. Each splits the
request the way service managers under-specify it: the metric's direction, the period,
and a filter (priority, channel, a minimum number of cases), or the product by name or
by code.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from simulator.env.crm import _periods as per
from simulator.env.crm._personas import context, fact, pick
from simulator.env.crm._task import Ctx, Draw, Family, Outcome, tie

_HOURS = "(julianday(c.closed_date) - julianday(c.created_date)) * 24"
_NUMBER_WORDS = {5: "five", 8: "eight", 10: "ten", 12: "twelve", 15: "fifteen"}
OPPOSITE = {
    "shortest": "longest",
    "longest": "shortest",
    "fewest": "most",
    "most": "fewest",
    "quickest": "slowest",
    "slowest": "quickest",
}


def managers(ctx: Ctx, role: str) -> list[tuple[str, str]]:
    """(id, full name) of the org's users with ``role``."""
    rows = ctx.rows(
        "SELECT id, first_name || ' ' || last_name FROM users WHERE user_role = ? ORDER BY id",
        (role,),
    )
    return [(str(a), str(b)) for a, b in rows]


def internal(ctx: Ctx, role: str, job: str, index: int) -> dict[str, Any]:
    """Name, job and context of the employee playing an internal persona."""
    uid, name = managers(ctx, role)[index % len(managers(ctx, role))]
    return {"name": name, "job": job, "context": context("internal", uid)}


class HandleTime(Family):
    """The agent with the shortest or longest average handle time in a month."""

    name = "handle_time"
    org = "b2c"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        combos = [
            (p, d, f)
            for p in per.months_between((2024, 10), (2025, 9))
            for d in ("shortest", "longest")
            for f in (None, "High", "Low")
        ]
        rng.shuffle(combos)
        for period, direction, priority in combos:
            facts = [
                fact("direction", direction, f"I want the {direction} average handle time.",
                     "direction", drop={"direction": OPPOSITE[direction]}),
                fact("period", period.label, f"Look at cases closed in {period.label}.", "period",
                     drop={"period": per.LAST_MONTH}),
            ]  # fmt: skip
            if priority:
                facts.append(
                    fact("priority", f"{priority} priority", f"Only count {priority} priority "
                         "cases.", "filter", drop={"priority": None}, required=None)
                )  # fmt: skip
            key = f"{direction}-{period.start[:7]}" + (f"-{priority.lower()}" if priority else "")
            params = {"direction": direction, "period": period, "priority": priority}
            yield Draw(key, params, facts)

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        where = " AND c.priority = ?" if params["priority"] else ""
        args: tuple[Any, ...] = period.bounds + (
            (params["priority"],) if params["priority"] else ()
        )
        order = "DESC" if params["direction"] == "longest" else "ASC"
        rows = ctx.rows(
            f"SELECT c.owner_id, AVG({_HOURS}) AS h FROM cases c WHERE c.status = 'Closed' "
            f"AND c.closed_date >= ? AND c.closed_date < ?{where} GROUP BY c.owner_id "
            f"ORDER BY h {order}, c.owner_id",
            args,
        )
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="agent")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        goal = f"Find the support agent with the {p['direction']} average handle time in "
        goal += p["period"].label + (
            f", {p['priority']} priority cases only." if p["priority"] else "."
        )
        return {
            **internal(ctx, "Support Manager", "Support team manager", index),
            "goal": goal,
            "opening": pick(
                (
                    "Hi, which of our support agents stands out on average handle time?",
                    "Hello, I'm reviewing support performance: who stands out on handle time?",
                    "Hi, can you look up handle times for our support agents and tell me who "
                    "stands out?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }


class TransferCount(Family):
    """The agent with the fewest or most case transfers in a quarter."""

    name = "transfer_count"
    org = "b2c"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quarters = [
            per.quarter(2024, 4),
            per.quarter(2025, 1),
            per.quarter(2025, 2),
            per.half(2025, 1),
        ]
        combos = [
            (q, d, o)
            for q in quarters
            for d in ("fewest", "most")
            for o in (None, "Phone", "Chat", "Email")
        ]
        rng.shuffle(combos)
        for period, direction, origin in combos:
            facts = [
                fact("direction", direction, f"I'm after the agent with the {direction} "
                     "transfers.", "direction", drop={"direction": OPPOSITE[direction]}),
                fact("period", period.label, f"Look at {period.label}.", "period",
                     drop={"period": per.LAST_QUARTER}),
            ]  # fmt: skip
            if origin:
                value = f"{origin.lower()} cases"
                facts.append(fact("channel", value, f"Only count {value}.", "filter",
                                  drop={"origin": None}, required=None))  # fmt: skip
            key = f"{direction}-{per.slug_label(period)}"
            key += f"-{origin.lower()}" if origin else ""
            yield Draw(key, {"direction": direction, "period": period, "origin": origin}, facts)

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        origin = params["origin"]
        extra = " AND h.case_id IN (SELECT id FROM cases WHERE origin = ?)" if origin else ""
        order = "DESC" if params["direction"] == "most" else "ASC"
        rows = ctx.rows(
            "SELECT u.id, COUNT(h.id) AS n FROM users u LEFT JOIN case_history h "
            "ON h.old_value = u.id AND h.field = 'Owner' AND h.created_date >= ? "
            f"AND h.created_date < ?{extra} WHERE u.user_role = 'Support Agent' "
            f"GROUP BY u.id ORDER BY n {order}, u.id",
            period.bounds + ((origin,) if origin else ()),
        )
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="agent")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        only = f" counting only {p['origin'].lower()} cases" if p["origin"] else ""
        return {
            **internal(ctx, "Support Manager", "Support operations lead", index),
            "goal": f"Find the agent with the {p['direction']} case transfers in "
            f"{p['period'].label}{only}.",
            "opening": pick(
                (
                    "Hi, I need to know which support agent stands out on case transfers.",
                    "Hello, who on the support team stands out in how many cases they transfer?",
                    "Hi, can you check case transfer counts per agent for me?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }


def product_fact(ctx: Ctx, product_id: str, index: int, pool: int) -> tuple[Any, str]:
    """The product fact by name or (every third persona) by product code."""
    name, code = ctx.rows("SELECT name, product_code FROM products WHERE id = ?", (product_id,))[0]
    if index % 3 == 2:
        return fact("product", str(code), f"The product code is {code}.", "product"), str(code)
    return fact("product", str(name), f"It's the {name}.", "product"), str(name)


class TopIssue(Family):
    """The most reported issue for a product in a quarter."""

    name = "top_issue"
    org = "b2c"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quarters = [per.quarter(2024, 4), per.quarter(2025, 1), per.quarter(2025, 2)]
        pairs = ctx.rows(
            "SELECT product_id, COUNT(*) FROM cases GROUP BY product_id HAVING COUNT(*) >= 40 "
            "ORDER BY product_id"
        )
        combos = [(str(p), q) for p, _ in pairs for q in quarters]
        rng.shuffle(combos)
        for i, (product, period) in enumerate(combos):
            pfact, label = product_fact(ctx, product, i, len(pairs))
            facts = [
                pfact,
                fact("period", period.label, f"For {period.label}.", "period",
                     drop={"period": per.LAST_QUARTER}),
            ]  # fmt: skip
            key = f"{product[-4:]}-{per.slug_label(period)}"
            yield Draw(key, {"product": product, "period": period}, facts, pool=len(pairs),
                       extra={"label": label})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        rows = ctx.rows(
            "SELECT issue_id, COUNT(*) AS n FROM cases WHERE product_id = ? AND created_date >= ? "
            "AND created_date < ? GROUP BY issue_id ORDER BY n DESC, issue_id",
            (params["product"], *period.bounds),
        )
        if rows and rows[0][1] < 3:
            return Outcome(problem="too few cases to call a top issue")
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="issue")

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        return all(p.params["product"] != draw.params["product"] for p in picked)

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        return {
            **internal(ctx, "Support Manager", "Product quality manager", index),
            "goal": f"Find the most reported issue for the {draw.extra['label']} in "
            f"{draw.params['period'].label} (the issue id).",
            "opening": pick(
                (
                    "Hi, what's the most reported issue for one of our products?",
                    "Hello, which issue do customers report most for one of our products?",
                    "Hi, can you find the top issue on one of our products?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }


CLEAR = 1.6
"""A month clearly exceeds the others with at least this many times the runner-up's cases."""
FLAT = 1.2
"""At most this ratio to the runner-up, no month stands out: the answer is 'none'."""


class MonthlyTrend(Family):
    """The month in which a product's cases clearly exceed the other months (or none)."""

    name = "monthly_trend"
    org = "b2c"
    skill = "query"
    none_share = 0.2

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        periods = [per.quarter(2024, 4), per.half(2025, 1), per.quarter(2025, 3)]
        products = [str(r[0]) for r in ctx.rows("SELECT id FROM products ORDER BY id")]
        combos = [(p, q) for p in products for q in periods]
        rng.shuffle(combos)
        for i, (product, period) in enumerate(combos):
            pfact, label = product_fact(ctx, product, i, len(products))
            facts = [
                pfact,
                fact("period", period.label, f"Within {period.label}.", "period",
                     drop={"period": per.LAST_YEAR}),
            ]  # fmt: skip
            key = f"{product[-4:]}-{per.slug_label(period)}"
            yield Draw(key, {"product": product, "period": period}, facts, pool=len(products),
                       extra={"label": label})  # fmt: skip

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        rows = ctx.rows(
            "SELECT substr(created_date, 1, 7) AS m, COUNT(*) AS n FROM cases WHERE product_id = ? "
            "AND created_date >= ? AND created_date < ? GROUP BY m ORDER BY n DESC, m",
            (params["product"], *period.bounds),
        )
        if not rows:
            return Outcome(problem="no cases in the period")
        top = rows[0][1]
        second = rows[1][1] if len(rows) > 1 else 0
        if top >= CLEAR * second and top - second >= 4:
            return Outcome(str(rows[0][0]))
        if top <= FLAT * second:
            return Outcome("none")
        return Outcome(problem=f"no month is clearly above or level ({top} vs {second})")

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        return all(p.params["product"] != draw.params["product"] for p in picked)

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        expect: dict[str, Any] = {"answer": "none", "match": "exact"}
        if answer != "none":
            name = per.month_label(answer).split()[0]
            expect = {"answer": rf"(?i)\b({answer}|{name})\b", "match": "regex"}
        return {
            **internal(ctx, "Support Manager", "Support planning analyst", index),
            "goal": f"Find the month in which cases about the {draw.extra['label']} clearly "
            f"exceeded the other months of {draw.params['period'].label} (or 'none').",
            "opening": pick(
                (
                    "Hi, I'm looking at case volume trends: in which month did one of our "
                    "products get noticeably more cases?",
                    "Hello, can you find the month when support cases for a product spiked?",
                    "Hi, which month stands out in case volume for one of our products?",
                ),
                index,
            ),
            "expect": expect,
        }


class BestRegion(Family):
    """The customer state whose cases closed quickest (or slowest) in a quarter."""

    name = "best_region"
    org = "b2c"
    skill = "query"

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        quarters = [
            per.quarter(2024, 4),
            per.quarter(2025, 1),
            per.quarter(2025, 2),
            per.half(2025, 1),
        ]
        combos = [
            (q, d, m) for q in quarters for d in ("quickest", "slowest") for m in (None, 10, 15)
        ]
        rng.shuffle(combos)
        for period, direction, minimum in combos:
            facts = [
                fact("direction", direction, f"I want the state where closing was {direction}.",
                     "direction", drop={"direction": OPPOSITE[direction]}),
                fact("period", period.label, f"Cases closed in {period.label}.", "period",
                     drop={"period": per.LAST_QUARTER}),
            ]  # fmt: skip
            if minimum:
                value = f"at least {_NUMBER_WORDS[minimum]} closed cases"
                facts.append(fact("minimum", value, f"Only states with {value}.", "filter",
                                  drop={"minimum": 1}, required=None))  # fmt: skip
            key = f"{direction}-{per.slug_label(period)}" + (f"-min{minimum}" if minimum else "")
            params = {"direction": direction, "period": period, "minimum": minimum or 1}
            yield Draw(key, params, facts)

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        order = "DESC" if params["direction"] == "slowest" else "ASC"
        rows = ctx.rows(
            f"SELECT cu.mailing_state, AVG({_HOURS}) AS h FROM cases c JOIN customers cu "
            "ON cu.id = c.customer_id WHERE c.status = 'Closed' AND c.closed_date >= ? "
            "AND c.closed_date < ? GROUP BY cu.mailing_state HAVING COUNT(*) >= ? "
            f"ORDER BY h {order}, cu.mailing_state",
            (*params["period"].bounds, params["minimum"]),
        )
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="state")

    def persona(self, ctx: Ctx, draw: Draw, answer: Any, index: int) -> dict[str, Any]:
        p = draw.params
        only = (
            f" among states with at least {p['minimum']} closed cases" if p["minimum"] > 1 else ""
        )
        return {
            **internal(ctx, "Support Manager", "Regional support director", index),
            "goal": f"Find the state (two-letter code) where cases closed {p['direction']} on "
            f"average in {p['period'].label}{only}.",
            "opening": pick(
                (
                    "Hi, I need to compare case closure times across states.",
                    "Hello, which state stands out on how quickly we close cases?",
                    "Hi, can you rank the states by case closure time and tell me which one "
                    "stands out?",
                ),
                index,
            ),
            "expect": {"answer": answer, "match": "exact"},
        }
