"""Persona building blocks: role pools, traits, cue words and the persona's key order.

Internal personas are employees with a work style; customer-facing ones are consumers
with a temperament (B2C) or buyers with a purchasing role (B2B). The style sets the
traits, so a deadline-driven manager is terse and impatient and a first-time buyer is
chatty and patient.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.env.crm import _periods as per
from simulator.env.crm._tables import COMPANIES, TODAY
from simulator.env.crm._task import Draw, FactSpec, Family


def _traits(*styles: tuple[str, str, str, int]) -> dict[str, dict[str, Any]]:
    """Style name -> traits, from (name, verbosity, tone, patience) rows."""
    return {
        name: {"verbosity": verbosity, "tone": tone, "patience": patience}
        for name, verbosity, tone, patience in styles
    }


EMPLOYEE_STYLES = _traits(
    ("deadline-driven", "terse", "neutral", 3),
    ("quality-focused", "normal", "formal", 5),
    ("risk-aware", "normal", "skeptical", 4),
    ("analytical", "chatty", "formal", 5),
    ("customer-centric", "normal", "friendly", 4),
    ("pragmatic", "terse", "friendly", 4),
)
CONSUMER_TEMPERS = _traits(
    ("frustrated", "terse", "frustrated", 3),
    ("skeptical", "normal", "skeptical", 4),
    ("rushed", "terse", "neutral", 3),
    ("price-conscious", "normal", "neutral", 4),
    ("first-time buyer", "chatty", "friendly", 5),
    ("chatty", "chatty", "friendly", 5),
)
BUYER_ROLES = _traits(
    ("procurement manager", "normal", "formal", 4),
    ("IT director", "terse", "neutral", 3),
    ("financial controller", "normal", "skeptical", 4),
    ("department head with budget authority", "terse", "formal", 3),
    ("operations lead", "chatty", "friendly", 5),
)

CUES: dict[str, tuple[str, ...]] = {
    "direction": ("shortest", "longest", "fastest", "slowest", "quickest", "lowest", "highest",
                  "most", "fewest", "least", "direction", "best", "worst", "top", "bottom"),
    "period": ("period", "month", "quarter", "half", "year", "when", "date range", "time frame",
               "timeframe", "which dates"),
    "filter": ("filter", "minimum", "at least", "more than", "how many", "criteria", "criterion",
               "threshold", "only", "priority", "channel", "origin", "restrict", "which cases"),
    "case": ("case", "which one", "ticket", "case number", "which customer"),
    "routing": ("criteria", "rule", "policy", "prioritize", "prioritise", "based on", "how should",
                "routing"),
    "product": ("product", "which one", "item", "model", "product code"),
    "product_type": ("product", "item", "type", "kind", "what did you buy", "which one"),
    "timeframe": ("when", "date", "how long ago", "time"),
    "detail": ("colour", "color", "brand", "describe", "detail", "look like"),
    "aspect": ("what", "question", "which aspect", "what exactly", "know"),
    "lead": ("lead", "which one", "who", "name", "company", "prospect"),
    "opportunity": ("opportunity", "deal", "which one", "name"),
    "quote": ("quote", "which one", "quote number"),
    "authority": ("role", "authority", "approval limit", "level", "who is approving", "approver"),
    "basis": ("basis", "count", "counted", "contract", "signed", "closed", "booked", "measure",
              "date field"),
    "fix": ("update", "fix", "change", "correct", "should i"),
    "task_status": ("completed", "open", "status", "include", "done", "filter"),
    "sentiment": ("positive", "negative", "sentiment", "tone", "good or bad", "direction"),
    "policy_kind": ("which policy", "which policies", "one policy", "particular policy",
                    "specific policy", "all policies", "only", "returns", "price match",
                    "price protection", "credit"),
    "identifier": ("sku", "code", "label", "record id", "which number", "which id"),
}  # fmt: skip
"""Words an agent would use when asking for each kind of fact (used by ``on_ask``)."""


def fact(
    fid: str,
    value: str,
    say: str,
    cues: str,
    *,
    drop: dict[str, Any] | str = "breaks",
    required: bool | None = True,
    after: tuple[str, ...] = (),
    kind: str = "auto",
) -> FactSpec:
    """A fact whose cue words come from :data:`CUES`."""
    return FactSpec(fid, value, say, CUES[cues], drop, required, after, kind)


def period_fact(period: per.Period, say: str, default: per.Period = per.LAST_QUARTER) -> FactSpec:
    """The period of a task (``say`` has a ``{}`` for its label); agents assume ``default``."""
    return fact("period", period.label, say.format(period.label), "period",
                drop={"period": default})  # fmt: skip


FILTER_CUES: dict[str, tuple[str, ...]] = {
    "priority": ("priority", "urgency", "severity"),
    "channel": ("channel", "origin", "phone", "chat", "email", "e-mail", "web"),
    "minimum": ("minimum", "at least", "more than", "how many", "threshold"),
    "product_family": ("product family", "product families", "product line", "family",
                       "families"),
    "deal_type": ("new business", "existing business", "deal type", "type of deal",
                  "new or existing", "kind of deal"),
    "territory": ("territory", "territories", "region", "regional", "area"),
    "lead_source": ("lead source", "source", "came from", "where the leads"),
}  # fmt: skip
"""Cue words of the filters one question may combine: a question about one of them
("whether I should only count cases from one channel") must not name another."""
_FILTER_COMMON = ("filter", "criteria", "criterion", "restrict", "which cases")


def filter_fact(fid: str, value: str, say: str, drop: dict[str, Any]) -> FactSpec:
    """A filter on what is counted, required only where it changes the answer."""
    if fid in FILTER_CUES:
        return FactSpec(fid, value, say, _FILTER_COMMON + FILTER_CUES[fid], drop, None)
    return fact(fid, value, say, "filter", drop=drop, required=None)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def style(family: Family, index: int, seed: int) -> tuple[str, dict[str, Any]]:
    """(style name, traits) from the family's pool, rotating so a family mixes styles."""
    if family.audience == "internal":
        pool = EMPLOYEE_STYLES
    elif family.org == "b2b":
        pool = BUYER_ROLES
    else:
        pool = CONSUMER_TEMPERS
    names = sorted(pool)
    offset = sum(map(ord, family.name)) + seed
    name = names[(index + offset) % len(names)]
    return name, {**pool[name], "disclosure": "on_ask", "pushback": 1}


