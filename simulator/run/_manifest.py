"""The run folder's ``manifest.json``: what was run, with which versions, and how to resume it.

It is written before the first dialogue, so a killed run can always be resumed from its
folder alone: the resolved study (after command-line overrides), the agent specs as
resolved, a digest per persona (a resume refuses personas edited since), the seeds, the
models of every role and the versions of the packages that matter.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.agent import (
    LLM_KINDS,
    AgentSpec,
    check_reference,
    code_digest,
    code_file,
    load_target,
)
from simulator.errors import AgentSpecError
from simulator.persona import load_personas
from simulator.run._study import ResolvedStudy, Study, StudyError, persona_digest

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
_PACKAGES = ("langgraph", "langchain-core", "pydantic", "anthropic", "openai", "matplotlib")


def package_versions() -> dict[str, str]:
    """Versions of Python, the simulator and the libraries a result may depend on."""
    found = {"python": platform.python_version(), "simulator": __version__}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def new_run_id(name: str) -> str:
    """``YYYYmmdd-HHMMSS-<study name>``, in UTC; the name's spaces and other characters a
    shell would need quoted become ``-`` (``tiny study`` → ``tiny-study``)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^\w.+-]+", "-", name).strip("-") or "run"
    return f"{stamp}-{safe}"


def _agent_model(agent: AgentSpec) -> str:
    return agent.model_string if agent.kind in LLM_KINDS else f"{agent.kind}:{agent.target}"


def build_manifest(resolved: ResolvedStudy, *, run_id: str, command: list[str]) -> dict[str, Any]:
    """The manifest of a new run of ``resolved``."""
    study = resolved.study
    roles = study.roles.model_dump(mode="json", exclude_none=True)
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": run_id,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "study": {
            "name": study.name,
            "source": str(resolved.source) if resolved.source else None,
            "text": resolved.source.read_text(encoding="utf-8") if resolved.source else None,
        },
        "config": study.model_dump(mode="json"),
        "base_dir": str(resolved.base_dir.resolve()),
        "personas": resolved.persona_digests(),
        "agents": [a.to_record() for a in resolved.agents],
        "agent_code": agent_code(resolved.agents),
        "modes": [m.value for m in resolved.modes],
        "seeds": resolved.seeds,
        "dialogues": resolved.total,
        "models": {"agents": {a.name: _agent_model(a) for a in resolved.agents}, **roles},
        "versions": package_versions(),
        "resumed": [],
    }


def agent_code(agents: tuple[AgentSpec, ...] | list[AgentSpec]) -> dict[str, str]:
    """Agent name → digest of its module's file, for the agents that are Python code."""
    return {a.name: digest for a in agents if (digest := code_digest(a)) is not None}


def changed_agent_code(manifest: dict[str, Any], agents: tuple[AgentSpec, ...]) -> str | None:
    """Why the run's records would mix two versions of an agent's code, or None: a python
    agent whose module's file changed since the manifest was written (a manifest written
    before agent digests existed has none to compare)."""
    recorded: dict[str, str] = manifest.get("agent_code") or {}
    for agent in agents:
        if agent.name in recorded and code_digest(agent) != recorded[agent.name]:
            return f"the code of agent {agent.name!r} ({code_file(agent)}) changed since"
    return None


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    """Write atomically (a temporary file renamed), so a kill never leaves half a manifest."""
    run_dir.mkdir(parents=True, exist_ok=True)
    tmp = run_dir / (MANIFEST_FILE + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, run_dir / MANIFEST_FILE)


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST_FILE
    if not path.is_file():
        raise StudyError(f"{run_dir}: not a run folder (no {MANIFEST_FILE})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StudyError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        raise StudyError(f"{path}: unknown manifest format")
    return data


def resume_study(manifest: dict[str, Any]) -> ResolvedStudy:
    """The study of a run, rebuilt from its manifest; refuses personas edited since."""
    study = Study.model_validate(manifest["config"])
    base = Path(manifest["base_dir"])
    personas = load_personas([p if Path(p).is_absolute() else base / p for p in study.personas])
    digests: dict[str, str] = manifest["personas"]
    by_id = {p.id: p for p in personas}
    for pid, digest in digests.items():
        if pid not in by_id:
            raise StudyError(f"cannot resume: persona {pid!r} is no longer in {study.personas}")
        if persona_digest(by_id[pid]) != digest:
            raise StudyError(f"cannot resume: persona {pid!r} changed since the run started")
    agents = [AgentSpec.model_validate(a) for a in manifest["agents"]]
    for agent in agents:
        try:
            check_reference(agent.target) if agent.kind == "reference" else load_target(
                agent.target
            )
        except AgentSpecError as exc:
            raise StudyError(f"cannot resume: agent {agent.name!r}: {exc}") from None
    changed = changed_agent_code(manifest, tuple(agents))
    if changed:
        raise StudyError(
            f"cannot resume: {changed} the run started, so its records would mix two "
            "versions of it; run it afresh into another --out"
        )
    kept = tuple(p for p in personas if p.id in digests)
    return ResolvedStudy(study, base, None, kept, tuple(agents))


def note_resume(run_dir: Path, manifest: dict[str, Any], command: list[str]) -> None:
    """Record in the manifest that the run was resumed, and by which command."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest.setdefault("resumed", []).append({"at": at, "command": command})
    write_manifest(run_dir, manifest)
