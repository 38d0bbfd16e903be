"""The B2B org's text: policy and help articles, and sales-call transcripts.

Lead calls state each BANT factor (budget, authority, need, timeline) as met or not;
opportunity calls discuss subtopics with a positive or negative sentiment. What each
call says is recorded in ``truth`` so the text families can compute their answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.env.crm._text_b2c import Article

STAGE_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "Prospecting": ("Intro call", "Research account"),
    "Qualification": ("Discovery call", "Qualify budget and authority"),
    "Needs Analysis": ("Needs assessment workshop", "Solution demo"),
    "Proposal": ("Send proposal", "Prepare pricing"),
    "Negotiation": ("Negotiate terms", "Legal review of contract"),
}
"""Which activities belong to which open stage (the 'Opportunity stage criteria' article)."""

CONFIG_RULES = ("support_coverage", "installation_minimum", "warranty_coverage", "accessory_hosts")
"""Product configuration rules, each in its own article."""

BANT = ("budget", "authority", "need", "timeline")
SUBTOPICS = ("pricing", "integration", "support", "onboarding", "security", "delivery")


def policy_numbers(rng: random.Random) -> dict[str, int]:
    """This world's sales policy figures."""
    return {
        "manager_limit": rng.choice((15, 20)),
        "director_limit": rng.choice((25, 30)),
        "install_minimum": rng.choice((10, 10, 12)),
        "vertex_weakness": rng.randint(11, 19),
        "order_limit_units": rng.choice((400, 500, 600)),
        "order_limit_usd": rng.choice((200_000, 250_000, 300_000)),
        "install_days": rng.choice((8, 10, 12)),
        "rush_percent": rng.choice((15, 20, 25)),
    }


def pricing_articles(n: dict[str, int]) -> list[Article]:
    """The pricing policies both orgs' sales sides share: discount approval limits, the
    price floor and quote validity (``n``: the org's policy numbers)."""
    return [
        Article(
            "discount_matrix",
            "Pricing",
            "Quote discount approval matrix",
            "Who may approve which discount.",
            f"A sales manager may approve quotes with an overall discount up to "
            f"{n['manager_limit']} percent; a sales director up to {n['director_limit']} "
            "percent. A reviewer must reject a quote whose discount exceeds their own limit.",
            "internal",
        ),
        Article(
            "price_floor",
            "Pricing",
            "Price floor policy",
            "No line below the floor.",
            "No quote line may carry a net unit price below the product's price_floor. Such "
            "quotes must be rejected, whatever the reviewer's discount limit.",
            "internal",
        ),
        Article(
            "quote_validity",
            "Pricing",
            "Quote validity",
            "Expired quotes.",
            "A quote past its expiration_date is void and must be rejected; the rep issues a "
            "new quote.",
            "internal",
        ),
    ]


def process_articles(stages: str) -> list[Article]:
    """The sales-process policies both orgs share: stage criteria (``stages``: each
    stage's activities, in words) and lead routing."""
    return [
        Article(
            "stage_criteria",
            "Sales Process",
            "Opportunity stage criteria",
            "What each stage requires.",
            "An opportunity's stage is the latest stage whose activities are completed. " + stages,
            "internal",
        ),
        Article(
            "lead_routing",
            "Sales Process",
            "Lead routing policy",
            "Who gets a new lead.",
            "Assign each new lead to a rep whose territory covers the lead's state. Among "
            "them, prefer the rep with the most accepted quotes, then the rep with the fewest "
            "open leads.",
            "internal",
        ),
    ]


def articles(n: dict[str, int]) -> list[Article]:
    """Every article of the B2B org."""
    stages = " ".join(
        f"{stage}: {' or '.join(repr(a) for a in acts)} completed."
        for stage, acts in STAGE_ACTIVITIES.items()
    )
    return [
        *pricing_articles(n),
        Article(
            "support_coverage",
            "Configuration",
            "Configuration rule: Premier Support coverage",
            "Premier Support needs devices.",
            "The quantity of Premier Support Plan on a quote may not exceed the number of "
            "hardware devices (laptops, workstations, conference room kits) on the same quote.",
            "internal",
        ),
        Article(
            "installation_minimum",
            "Configuration",
            "Configuration rule: On-site Installation minimum",
            "Installation needs volume.",
            f"On-site Installation may only be quoted with at least {n['install_minimum']} "
            "hardware devices on the same quote.",
            "internal",
        ),
        Article(
            "warranty_coverage",
            "Configuration",
            "Configuration rule: Extended Warranty coverage",
            "Warranties need devices.",
            "The quantity of Extended Warranty on a quote may not exceed the number of "
            "hardware devices on the same quote.",
            "internal",
        ),
        Article(
            "accessory_hosts",
            "Configuration",
            "Configuration rule: Docking stations",
            "Docks need laptops.",
            "The quantity of Docking Station on a quote may not exceed the number of laptops "
            "on the same quote.",
            "internal",
        ),
        *process_articles(stages),
        Article(
            "competitors",
            "Competition",
            "Competitor weaknesses",
            "How we win against Vertex.",
            f"Vertex laptops fail at a {n['vertex_weakness']} percent rate in the first year; "
            "stress our on-site installation and Premier Support.",
            "internal",
        ),
        Article(
            "order_limits",
            "Orders",
            "Enterprise order limits",
            "When a credit check is needed.",
            f"Orders above {n['order_limit_units']} units or ${n['order_limit_usd']:,} need a "
            "credit check against the account's credit_limit.",
            "internal",
        ),
        Article(
            "installation_timeline",
            "Services",
            "Installation timelines",
            "How soon we install.",
            f"On-site installation is scheduled {n['install_days']} business days after "
            f"signature; rush jobs cost an extra {n['rush_percent']} percent.",
            "internal",
        ),
        Article(
            "premier_support",
            "Services",
            "Premier Support Plan",
            "What Premier Support includes.",
            "Premier Support adds 24/7 phone support and next-business-day device replacement.",
            "public",
        ),
        Article(
            "licence_terms",
            "Software",
            "Licence terms",
            "How seats are counted.",
            "Software licences are sold per named seat for 12 months and renew automatically.",
            "public",
        ),
    ]


