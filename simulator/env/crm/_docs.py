"""Generated sections of docs/crm.md: the schema, the family table, example dialogues.

    python -m simulator.env.crm._docs            # rewrite the generated sections in place

Each section sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``
markers; the text around them is written by hand. A test renders the sections again and
compares, so the page cannot drift from the code. Example dialogues are played with a
minimal scripted user (it says a fact's ``say`` when the agent's question names one of
the fact's cues), so they depend only on the sandbox and the reference agents.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from simulator.env.crm._registry import FAMILIES
from simulator.env.crm._tables import COMPANIES, markdown
from simulator.env.crm._tables_b2b import TABLES_B2B
from simulator.env.crm._tables_b2c import TABLES_B2C
from simulator.persona import Persona

DOC = Path(__file__).resolve().parents[3] / "docs" / "crm.md"
PACK = Path(__file__).resolve().parents[3] / "personas" / "crm"
_SKILLS = {
    "query": "database querying and computation",
    "text": "information retrieval and text",
    "workflow": "workflow execution",
    "policy": "policy compliance",
    "privacy": "confidentiality",
}


def schema() -> str:
    parts = []
    for org, tables in (("b2b", TABLES_B2B), ("b2c", TABLES_B2C)):
        parts.append(f"### {org.upper()}: {COMPANIES[org]}\n")
        parts.append(markdown(tables))
    return "\n".join(parts).rstrip() + "\n"


def _pack() -> list[Persona]:
    return [
        Persona.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(PACK.glob("*.yaml"))
    ]


def families() -> str:
    pack = _pack()
    rows = ["| family | org | skill | facts the user holds back | answer | solved by rule |"]
    rows.append("|---|---|---|---|---|---|")
    for org in ("b2b", "b2c"):
        for family in FAMILIES[org]:
            personas = [p for p in pack if p.family == family.name and p.environment.endswith(org)]
            facts = sorted({f.id for p in personas for f in p.facts}) or ["(probes only)"]
            rows.append(
                f"| `{family.name}` | {org} | {_SKILLS[family.skill]} | {', '.join(facts)} | "
                f"{_answer_form(personas)} | {'LLM only' if family.llm_only else 'yes'} |"
            )
    return "\n".join(rows) + "\n"


_FORMS = {"set": "set", "regex": "month", "contains": "short text", "rouge_l": "sentence (ROUGE-L)"}


def _answer_form(personas: list[Persona]) -> str:
    forms = set()
    for p in personas:
        if p.expect.state is not None:
            forms.add("'none' + database state" if p.expect.answer == "none" else
                      "exact answer + database state")  # fmt: skip
        elif p.expect.match == "none":
            forms.add("decline, leak nothing")
        elif p.expect.answer == "none":
            forms.add("'none'")
        else:
            forms.add(_FORMS.get(p.expect.match, "id or value"))
    return ", ".join(sorted(forms))


def examples() -> str:
    pack = _pack()
    parts = []
    for org in ("b2b", "b2c"):
        for family in FAMILIES[org]:
            persona = next(
                p for p in pack if p.family == family.name and p.environment.endswith(org)
            )
            agent = "leaky" if family.skill == "privacy" else "careful"
            parts.append(f"#### `{family.name}` ({org})\n")
            parts.append(f"Persona `{persona.id}` against `{agent}`, `on_ask`:\n")
            parts.extend(_dialogue(persona, agent))
            parts.append(f"\nExpected: {_expected(persona)}\n")
    return "\n".join(parts)


def _expected(persona: Persona) -> str:
    if persona.expect.state is not None:
        state = " and ".join(
            f"`{check.query}` returns `{check.equals}`" for check in persona.expect.state_checks
        )
        if persona.expect.answer is None:
            return state
        return f"`{persona.expect.answer}` (match `{persona.expect.match}`), and {state}"
    if persona.expect.match == "none":
        values = ", ".join(f"`{c.value}`" for c in persona.confidential)
        return f"every probe declined; none of {values} said"
    return f"`{persona.expect.answer}` (match `{persona.expect.match}`)"


def _dialogue(persona: Persona, agent_name: str, max_turns: int = 4) -> list[str]:
    """A short scripted on_ask dialogue, rendered as a quote block."""
    from simulator.agent.reference import make_reference_agent
    from simulator.chat import ToolSpec
    from simulator.env import open_environment
    from simulator.env.crm._tools import CRMEnvironment

    env = open_environment(persona)
    assert isinstance(env, CRMEnvironment)
    agent = make_reference_agent(agent_name)
    submit = ToolSpec(name="submit_answer", description="Submit.", parameters={"type": "object"})
    tools = [*env.tools(), submit]
    ctx = persona.context.model_dump(mode="json", exclude_none=True)
    system = f"{env.instructions}\n\nDialogue context:\n" + "\n".join(
        f"- {k}: {v}" for k, v in ctx.items()
    )
    first = persona.opening + (
        f" {persona.probes[0].ask}" if persona.expect.match == "none" else ""
    )
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    lines: list[str] = []
    revealed: set[str] = set()
    text = first
    try:
        for _ in range(max_turns):
            messages.append({"role": "user", "content": text})
            lines.append(f"> **User:** {text}  ")
            for _ in range(12):
                reply = asyncio.run(agent.step(messages, tools))
                messages.append(reply.to_message())
                for call in reply.tool_calls:
                    result = "ok" if call.name == "submit_answer" else _call(env, call)
                    messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
                    lines.append(_show_call(call.name, call.arguments))
                if not [c for c in reply.tool_calls if c.name != "submit_answer"]:
                    break
            if reply.content:
                lines.append(f"> **Agent:** {reply.content}  ")
            if any(c.name == "submit_answer" for c in reply.tool_calls) or "?" not in reply.content:
                break
            asked = [
                f for f in persona.facts
                if f.id not in revealed and any(
                    re.search(rf"\b{re.escape(c)}(?:e?s)?\b", reply.content, re.I) for c in f.cues)
            ]  # fmt: skip
            revealed |= {f.id for f in asked}
            text = " ".join(f.say for f in asked) or "I don't know."
    finally:
        env.close()
    return lines


def _call(env: Any, call: Any) -> str:
    try:
        return str(env.call(call.name, call.arguments))
    except Exception as exc:  # a tool error goes back to the agent, as in the graph
        return f"Error: {exc}"


def _show_call(name: str, arguments: dict[str, Any]) -> str:
    if name == "sql_query":
        query = " ".join(str(arguments.get("query", "")).split())
        query = query if len(query) <= 140 else query[:137] + "..."
        return f"> *`sql_query`: `{query}`*  "
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return f"> *`{name}`({shown})*  "


SECTIONS = {"schema": schema, "families": families, "examples": examples}


def render(text: str) -> str:
    """``text`` with every generated section rendered again."""
    for name, make in SECTIONS.items():
        start, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
        before, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"docs/crm.md has no '{start}' marker")
        _, found, after = rest.partition(end)
        if not found:
            raise ValueError(f"docs/crm.md has no '{end}' marker")
        text = f"{before}{start}\n\n{make()}\n{end}{after}"
    return text


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DOC
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
