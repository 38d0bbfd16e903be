"""Environments: the world the agent acts on through tools (``none`` or a CRM org).

A persona names its environment: ``crm-b2b`` (the sales org) or ``crm-b2c`` (the service
org), optionally with a scale, ``crm-b2c@4``; ``environment_seed`` picks the generated
world. ``crm`` is kept as an alias of ``crm-b2b`` for personas written before the
orgs split.
"""

from __future__ import annotations

import re

from simulator.env._protocol import Environment, NoEnvironment, ToolError
from simulator.errors import SimulatorError
from simulator.persona._schema import Persona

ENVIRONMENTS = ("none", "crm-b2b", "crm-b2c", "crm")
"""The environment names a persona may use (a CRM name may add ``@SCALE``)."""

_CRM = re.compile(r"^crm(?:-(b2b|b2c))?(?:@([1-9][0-9]*))?$")


def parse_crm(name: str) -> tuple[str, int] | None:
    """(org, scale) of a CRM environment name, or None if it is not one."""
    m = _CRM.match(name)
    if m is None:
        return None
    return m.group(1) or "b2b", int(m.group(2) or 1)


def open_environment(persona: Persona) -> Environment:
    """A fresh environment for one dialogue of ``persona`` (cheap: the CRM is shared)."""
    if persona.environment == "none":
        return NoEnvironment()
    crm = parse_crm(persona.environment)
    if crm is not None:
        from simulator.env.crm import CRMEnvironment

        org, scale = crm
        return CRMEnvironment(
            org, persona.environment_seed or 0, scale=scale, actor_id=persona.context.user_id
        )
    raise SimulatorError(
        f"persona '{persona.id}': unknown environment '{persona.environment}'; "
        f"known environments: {', '.join(ENVIRONMENTS)} (a CRM org may add @SCALE)"
    )


__all__ = [
    "ENVIRONMENTS",
    "Environment",
    "NoEnvironment",
    "ToolError",
    "open_environment",
    "parse_crm",
]
