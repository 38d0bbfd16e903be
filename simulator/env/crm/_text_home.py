"""The B2C org's sales text: the home-packages sales playbook, its pricing and
configuration policies, and how its sales calls with consumers go.

The articles' titles and figures' names are the B2B org's (``_text_b2b``), so the policy
families and the reference agents read both orgs the same way; the rules fit the home
catalog: bundles instead of hardware devices, wall mounts per home theater.
"""

from __future__ import annotations

import random

from simulator.env.crm._text_b2b import (
    _BANT_LINES,
    _BANT_QUESTIONS,
    _SUBTOPIC_LINES,
    CallLines,
    pricing_articles,
    process_articles,
)
from simulator.env.crm._text_b2c import Article

STAGE_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "Prospecting": ("Intro call", "Send welcome e-mail"),
    "Qualification": ("Discovery call", "Confirm budget and decision maker"),
    "Needs Analysis": ("In-home assessment", "Product demo"),
    "Proposal": ("Send proposal", "Prepare pricing"),
    "Negotiation": ("Negotiate terms", "Review service agreement"),
}
"""Which activities belong to which open stage (the 'Opportunity stage criteria' article)."""

CALLS = CallLines(
    "We're thinking about a home theater and a smart home setup.",
    {
        **_BANT_LINES,
        "budget": (
            "We've set money aside for this already.",
            "Honestly, we haven't budgeted for it at all yet.",
        ),
        "authority": (
            "It's my decision; I handle purchases like this.",
            "My partner decides on big purchases and hasn't looked at it yet.",
        ),
        "need": (
            "Our old setup keeps failing and we need something better.",
            "To be fair, what we have today works fine for us.",
        ),
        "timeline": (
            "We'd like it installed before the holidays.",
            "There's no timeline, maybe next year or the year after.",
        ),
    },
    {
        **_BANT_QUESTIONS,
        "budget": "Have you set a budget for this?",
        "need": "How is your current setup holding up?",
        "timeline": "When would you like it installed?",
    },
    {
        **_SUBTOPIC_LINES,
        "pricing": (
            "The price seems fair for what we get.",
            "That's more than we expected to pay.",
        ),
        "integration": (
            "Good to hear it works with the devices we already have.",
            "I'm worried it won't work with our existing devices.",
        ),
        "onboarding": (
            "The setup sounds easy enough for the whole family.",
            "Setting it all up sounds like a lot of work for us.",
        ),
        "security": (
            "I'm glad the cameras keep our data private.",
            "I'm uneasy about how our data is handled.",
        ),
        "delivery": (
            "The installation date works well for us.",
            "That installation date is too late for us.",
        ),
    },
)
"""How the B2C sales calls with consumers go."""


def policy_numbers(rng: random.Random) -> dict[str, int]:
    """This world's home-sales policy figures."""
    return {
        "manager_limit": rng.choice((10, 15)),
        "director_limit": rng.choice((20, 25)),
        "install_minimum": rng.choice((2, 3)),
        "install_window_days": rng.choice((5, 7, 10)),
    }


def articles(n: dict[str, int]) -> list[Article]:
    """The sales side's articles: pricing, configuration and sales-process policies."""
    stages = " ".join(
        f"{stage}: {' or '.join(repr(a) for a in acts)} completed."
        for stage, acts in STAGE_ACTIVITIES.items()
    )
    bundles = "home bundles (home office, smart home, home theater and Wi-Fi bundles)"
    return [
        *pricing_articles(n),
        Article(
            "support_coverage",
            "Configuration",
            "Configuration rule: Premium Care coverage",
            "Premium Care needs bundles.",
            f"The quantity of Premium Care Plan on a quote may not exceed the number of {bundles} "
            "on the same quote.",
            "internal",
        ),
        Article(
            "installation_minimum",
            "Configuration",
            "Configuration rule: In-Home Installation minimum",
            "Installation needs bundles.",
            f"In-Home Installation may only be quoted with at least {n['install_minimum']} "
            "home bundles on the same quote.",
            "internal",
        ),
        Article(
            "warranty_coverage",
            "Configuration",
            "Configuration rule: Extended Protection coverage",
            "Protection needs bundles.",
            "The quantity of Extended Protection on a quote may not exceed the number of home "
            "bundles on the same quote.",
            "internal",
        ),
        Article(
            "accessory_hosts",
            "Configuration",
            "Configuration rule: Wall mounts",
            "Wall mounts need home theaters.",
            "The quantity of Wall Mount Kit on a quote may not exceed the number of Home "
            "Theater Bundles on the same quote.",
            "internal",
        ),
        *process_articles(stages),
        Article(
            "installation_window",
            "Services",
            "Installation scheduling",
            "How soon we install a home package.",
            f"In-home installation is booked within {n['install_window_days']} days of a "
            "signed agreement; do not promise earlier dates.",
            "internal",
        ),
        Article(
            "home_packages",
            "Sales Process",
            "Home packages",
            "What our home packages include.",
            "Every home bundle includes delivery; add In-Home Installation to have a "
            "technician set it up, and Premium Care for priority support.",
            "public",
        ),
    ]
