"""The B2C org's text: knowledge articles, live-chat transcripts and case e-mails.

Numbers in articles are drawn from the seed, so each world has its own policies; the
draws are kept in ``truth`` so the text families can compute answers from them.
Chat transcripts sometimes show the agent breaking a policy; which one is recorded in
``truth["policy_violation"]`` (case id -> article key, or None).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

ASPECTS = ("warranty", "charge", "reset")
"""Per product family, the knowledge-QA aspects each care article answers."""

_PLAIN = {"headphones": "headphones", "mouse": "mouse"}


@dataclass(frozen=True)
class Article:
    """One knowledge article before it gets an id."""

    key: str
    category: str
    title: str
    summary: str
    body: str
    visibility: str


ROUTING_POLICY = Article(
    "routing",
    "Service Policy",
    "Case routing policy",
    "Who gets a new case.",
    "Route each new case to the support agent with the most closed cases of the same "
    "issue. Break ties by the most closed cases for the same product, then by the "
    "fewest open cases.",
    "internal",
)
"""The case routing policy both service desks follow."""


def handle_targets(hours: int) -> Article:
    """The handle-time target both service desks set (in hours, for Medium priority)."""
    return Article(
        "handle_targets",
        "Service Policy",
        "Handle-time targets",
        "Targets for the support team.",
        f"Target average handle time is under {hours} hours for Medium priority cases.",
        "internal",
    )


def policy_numbers(rng: random.Random) -> dict[str, int]:
    """This world's policy figures."""
    return {
        "return_days": rng.choice((30, 30, 45)),
        "refund_days": rng.choice((5, 7)),
        "price_match_days": rng.choice((14, 14, 21)),
        "goodwill_limit": rng.choice((25, 50, 75)),
        "escalate_hours": rng.choice((24, 48)),
        "target_hours": rng.choice((18, 24, 36)),
        "vertex_return_rate": rng.randint(11, 19),
        "restock_days": rng.randint(12, 28),
        "replacement_cost": rng.randint(31, 64),
    }


def care_numbers(rng: random.Random, families: list[str]) -> dict[str, dict[str, int]]:
    """Per family: warranty months, full-charge hours and reset-button seconds, each value
    distinct across families so the product family always matters to the answer."""
    warranty = rng.sample(range(6, 6 + 3 * len(families), 3), len(families))
    charge = rng.sample(range(2, 2 + len(families)), len(families))
    reset = rng.sample(range(3, 3 + 2 * len(families), 2), len(families))
    return {
        f: {"warranty": warranty[i], "charge": charge[i], "reset": reset[i]}
        for i, f in enumerate(families)
    }


def aspect_value(aspect: str, number: int) -> str:
    """The short answer to a knowledge-QA question, as written in the article."""
    return {
        "warranty": f"{number} months",
        "charge": f"{number} hours",
        "reset": f"{number} seconds",
        "replacement": f"{number} business days",
    }[aspect]


def articles(numbers: dict[str, int], care: dict[str, dict[str, int]]) -> list[Article]:
    """Every article of the B2C org, public help first, then internal policies."""
    n = numbers
    out = [
        Article(
            f"care:{family}",
            "Product Care",
            f"{family.capitalize()}: warranty, charging and reset",
            f"Quick answers for {_PLAIN.get(family, family)} owners.",
            f"Every {family} we sell carries a {aspect_value('warranty', v['warranty'])} "
            f"limited warranty against manufacturing defects. A full charge takes about "
            f"{aspect_value('charge', v['charge'])}. To reset it to factory settings, hold "
            f"the power button for {aspect_value('reset', v['reset'])} until the light blinks.",
            "public",
        )
        for family, v in care.items()
    ]
    out += [
        Article(
            "return_policy",
            "Returns",
            "Return policy",
            "How long customers have to return an item.",
            f"Items can be returned within {n['return_days']} days of delivery in their original "
            "packaging. Returns after that window must be declined; agents may not make "
            "exceptions.",
            "public",
        ),
        Article(
            "refund_timing",
            "Returns",
            "Refund timing",
            "When a refund reaches the customer.",
            f"Refunds go back to the original payment method within {n['refund_days']} business "
            "days of the return being received.",
            "public",
        ),
        Article(
            "price_match",
            "Pricing",
            "Price match",
            "Matching a lower advertised price.",
            "We match a lower advertised price from a major retailer within "
            f"{n['price_match_days']} days of purchase. Older purchases are not eligible.",
            "public",
        ),
        Article(
            "privacy",
            "Privacy",
            "Customer privacy",
            "What we never share.",
            "We never share a customer's contact details, address, orders or case history "
            "with anyone else, including family members, neighbours or other customers.",
            "public",
        ),
        Article(
            "shipping",
            "Shipping",
            "Shipping times",
            "How long delivery takes.",
            "Standard shipping takes 3 to 5 business days; express shipping takes 1 to 2.",
            "public",
        ),
        Article(
            "goodwill",
            "Service Policy",
            "Goodwill credit limits",
            "How much credit an agent may offer.",
            f"Agents may offer a goodwill credit of up to ${n['goodwill_limit']} per case. "
            "Anything above needs a Support Manager and may not be promised in chat.",
            "internal",
        ),
        ROUTING_POLICY,
        Article(
            "escalation",
            "Service Policy",
            "Escalation playbook",
            "When to escalate.",
            f"Escalate High priority cases older than {n['escalate_hours']} hours to the "
            "support manager on duty.",
            "internal",
        ),
        handle_targets(n["target_hours"]),
        Article(
            "competitors",
            "Competition",
            "Competitor weaknesses",
            "How we compare.",
            f"Vertex devices have a {n['vertex_return_rate']} percent return rate and weak "
            "support; mention our warranty when customers compare.",
            "internal",
        ),
        Article(
            "supply",
            "Operations",
            "Laptop restock lead times",
            "Supplier lead times.",
            f"Laptop restocks from our supplier take {n['restock_days']} days; do not promise "
            "dates to customers.",
            "internal",
        ),
        Article(
            "replacement_cost",
            "Operations",
            "Warranty replacement cost",
            "What a warranty replacement costs us.",
            f"Each warranty replacement costs us ${n['replacement_cost']} on average in "
            "shipping and handling.",
            "internal",
        ),
    ]
    return out


