"""Service query families (database querying and computation over support cases).

handle_time, transfer_count, top_issue, monthly_trend and best_region. Each splits the
request the way service managers under-specify it: the metric's direction, the period,
and a filter (priority, channel, a minimum number of cases; for top_issue also the
sales territory of whoever opened the case), or the product by name or by code.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, ClassVar

from simulator.env.crm import _areas as areas
from simulator.env.crm import _periods as per
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._fam_ranking import MinimumRanking, Ranking
from simulator.env.crm._personas import fact, filter_fact, period_fact, slug
from simulator.env.crm._strata import by_required
from simulator.env.crm._tables import SHAPES
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome, tie

_HOURS = "(julianday(c.closed_date) - julianday(c.created_date)) * 24"
_QUARTERS = (per.quarter(2024, 4), per.quarter(2025, 1), per.quarter(2025, 2))
_QUARTERS_AND_HALF = (*_QUARTERS, per.half(2025, 1))


CaseFilter = tuple[str | None, str | None]
"""(priority, channel) a service question may restrict the cases to; None: any."""

CASE_FILTERS: tuple[CaseFilter | None, ...] = (
    None, ("High", None), ("Low", None), (None, "Phone"), (None, "Chat"), ("High", "Chat"),
    ("Low", "Email"), ("High", "Phone"), ("Low", "Chat"),
)  # fmt: skip
"""The case filters drawn (the first, None, draws without one)."""


def priority_fact(value: str) -> FactSpec:
    say = f"Only count {value} priority cases."
    return filter_fact("priority", f"{value} priority", say, drop={"priority": None})


def channel_fact(value: str) -> FactSpec:
    cases = f"{value.lower()} cases"
    return filter_fact("channel", cases, f"Only count {cases}.", drop={"origin": None})


def case_filter(value: CaseFilter | None, *, channel_first: bool = False) -> list[FactSpec]:
    """The facts of a (priority, channel) filter, in the family's order."""
    priority, origin = value or (None, None)
    facts = ([priority_fact(priority)] if priority else []) + (
        [channel_fact(origin)] if origin else []
    )
    return facts[::-1] if channel_first else facts


def case_suffix(value: CaseFilter | None) -> str:
    return "".join(f"-{v.lower()}" for v in value or () if v)


def case_where(params: dict[str, Any], alias: str = "") -> tuple[str, tuple[Any, ...]]:
    """SQL conditions (each led by ' AND ') and arguments for the draw's case filter."""
    where = ""
    args: tuple[Any, ...] = ()
    for column, key in (("priority", "priority"), ("origin", "origin")):
        if params.get(key):
            where += f" AND {alias}{column} = ?"
            args += (params[key],)
    return where, args


def case_params(value: CaseFilter | None) -> dict[str, Any]:
    priority, origin = value or (None, None)
    return {"priority": priority, "origin": origin}


def case_words(params: dict[str, Any]) -> str:
    """'High priority chat', 'phone', or '' for the goal's wording."""
    parts = [f"{params['priority']} priority"] if params.get("priority") else []
    if params.get("origin"):
        parts.append(params["origin"].lower())
    return " ".join(parts)


class _Service(Internal):
    skill = "query"
    role = "Support Manager"


class HandleTime(_Service, Ranking):
    """The agent with the shortest or longest average handle time in a month."""

    name = "handle_time"
    job = "Support team manager"
    openings = (
        "Hi, which of our support agents stands out on average handle time?",
        "Hello, I'm reviewing support performance: who stands out on handle time?",
        "Hi, can you look up handle times for our support agents and tell me who stands out?",
    )
    periods = tuple(per.months_between((2024, 10), (2025, 9)))
    default_period = per.LAST_MONTH
    directions = ("shortest", "longest")
    descending = "longest"
    what = "agent"
    filters = CASE_FILTERS
    say_direction = "I want the {} average handle time."
    say_period = "Look at cases closed in {}."

    def period_key(self, period: per.Period) -> str:
        return period.start[:7]

    def filter_params(self, value: Any) -> dict[str, Any]:
        return case_params(value)

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        return case_filter(value), case_suffix(value)

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        period: per.Period = params["period"]
        where, args = case_where(params, "c.")
        return ctx.rows(
            f"SELECT c.owner_id, AVG({_HOURS}) AS h FROM cases c WHERE c.status = 'Closed' "
            f"AND c.closed_date >= ? AND c.closed_date < ?{where} GROUP BY c.owner_id "
            f"ORDER BY h {order}, c.owner_id",
            period.bounds + args,
        )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        only = f", {case_words(p)} cases only." if case_words(p) else "."
        return (
            f"Find the support agent with the {p['direction']} average handle time in "
            f"{p['period'].label}{only}"
        )


