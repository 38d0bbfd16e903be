"""The routing families: case_routing and lead_routing assign a new record's owner by policy.

What the asker holds back, beside the policy itself: which record (its number or id, the
name of who it is from, or details such as "the new case about screen flickers" that a
second detail, "the High priority one", must settle among look-alike records), and
constraints on the assignment: a colleague who is on leave (whom the policy would have
picked), and, for leads, that only a territory's owners count, not its support reps.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from simulator.env.crm._describe import Record, day_words, detail_fact, naming, resolve, said
from simulator.env.crm._fam_base import Internal
from simulator.env.crm._personas import CUES, fact
from simulator.env.crm._strata import by_required
from simulator.env.crm._tables import SHAPES
from simulator.env.crm._task import Ctx, Draw, FactSpec, Outcome

AWAY_CUES = ("unavailable", "available", "availability", "on leave", "out of office", "away")
"""Words of a question about colleagues who cannot take the record."""
CASE_PRIORITY_CUES = ("priority", "urgency", "how urgent")
CASE_CHANNEL_CUES = ("channel", "came in", "origin")
LEAD_DAY_CUES = ("date", "which day", "when")
OWNER_CUES = ("own the territory", "territory owner", "support the territory", "territory role")

CASE_SCHEDULE = (
    ("number", False), ("customer", True), ("subject", False),
    ("number", True), ("subject", True), ("customer", False),
)  # fmt: skip
"""How the draws in turn name the case, and whether the policy's pick is on leave."""
LEAD_SCHEDULE = (
    ("name", True, False), ("id", False, True), ("source", False, False),
    ("name", False, True), ("source", True, True), ("id", True, False),
)  # fmt: skip
"""How the draws in turn name the lead, whether they try territory owners only (where
that changes the pick), and whether the policy's pick is on leave."""

ORIGIN_SAYS = {
    "Phone": ("by phone", "It came in by phone."),
    "Email": ("by email", "It came in by email."),
    "Chat": ("over chat", "It came in over chat."),
    "Web": ("web form", "It came in through the web form."),
}
"""How a dispatcher says which channel a case came in by: (value, say)."""
SOURCE_SAYS = {
    "Web": ("web form", "It's the new lead that came in through our web form."),
    "Referral": ("referral", "It's the new lead we got from a referral."),
    "Partner": ("partner", "It's the new lead a partner sent us."),
    "Cold Call": ("cold call", "It's the new lead from a cold call."),
    "Trade Show": ("trade show", "It's the new lead from the trade show."),
}
"""How a sales manager names a new lead by where it came from: (value, say)."""


def _ranked(rows: list[tuple[Any, ...]], key: Any, what: str) -> Outcome:
    """The first of ``rows`` sorted by ``key``, unless the top two keys are equal."""
    ordered = sorted(rows, key=key)
    if not ordered:
        return Outcome(problem=f"no {what} qualifies")
    if len(ordered) > 1 and key(ordered[0]) == key(ordered[1]):
        return Outcome(problem=f"tie: {ordered[0][0]} and {ordered[1][0]}")
    return Outcome(ordered[0][0])


def unique_names(ctx: Ctx, sql: str) -> set[str]:
    return {str(r[0]) for r in ctx.rows(sql)}


def _policy(value: str, say: str) -> FactSpec:
    """The routing policy; without it an agent falls back on the lightest workload."""
    return fact("policy", value, say, "routing", drop={"policy": "workload"}, required=None)


def _full_name(ctx: Ctx, user: str) -> str:
    return str(ctx.one("SELECT first_name || ' ' || last_name FROM users WHERE id = ?", (user,)))


def away_fact(name: str) -> FactSpec:
    """A colleague on leave, who the policy would have picked: required by construction."""
    say = f"{name} is out on leave this week and can't take it."
    return FactSpec("away", name, say, AWAY_CUES, {"away": None})