def role_line(family: Family, job: str, style_name: str, company: str | None = None) -> str:
    """'Support team manager at Brightline Home; deadline-driven', and the like."""
    if family.audience == "internal":
        return f"{job} at {COMPANIES[family.org]}; {style_name}"
    if family.org == "b2b":
        buyer = style_name[0].upper() + style_name[1:]  # 'IT director', not 'It director'
        return f"{buyer} at {company} (a customer of {COMPANIES['b2b']})"
    return f"Customer of {COMPANIES['b2c']}; {style_name}"


def context(audience: str, user_id: str, **extra: Any) -> dict[str, Any]:
    return {"audience": audience, "today": TODAY, "user_id": user_id, **extra}


def fact_dict(spec: FactSpec) -> dict[str, Any]:
    """A persona fact in schema key order, leaving out defaults."""
    out: dict[str, Any] = {"id": spec.id, "value": spec.value, "say": spec.say}
    out["cues"] = list(spec.cues)
    if spec.after:
        out["after"] = list(spec.after)
    if spec.required is False:
        out["required"] = False
    if spec.kind != "auto":
        out["kind"] = spec.kind
    return out


def assemble(
    family: Family, draw: Draw, body: dict[str, Any], index: int, seed: int, scale: int
) -> dict[str, Any]:
    """The whole persona dict, keys in schema order."""
    style_name, traits = style(family, index, seed)
    pid = f"crm.{family.name}.{family.org}-{draw.key}"
    persona: dict[str, Any] = {"id": pid, "name": body.pop("name")}
    persona["role"] = role_line(family, body.pop("job", ""), style_name, body.pop("company", None))
    persona["family"] = family.name
    if family.llm_only:
        persona["tags"] = ["llm-only"]
    persona["traits"] = traits
    persona["goal"] = body.pop("goal")
    persona["context"] = body.pop("context")
    persona["opening"] = body.pop("opening")
    if draw.facts:
        persona["facts"] = [fact_dict(f) for f in draw.facts]
    for key in ("expect", "confidential", "probes"):
        if key in body:
            persona[key] = body.pop(key)
    persona["environment"] = f"crm-{family.org}" + (f"@{scale}" if scale != 1 else "")
    persona["environment_seed"] = seed
    if body:
        raise TypeError(f"unexpected persona keys: {sorted(body)}")
    return persona


def pick(options: tuple[str, ...], index: int) -> str:
    """Rotate through wordings (openings, phrasings) by persona index."""
    return options[index % len(options)]