class TransferCount(_Service, Ranking):
    """The agent with the fewest or most case transfers in a quarter."""

    name = "transfer_count"
    job = "Support operations lead"
    openings = (
        "Hi, I need to know which support agent stands out on case transfers.",
        "Hello, who on the support team stands out in how many cases they transfer?",
        "Hi, can you check case transfer counts per agent for me?",
    )
    periods = _QUARTERS_AND_HALF
    directions = ("fewest", "most")
    descending = "most"
    what = "agent"
    filters = CASE_FILTERS
    say_direction = "I'm after the agent with the {} transfers."
    say_period = "Look at {}."

    def filter_params(self, value: Any) -> dict[str, Any]:
        return case_params(value)

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        return case_filter(value, channel_first=True), case_suffix(value[::-1])

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        period: per.Period = params["period"]
        where, args = case_where(params)
        extra = f" AND h.case_id IN (SELECT id FROM cases WHERE 1 = 1{where})" if where else ""
        return ctx.rows(
            "SELECT u.id, COUNT(h.id) AS n FROM users u LEFT JOIN case_history h "
            "ON h.old_value = u.id AND h.field = 'Owner' AND h.created_date >= ? "
            f"AND h.created_date < ?{extra} WHERE u.user_role = 'Support Agent' "
            f"GROUP BY u.id ORDER BY n {order}, u.id",
            period.bounds + args,
        )

    def goal(self, draw: Draw) -> str:
        p = draw.params
        only = f" counting only {case_words(p)} cases" if case_words(p) else ""
        return (
            f"Find the agent with the {p['direction']} case transfers in {p['period'].label}{only}."
        )


ProductFilter = tuple[str | None, str | None, str | None]
"""(priority, channel, territory) a question about one product's cases may restrict them to."""


def product_filters(territories: tuple[str, ...] = ()) -> tuple[ProductFilter, ...]:
    """Every priority, channel and (of ``territories``) territory filter, two at most."""
    combos = [
        (p, c, t) for p in (None, "High", "Medium", "Low")
        for c in (None, "Phone", "Chat", "Email", "Web") for t in (None, *territories)
    ]  # fmt: skip
    return tuple(f for f in combos if sum(v is not None for v in f) <= 2)


def territory_fact(name: str) -> FactSpec:
    say = f"Only count cases from customers in the {name} territory."
    return filter_fact("territory", name, say, drop={"territory": None})


def product_fact(ctx: Ctx, product_id: str, index: int) -> tuple[FactSpec, str]:
    """The product fact by name or (every third persona) by product code."""
    name, code = ctx.rows("SELECT name, product_code FROM products WHERE id = ?", (product_id,))[0]
    if index % 3 == 2:
        return fact("product", str(code), f"The product code is {code}.", "product"), str(code)
    return fact("product", str(name), f"It's the {name}.", "product"), str(name)


