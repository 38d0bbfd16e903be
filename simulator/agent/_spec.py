"""Agent specs: which agent to test, from a YAML file or a one-line reference, and building it.

A spec is data (it goes into every dialogue record); ``build_agent`` turns it into a
fresh AgentUnderTest for each dialogue, so agents may keep state between steps.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.agent._callable import positional_arity
from simulator.agent._langchain import wrap_agent
from simulator.agent._protocol import AgentUnderTest
from simulator.agent._transcript import TRANSCRIPT_TARGET, find_transcript, transcript_spec_fields
from simulator.errors import AgentSpecError

if TYPE_CHECKING:
    from simulator.models import Budget, CallLog, ModelRegistry

AgentKind = Literal["reference", "python", "anthropic", "openai", "openai-compatible"]
"""How the spec is read: ``target`` for reference and python agents, ``model`` for LLMs."""

LLM_KINDS: tuple[str, ...] = ("anthropic", "openai", "openai-compatible")
_CODE_FIELDS = ("name", "kind", "target", "options", "description")
_LLM_FIELDS = (
    "model",
    "base_url",
    "system_prompt",
    "system_prompt_file",
    "temperature",
    "seed",
    "max_tokens",
    "max_steps",
    "privacy_prompt",
)

_FORMS = (
    "a YAML spec file (agents/careful.yaml), reference:NAME (or the bare NAME), module:attr, "
    "path/to/file.py:attr, transcript:FILE[#ID] (replays an exported transcript), or a model "
    "(openai:MODEL, anthropic:MODEL, openai-compatible:MODEL@URL)"
)


class AgentSpec(BaseModel):
    """Which agent to test: a reference agent, a Python object, or an LLM with its settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Label in reports; a YAML file's stem by default.")
    kind: AgentKind = Field(
        description="reference: built-in agent; python: importable object; "
        "anthropic, openai, openai-compatible: an LLM with native tool calling."
    )
    target: str = Field(
        default="",
        description="Reference agent name, module:attr, or path/to/file.py:attr.",
    )
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="Keyword arguments for the target when it is a class or factory.",
    )
    description: str = ""
    # --- LLM kinds only ---
    model: str | None = Field(default=None, description="The provider's model name.")
    base_url: str | None = Field(default=None, description="openai-compatible: the server URL.")
    system_prompt: str | None = Field(default=None, description="The agent's instructions.")
    system_prompt_file: str | None = Field(
        default=None, description="A file with the instructions (relative to the spec file)."
    )
    temperature: float | None = Field(
        default=None, ge=0.0, le=2.0, description="Unset: not sent (the provider's default)."
    )
    seed: int | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_steps: int | None = Field(default=None, ge=1, description="Steps between user turns.")
    privacy_prompt: bool | None = Field(
        default=None, description="Append confidentiality guidelines to the system prompt."
    )

    @model_validator(mode="after")
    def _fields_for_kind(self) -> AgentSpec:
        llm_set = [f for f in _LLM_FIELDS if getattr(self, f) is not None]
        if self.kind in LLM_KINDS:
            if not self.model:
                raise ValueError(f"kind '{self.kind}' needs a 'model'")
            if self.target or self.options:
                raise ValueError(f"kind '{self.kind}' takes 'model', not 'target' or 'options'")
        else:
            if not self.target:
                raise ValueError(f"kind '{self.kind}' needs a 'target'")
            if llm_set:
                raise ValueError(f"{', '.join(llm_set)}: only for kinds {', '.join(LLM_KINDS)}")
        return self

    @property
    def model_string(self) -> str:
        """``provider:model`` (``@base_url`` for OpenAI-compatible servers) of an LLM agent."""
        model = self.model or ""
        prefix = f"{self.kind}:"
        if model.startswith(prefix):
            model = model[len(prefix) :]
        if self.kind == "openai-compatible" and self.base_url:
            return f"{prefix}{model}@{self.base_url}"
        return f"{prefix}{model}"

    def to_record(self) -> dict[str, Any]:
        """The spec as stored in records: settings left unset are left out."""
        return self.model_dump(mode="json", exclude_none=True)


# --- resolving a spec from text -------------------------------------------------------------


