"""What both importers share: reading the source, second to first person, cues, writing."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.errors import SimulatorError
from simulator.persona import Persona, persona_to_yaml, soundness_problems


@dataclass
class ImportResult:
    """Personas made from a task file, the tasks left out and why, and what was
    approximated (per persona id)."""

    personas: list[Persona] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (task id, reason)
    notes: dict[str, list[str]] = field(default_factory=dict)  # persona id -> notes
    sources: dict[str, str] = field(default_factory=dict)  # persona id -> source line

    def note(self, persona_id: str, text: str) -> None:
        self.notes.setdefault(persona_id, []).append(text)

    def add(
        self,
        task_id: str,
        build: Callable[[], tuple[dict[str, Any], list[str]]],
        source: str,
    ) -> None:
        """Convert one task: ``build`` gives the persona's data and notes. A task that
        does not convert, or converts to an unsound persona, is skipped with the reason."""
        try:
            data, notes = build()
            persona = Persona.model_validate(data)
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.skipped.append((task_id, re.sub(r"^'(.*)'$", r"missing key '\1'", reason)))
            return
        problems = unsound(persona)
        if problems:
            self.skipped.append((task_id, problems[0]))
            return
        self.personas.append(persona)
        self.sources[persona.id] = source
        for text in notes:
            self.note(persona.id, text)


def read_tasks(path: Path) -> list[dict[str, Any]]:
    """The task objects of a JSON file: a list of them, or one object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SimulatorError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise SimulatorError(f"{path}: not JSON ({exc})") from None
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise SimulatorError(f"{path}: expected a JSON object or a list of objects")
    return items


def safe_id(text: str) -> str:
    """``text`` as a persona id part: letters, digits, ``_ . -``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-") or "x"


def slug(text: str) -> str:
    """``text`` as a fact id: lower case words joined by underscores."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = "_".join(words) or "fact"
    return out if out[0].isalpha() else f"f_{out}"


# --- second person to first --------------------------------------------------------------------

_FIXED = (
    (r"you are", "I am"),
    (r"you were", "I was"),
    (r"you're", "I'm"),
    (r"you've", "I've"),
    (r"you'll", "I'll"),
    (r"you'd", "I'd"),
    (r"yourself", "myself"),
    (r"yours", "mine"),
    (r"your", "my"),
)
_OBJECT_AFTER = frozenset(
    "to for with at from about of by on than like against toward towards into told tell "
    "tells help helps helped give gives gave send sends sent call calls called ask asks asked "
    "let lets contact offer offered offers show showed assist remind reminded email emailed "
    "get got charge charged refund refunded owe owes allow allows allowed permit inform "
    "informed notify notified book booked transfer transferred put connect".split()
)


def _keep_case(source: str, target: str) -> str:
    if source[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def first_person(text: str) -> str:
    """An instruction to the simulated user ("You want to cancel your order") as the user
    says it ("I want to cancel my order"): pronouns and their verbs, by rule."""
    for pattern, repl in _FIXED:

        def fixed(m: re.Match[str], repl: str = repl) -> str:
            return _keep_case(m.group(0), repl)

        text = re.sub(rf"\b{pattern}\b", fixed, text, flags=re.IGNORECASE)

    def one(m: re.Match[str]) -> str:
        before = re.findall(r"[A-Za-z']+", text[: m.start()])
        previous = before[-1].lower() if before else ""
        return "me" if previous in _OBJECT_AFTER else "I"

    return re.sub(r"\b[Yy]ou\b", one, text)


def sentences(text: str) -> list[str]:
    """Sentences and lines of ``text`` (a dot inside a word, an e-mail or a number stays)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])|\n+", text)
    return [p.strip() for p in parts if p.strip()]


# --- cues --------------------------------------------------------------------------------------

STOPWORDS = frozenset(
    "about above after again against also among another because been before being below "
    "between both could does doing down during each every from further have having here "
    "into itself just more most much must need only other over same should some such than "
    "that their them then there these they this those through under until very want what "
    "when where which while will with would your yours make made given give gives find "
    "many each want also know like well sure okay please thanks thank".split()
)


def content_words(text: str) -> list[str]:
    """Distinct words of four letters or more that are not function words, in order."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", text):
        low = word.lower().strip("'-")
        if len(low) > 4 and low.endswith("s") and not low.endswith("ss"):
            low = low[:-1]  # a cue matches its plural, not the other way round
        if len(low) >= 4 and low not in STOPWORDS:
            seen.setdefault(low, None)
    return list(seen)


def distinct_cues(texts: Sequence[str], *, per_text: int = 4, avoid: str = "") -> list[list[str]]:
    """For each text, up to ``per_text`` of its content words that no other text (nor
    ``avoid``, e.g. the opening) has: the words an agent asking about it would use."""
    words = [content_words(t) for t in texts]
    common = set(content_words(avoid))
    out = []
    for i, own in enumerate(words):
        others = {w for j, ws in enumerate(words) if j != i for w in ws} | common
        picked = [w for w in own if w not in others][:per_text]
        out.append(picked or own[:per_text])
    return out


# --- writing -----------------------------------------------------------------------------------


def unsound(persona: Persona) -> list[str]:
    """What ``simulator persona check`` would refuse in ``persona`` (empty when sound)."""
    return [message for _, message in soundness_problems(persona)]


def write_personas(
    result: ImportResult, out: Path, *, overwrite: bool = False, source: str = ""
) -> list[Path]:
    """Write each persona of ``result`` to ``out/ID.yaml`` with a provenance header."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for persona in result.personas:
        target = out / f"{safe_id(persona.id)}.yaml"
        if target.exists() and not overwrite:
            raise SimulatorError(f"{target} already exists; not overwriting it (--overwrite)")
        header = [f"# {result.sources.get(persona.id, source)}".rstrip()]
        header += [f"# note: {n}" for n in result.notes.get(persona.id, [])]
        text = "\n".join(_wrap_comments(header)) + "\n" + persona_to_yaml(persona)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _wrap_comments(lines: Iterable[str], width: int = 92) -> list[str]:
    out = []
    for line in lines:
        text = line.removeprefix("#").strip()
        out += textwrap.wrap(text, width, initial_indent="# ", subsequent_indent="#   ") or ["#"]
    return out
