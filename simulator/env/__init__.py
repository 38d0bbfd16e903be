"""Environments: the world the agent acts on through tools (``none`` or the CRM sandbox)."""

from __future__ import annotations

from simulator.env._protocol import Environment, NoEnvironment, ToolError
from simulator.errors import SimulatorError
from simulator.persona._schema import Persona

ENVIRONMENTS = ("none", "crm")


def open_environment(persona: Persona) -> Environment:
    """A fresh environment for one dialogue of ``persona``."""
    if persona.environment == "none":
        return NoEnvironment()
    if persona.environment == "crm":
        from simulator.env.crm import CRMEnvironment

        return CRMEnvironment(seed=persona.environment_seed or 0)
    raise SimulatorError(
        f"persona {persona.id}: unknown environment {persona.environment!r}; "
        f"expected one of: {', '.join(ENVIRONMENTS)}"
    )


__all__ = ["ENVIRONMENTS", "Environment", "NoEnvironment", "ToolError", "open_environment"]