def resolve_agent_spec(text: str, *, base_dir: Path | None = None) -> AgentSpec:
    """Read an agent spec from a YAML path, ``reference:NAME`` (or a reference agent's bare
    name), ``module:attr``, ``file.py:attr``, ``transcript:FILE[#ID]`` or an LLM one-liner.

    ``transcript:FILE#ID`` is the python agent :class:`~simulator.agent.TranscriptAgent`
    replaying the assistant turns of one transcript of FILE (``simulator export --format
    openai``, or a records file).

    Relative paths are taken from ``base_dir`` (default: the working directory). Python
    targets are imported now, so a wrong name fails before any dialogue starts.
    """
    text = text.strip()
    base = base_dir if base_dir is not None else Path()
    if text.endswith((".yaml", ".yml")):
        return _load_yaml(base / text)
    kind, sep, rest = text.partition(":")
    if kind == "reference" and sep:
        if not rest:
            raise AgentSpecError(f"{text!r}: missing the reference agent name after 'reference:'")
        check_reference(rest)
        return AgentSpec(name=rest, kind="reference", target=rest)
    if kind in LLM_KINDS and sep:
        return _llm_one_liner(text)
    if kind == "transcript" and sep:
        name, options = transcript_spec_fields(rest, base)
        return AgentSpec(name=name, kind="python", target=TRANSCRIPT_TARGET, options=options)
    if not sep and _is_reference_name(text):  # `--agent careful`: as reference:careful
        return AgentSpec(name=text, kind="reference", target=text)
    if ":" not in text:
        raise AgentSpecError(f"cannot read agent {text!r}: expected {_FORMS}")
    target = _normalize_target(text, base)
    try:
        load_agent_target(target)
    except AgentSpecError as exc:
        raise AgentSpecError(f"agent {text!r}: {exc}") from None
    return AgentSpec(name=_default_name(target), kind="python", target=target)


def _llm_one_liner(text: str) -> AgentSpec:
    """``openai:gpt-4.1-mini`` and the like: an LLM agent with default settings."""
    from simulator.models import ModelConfigError, parse_model

    try:
        model = parse_model(text)
    except ModelConfigError as exc:
        raise AgentSpecError(str(exc)) from None
    return AgentSpec(
        name=model.model, kind=model.provider, model=model.model, base_url=model.base_url
    )


def _is_file_ref(location: str) -> bool:
    return location.endswith(".py") or "/" in location or "\\" in location


def _normalize_target(target: str, base: Path) -> str:
    """``file.py:attr`` with the file made absolute (relative to ``base``); modules unchanged."""
    location, _, attr = target.rpartition(":")
    if not location or not attr:
        raise AgentSpecError(f"{target!r}: expected module:attr or path/to/file.py:attr")
    if _is_file_ref(location):
        return f"{(base / location).resolve()}:{attr}"
    return target


def _default_name(target: str) -> str:
    location, _, attr = target.rpartition(":")
    return f"{Path(location).stem}:{attr}" if _is_file_ref(location) else target


def _key_lines(text: str) -> dict[str, tuple[int, int]]:
    """Line and column (1-based) of each top-level key, to point errors at the right place."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (k.start_mark.line + 1, k.start_mark.column + 1) for k, _ in node.value}


def _load_yaml(path: Path) -> AgentSpec:
    """Load one spec file; every error names the file (and the line when known)."""
    if not path.is_file():
        raise AgentSpecError(f"{path}: agent spec file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentSpecError(f"{path}: cannot be read: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise AgentSpecError(f"{where}: invalid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise AgentSpecError(f"{path}: expected a mapping of spec keys, got {type(data).__name__}")
    data.setdefault("name", path.stem)
    lines = _key_lines(text)
    _check_keys_for_kind(data, path, lines)
    try:
        spec = AgentSpec.model_validate(data)
    except ValidationError as exc:
        raise AgentSpecError(_describe(exc, path, lines)) from exc
    if spec.kind == "python":
        line, col = _key_lines(text).get("target", (None, None))
        where = f"{path}:{line}:{col}" if line is not None else str(path)
        try:
            target = _normalize_target(spec.target, path.parent)
            load_agent_target(target)
        except AgentSpecError as exc:
            raise AgentSpecError(f"{where}: target: {exc}") from exc
        spec = spec.model_copy(update={"target": target})
        if target == TRANSCRIPT_TARGET:
            spec = _transcript_file(spec, path, lines)
    elif spec.kind == "reference":
        line, col = _key_lines(text).get("target", (None, None))
        where = f"{path}:{line}:{col}" if line is not None else str(path)
        try:
            check_reference(spec.target)
        except AgentSpecError as exc:
            raise AgentSpecError(f"{where}: target: {exc}") from exc
    elif spec.system_prompt_file is not None:
        spec = _inline_prompt_file(spec, path, lines)
    return spec


def _transcript_file(spec: AgentSpec, path: Path, lines: dict[str, tuple[int, int]]) -> AgentSpec:
    """A transcript agent's ``options.path`` is relative to the spec file, and read now."""
    options = dict(spec.options)
    where = _where(path, lines, "options")
    if not isinstance(options.get("path"), str):
        raise AgentSpecError(f"{where}: options: a transcript agent needs 'path' (a file)")
    unknown = sorted(set(options) - {"path", "dialogue", "strict"})
    if unknown:
        raise AgentSpecError(
            f"{where}: options: unknown {', '.join(map(repr, unknown))} (a transcript agent "
            "takes path, dialogue and strict)"
        )
    file = (path.parent / options["path"]).resolve()
    dialogue = options.get("dialogue")
    try:
        find_transcript(file, dialogue if isinstance(dialogue, str) else None)
    except AgentSpecError as exc:
        raise AgentSpecError(f"{where}: options: {exc}") from exc
    options["path"] = str(file)
    return spec.model_copy(update={"options": options})


