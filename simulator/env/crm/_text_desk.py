"""The B2B org's service-desk text: product care articles for business hardware, and the
support policies its agents work by (returns, price protection, service credits,
routing, escalation, handle-time targets).

The policy keys are the B2C store's (``return_policy``, ``price_match``, ``goodwill``),
so the chats of both orgs are written and judged by the same code (``_text_b2c.chat``);
only the figures and the wording of the articles differ.
"""

from __future__ import annotations

import random

from simulator.env.crm._text_b2c import ROUTING_POLICY, Article, aspect_value, handle_targets

CARE_TYPES = ("laptop", "workstation", "monitor", "docking station", "conference room kit")
"""The business hardware with a care article (each is a word of its products' names)."""

ASPECTS = ("warranty", "replacement", "reset")
"""What each B2B care article answers: warranty months, replacement days, reset seconds."""

ISSUES: dict[str, tuple[str, ...]] = {
    "Hardware": (
        "Device will not power on",
        "Battery drains quickly",
        "Display flickers",
        "Overheating",
        "Ports not detected",
    ),
    "Software": (
        "License activation fails",
        "Sync errors after update",
        "Users cannot sign in",
        "Devices show as offline",
    ),
    "Services": (
        "Technician missed the appointment",
        "Replacement unit delayed",
        "Support response too slow",
    ),
}
"""Issue types of the B2B service desk, by product family."""


def policy_numbers(rng: random.Random) -> dict[str, int]:
    """This world's support-policy figures."""
    return {
        "return_days": rng.choice((14, 30, 30)),
        "price_match_days": rng.choice((14, 21, 30)),
        "goodwill_limit": rng.choice((100, 150, 250)),
        "escalate_hours": rng.choice((4, 8)),
        "target_hours": rng.choice((8, 12, 24)),
    }


def care_numbers(rng: random.Random) -> dict[str, dict[str, int]]:
    """Per care type: warranty months, replacement business days and reset seconds, each
    distinct across types so the product always matters to the answer."""
    n = len(CARE_TYPES)
    warranty = rng.sample(range(12, 12 + 6 * n, 6), n)
    replacement = rng.sample(range(1, 1 + n), n)
    reset = rng.sample(range(4, 4 + 2 * n, 2), n)
    return {
        t: {"warranty": warranty[i], "replacement": replacement[i], "reset": reset[i]}
        for i, t in enumerate(CARE_TYPES)
    }


def articles(n: dict[str, int], care: dict[str, dict[str, int]]) -> list[Article]:
    """The service desk's articles: care help first, then the support policies."""
    out = [
        Article(
            f"care:{kind}",
            "Product Care",
            f"{kind.capitalize()}: warranty, replacement and reset",
            f"Quick answers for {kind} owners.",
            f"Every {kind} we supply carries a {aspect_value('warranty', v['warranty'])} "
            "warranty against manufacturing defects. A replacement unit ships within "
            f"{aspect_value('replacement', v['replacement'])} of an approved claim. To reset "
            f"it to factory settings, hold the power button for "
            f"{aspect_value('reset', v['reset'])} until the light blinks.",
            "public",
        )
        for kind, v in care.items()
    ]
    out += [
        Article(
            "return_policy",
            "Returns",
            "Hardware returns (RMA)",
            "How long a business customer has to return hardware.",
            f"Hardware can be returned for credit within {n['return_days']} days of delivery, "
            "unused and in its original packaging. Returns after that window must be "
            "declined; agents may not make exceptions.",
            "public",
        ),
        Article(
            "price_match",
            "Pricing",
            "Price protection",
            "Matching a lower advertised price.",
            "We match a lower advertised price from an authorised reseller within "
            f"{n['price_match_days']} days of an order. Older orders are not eligible.",
            "public",
        ),
        Article(
            "goodwill",
            "Service Policy",
            "Service credit limits",
            "How much credit a support agent may offer.",
            f"Support agents may offer a service credit of up to ${n['goodwill_limit']} per "
            "case. Anything above needs a Support Manager and may not be promised in chat.",
            "internal",
        ),
        ROUTING_POLICY,
        Article(
            "escalation",
            "Service Policy",
            "Escalation playbook",
            "When to escalate.",
            f"Escalate High priority cases older than {n['escalate_hours']} business hours to "
            "the support manager on duty.",
            "internal",
        ),
        handle_targets(n["target_hours"]),
    ]
    return out
