"""Personas: the simulated users, written as YAML, validated strictly, located precisely."""

from __future__ import annotations

from typing import Any

from simulator.persona._loader import (
    display_path,
    iter_personas,
    load_persona,
    load_personas,
    persona_to_yaml,
)
from simulator.persona._messages import PERSONA_ID_RULE
from simulator.persona._messages import problems as validation_problems
from simulator.persona._scaffold import scaffold_persona
from simulator.persona._schema import (
    PERSONA_ID_PATTERN,
    Confidential,
    Context,
    Expect,
    Fact,
    Forbid,
    Grade,
    Mode,
    Persona,
    Probe,
    StateCheck,
    ToolAction,
    Traits,
    ValueKind,
)
from simulator.persona._sound import soundness_problems
from simulator.persona._yaml import KeyPath, Positions, read_yaml_file

__all__ = [
    "PERSONA_ID_PATTERN",
    "PERSONA_ID_RULE",
    "Confidential",
    "Context",
    "Expect",
    "Fact",
    "Forbid",
    "Grade",
    "KeyPath",
    "Mode",
    "Persona",
    "Positions",
    "Probe",
    "StateCheck",
    "ToolAction",
    "Traits",
    "ValueKind",
    "display_path",
    "iter_personas",
    "load_persona",
    "load_personas",
    "persona_json_schema",
    "persona_to_yaml",
    "read_yaml_file",
    "scaffold_persona",
    "soundness_problems",
    "validation_problems",
]


def persona_json_schema() -> dict[str, Any]:
    """JSON Schema of a persona file, for editor completion and validation.

    Matches files as written: ``id`` may be left out (it defaults to the file name) and
    ``extends`` is allowed.
    """
    schema = Persona.model_json_schema()
    properties = dict(schema.get("properties", {}))
    properties["extends"] = {
        "title": "Extends",
        "description": "Path(s) of persona files to deep-merge under this one, relative to "
        "this file and inside the personas root.",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    schema["properties"] = properties
    schema["required"] = [k for k in schema.get("required", []) if k != "id"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "Simulator persona",
    }