_BANT_LINES: dict[str, tuple[str, str]] = {
    # (met, not met)
    "budget": (
        "We have budget approved for this project this year.",
        "Honestly we have no budget set aside for this yet.",
    ),
    "authority": (
        "I sign off on purchases like this myself.",
        "I'd have to take it to our CFO; she makes the final call and hasn't looked at it.",
    ),
    "need": (
        "Our current devices are failing and slowing the whole team down.",
        "To be fair, what we have today works fine for us.",
    ),
    "timeline": (
        "We want everything rolled out before the end of next quarter.",
        "There's no timeline, maybe sometime next year or the year after.",
    ),
}
_SUBTOPIC_LINES: dict[str, tuple[str, str]] = {
    # (positive, negative)
    "pricing": ("The pricing looks fair to us.", "The price is well above what we expected."),
    "integration": (
        "Good to hear it works with our directory out of the box.",
        "We're worried it won't integrate with our existing systems.",
    ),
    "support": (
        "Your support team has been great so far.",
        "Last time, support took days to answer us.",
    ),
    "onboarding": (
        "The onboarding plan sounds easy for our staff.",
        "Onboarding looks like a lot of work for our team.",
    ),
    "security": (
        "The security certifications tick every box for us.",
        "Our security team has concerns about the data handling.",
    ),
    "delivery": (
        "The delivery dates work well for us.",
        "Those delivery dates are too late for our rollout.",
    ),
}


_BANT_QUESTIONS = {
    "budget": "Is there budget for this?",
    "authority": "Who makes the purchasing decision?",
    "need": "How are your current devices holding up?",
    "timeline": "When would you want this in place?",
}


@dataclass(frozen=True)
class CallLines:
    """How an org's sales calls go: the buyer's opening, each BANT factor's question and
    answers (met, not met), and each subtopic's (positive, negative) remark."""

    opening: str
    bant: dict[str, tuple[str, str]]
    questions: dict[str, str]
    subtopics: dict[str, tuple[str, str]]


B2B_CALLS = CallLines(
    "We're looking at replacing our laptops and software licences.",
    _BANT_LINES,
    _BANT_QUESTIONS,
    _SUBTOPIC_LINES,
)


def lead_call(
    rng: random.Random, rep: str, buyer: str, failing: set[str], calls: CallLines = B2B_CALLS
) -> str:
    """A qualification call in which exactly the ``failing`` BANT factors are not met."""
    lines = [
        f"{rep}: Thanks for taking the time today. What prompted you to reach out?",
        f"{buyer}: {calls.opening}",
    ]
    for factor in rng.sample(BANT, len(BANT)):
        met, not_met = calls.bant[factor]
        lines.append(f"{rep}: {calls.questions[factor]}")
        lines.append(f"{buyer}: {not_met if factor in failing else met}")
    lines.append(f"{rep}: Thanks, I'll follow up with next steps.")
    return "\n".join(lines)


def opportunity_call(
    rng: random.Random,
    rep: str,
    buyer: str,
    topics: dict[str, str],
    calls: CallLines = B2B_CALLS,
) -> str:
    """A sales call discussing ``topics`` (subtopic -> 'positive' or 'negative')."""
    lines = [f"{rep}: Thanks for joining. Where do things stand on your side?"]
    for topic, sentiment in topics.items():
        positive, negative = calls.subtopics[topic]
        lines.append(f"{rep}: How do you feel about the {topic}?")
        lines.append(f"{buyer}: {positive if sentiment == 'positive' else negative}")
    lines.append(f"{rep}: Understood. I'll send a summary after the call.")
    return "\n".join(lines)