def _excluding(params: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """SQL condition (led by ' AND ') leaving out the colleague on leave, if any."""
    return (" AND u.id != ?", (params["away"],)) if params.get("away") else ("", ())


class _Routing(Internal):
    """Shared: one record routed to an owner, maybe with a colleague on leave."""

    skill = "workflow"
    traits: tuple[str, ...] = ()
    """The details a description of the record may name (subject, source, ...)."""

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        """The candidate draws in their seeded order."""
        raise NotImplementedError

    def draws(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        yield from by_required(self, ctx, self.candidates(ctx, rng))

    def with_away(self, ctx: Ctx, draw: Draw, wanted: bool) -> Draw:
        """The draw with the policy's pick on leave, if ``wanted`` and there is room for
        one more fact (at most four)."""
        if not wanted or len(draw.facts) > 3:
            return draw
        picked = self.answer(ctx, draw.params)
        if not picked.ok:
            return draw
        name = _full_name(ctx, str(picked.value))
        draw.params["away"] = str(picked.value)
        draw.extra["away"] = name
        draw.facts.append(away_fact(name))
        return draw

    def record(
        self, params: dict[str, Any], key: str, records: Callable[[], list[Record]], what: str
    ) -> Outcome:
        """The record the task names: its id, or the one its description fits."""
        if params[key] is not None:
            return Outcome(params[key])
        return resolve(records(), params, self.traits, what)

    def away_words(self, draw: Draw) -> str:
        away = draw.extra.get("away")
        return f", leaving out {away}, who is on leave" if away else ""


class CaseRouting(_Routing):
    """Route a new case: issue expertise, then product expertise, then lightest workload."""

    name = "case_routing"
    role = "Support Manager"
    job = "Support dispatcher"
    openings = (
        "Hi, can you route one of the new support cases to the right agent?",
        "Hello, a new case needs an owner; can you assign it?",
        "Hi, please assign one of the unrouted cases to an agent.",
    )
    traits = ("subject", "priority", "origin")

    def cases(self, ctx: Ctx) -> list[Record]:
        """The new, unrouted cases, with the details a dispatcher may name them by."""
        who = SHAPES[self.org].requester
        rows = ctx.rows(
            f"SELECT c.id, c.case_number, cu.first_name || ' ' || cu.last_name, c.{who.column}, "
            f"c.subject, c.priority, c.origin FROM cases c JOIN {who.table} cu "
            f"ON cu.id = c.{who.column} WHERE c.owner_id IS NULL AND c.status = 'New' ORDER BY c.id"
        )
        keys = ("id", "number", "customer", "customer_id", "subject", "priority", "origin")
        return [dict(zip(keys, map(str, r), strict=True)) for r in rows]

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        who = SHAPES[self.org].requester
        cases = self.cases(ctx)
        unique = unique_names(
            ctx,
            f"SELECT first_name || ' ' || last_name FROM {who.table} GROUP BY 1 "
            "HAVING COUNT(*) = 1",
        )
        per_customer: dict[str, int] = {}
        for case in cases:
            per_customer[case["customer_id"]] = per_customer.get(case["customer_id"], 0) + 1
        rng.shuffle(cases)
        policy = _policy(
            "issue expertise first",
            "Use our standard routing: issue expertise first, then product expertise, then the "
            "lightest open workload.",
        )
        for i, case in enumerate(cases):
            params: dict[str, Any] = {"case": case["id"], "policy": "standard"}
            params.update({t: None for t in self.traits})
            mode, away = CASE_SCHEDULE[i % len(CASE_SCHEDULE)]
            details = ("priority", "origin") if i % 4 < 2 else ("origin", "priority")
            combo = naming(cases, case, [("subject",), *(("subject", d) for d in details)])
            customer = case["customer"]
            if mode == "subject" and combo:
                params["case"] = None
                params.update(combo)
                facts = self.described(case, combo)
                words = f"about {case['subject'].lower()}" + self.detail_words(case, combo)
            elif (
                mode == "customer" and customer in unique and per_customer[case["customer_id"]] == 1
            ):
                facts = [fact("case", customer, said(f"It's the new case from {customer}"), "case")]
                words = f"from {customer}"
            else:
                facts = [fact("case", case["number"], f"It's case number {case['number']}.",
                              "case")]  # fmt: skip
                words = case["number"]
            draw = Draw(case["number"], params, [*facts, policy], pool=len(cases),
                        extra={"id": case["id"], "words": words})  # fmt: skip
            yield self.with_away(ctx, draw, away)

    def described(self, case: Record, combo: dict[str, str]) -> list[FactSpec]:
        """The facts of a case named by its subject (and a detail telling it apart)."""
        subject = case["subject"]
        say = f"It's the new case about {subject[0].lower()}{subject[1:]}."
        facts = [FactSpec("case", subject, say, CUES["case"], {"subject": None})]
        if "priority" in combo:
            value = f"{case['priority']} priority"
            facts.append(detail_fact("priority", value, f"It's marked {value}.",
                                     CASE_PRIORITY_CUES, "priority", first="case"))  # fmt: skip
        if "origin" in combo:
            value, say = ORIGIN_SAYS[case["origin"]]
            facts.append(detail_fact("channel", value, say, CASE_CHANNEL_CUES, "origin",
                                     first="case"))  # fmt: skip
        return facts

    def detail_words(self, case: Record, combo: dict[str, str]) -> str:
        if "priority" in combo:
            return f" (the {case['priority']} priority one)"
        if "origin" in combo:
            return f" (the one that came in {ORIGIN_SAYS[case['origin']][0]})"
        return ""

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.record(params, "case", lambda: self.cases(ctx), "new case")
        if not found.ok:
            return found
        case = found.value
        issue, product = ctx.rows("SELECT issue_id, product_id FROM cases WHERE id = ?", (case,))[0]
        away, args = _excluding(params)
        rows = ctx.rows(
            "SELECT u.id, "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status = 'Closed' "
            "AND c.issue_id = ?), "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status = 'Closed' "
            "AND c.product_id = ?), "
            "(SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status != 'Closed') "
            f"FROM users u WHERE u.user_role = 'Support Agent' AND u.is_active = 1{away}",
            (issue, product, *args),
        )
        if params["policy"] == "workload":
            return _ranked(rows, lambda r: r[3], "agent")
        return _ranked(rows, lambda r: (-r[1], -r[2], r[3]), "agent")

    def goal(self, draw: Draw) -> str:
        return (
            f"Get the new case {draw.extra['words']} assigned to the right agent under the "
            f"routing policy{self.away_words(draw)}."
        )

    def state_query(self, draw: Draw) -> str:
        return f"SELECT owner_id FROM cases WHERE id = '{draw.extra['id']}'"


class LeadRouting(_Routing):
    """Route a new lead: territory match, then most accepted quotes, then fewest open leads."""

    name = "lead_routing"
    role = "Sales Manager"
    job = "Sales manager"
    openings = (
        "Hi, can you route a new lead to the right rep?",
        "Hello, one of our new leads needs an owner; can you assign it?",
        "Hi, please assign a new lead to one of the reps.",
    )
    traits = ("source", "day")

    def leads(self, ctx: Ctx) -> list[Record]:
        rows = ctx.rows(
            "SELECT id, first_name || ' ' || last_name, COALESCE(company, ''), lead_source, "
            "created_date FROM leads WHERE owner_id IS NULL ORDER BY id"
        )
        keys = ("id", "name", "company", "source", "day")
        return [dict(zip(keys, map(str, r), strict=True)) for r in rows]

    def candidates(self, ctx: Ctx, rng: random.Random) -> Iterator[Draw]:
        leads = self.leads(ctx)
        unique = unique_names(
            ctx, "SELECT first_name || ' ' || last_name FROM leads GROUP BY 1 HAVING COUNT(*) = 1"
        )
        rng.shuffle(leads)
        policy = _policy(
            "territory match first",
            "Follow the routing policy: territory match first, then the most accepted quotes, "
            "then the fewest open leads.",
        )
        owners = FactSpec(
            "owners",
            "territory owners only",
            "Only give it to one of the territory owners, not to a rep who just supports "
            "the territory: territory owners only.",
            OWNER_CUES,
            {"owners_only": False},
            None,
        )
        for i, lead in enumerate(leads):
            lead_id, name, company = lead["id"], lead["name"], lead["company"] or None
            mode, owners_only, away = LEAD_SCHEDULE[i % len(LEAD_SCHEDULE)]
            params: dict[str, Any] = {"lead": lead_id, "policy": "standard", "source": None,
                                      "day": None, "owners_only": False}  # fmt: skip
            combo = naming(leads, lead, [("source",), ("source", "day")])
            if mode == "source" and combo:
                params["lead"] = None
                params.update(combo)
                facts = self.described(lead, combo)
                words = f"from a {SOURCE_SAYS[lead['source']][0]}"
                words += f" on {day_words(lead['day'])}" if "day" in combo else ""
            elif mode == "id" or name not in unique:
                facts = [fact("lead", lead_id, f"The lead id is {lead_id}.", "lead")]
                words = lead_words(name, company)
            else:
                say = said(f"The lead is {lead_words(name, company)}")
                facts = [fact("lead", name, say, "lead")]
                words = lead_words(name, company)
            facts.append(policy)
            if owners_only and self.owners_matter(ctx, params):
                params["owners_only"] = True
                facts.append(owners)
            draw = Draw(lead_id[-4:], params, facts, pool=len(leads),
                        extra={"id": lead_id, "name": name, "company": company,
                               "words": words})  # fmt: skip
            yield self.with_away(ctx, draw, away)

    def owners_matter(self, ctx: Ctx, params: dict[str, Any]) -> bool:
        """Whether keeping to the territory's owners changes whom the lead goes to."""
        anyone = self.answer(ctx, params)
        owners = self.answer(ctx, {**params, "owners_only": True})
        return anyone.ok and owners.ok and anyone.value != owners.value

    def described(self, lead: Record, combo: dict[str, str]) -> list[FactSpec]:
        value, say = SOURCE_SAYS[lead["source"]]
        facts = [FactSpec("lead", value, say, CUES["lead"], {"source": None})]
        if "day" in combo:
            day = day_words(lead["day"])
            facts.append(detail_fact("day", day, f"It came in on {day}.", LEAD_DAY_CUES, "day",
                                     first="lead"))  # fmt: skip
        return facts

    def answer(self, ctx: Ctx, params: dict[str, Any]) -> Outcome:
        found = self.record(params, "lead", lambda: self.leads(ctx), "new lead")
        if not found.ok:
            return found
        lead = found.value
        role = " AND a.role_in_territory = 'Owner'" if params["owners_only"] else ""
        covered = (
            "u.id IN (SELECT a.user_id FROM user_territory_associations a JOIN territories t "
            "ON t.id = a.territory_id WHERE instr(',' || t.states || ',', ',' || ? || ',') > 0"
            f"{role})"
        )
        state = ctx.one("SELECT state FROM leads WHERE id = ?", (lead,))
        workload = params["policy"] == "workload"
        where = "" if workload else f" AND {covered}"
        away, args = _excluding(params)
        rows = ctx.rows(
            "SELECT u.id, "
            "(SELECT COUNT(*) FROM quotes q WHERE q.owner_id = u.id AND q.status = 'Accepted'), "
            "(SELECT COUNT(*) FROM leads l WHERE l.owner_id = u.id AND l.status IN "
            "('Open - Not Contacted', 'Working - Contacted')) "
            f"FROM users u WHERE u.user_role = 'Sales Rep' AND u.is_active = 1{where}{away}",
            (() if workload else (state,)) + args,
        )
        if workload:
            return _ranked(rows, lambda r: r[2], "rep")
        return _ranked(rows, lambda r: (-r[1], r[2]), "rep")

    def goal(self, draw: Draw) -> str:
        owners = ", territory owners only" if draw.params["owners_only"] else ""
        return (
            f"Get the new lead {draw.extra['words']} assigned to the right rep under the "
            f"routing policy{owners}{self.away_words(draw)}."
        )

    def state_query(self, draw: Draw) -> str:
        return f"SELECT owner_id FROM leads WHERE id = '{draw.extra['id']}'"


def lead_words(name: str, company: str | None) -> str:
    """'Dana Park from Globex Labs', or just the name of a consumer lead."""
    return f"{name} from {company}" if company else name