def _where(path: Path, lines: dict[str, tuple[int, int]], key: str) -> str:
    line, col = lines.get(key, (None, None))
    return f"{path}:{line}:{col}" if line is not None else str(path)


def _check_keys_for_kind(
    data: dict[str, Any], path: Path, lines: dict[str, tuple[int, int]]
) -> None:
    """LLM settings on a code agent read as unknown keys; a prompt given twice is an error."""
    if data.get("kind") in ("reference", "python"):
        for key in data:
            if key in _LLM_FIELDS:
                allowed = ", ".join(_CODE_FIELDS)
                raise AgentSpecError(
                    f"{_where(path, lines, key)}: unknown key {key!r} (allowed: {allowed}; "
                    f"{key!r} is only for kinds {', '.join(LLM_KINDS)})"
                )
    if "system_prompt" in data and "system_prompt_file" in data:
        raise AgentSpecError(
            f"{_where(path, lines, 'system_prompt_file')}: give either system_prompt or "
            "system_prompt_file, not both"
        )


def _inline_prompt_file(
    spec: AgentSpec, path: Path, lines: dict[str, tuple[int, int]]
) -> AgentSpec:
    """Read the prompt file now (relative to the spec): the record keeps the text it used."""
    prompt_path = (path.parent / str(spec.system_prompt_file)).resolve()
    try:
        prompt = prompt_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        where = _where(path, lines, "system_prompt_file")
        raise AgentSpecError(
            f"{where}: system_prompt_file: cannot read {prompt_path}: {exc}"
        ) from exc
    return spec.model_copy(update={"system_prompt": prompt, "system_prompt_file": str(prompt_path)})


