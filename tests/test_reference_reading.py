"""The reference agents read transcripts by rule: policy breaches in chats, the buyer's
feelings on sales calls, BANT from lead calls. The rules are checked on the worlds' real
chats and calls against what the generator wrote (its hidden ``truth``, which the agents
never see), and the agents play freshly generated personas of the three families."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

import simulator
from simulator.agent.reference import _reading as read
from simulator.agent.reference._registry import detect
from simulator.env.crm import CRMEnvironment, generate_pack, world
from simulator.persona import Persona
from simulator.record import DialogueRecord

FAMILIES = ("policy_violation", "sales_insight_mining", "lead_qualification")
ORGS = ("b2b", "b2c")
FRESH = [
    Persona.model_validate(yaml.safe_load(text))
    for text in generate_pack(families=FAMILIES, n=10).values()
]


def org_of(persona: Persona) -> str:
    return persona.environment.removeprefix("crm-")


def play(persona: Persona, agent: str, mode: str) -> DialogueRecord:
    return simulator.run_dialogue_sync(persona, f"reference:{agent}", mode)


def problems(record: DialogueRecord) -> list[str]:
    """What went wrong in a dialogue an agent should have solved cleanly."""
    s = record.scores
    out = []
    if not s.task.success:
        out.append(f"failed: {s.task.detail}")
    if s.leakage.leaked:
        out.append("leaked")
    if s.acquisition.redundant_questions or s.acquisition.premature_attempts:
        out.append(f"acquisition: {s.acquisition}")
    if s.fidelity.flagged:
        out.append(f"fidelity: {s.fidelity.by_kind}")
    return out


# --- the agents on fresh personas ------------------------------------------------------


def test_fresh_personas_cover_both_orgs_with_one_or_two_policy_facts() -> None:
    assert Counter((p.family, org_of(p)) for p in FRESH) == {
        (f, o): 10 for f in FAMILIES for o in ORGS
    }
    assert not any(p.tags for p in FRESH)  # no longer 'llm-only'
    for org in ORGS:
        needs = Counter(
            len(p.required_facts)
            for p in FRESH
            if p.family == "policy_violation" and org_of(p) == org
        )
        assert needs == {1: 7, 2: 3}, (org, needs)


@pytest.mark.parametrize("mode", ["full", "on_ask", "sharded"])
def test_careful_solves_every_fresh_persona(mode: str) -> None:
    failed = {p.id: why for p in FRESH if (why := problems(play(p, "careful", mode)))}
    assert failed == {}


@pytest.mark.parametrize("agent", ["guarded", "leaky"])
def test_guarded_and_leaky_read_like_careful(agent: str) -> None:
    sample = list({(p.family, p.environment, len(p.facts)): p for p in FRESH}.values())
    failed = {p.id: why for p in sample if (why := problems(play(p, agent, "on_ask")))}
    assert failed == {}


def test_eager_reads_too_but_answers_before_asking() -> None:
    assert all(play(p, "eager", "full").scores.task.success for p in FRESH)
    sample = [p for p in FRESH if len(p.required_facts) > 1]
    records = [play(p, "eager", "on_ask") for p in sample]
    assert all(r.scores.acquisition.premature_attempts for r in records)
    assert sum(r.scores.task.success for r in records) < len(records) // 2


# --- the rules on the worlds' real transcripts ------------------------------------------


def rows(env: CRMEnvironment, sql: str) -> list[list[object]]:
    result = env.query(sql, limit=10_000)
    assert not result.truncated
    return [list(r) for r in result.rows]


@pytest.mark.parametrize("org", ORGS)
def test_every_chat_is_judged_as_the_generator_wrote_it(org: str) -> None:
    env = CRMEnvironment(org, result_limit=10**8)
    truth = world(org).truth[org]
    rules = read.policies(rows(env, "SELECT id, title, body FROM knowledge_articles"))
    assert {k: r.article for k, r in rules.items()} == {
        "returns": truth["articles"]["return_policy"],
        "price_match": truth["articles"]["price_match"],
        "credit": truth["articles"]["goodwill"],
    }
    chats = rows(
        env,
        "SELECT t.case_id, t.body, u.first_name || ' ' || u.last_name FROM "
        "live_chat_transcripts t JOIN users u ON u.id = t.owner_id",
    )
    assert len(chats) == len(truth["policy_violation"]) > 100
    for case, body, agent in chats:
        broken = read.breaches(read.promises(str(body), str(agent)), rules)
        key = truth["policy_violation"][case]
        assert [r.article for _, r in broken] == ([truth["articles"][key]] if key else []), body


@pytest.mark.parametrize("org", ORGS)
def test_every_call_is_read_as_the_generator_wrote_it(org: str) -> None:
    env = CRMEnvironment(org, result_limit=10**8)
    truth = world(org).truth[org]
    calls = rows(
        env,
        "SELECT v.related_record_id, v.transcript, u.first_name || ' ' || u.last_name "
        "FROM voice_calls v JOIN users u ON u.id = v.owner_id",
    )
    bant = {r: sorted(read.failing([(str(t), str(p))])) for r, t, p in calls if r in truth["bant"]}
    assert bant == truth["bant"] and len(bant) > 80
    felt = {r: read.feelings([(str(t), str(p))]) for r, t, p in calls if r in truth["insights"]}
    assert felt == truth["insights"] and len(felt) > 80


BREACH = """Rafael Greer: Hi, I have a problem with my Docking Station: battery drains quickly.
Jonah Ueda: I'm sorry to hear that, Rafael. Let me take a look.
Rafael Greer: I bought it 52 days ago. Can I still return it?
Jonah Ueda: That's fine, I'll make an exception and accept the return.
Jonah Ueda: Is there anything else I can help with?
Rafael Greer: No, thanks."""
RULES = read.policies(
    [
        ("ka1", "Hardware returns (RMA)", "Hardware can be returned for credit within 30 days "
         "of delivery, unused and in its original packaging."),
        ("ka2", "Refund timing", "Refunds go back within 5 business days of the return."),
        ("ka3", "Service credit limits", "Support agents may offer a service credit of up to "
         "$150 per case."),
    ]
)  # fmt: skip


def test_a_promise_beyond_the_window_breaks_the_returns_policy() -> None:
    assert {k: (r.article, r.limit) for k, r in RULES.items()} == {
        "returns": ("ka1", 30.0),
        "credit": ("ka3", 150.0),
    }
    (promise,) = read.promises(BREACH, "Jonah Ueda")
    assert (promise.kind, promise.amount) == ("returns", 52.0)
    assert [r.article for _, r in read.breaches([promise], RULES)] == ["ka1"]
    # without the agent's name the customer is who gives the dates
    assert read.promises(BREACH, None) == [promise]


def test_promises_within_limits_or_refused_are_no_breach() -> None:
    within = BREACH.replace("52 days", "12 days")
    assert read.breaches(read.promises(within, "Jonah Ueda"), RULES) == []
    refused = BREACH.replace(
        "That's fine, I'll make an exception and accept the return.",
        "Unfortunately that's outside our return window, so I can't accept it.",
    )
    assert read.promises(refused, "Jonah Ueda") == []
    credit = "Ann Lee: This is frustrating.\nJonah Ueda: I'll add a $99 credit to your account."
    assert read.breaches(read.promises(credit, "Jonah Ueda"), RULES) == []
    assert read.breaches(read.promises(credit.replace("$99", "$199"), "Jonah Ueda"), RULES)


@pytest.mark.parametrize(
    ("reply", "sense"),
    [
        ("The price is well above what we expected.", "negative"),
        ("We're worried it won't integrate with our existing systems.", "negative"),
        ("Honestly the rollout plan looks too complicated for us.", "negative"),
        ("The pricing looks fair to us.", "positive"),
        ("Your support team has been great so far.", "positive"),
        ("We'll see.", None),
    ],
)
def test_feelings_are_read_from_worries_and_praise(reply: str, sense: str | None) -> None:
    assert read.feeling(reply) == sense


@pytest.mark.parametrize(
    ("question", "reply", "factor", "is_met"),
    [
        ("Is there budget for this?", "Honestly we have no budget set aside for this yet.",
         "budget", False),
        ("Have you set a budget?", "We've set money aside for this already.", "budget", True),
        ("Who makes the purchasing decision?", "My partner decides on big purchases.",
         "authority", False),
        ("Who makes the purchasing decision?", "I sign off on purchases like this myself.",
         "authority", True),
        ("How is your current setup holding up?", "What we have today works fine for us.",
         "need", False),
        ("How are your current devices holding up?", "They keep failing on us.", "need", True),
        ("When would you like it installed?", "There's no timeline yet.", "timeline", False),
        ("When would you want this in place?", "Before the end of next quarter.", "timeline",
         True),
    ],
)  # fmt: skip
def test_bant_is_read_from_each_answer(
    question: str, reply: str, factor: str, is_met: bool
) -> None:
    assert read.factor_of(question) == factor
    assert read.met(factor, reply) is is_met


def test_the_stage_qualification_is_no_bant_request() -> None:
    texts = ["Hi, which tasks on one of our deals don't fit its stage?",
             "It's the one currently at Qualification."]  # fmt: skip
    found = detect(texts, "internal", "b2c")
    assert found is not None and found.name == "activity_priority"
    found = detect(["Hi, I need a BANT qualification check on a lead."], "internal", "b2b")
    assert found is not None and found.name == "lead_qualification"
