"""The study spec: which personas, agents, modes and seeds a run covers, read from YAML.

A study file is small and hand-written, so it is read strictly (unknown keys are errors)
and every error names the file, line and column. Command-line flags override its keys;
``resolve`` turns the result into personas, agent specs and a lazy stream of jobs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from simulator.agent import LLM_KINDS, AgentSpec, resolve_agent_spec
from simulator.env import check_environment
from simulator.errors import PersonaError, SimulatorError
from simulator.limits import DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_MAX_STEPS, DEFAULT_MAX_TURNS
from simulator.models import Roles
from simulator.persona import (
    KeyPath,
    Mode,
    Persona,
    Positions,
    load_personas,
    read_yaml_file,
    validation_problems,
)
from simulator.run._batch import DialogueJob

DEFAULT_AGENTS = ("reference:careful", "reference:eager", "reference:leaky", "reference:guarded")
DEFAULT_MODES = (Mode.FULL, Mode.SHARDED, Mode.ON_ASK)


class StudyError(SimulatorError):
    """A study file or study flags that cannot be used; printed as one line."""


class Study(BaseModel):
    """A degradation study: personas × agents × modes × seeds, and how to run them.

    Paths (personas, agent spec files, ``file.py:name`` agents) are relative to the
    study file's folder; for a study given only by flags, to the working directory.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="study", min_length=1, description="Label of the study.")
    description: str = ""
    personas: list[str] = Field(
        default_factory=lambda: ["personas/crm"],
        min_length=1,
        description="Persona files or folders (searched recursively).",
    )
    agents: list[str] = Field(
        default_factory=lambda: list(DEFAULT_AGENTS),
        min_length=1,
        description="Agent specs: spec files, reference:NAME, module:attr or file.py:attr.",
    )
    exclude_tags: list[str] = Field(
        default_factory=list, description="Leave out personas carrying any of these tags."
    )
    per_family: int | None = Field(
        default=None,
        ge=0,
        description="A stratified sample: N personas of each task family in each "
        "environment (spread over file order); 0/unset: all.",
    )
    modes: list[Mode] = Field(default_factory=lambda: list(DEFAULT_MODES), min_length=1)
    repeats: int = Field(default=1, ge=1, description="Dialogues per persona, agent and mode.")
    seed: int = Field(default=0, description="Seed of the first repeat (seeds seed..).")
    seeds: list[int] | None = Field(
        default=None, min_length=1, description="Explicit seeds; replaces seed and repeats."
    )
    concurrency: int = Field(
        default=8,
        ge=1,
        description="Dialogues in flight at once, in total (shared among the workers).",
    )
    workers: int | None = Field(
        default=None,
        ge=1,
        description="Processes the dialogues are shared among (one machine); unset: every "
        "core for a run of 200 or more dialogues that calls no model, else 1.",
    )
    executor: Literal["local", "ray"] = Field(
        default="local",
        description="Where dialogues run: local (this machine, in `workers` processes) or "
        "ray (Ray tasks on a cluster: needs the ray extra).",
    )
    max_turns: int = Field(default=DEFAULT_MAX_TURNS, ge=1)
    max_steps: int = Field(default=DEFAULT_MAX_STEPS, ge=1)
    step_timeout: float | None = Field(default=60.0, gt=0)
    max_message_chars: int = Field(
        default=DEFAULT_MAX_MESSAGE_CHARS,
        ge=1,
        description="Characters of one agent reply kept; a longer reply is cut to them and "
        "ends the dialogue (agent_oversized).",
    )
    roles: Roles = Field(default_factory=Roles, description="LLMs in the user / judge roles.")
    budget_usd: float | None = Field(default=None, ge=0, description="Spending limit (USD).")

    @field_validator("personas", "agents", "exclude_tags", "modes", mode="before")
    @classmethod
    def _one_is_a_list_of_one(cls, value: Any) -> Any:
        """``personas: personas/crm`` (or ``personas="..."``) is a list of one; a path
        object is its text."""
        items = [value] if isinstance(value, str | os.PathLike) else value
        if isinstance(items, list | tuple):
            return [os.fspath(i) if isinstance(i, os.PathLike) else i for i in items]
        return items

    @field_validator("agents", mode="before")
    @classmethod
    def _agents_are_specs(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for item in value:
                if callable(item) or hasattr(item, "step"):  # what run_dialogue takes
                    raise ValueError(
                        f"a study names its agents by spec strings ('reference:careful', "
                        f"'file.py:name', 'module:attr', 'openai:MODEL'), got "
                        f"{type(item).__name__} {item!r}; to play a Python object, use "
                        "simulator.run_dialogue or the simulate fixture"
                    )
        return value

    @model_validator(mode="after")
    def _one_way_to_give_seeds(self) -> Study:
        given = self.seeds is not None and "repeats" in self.model_fields_set
        if given and self.repeats != len(self.seeds or ()):
            raise ValueError("give either 'seeds' or 'repeats', not both")
        if self.seeds is not None and len(set(self.seeds)) != len(self.seeds):
            raise ValueError("'seeds' repeats a seed; each seed must be different")
        twice = sorted({m.value for m in self.modes if self.modes.count(m) > 1})
        if twice:
            raise ValueError(
                f"'modes' repeats {', '.join(twice)}; each mode runs once per persona, "
                "agent and seed (more seeds, or repeats, run it more often)"
            )
        return self

    @property
    def seed_list(self) -> list[int]:
        return (
            list(self.seeds)
            if self.seeds is not None
            else list(range(self.seed, self.seed + self.repeats))
        )

    def with_overrides(self, overrides: Mapping[str, Any]) -> Study:
        """A copy with the given keys replaced (None values are ignored), re-validated."""
        data = self.model_dump(exclude_unset=True)
        given = {k: v for k, v in overrides.items() if v is not None}
        if "seed" in given or "repeats" in given:
            data.pop("seeds", None)  # flags speak in seed/repeats
        data.update(given)
        try:
            return Study.model_validate(data)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            message = err["msg"].removeprefix("Value error, ")
            if not err["loc"]:  # a check across keys: its message names them
                raise StudyError(message) from None
            where = ".".join(str(p) for p in err["loc"])
            raise StudyError(f"{where}: {message}") from None


@dataclass(frozen=True)
class ResolvedStudy:
    """A study with its personas loaded and its agents resolved: ready to run."""

    study: Study
    base_dir: Path
    source: Path | None
    personas: tuple[Persona, ...]
    agents: tuple[AgentSpec, ...]
    left_out: tuple[str, ...] = ()  # families whose personas the excluded tags removed

    @property
    def modes(self) -> list[Mode]:
        return list(self.study.modes)

    @property
    def seeds(self) -> list[int]:
        return self.study.seed_list

    @property
    def total(self) -> int:
        """How many dialogues the study has."""
        return len(self.personas) * len(self.agents) * len(self.modes) * len(self.seeds)

    def jobs(self) -> Iterator[DialogueJob]:
        """Every persona × agent × mode × seed, lazily, in the order of ``plan``."""
        for agent, mode, persona, seed in itertools.product(
            self.agents, self.modes, self.personas, self.seeds
        ):
            yield DialogueJob(persona, agent, mode, seed)

    def persona_digests(self) -> dict[str, str]:
        """Persona id → digest of the resolved persona, to detect edits before a resume."""
        return {p.id: persona_digest(p) for p in self.personas}


def persona_digest(persona: Persona) -> str:
    text = json.dumps(persona.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- reading ----------------------------------------------------------------------------------


def load_study(path: Path) -> Study:
    """Read a study file; any problem is a StudyError naming file, line and column."""
    try:
        data, positions = read_yaml_file(path, str(path))
    except PersonaError as exc:  # the reader speaks of personas; the position is what matters
        raise StudyError(str(exc).replace("a persona is a short", "a study is a short")) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise StudyError(f"{path}:1:1: expected a mapping of study keys (personas, agents, ...)")
    try:
        return Study.model_validate(data)
    except ValidationError as exc:
        raise _study_error(exc, data, positions, path) from None


def _study_error(
    exc: ValidationError, data: Mapping[str, Any], positions: Positions, path: Path
) -> StudyError:
    """The study file's problems worded as a persona file's are, the first (a misspelt
    key before the key it makes missing: the misspelling is the news) carrying the rest."""
    found = sorted(validation_problems(exc, data, Study), key=lambda p: "unknown key" not in p[1])
    errors = [StudyError(f"{_position(loc, positions, path)}: {message}") for loc, message in found]
    first = errors[0]
    if len(errors) > 1:
        more = len(errors) - 1
        first = StudyError(f"{first} (and {more} more problem{'s' if more > 1 else ''})")
    first.others = list(errors[1:])
    return first


def _position(loc: KeyPath, positions: Positions, path: Path) -> str:
    for n in range(len(loc), -1, -1):
        pos = positions.get(loc[:n])
        if pos is not None:
            return f"{pos.file}:{pos.line}:{pos.column}"
    return str(path)


# --- resolving --------------------------------------------------------------------------------


def resolve_study(study: Study, base_dir: Path, source: Path | None = None) -> ResolvedStudy:
    """Load the personas and resolve the agents; fails before any dialogue on bad input."""
    paths = [_under(base_dir, p) for p in study.personas]
    if "personas" not in study.model_fields_set and not paths[0].exists():
        if source is not None:
            where, fix = f"{source} gives no 'personas'", "add 'personas: [path/to/personas]'"
        else:
            where, fix = "no personas were given", "give them (--persona PATH, personas=[...])"
        raise StudyError(
            f"{where}, and the default, {study.personas[0]}, is not in {base_dir}: {fix}"
        )
    loaded = load_personas(paths)
    personas = select_personas(loaded, study)
    excluded = set(study.exclude_tags)
    left_out = sorted({p.family or p.id for p in loaded if excluded & set(p.tags)})
    if not personas:
        raise StudyError(
            "no personas found (or left by the selection) in " + ", ".join(map(str, paths))
        )
    for persona in {p.environment: p for p in personas}.values():
        check_environment(persona)  # before the run's folder is made
    agents = [resolve_agent_spec(a, base_dir=base_dir) for a in study.agents]
    names = [a.name for a in agents]
    if len(set(names)) != len(names):
        raise StudyError(f"two agents share a name: {', '.join(names)}")
    return ResolvedStudy(study, base_dir, source, tuple(personas), tuple(agents), tuple(left_out))


def select_personas(personas: Sequence[Persona], study: Study) -> list[Persona]:
    """The personas the study keeps: without excluded tags, and a stratified sample of
    ``per_family`` of each task family in each environment (personas without a family
    are all kept).

    A stratum's N are spread evenly over its personas in file order (the 1st, then every
    len/N-th), so a sample covers a family's range of tasks, not only its first ones;
    with N = 1 it is the first persona, as the file lists them.
    """
    excluded = set(study.exclude_tags)
    eligible = [p for p in personas if not excluded & set(p.tags)]
    if not study.per_family:
        return eligible
    strata: dict[tuple[str, str], list[int]] = {}
    for index, persona in enumerate(eligible):
        if persona.family is not None:
            strata.setdefault((persona.family, persona.environment), []).append(index)
    dropped: set[int] = set()
    for members in strata.values():
        n = min(study.per_family, len(members))
        keep = {members[(i * len(members)) // n] for i in range(n)}
        dropped.update(m for m in members if m not in keep)
    return [p for i, p in enumerate(eligible) if i not in dropped]


def _under(base: Path, text: str) -> Path:
    path = Path(text)
    return path if path.is_absolute() else base / path


def default_study_file() -> Path | None:
    """``studies/default.yaml`` in the working directory, else beside the package (a checkout)."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base / "studies" / "default.yaml"
        if candidate.is_file():
            return candidate
    return None


def absolute_paths(personas: Sequence[str], agents: Sequence[str], base: Path) -> dict[str, Any]:
    """Flag values made absolute (from ``base``), so they mean the same inside any study."""
    out: dict[str, Any] = {}
    if personas:
        out["personas"] = [str(_under(base, p).resolve()) for p in personas]
    if agents:
        out["agents"] = [_absolute_agent(a, base) for a in agents]
    return out


def _absolute_agent(text: str, base: Path) -> str:
    text = text.strip()
    kind = text.partition(":")[0]
    if kind in (*LLM_KINDS, "reference"):  # "openai-compatible:MODEL@http://host/v1"
        return text
    if kind == "transcript" and ":" in text:  # transcript:FILE#ID, the id may hold ':'
        location, sep, dialogue = text.partition(":")[2].partition("#")
        if location:
            return f"transcript:{_under(base, location).resolve()}{sep}{dialogue}"
        return text
    if text.endswith((".yaml", ".yml")):
        return str(_under(base, text).resolve())
    location, sep, attr = text.rpartition(":")
    if sep and (location.endswith(".py") or "/" in location or "\\" in location):
        return f"{_under(base, location).resolve()}:{attr}"
    return text
