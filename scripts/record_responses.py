"""Re-record the provider responses that the LLM dialogue tests replay.

    SIMULATOR_RECORD_OPENAI_KEY=sk-... SIMULATOR_RECORD_ANTHROPIC_KEY=sk-ant-... \\
        .venv/bin/python scripts/record_responses.py

Runs every scenario of ``tests/fixtures/recordings/scenarios.yaml`` against the real
APIs (request cache off) and writes ``tests/fixtures/recordings/<scenario>.json``. The
keys are read from the two dedicated variables only, so a developer's everyday
``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY`` is never used by accident; recordings keep no
request header at all, and response headers only from an allow-list (no credential).
The error cases of ``openai-wire.json`` and ``anthropic-wire.json`` (429, 500, time-outs,
malformed bodies) cannot be provoked on demand and stay hand-written.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"
KEY_VARIABLES = {
    "OPENAI_API_KEY": "SIMULATOR_RECORD_OPENAI_KEY",
    "ANTHROPIC_API_KEY": "SIMULATOR_RECORD_ANTHROPIC_KEY",
}


def load_scenarios(path: Path = RECORDINGS / "scenarios.yaml") -> dict[str, dict[str, Any]]:
    """Every scenario as keyword arguments of ``run_dialogue`` (persona, agent, mode, ...)."""
    sys.path.insert(0, str(ROOT))
    from simulator.agent import AgentSpec
    from simulator.models import RoleConfig, Roles, parse_model
    from simulator.persona import load_persona
    from simulator.persona._schema import Expect

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    persona = load_persona((path.parent / data["persona"]).resolve())
    persona = persona.model_copy(update={"expect": Expect.model_validate(data["expect"])})
    out: dict[str, dict[str, Any]] = {}
    for name, scenario in data["scenarios"].items():
        model = parse_model(scenario["agent"])
        agent = AgentSpec(
            name=f"{model.model}-refund",
            kind=model.provider,
            model=model.model,
            system_prompt=data["system_prompt"],
            temperature=0.0,
        )
        roles = Roles(
            user=RoleConfig(model=scenario["user"]), judge=RoleConfig(model=scenario["judge"])
        )
        out[name] = {
            "persona": persona,
            "agent": agent,
            "mode": data["mode"],
            "seed": data["seed"],
            "roles": roles,
        }
    return out


async def record(name: str, scenario: dict[str, Any], out_dir: Path) -> Path:
    import httpx2

    from simulator.models import ModelRegistry
    from simulator.models._wire import RecordingTransport, write_recording
    from simulator.run import run_dialogue

    recorder = RecordingTransport(httpx2.AsyncHTTPTransport())
    registry = ModelRegistry(
        cache=False, http_client=lambda spec: httpx2.AsyncClient(transport=recorder)
    )
    record_ = await run_dialogue(**scenario, models=registry)
    path = out_dir / f"{name}.json"
    note = (
        f"Recorded by scripts/record_responses.py: scenario {name}, end reason "
        f"{record_.end_reason.value}, {len(recorder.interactions)} requests."
    )
    write_recording(path, recorder.interactions, note=note)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", action="append", help="only these scenarios")
    parser.add_argument("--out", type=Path, default=RECORDINGS, help="output folder")
    args = parser.parse_args()
    missing = [v for v in KEY_VARIABLES.values() if not os.environ.get(v)]
    if missing:
        print(f"set {' and '.join(missing)} to record (real keys; never written anywhere)")
        return 2
    for sdk_variable, record_variable in KEY_VARIABLES.items():
        os.environ[sdk_variable] = os.environ[record_variable]  # this process only
    scenarios = load_scenarios()
    for name in args.scenario or list(scenarios):
        path = asyncio.run(record(name, scenarios[name], args.out))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
