"""Environments: the world the agent acts on through tools (``none``, a CRM org, yours).

A persona names its environment: ``crm-b2b`` (the sales org) or ``crm-b2c`` (the service
org), optionally with a scale, ``crm-b2c@4``; ``environment_seed`` picks the generated
world. ``crm`` is kept as an alias of ``crm-b2b`` for personas written before the
orgs split. Other environments are registered by name (:func:`register_environment`)
or named by an importable factory, ``package.module:factory``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from simulator.env._protocol import (
    Environment,
    NoEnvironment,
    Observable,
    ToolError,
    check_state,
    run_tool,
    state_matches,
)
from simulator.errors import SimulatorError
from simulator.persona import Persona

EnvironmentFactory = Callable[[Persona], Environment]
"""Builds one dialogue's environment for a persona (a class taking the persona works)."""

_REGISTRY: dict[str, EnvironmentFactory] = {}
_FACTORY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")

ENVIRONMENTS = ("none", "crm-b2b", "crm-b2c", "crm")
"""The environment names a persona may use (a CRM name may add ``@SCALE``)."""

_CRM = re.compile(r"^crm(?:-(b2b|b2c))?(?:@([1-9][0-9]*))?$")


def parse_crm(name: str) -> tuple[str, int] | None:
    """(org, scale) of a CRM environment name, or None if it is not one."""
    m = _CRM.match(name)
    if m is None:
        return None
    return m.group(1) or "b2b", int(m.group(2) or 1)


def register_environment(name: str, factory: EnvironmentFactory) -> None:
    """Make ``environment: NAME`` in a persona open ``factory(persona)`` per dialogue.

    Built-in names (``none``, the CRM's) cannot be replaced; registering a name again
    replaces the earlier factory.
    """
    if name in ENVIRONMENTS or parse_crm(name) is not None:
        raise SimulatorError(f"environment '{name}' is built in; choose another name")
    if not name or name != name.strip():
        raise SimulatorError(f"environment name {name!r} is empty or padded")
    _REGISTRY[name] = factory


def registered_environments() -> list[str]:
    """Names added with :func:`register_environment`, sorted."""
    return sorted(_REGISTRY)


def _imported_factory(spec: str) -> EnvironmentFactory:
    module_name, _, attr = spec.partition(":")
    try:
        target: object = importlib.import_module(module_name)
        for part in attr.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise SimulatorError(f"environment '{spec}': cannot import it ({exc})") from None
    if not callable(target):
        raise SimulatorError(f"environment '{spec}' is not callable; expected a factory")
    factory: EnvironmentFactory = target
    return factory


def open_environment(persona: Persona) -> Environment:
    """A fresh environment for one dialogue of ``persona`` (cheap: the CRM is shared)."""
    if persona.environment == "none":
        return NoEnvironment()
    factory = _factory(persona)
    if factory is not None:
        return factory(persona)
    from simulator.env.crm import CRMEnvironment

    org, scale = parse_crm(persona.environment) or ("", 0)  # _factory checked it is one
    return CRMEnvironment(
        org, persona.environment_seed or 0, scale=scale, actor_id=persona.context.user_id
    )


def check_environment(persona: Persona) -> None:
    """Raise the error :func:`open_environment` would for ``persona``'s environment, without
    opening one: a run checks its personas before it makes its folder."""
    if persona.environment != "none":
        _factory(persona)


def _factory(persona: Persona) -> EnvironmentFactory | None:
    """The factory of a registered or ``module:factory`` environment; None for a CRM org;
    raises for a name that is neither."""
    name = persona.environment
    factory = _REGISTRY.get(name)
    if factory is None and _FACTORY.match(name):
        factory = _imported_factory(name)
    if factory is None and parse_crm(name) is None:
        raise _unknown(persona)
    return factory


def _unknown(persona: Persona) -> SimulatorError:
    return SimulatorError(
        f"persona '{persona.id}': unknown environment '{persona.environment}'; "
        f"known environments: {', '.join([*ENVIRONMENTS, *registered_environments()])} "
        "(a CRM org may add @SCALE; your own: register_environment, or package.module:factory)"
    )


__all__ = [
    "ENVIRONMENTS",
    "Environment",
    "EnvironmentFactory",
    "NoEnvironment",
    "Observable",
    "ToolError",
    "check_environment",
    "check_state",
    "open_environment",
    "parse_crm",
    "register_environment",
    "registered_environments",
    "run_tool",
    "state_matches",
]
