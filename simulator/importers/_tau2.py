"""tau2-bench tasks (Sierra Research, MIT licence) as personas.

The task format is tau2's ``Task`` model (``src/tau2/data_model/tasks.py``): a
``user_scenario`` whose ``instructions`` hold ``domain``, ``reason_for_call``,
``known_info``, ``unknown_info`` and ``task_instructions`` (or one free text), and
``evaluation_criteria`` with ``actions`` (one reference trajectory of tool calls),
``env_assertions``, ``communicate_info``, ``nl_assertions`` and ``reward_basis`` (the
components that gate the reward; default ``DB`` and ``COMMUNICATE``). How each part
becomes a persona key is in docs/importers.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from simulator.importers._common import (
    ImportResult,
    first_person,
    read_tasks,
    safe_id,
    sentences,
    slug,
)
from simulator.judge.values import contains_value
from simulator.persona import ValueKind

SOURCE = "tau2-bench (sierra-research/tau2-bench, MIT)"

WRITE_TOOLS: dict[str, tuple[str, ...]] = {
    "airline": (
        "book_reservation",
        "cancel_reservation",
        "send_certificate",
        "update_reservation_baggages",
        "update_reservation_flights",
        "update_reservation_passengers",
    ),
    "retail": (
        "cancel_pending_order",
        "exchange_delivered_order_items",
        "modify_pending_order_address",
        "modify_pending_order_items",
        "modify_pending_order_payment",
        "modify_user_address",
        "return_delivered_order_items",
    ),
    "telecom": (
        "disable_roaming",
        "enable_roaming",
        "refuel_data",
        "resume_line",
        "send_payment_request",
        "suspend_line",
    ),
    "mock": ("create_task", "update_task_status"),
}
"""The agent tools of tau2's domains that write to the database (``ToolType.WRITE`` in
each domain's ``tools.py``). Under the ``DB`` reward, the reference trajectory's writes
must happen and no other write may (it would change the database)."""

_NAME = r"[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+){0,2}"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_PHONE = r"\+?\d[\d\s().-]{8,}\d"

_LABEL_CUES: dict[str, list[str]] = {
    "name": ["name", "who"],
    "user_id": ["user id", "id", "account", "username"],
    "email": ["email", "e-mail"],
    "phone": ["phone", "phone number", "mobile"],
    "zip": ["zip", "zip code", "zipcode", "postal code", "postcode"],
    "address": ["address", "where", "live", "city"],
    "reservation_id": ["reservation", "confirmation", "booking"],
    "order_id": ["order"],
    "customer_id": ["customer id", "account", "id"],
}


class _Fact:
    def __init__(
        self, fid: str, label: str, value: str, say: str, kind: ValueKind = "auto"
    ) -> None:
        self.id, self.label, self.value, self.say, self.kind = fid, label, value, say, kind

    def cues(self) -> list[str]:
        base = _LABEL_CUES.get(self.id.rstrip("_0123456789"))
        if base:
            return list(base)
        words = [w for w in re.findall(r"[a-z]+", self.label.lower()) if len(w) > 2]
        return list(dict.fromkeys([self.label.lower(), *words]))


def _clean(value: str) -> str:
    return value.strip().strip("'\"`").strip().rstrip(".,;").strip().strip("'\"`")


def _extract_facts(text: str) -> tuple[list[_Fact], str | None, list[str]]:
    """Facts of a known-info text, the user's name, and the sentences not understood."""
    facts: list[_Fact] = []
    name: str | None = None
    leftover: list[str] = []

    def add(fid: str, label: str, value: str, say: str, kind: ValueKind = "auto") -> None:
        value = _clean(value)
        if not value or any(f.value.lower() == value.lower() for f in facts):
            return
        taken = {f.id for f in facts}
        final = fid
        n = 2
        while final in taken:
            final, n = f"{fid}_{n}", n + 1
        facts.append(_Fact(final, label, value, say.replace("{v}", value), kind))

    for sentence in sentences(text):
        found = False
        m = re.search(
            rf"\b(?:[Yy]ou are|[Yy]ou're|[Yy]our? name is|called|named|[Yy]our character is)"
            rf"\s+(?:an?\s+[a-z ]+?\s+(?:called|named)\s+)?({_NAME})",
            sentence,
        )
        if m and not re.match(r"(?:User|Customer|A|An|The)\b", m.group(1)):
            name = name or _clean(m.group(1))
            add("name", "name", name, "My name is {v}.", "text")
            found = True
        for uid in re.findall(r"\b[a-z]+_[a-z]+_\d{3,}\b", sentence):
            add("user_id", "user id", uid, "My user id is {v}.", "id")
            found = True
        for email in re.findall(_EMAIL, sentence):
            add("email", "email", email, "My email is {v}.", "email")
            found = True
        for phone in re.findall(_PHONE, sentence):
            if len(re.sub(r"\D", "", phone)) >= 10:
                add("phone", "phone number", phone, "My phone number is {v}.", "phone")
                found = True
        zm = re.search(
            r"\bzip\s*code\b(?:\s+is)?:?\s*(\d{5})\b|\bzip(?:code)?\s+(\d{5})\b", sentence
        )
        if zm is None and re.search(r"\b(?:live|living|residing|from)\b", sentence):
            zm = re.search(r"\b(\d{5})\b\.?\s*$", sentence)
        if zm:
            add("zip", "zip code", next(g for g in zm.groups() if g), "My zip code is {v}.", "id")
            found = True
        rm = re.search(
            r"\b(?:confirmation|reservation)\s+(?:number|id|code)\s+is:?\s*([A-Z0-9]{5,8})\b",
            sentence,
            re.IGNORECASE,
        )
        if rm:
            add("reservation_id", "reservation id", rm.group(1), "My reservation id is {v}.", "id")
            found = True
        for order in re.findall(r"#W\d{5,}", sentence):
            add("order_id", "order id", order, "My order id is {v}.", "id")
            found = True
        am = re.search(
            r"\b(?:live|living|residing|reside)\s+(?:in|at)\s+(.+?)(?:,?\s*(?:in\s+)?(?:zip\s*code\s*)?"
            r"\d{5}\b.*)?\.?$",
            sentence,
        )
        if am and not re.match(r"zip", am.group(1), re.IGNORECASE):
            place = re.sub(r",?\s*(?:and|in)\s*$", "", _clean(am.group(1)))
            if place and not re.search(r"\bzip", place, re.IGNORECASE):
                add("address", "address", place, "I live in {v}.", "text")
                found = True
        for gm in re.finditer(r"\b[Yy]our ([a-z][a-z ]{1,30}?) (?:is|are):?\s+([^,;]+)", sentence):
            label = gm.group(1).strip()
            value = _clean(re.split(r"\s+and\s+(?:your|you)\b", gm.group(2))[0])
            if value and len(value) <= 60:
                add(slug(label), label, value, f"My {label} is {{v}}.")
                found = True
        if not found:
            leftover.append(sentence)
    return facts, name, leftover