def _describe(exc: ValidationError, path: Path, lines: dict[str, tuple[int, int]]) -> str:
    """The first validation error as ``file:line:col: key: what was expected``."""
    err = exc.errors()[0]
    key = str(err["loc"][0]) if err["loc"] else ""
    line, col = lines.get(key, (None, None))
    where = f"{path}:{line}:{col}" if line is not None else str(path)
    if err["type"] == "extra_forbidden":
        allowed = ", ".join(AgentSpec.model_fields)
        return f"{where}: unknown key {key!r} (allowed: {allowed})"
    dotted = ".".join(str(part) for part in err["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if not dotted:  # a rule across keys
        return f"{where}: {str(err['msg']).removeprefix('Value error, ')}{more}"
    return f"{where}: {dotted}: {err['msg']}{more}"


# --- importing targets ----------------------------------------------------------------------

_FILE_MODULES: dict[Path, ModuleType] = {}


def _load_file(path: Path) -> ModuleType:
    """Execute a Python file once under a unique module name and cache the module."""
    path = path.resolve()
    if path in _FILE_MODULES:
        return _FILE_MODULES[path]
    if not path.is_file():
        raise AgentSpecError(f"{path}: agent file not found")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"_simulator_agent_{path.stem}_{digest}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise AgentSpecError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise AgentSpecError(f"{path}: loading failed: {type(exc).__name__}: {exc}") from exc
    _FILE_MODULES[path] = module
    return module


def _import_module(name: str) -> ModuleType:
    """Import a user's module; the working directory is searched too, as ``python -m`` does.

    It is searched last, so a file there never shadows an installed package.
    """
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.append(cwd)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            raise AgentSpecError(
                f"unknown module {name!r}: not found in the working directory ({cwd}) nor on "
                "the import path; run from the folder that holds it, add its folder to "
                "PYTHONPATH, or name the file: path/to/file.py:attr"
            ) from exc
        raise AgentSpecError(f"importing {name!r} failed: {exc}") from exc
    except Exception as exc:
        raise AgentSpecError(f"importing {name!r} failed: {type(exc).__name__}: {exc}") from exc


def load_agent_target(target: str) -> Any:
    """:func:`load_target`, refusing an object that cannot be an agent (a number, a
    string, ...) before any dialogue starts."""
    obj = load_target(target)
    usable = (
        inspect.isclass(obj)
        or callable(obj)
        or callable(getattr(obj, "step", None))
        or callable(getattr(obj, "ainvoke", None))
    )
    if not usable:
        location, _, attr = target.rpartition(":")
        kind = type(obj).__name__
        raise AgentSpecError(
            f"{location}: {attr} is {'an' if kind[0] in 'aeiou' else 'a'} {kind}, not an "
            "agent: expected a function "
            "fn(messages, tools), a class or factory, an object with a step(messages, tools) "
            "method, a LangChain chat model, a Runnable or a compiled graph"
        )
    return obj


def load_target(target: str) -> Any:
    """The object a python target names (``attr`` may be dotted: ``module:Class.factory``)."""
    location, _, attr = target.rpartition(":")
    if not location or not attr:
        raise AgentSpecError(f"{target!r}: expected module:attr or path/to/file.py:attr")
    module = _load_file(Path(location)) if _is_file_ref(location) else _import_module(location)
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            if location == "__main__":
                raise AgentSpecError(
                    f"{target}: the agent was a function of the script that made the "
                    f"record, which this process is not; hand it over again "
                    f"(simulator.replay(record, agent={attr.split('.')[0]})), or define it in "
                    "a module or file.py the record can name"
                ) from None
            raise AgentSpecError(f"{location} has no attribute {attr!r}") from None
    return obj


def code_file(spec: AgentSpec) -> Path | None:
    """The source file of a python agent's module (``file.py`` itself, or where
    ``module`` is found), or None: another kind, a transcript, a module not found."""
    if spec.kind != "python" or spec.target is None or spec.target == TRANSCRIPT_TARGET:
        return None
    location = spec.target.rpartition(":")[0]
    if _is_file_ref(location):
        return Path(location)
    try:
        found = importlib.util.find_spec(location)
    except (ImportError, ValueError):
        return None
    if found is None or not found.has_location or not found.origin:
        return None
    return Path(found.origin)


def code_digest(spec: AgentSpec) -> str | None:
    """A digest of :func:`code_file`'s text, so a run can tell that an agent's code
    changed since it started (its module's own file only, not what that imports)."""
    path = code_file(spec)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path else None
    except OSError:
        return None


# --- building agents ------------------------------------------------------------------------


def _is_factory(obj: Any) -> bool:
    """A class, or a function that needs no positional argument (so cannot be an agent fn)."""
    if inspect.isclass(obj):
        return True
    if not (inspect.isfunction(obj) or inspect.ismethod(obj)):
        return False
    required = [
        p
        for p in inspect.signature(obj).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return not required and positional_arity(obj) != 2


def _build_reference(spec: AgentSpec) -> AgentUnderTest:
    from simulator.agent.reference import make_reference_agent  # late: it imports agent modules

    if not spec.options:
        return make_reference_agent(spec.target)
    try:
        return make_reference_agent(spec.target, **spec.options)
    except TypeError as exc:
        raise AgentSpecError(f"reference agent {spec.target!r}: bad options: {exc}") from exc


def _is_reference_name(name: str) -> bool:
    from simulator.agent.reference import REFERENCE_AGENTS

    return name in REFERENCE_AGENTS


def check_reference(name: str) -> None:
    """Fail early, before any dialogue, on an unknown reference agent name."""
    from simulator.agent.reference import REFERENCE_AGENTS

    if name not in REFERENCE_AGENTS:
        known = ", ".join(sorted(REFERENCE_AGENTS))
        raise AgentSpecError(f"unknown reference agent {name!r}; known: {known}")


def _build_python(spec: AgentSpec) -> AgentUnderTest:
    obj = load_target(spec.target)
    if _is_factory(obj):
        try:
            obj = obj(**spec.options)
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            raise AgentSpecError(f"{spec.target}: building the agent failed: {detail}") from exc
    elif spec.options:
        raise AgentSpecError(
            f"{spec.target}: options are given but the target is not a class or factory"
        )
    return wrap_agent(obj)


def _build_llm(spec: AgentSpec, services: AgentServices) -> AgentUnderTest:
    from simulator.agent._llm import llm_agent  # late: it imports the model clients

    return llm_agent(spec, **services)


class AgentServices(TypedDict, total=False):
    """What an agent that calls models needs from its dialogue (ignored by the others)."""

    calls: CallLog | None
    budget: Budget | None
    models: ModelRegistry | None


_BUILDERS: dict[str, Callable[[AgentSpec, AgentServices], AgentUnderTest]] = {
    "reference": lambda spec, _: _build_reference(spec),
    "python": lambda spec, _: _build_python(spec),
    "anthropic": _build_llm,
    "openai": _build_llm,
    "openai-compatible": _build_llm,
}


def build_agent(
    spec: AgentSpec,
    *,
    calls: CallLog | None = None,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> AgentUnderTest:
    """A new agent for one dialogue: classes and factories are called again on every build.

    LLM agents log their model calls into the dialogue's ``calls``, charge ``budget`` and
    use the clients, cache and limits of ``models`` (default: the process-wide registry).
    """
    return _BUILDERS[spec.kind](spec, {"calls": calls, "budget": budget, "models": models})
