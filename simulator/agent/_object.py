"""A Python object given directly as the agent: its spec for the record, and its builder.

``simulator.run_dialogue(persona, my_function)`` takes the agent itself, not a spec. The
record still needs a spec: it names the object by ``module:qualname`` (or
``path/to/file.py:qualname`` for a file loaded by ``file.py:name``) when that path leads
back to the very same object, so the record replays from its spec like any other (a
top-level module of a file in a subfolder, as pytest imports ``tests/test_x.py``, is
named by its file, since ``test_x:name`` would not import from the working directory). An
object no path leads to (a lambda, a closure, an instance such as a chat model) gets a
target no import can resolve (``<python object ...>``): replaying such a record needs the
object handed over again, it never silently builds a different agent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.agent._langchain import wrap_agent
from simulator.agent._protocol import AgentUnderTest
from simulator.agent._spec import AgentSpec, _is_factory

IN_MEMORY = "<python object"
"""How the ``target`` of an agent no import path leads to begins."""

_FILE_MODULE_PREFIX = "_simulator_agent_"  # modules that _spec._load_file executes


def is_in_memory(spec: AgentSpec) -> bool:
    """True for the spec of a Python object no import path leads to (see ``agent_from_object``)."""
    return spec.kind == "python" and spec.target.startswith(IN_MEMORY)


def _import_path(obj: Any) -> str | None:
    """``module:qualname`` (or ``file.py:qualname``) naming exactly ``obj``, else None."""
    module_name = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module_name, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    module = sys.modules.get(module_name)
    found: Any = module
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if module is None or found is not obj:
        return None
    file = getattr(module, "__file__", None)
    if module_name.startswith(_FILE_MODULE_PREFIX) and isinstance(file, str):
        return f"{file}:{qualname}"
    if isinstance(file, str) and _beside_not_importable(module_name, Path(file)):
        return f"{_shown(Path(file))}:{qualname}"
    return f"{module_name}:{qualname}"


def _beside_not_importable(module_name: str, file: Path) -> bool:
    """A top-level module of a ``.py`` file in a subfolder of the working directory
    (``tests/test_agent.py`` imported by pytest as ``test_agent``): ``module:name`` would
    not import from the working directory, so the record names the file instead."""
    if "." in module_name or module_name == "__main__" or file.suffix != ".py":
        return False
    cwd = Path.cwd().resolve()
    folder = file.resolve().parent
    return folder != cwd and folder.is_relative_to(cwd)


def _shown(file: Path) -> str:
    return str(file.resolve().relative_to(Path.cwd().resolve()))


def _label(obj: Any) -> str:
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(qualname, str):
        qualname = type(obj).__qualname__
    return qualname.rpartition("<locals>.")[2]


def agent_from_object(
    obj: Any, *, name: str | None = None
) -> tuple[AgentSpec, Callable[[], AgentUnderTest]]:
    """The spec and the builder of a Python object used as the agent under test.

    ``obj`` is anything ``wrap_agent`` takes (a function ``fn(messages, tools)``, an object
    with a ``step`` method, a LangChain chat model, a Runnable or compiled graph), or a
    factory of one: a class, or a function taking no positional argument, called again
    by the builder for every dialogue. ``name`` labels the agent in ids and reports
    (default: the object's name). The builder returns a fresh adapter per call; an
    object that is not a factory is itself shared by every dialogue.
    """
    label = name or _label(obj)
    target = _import_path(obj) or f"{IN_MEMORY} {label}>"
    spec = AgentSpec(name=label, kind="python", target=target)
    if _is_factory(obj):
        return spec, lambda: wrap_agent(obj())
    wrap_agent(obj)  # a non-agent fails here, not in its first dialogue
    return spec, lambda: wrap_agent(obj)