def _action_values(actions: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value is not None and not isinstance(value, bool):
            out.append(str(value))

    for action in actions:
        walk(action.get("arguments") or {})
    return out


def _needed(fact: _Fact, values: list[str]) -> bool:
    """Whether the reference trajectory uses the fact (a name: each of its words)."""
    if fact.id == "name":
        parts = fact.value.split()
        return all(any(p.lower() == v.lower() for v in values) for p in parts)
    return any(fact.value.lower() == v.lower() or fact.value.lower() in v.lower() for v in values)


def _opening(reason: str) -> str:
    first = re.split(r"\n\s*\n", reason.strip())[0]
    text = first_person(" ".join(first.split()))
    return text if text.endswith((".", "!", "?")) else text + "."


def _tau2_task(
    task: Mapping[str, Any], *, environment: str, domain_hint: str | None
) -> Iterator[tuple[str, Any]]:
    """Build one persona's data; yields ("note", text) and finally ("persona", data)."""
    scenario = task.get("user_scenario") or {}
    instructions = scenario.get("instructions")
    criteria = task.get("evaluation_criteria") or {}
    if isinstance(instructions, dict):
        domain = str(instructions.get("domain") or domain_hint or "tau2")
        reason = str(instructions.get("reason_for_call") or "")
        known = str(instructions.get("known_info") or "")
        unknown = str(instructions.get("unknown_info") or "")
        steps = str(instructions.get("task_instructions") or "")
        facts, name, leftover = _extract_facts(known)
        opening = _opening(reason) if reason else "Hi, I need some help, please."
        goal_parts = [reason, steps, unknown]
    elif isinstance(instructions, str):
        domain = domain_hint or "tau2"
        facts, name, leftover = _extract_facts(instructions)
        leftover = []
        opening = "Hi, I need some help, please."
        goal_parts = [instructions]
        yield "note", "free-text instructions: facts read from 'Your ... is ...' sentences"
    else:
        raise ValueError("user_scenario.instructions is missing")
    basis = [str(b) for b in (criteria.get("reward_basis") or ["DB", "COMMUNICATE"])]
    actions = [a for a in (criteria.get("actions") or []) if isinstance(a, dict)]
    agent_actions = [a for a in actions if a.get("requestor", "assistant") == "assistant"]
    if len(agent_actions) < len(actions):
        yield "note", "user-side actions (the user's own tools) are not simulated; left out"
    if leftover:
        yield "note", f"known info not read as facts (kept in goal): {' '.join(leftover)}"

    # facts: those already in the opening are said there, so they are not facts
    kept = []
    for fact in facts:
        if contains_value(fact.value, opening, fact.kind):
            yield "note", f"'{fact.label}' is in the opening; not a separate fact"
            continue
        kept.append(fact)
    values = _action_values(actions)
    uses = [f for f in kept if _needed(f, values)]
    required_ids = {f.id for f in uses} if uses else {f.id for f in kept}
    for fact in list(kept):
        carrier = next(
            (o for o in kept if o is not fact and contains_value(fact.value, o.say, fact.kind)),
            None,
        )
        if carrier is not None and fact.id not in required_ids:
            yield "note", f"'{fact.label}' is given away by '{carrier.label}'; not a separate fact"
            kept.remove(fact)
    after = _order(kept)

    expect: dict[str, Any] = {}
    communicate = [str(c) for c in (criteria.get("communicate_info") or [])]
    assertions = [str(a) for a in (criteria.get("nl_assertions") or [])]
    if communicate and "COMMUNICATE" in basis:
        expect.update(match="contains", answer=communicate)
    elif communicate:
        yield "note", "communicate_info is not in reward_basis: not checked"
    if assertions:
        expect["rubric"] = "\n".join(assertions)
        if "NL_ASSERTION" in basis and "match" not in expect:
            expect["match"] = "judge"
            yield "note", "judged by nl_assertions: needs an LLM judge to be meaningful"
    if "ACTION" in basis:
        expect["actions"] = [_action(a, compare=True) for a in agent_actions]
    writes = WRITE_TOOLS.get(domain)
    if "DB" in basis:
        if writes is None:
            yield "note", f"unknown domain '{domain}': the DB end state is not checked"
        else:
            done = [a for a in agent_actions if a.get("name") in writes]
            if "ACTION" not in basis and done:
                expect["actions"] = [_action(a, compare=False) for a in done]
            expect["forbid"] = [
                {"tool": tool, "note": "not in the reference trajectory: would change the DB"}
                for tool in writes
                if tool not in {a.get("name") for a in done}
            ]
    if "ENV_ASSERTION" in basis:
        checks = []
        for assertion in criteria.get("env_assertions") or []:
            if assertion.get("env_type", "assistant") != "assistant":
                yield "note", "an assertion on the user's own environment is left out"
                continue
            checks.append(
                {
                    "call": str(assertion["func_name"]),
                    "args": dict(assertion.get("arguments") or {}),
                    "equals": bool(assertion.get("assert_value", True)),
                }
            )
        if checks:
            expect["state"] = checks if len(checks) > 1 else checks[0]
            if environment == "none":
                yield "note", "state checks need an environment with an observe method"
    if "match" not in expect:
        expect["match"] = "none"
    if expect["match"] == "none" and not (
        expect.get("actions") or expect.get("forbid") or expect.get("state")
    ):
        raise ValueError("nothing to check: no communicate_info, actions or assertions in basis")

    description = task.get("description") or {}
    purpose = description.get("purpose") if isinstance(description, dict) else None
    goal = "\n\n".join(p.strip() for p in goal_parts if p and p.strip())
    data: dict[str, Any] = {
        "id": f"tau2.{safe_id(domain)}.{safe_id(str(task['id']))}",
        "name": name or "tau2 user",
        "role": f"Customer ({domain})",
        "family": f"tau2-{domain}",
        "tags": ["tau2", domain],
        "traits": {"disclosure": "on_ask"},
        "goal": goal or opening,
        "context": {"audience": "customer"},
        "opening": opening,
        "facts": [
            {
                "id": f.id,
                "value": f.value,
                "say": f.say,
                "cues": f.cues(),
                "kind": f.kind,
                "required": f.id in required_ids,
                **({"after": after[f.id]} if after.get(f.id) else {}),
            }
            for f in kept
        ],
        "expect": expect,
        "environment": environment,
    }
    if purpose:
        yield "note", f"purpose: {' '.join(str(purpose).split())}"
    yield "persona", data


def _order(facts: list[_Fact]) -> dict[str, list[str]]:
    """``after`` lists: a fact whose ``say`` carries another's value (a user id made of
    the name) comes after it, so the verifier never has to cut that value out."""
    after: dict[str, list[str]] = {}
    for fact in facts:
        for other in facts:
            if other is fact or fact.id in after.get(other.id, []):
                continue
            if contains_value(other.value, fact.say, other.kind):
                after.setdefault(fact.id, []).append(other.id)
    return after


def _action(action: Mapping[str, Any], *, compare: bool) -> dict[str, Any]:
    args = dict(action.get("arguments") or {})
    keys = action.get("compare_args") if compare else None
    if keys is not None:
        args = {k: v for k, v in args.items() if k in keys}
    out: dict[str, Any] = {"tool": str(action["name"]), "args": args}
    if action.get("info"):
        out["note"] = str(action["info"])
    return out


def import_tau2(
    path: Path,
    *,
    environment: str = "none",
    domain: str | None = None,
    on_task: Callable[[str], None] | None = None,
) -> ImportResult:
    """Personas for the tasks of a tau2-bench tasks file (a list of tasks, or one task).

    ``environment`` is written into every persona (the agent's tools and the state
    checks need one; ``none`` leaves tool calls unanswered but still judged);
    ``domain`` is used when the instructions do not name one.
    """
    result = ImportResult()
    if domain is None:
        parts = path.resolve().parts
        if "domains" in parts[:-1]:
            domain = parts[parts.index("domains") + 1]
    for task in read_tasks(path):
        task_id = str(task.get("id", "?"))
        if on_task is not None:
            on_task(task_id)

        def build(task: dict[str, Any] = task) -> tuple[dict[str, Any], list[str]]:
            notes: list[str] = []
            data: dict[str, Any] | None = None
            for kind, item in _tau2_task(task, environment=environment, domain_hint=domain):
                if kind == "note":
                    notes.append(str(item))
                else:
                    data = item
            if data is None:
                raise ValueError("the task gave no persona")
            return data, notes

        result.add(task_id, build, f"Imported from {SOURCE}: {path}, task {json.dumps(task_id)}")
    return result
