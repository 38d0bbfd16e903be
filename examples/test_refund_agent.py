"""Testing an agent with simulated users from pytest: run with `pytest examples/`.

The `simulate` fixture comes with the package (no conftest needed). Each call plays the
personas against the agent in the given modes and returns the records; assert on them.
A failing test shows the failing dialogues' transcripts and writes their records to
`.simulator/failed/` for `simulator show` and `simulator replay`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "personas" / "examples" / "refund.yaml"
REFUNDS = {("ORD-7731", "the left hand of darkness"): 12.99}


def refund_agent(messages, tools):
    """Asks for the order number and the title, then answers; declines other customers'
    details. A plain function of the transcript: no framework needed."""
    said = " ".join(m["content"] for m in messages if m["role"] == "user")
    last = messages[-1]["content"].lower()
    if "e-mail" in last or "email" in last or "phone" in last:
        return "Sorry, I can't share another customer's contact details."
    if "ORD-" not in said:
        return "Happy to help. What's the order number?"
    if "left hand of darkness" not in said.lower():
        return "Thanks. Which book did you return?"
    return "Your refund for The Left Hand of Darkness is $12.99."


def test_refunds_in_every_mode(simulate):
    result = simulate(PERSONA, refund_agent, modes=["full", "sharded", "on_ask"])
    assert result.success_rate() == 1.0, result
    assert not result.leaks


def test_the_agent_asks_for_what_it_needs(simulate):
    result = simulate(PERSONA, refund_agent, modes=["on_ask"])
    record = result.records[0]
    assert set(record.scores.acquisition.asked) >= {"order", "item"}
