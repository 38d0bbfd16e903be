"""Regenerate the curated records of this folder: ``make dialogues`` (or ``python
dialogues/curate.py [OUT_DIR]``).

Each record is one dialogue chosen to show one behaviour, and together they cover every
end reason. Agents are named by paths relative to the repository root (reference agents
or ``tests/fixtures/refund_agents.py:NAME``), so the records replay from any checkout.
The script checks that each dialogue still ends as its file name says; when a change of
behaviour breaks that, it stops and says which one, rather than writing a misleading
record.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.agent import AgentSpec  # noqa: E402
from simulator.models import Budget, RoleConfig, Roles  # noqa: E402
from simulator.persona import Persona, load_persona, load_personas  # noqa: E402
from simulator.record import DialogueRecord  # noqa: E402
from simulator.run import run_dialogue  # noqa: E402

REFUND = "personas/examples/refund.yaml"
FIXTURE_AGENTS = "tests/fixtures/refund_agents.py"


@dataclass(frozen=True)
class Curated:
    """One curated dialogue: what to run, and how it must end."""

    file: str
    persona: str  # a persona file, or "family:NAME" for the first CRM persona of a family
    agent: str  # "reference:NAME" or "fixture:NAME" (tests/fixtures/refund_agents.py)
    mode: str
    end_reason: str
    success: bool | None = None  # checked when not None
    leaks: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)


CURATED = [
    Curated("careful-on-ask-answered.jsonl", "family:sales_amount", "reference:careful",
            "on_ask", "answered", success=True),
    Curated("eager-sharded-anchored.jsonl", "family:sales_amount", "reference:eager",
            "sharded", "answered", success=False),
    Curated("eager-on-ask-gave-up.jsonl",
            "personas/crm/crm.handle_time.b2b-longest-2025-03-phone.yaml", "reference:eager",
            "on_ask", "user_gave_up", success=False),
    Curated("leaky-on-ask-leak.jsonl", "family:named_entity_disambiguation",
            "reference:leaky", "on_ask", "answered", leaks=True),
    Curated("guarded-privacy-declined.jsonl", "family:privacy_contact", "reference:guarded",
            "on_ask", "user_done", success=True),
    Curated("careful-max-turns.jsonl", REFUND, "fixture:careful", "on_ask", "max_turns",
            success=False, options={"max_turns": 1}),
    Curated("looping-max-steps.jsonl", REFUND, "fixture:looping", "on_ask", "max_steps",
            options={"max_steps": 3}),
    Curated("crashing-agent-error.jsonl", REFUND, "fixture:crashing", "on_ask",
            "agent_error"),
    Curated("slow-agent-timeout.jsonl", REFUND, "fixture:slow", "on_ask", "agent_timeout",
            options={"step_timeout": 0.2}),
    Curated("chatty-budget-exceeded.jsonl", REFUND, "fixture:chatty", "on_ask",
            "budget_exceeded", options={"classifier": "openai:gpt-4o-mini", "budget": 0.0}),
    Curated("oversized-agent-oversized.jsonl", REFUND, "fixture:oversized", "on_ask",
            "agent_oversized", success=False, leaks=True, options={"max_message_chars": 300}),
]  # fmt: skip


def _persona(ref: str) -> Persona:
    if ref.startswith("family:"):
        family = ref.split(":", 1)[1]
        pack = [p for p in load_personas("personas/crm") if p.family == family]
        if not pack:
            raise SystemExit(f"no CRM persona of family {family!r} in personas/crm")
        return pack[0]
    return load_persona(ref)


def _agent(ref: str) -> AgentSpec:
    kind, name = ref.split(":", 1)
    if kind == "reference":
        return AgentSpec(name=name, kind="reference", target=name)
    return AgentSpec(name=f"refund_agents:{name}", kind="python", target=f"{FIXTURE_AGENTS}:{name}")


async def _record(item: Curated) -> DialogueRecord:
    options = dict(item.options)
    roles = budget = None
    if "classifier" in options:  # a spending limit reached by an LLM role, no network needed
        roles = Roles(classifier=RoleConfig(model=options.pop("classifier")))
        budget = Budget(options.pop("budget"))
    return await run_dialogue(
        _persona(item.persona),
        _agent(item.agent),
        item.mode,
        seed=0,
        roles=roles,
        budget=budget,
        **options,
    )


def _check(item: Curated, record: DialogueRecord) -> None:
    problems = []
    if record.end_reason.value != item.end_reason:
        problems.append(f"ends with {record.end_reason.value}, not {item.end_reason}")
    if item.success is not None and record.scores.task.success != item.success:
        problems.append(f"task success is {record.scores.task.success}, not {item.success}")
    if item.leaks is not None and bool(record.scores.leakage.leaked) != item.leaks:
        problems.append(f"leaks: {bool(record.scores.leakage.leaked)}, not {item.leaks}")
    if problems:
        raise SystemExit(f"{item.file}: {record.id} " + "; ".join(problems))


async def main(out: Path) -> None:
    os.chdir(ROOT)  # agent targets and persona paths are relative to the repository root
    records = [await _record(item) for item in CURATED]
    for item, record in zip(CURATED, records, strict=True):
        _check(item, record)  # all checked before any file is written
    out.mkdir(parents=True, exist_ok=True)
    for item, record in zip(CURATED, records, strict=True):
        (out / item.file).write_text(record.model_dump_json() + "\n", encoding="utf-8")
        print(f"{item.file}: {record.id} ({record.end_reason.value})")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "dialogues"))
