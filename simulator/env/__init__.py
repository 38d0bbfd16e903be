"""Environments: the world the agent acts on through tools (``none`` or the ``crm`` sandbox)."""

from __future__ import annotations

from simulator.env._protocol import Environment, NoEnvironment, ToolError
from simulator.errors import SimulatorError
from simulator.persona._schema import Persona

ENVIRONMENTS = ("none", "crm")
"""The environment names a persona may use."""


def open_environment(persona: Persona) -> Environment:
    """A fresh environment for one dialogue of ``persona`` (cheap: the CRM is cached)."""
    if persona.environment == "none":
        return NoEnvironment()
    if persona.environment == "crm":
        from simulator.env.crm import CRMEnvironment

        return CRMEnvironment(persona.environment_seed or 0)
    raise SimulatorError(
        f"persona '{persona.id}': unknown environment '{persona.environment}'; "
        f"known environments: {', '.join(ENVIRONMENTS)}"
    )


__all__ = ["ENVIRONMENTS", "Environment", "NoEnvironment", "ToolError", "open_environment"]