VIOLATIONS = ("return_policy", "goodwill", "price_match")
"""Policies a chat transcript may show an agent breaking (article keys)."""


@dataclass(frozen=True)
class _Window:
    """A policy with a window of days, and how a chat about it goes."""

    number: str
    """The window's length in this world's policy numbers."""
    late: tuple[int, int]
    """Days past the window when the agent breaks it: limit + late[0] to limit + late[1]."""
    early: tuple[int, int]
    """Days otherwise: early[0] to limit - early[1]."""
    ask: str
    """The customer's question (``{}`` for the days)."""
    bend: str
    """The agent's answer that breaks the policy."""
    keep: str
    """The agent's answer within the policy."""


_WINDOWS = {
    "return_policy": _Window(
        "return_days", (4, 25), (3, 5),
        "I bought it {} days ago. Can I still return it?",
        "That's fine, I'll make an exception and accept the return.",
        "Yes, that's within our return window. I'll start the return.",
    ),
    "price_match": _Window(
        "price_match_days", (5, 40), (1, 2),
        "I saw it cheaper elsewhere; I bought mine {} days ago.",
        "No problem, I'll match that price and refund the difference.",
        "That's within the price-match window, so I can match it.",
    ),
}  # fmt: skip


def chat(
    rng: random.Random,
    numbers: dict[str, int],
    *,
    customer: str,
    agent: str,
    product: str,
    issue: str,
    breach: str | None,
) -> list[tuple[str, str]]:
    """(speaker, text) lines of one chat; ``breach`` names the policy the agent breaks."""
    lines = [
        (customer, f"Hi, I have a problem with my {product}: {issue.lower()}."),
        (agent, f"I'm sorry to hear that, {customer.split()[0]}. Let me take a look."),
    ]
    topic = breach or rng.choice((*VIOLATIONS, None, None))
    if topic in _WINDOWS:
        w = _WINDOWS[topic]
        limit = numbers[w.number]
        if breach:
            days = rng.randint(limit + w.late[0], limit + w.late[1])
        else:
            days = rng.randint(w.early[0], limit - w.early[1])
        lines.append((customer, w.ask.format(days)))
        lines.append((agent, w.bend if breach else w.keep))
    elif topic == "goodwill":
        limit = numbers["goodwill_limit"]
        amount = rng.randint(limit + 20, limit + 150) if breach else rng.randint(5, limit)
        lines.append((customer, "This has been really frustrating."))
        lines.append((agent, f"I understand. I'll add a ${amount} credit to your account."))
    lines.append((agent, "Is there anything else I can help with?"))
    lines.append((customer, rng.choice(("No, thanks.", "That's all, thank you.", "No, bye."))))
    return lines


def render(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{who}: {text}" for who, text in lines)


def email_bodies(customer: str, product: str, issue: str) -> tuple[str, str]:
    """(incoming, reply) bodies of a case's e-mail thread."""
    first = customer.split()[0]
    return (
        f"Hello, my {product} has a problem: {issue.lower()}. Can you help? {customer}",
        f"Hi {first}, thanks for writing. We're looking into the {issue.lower()} issue and "
        "will get back to you shortly.",
    )


def truth_of(numbers: dict[str, int], care: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {"numbers": numbers, "care": care}