class _ProductPeriod(_Service):
    """A product (by name or code) and a period; each product is asked about once."""

    periods: ClassVar[tuple[per.Period, ...]]
    default_period: ClassVar[per.Period]
    say_period: ClassVar[str]

    def products(self, ctx: Ctx) -> list[str]:
        """The product ids to draw from."""
        raise NotImplementedError

    filters: ClassVar[tuple[ProductFilter, ...]]
    """(priority, channel, territory) filters to draw, (None, None, None) among them."""

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        """Every (product, period, filter), in a seeded order."""
        products = self.products(ctx)
        combos = [(p, q, f) for p in products for q in self.periods for f in self.filters]
        rng.shuffle(combos)
        for i, (product, period, (priority, origin, area)) in enumerate(combos):
            pfact, label = product_fact(ctx, product, i)
            facts = [pfact, period_fact(period, self.say_period, self.default_period)]
            facts += case_filter((priority, origin)) + ([territory_fact(area)] if area else [])
            key = f"{product[-4:]}-{per.slug_label(period)}{case_suffix((priority, origin))}"
            key += f"-{slug(area)}" if area else ""
            params = {"product": product, "period": period, "territory": area,
                      **case_params((priority, origin))}  # fmt: skip
            yield Draw(key, params, facts, pool=len(products), extra={"label": label})

    def where(self, params: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """SQL conditions (each led by ' AND ') and arguments for the draw's filters."""
        where, args = case_where(params, "c.")
        if params.get("territory"):
            where += " AND " + areas.within(areas.state_of(SHAPES[self.org].requester, "c"))
            args += (params["territory"],)
        return where, args

    def only(self, params: dict[str, Any]) -> str:
        """'High priority chat cases from the Northeast territory', or ''."""
        words = f"{case_words(params)} cases" if case_words(params) else ""
        if params.get("territory"):
            words = f"{words or 'cases'} from the {params['territory']} territory"
        return words

    def distinct(self, draw: Draw, picked: list[Draw]) -> bool:
        """A product once, unless the catalog is small (B2B): then a product again, for
        another period (the same product's other periods are the distractors)."""
        if draw.pool < 20 or 2 * len(picked) >= draw.pool:
            return all(p.key != draw.key for p in picked)
        return all(p.params["product"] != draw.params["product"] for p in picked)


class TopIssue(_ProductPeriod):
    """The most reported issue for a product in a quarter."""

    name = "top_issue"
    job = "Product quality manager"
    openings = (
        "Hi, what's the most reported issue for one of our products?",
        "Hello, which issue do customers report most for one of our products?",
        "Hi, can you find the top issue on one of our products?",
    )
    periods = _QUARTERS_AND_HALF
    default_period = per.LAST_QUARTER
    say_period = "For {}."
    filters = product_filters(areas.NAMES)

    def products(self, ctx: Ctx) -> list[str]:
        pairs = ctx.rows(
            "SELECT product_id, COUNT(*) FROM cases GROUP BY product_id HAVING COUNT(*) >= 25 "
            "ORDER BY product_id"
        )
        return [str(p) for p, _ in pairs]

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        where, args = self.where(params)
        rows = ctx.rows(
            "SELECT c.issue_id, COUNT(*) AS n FROM cases c WHERE c.product_id = ? AND "
            f"c.created_date >= ? AND c.created_date < ?{where} GROUP BY c.issue_id "
            "ORDER BY n DESC, c.issue_id",
            (params["product"], *period.bounds, *args),
        )
        if rows and rows[0][1] < 3:
            return Outcome(problem="too few cases to call a top issue")
        return tie([(r[0], float(r[1])) for r in rows], margin=0.5, what="issue")

    def goal(self, draw: Draw) -> str:
        only = f", {self.only(draw.params)} only" if self.only(draw.params) else ""
        return (
            f"Find the most reported issue for the {draw.extra['label']} in "
            f"{draw.params['period'].label}{only} (the issue id)."
        )


CLEAR = 1.6
"""A month clearly exceeds the others with at least this many times the runner-up's cases."""
FLAT = 1.2
"""At most this ratio to the runner-up, no month stands out: the answer is 'none'."""


class MonthlyTrend(_ProductPeriod):
    """The month in which a product's cases clearly exceed the other months (or none)."""

    name = "monthly_trend"
    none_share = 0.2
    job = "Support planning analyst"
    openings = (
        "Hi, I'm looking at case volume trends: in which month did one of our products get "
        "noticeably more cases?",
        "Hello, can you find the month when support cases for a product spiked?",
        "Hi, which month stands out in case volume for one of our products?",
    )
    periods = (per.quarter(2024, 4), per.half(2025, 1), per.quarter(2025, 3))
    default_period = per.LAST_YEAR
    say_period = "Within {}."
    filters = product_filters()

    def products(self, ctx: Ctx) -> list[str]:
        rows = ctx.rows(
            "SELECT id FROM products p WHERE EXISTS (SELECT 1 FROM cases c "
            "WHERE c.product_id = p.id) ORDER BY id"
        )
        return [str(r[0]) for r in rows]

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        period: per.Period = params["period"]
        where, args = self.where(params)
        rows = ctx.rows(
            "SELECT substr(c.created_date, 1, 7) AS m, COUNT(*) AS n FROM cases c WHERE "
            f"c.product_id = ? AND c.created_date >= ? AND c.created_date < ?{where} "
            "GROUP BY m ORDER BY n DESC, m",
            (params["product"], *period.bounds, *args),
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

    def goal(self, draw: Draw) -> str:
        only = f" (counting {self.only(draw.params)} only)" if self.only(draw.params) else ""
        return (
            f"Find the month in which cases about the {draw.extra['label']} clearly "
            f"exceeded the other months of {draw.params['period'].label}{only} (or 'none')."
        )

    def expect(self, draw: Draw, answer: Any) -> dict[str, Any]:
        if answer == "none":
            return super().expect(draw, answer)
        name = per.month_label(answer).split()[0]
        return {"answer": rf"(?i)\b({answer}|{name})\b", "match": "regex"}


class BestRegion(_Service, MinimumRanking):
    """The customer state whose cases closed quickest (or slowest) in a quarter."""

    name = "best_region"
    job = "Regional support director"
    openings = (
        "Hi, I need to compare case closure times across states.",
        "Hello, which state stands out on how quickly we close cases?",
        "Hi, can you rank the states by case closure time and tell me which one stands out?",
    )
    periods = _QUARTERS_AND_HALF
    directions = ("quickest", "slowest")
    descending = "slowest"
    what = "state"
    filters = (None, (10, None), (15, None), (None, "High"), (None, "Low"), (10, "Low"),
               (5, "High"))  # fmt: skip
    """(minimum closed cases, priority) filters."""
    first_filters = 3
    unit = "closed cases"
    say_direction = "I want the state where closing was {}."
    say_period = "Cases closed in {}."

    sql = (
        f"SELECT cu.mailing_state, AVG({_HOURS}) AS h FROM cases c JOIN {{people}} cu "
        "ON cu.id = c.{person} WHERE c.status = 'Closed' AND c.closed_date >= ? "
        "AND c.closed_date < ?{where} GROUP BY cu.mailing_state HAVING COUNT(*) >= ? "
        "ORDER BY h {order}, cu.mailing_state"
    )
    """The ranking by the state of whoever opened the case (``SHAPES``)."""

    def query(self) -> str:
        who = SHAPES[self.org].requester
        return self.sql.format(
            people=who.table, person=who.column, order="{order}", where="{where}"
        )

    def filter_params(self, value: Any) -> dict[str, Any]:
        minimum, priority = value or (None, None)
        return {"minimum": minimum or 1, "priority": priority}

    def filtered(self, value: Any) -> tuple[list[FactSpec], str]:
        minimum, priority = value
        facts = [self.minimum_fact(minimum)] if minimum else []
        suffix = f"-min{minimum}" if minimum else ""
        return facts + case_filter((priority, None)), suffix + case_suffix((priority, None))

    def ranking(self, ctx: Ctx, params: dict[str, Any], order: str) -> list[tuple[Any, ...]]:
        where, args = case_where(params, "c.")
        sql = self.query().format(order=order, where=where)
        return ctx.rows(sql, (*params["period"].bounds, *args, params["minimum"]))

    def goal(self, draw: Draw) -> str:
        p = draw.params
        return (
            f"Find the state (two-letter code) where cases closed {p['direction']} on "
            f"average in {p['period'].label}{self.among(p, ' ')}"
            + (f", {p['priority']} priority cases only." if p["priority"] else ".")
        )
