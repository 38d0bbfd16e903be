"""A scripted agent that replays the assistant turns of an OpenAI-style transcript.

``simulator export --format openai`` writes one transcript per line; the agent below plays
one of them back, so the same persona, mode and seed re-run the dialogue from the file
alone (``--agent transcript:FILE#ID``). Records files (``dialogues.jsonl``) hold
transcripts too (each record's ``messages``) and are read the same way.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.agent._callable import InvalidAgentReply, coerce_reply
from simulator.agent._protocol import AgentReply, Message, ToolSpec
from simulator.errors import AgentSpecError

TRANSCRIPT_TARGET = "simulator.agent:TranscriptAgent"
"""The python target of a transcript agent, as stored in agent specs and records."""


class TranscriptExhausted(RuntimeError):
    """The dialogue asked for more agent turns than the transcript holds."""


class TranscriptDiverged(RuntimeError):
    """(``strict``) the agent was shown messages the transcript does not hold."""


@dataclass(frozen=True)
class Transcript:
    """One transcript of a file: its id and agent name when it says them, its messages."""

    id: str | None
    agent: str | None
    messages: list[Message]


def _as_transcript(item: Any, where: str) -> Transcript:
    """A list of messages, an export's object (``messages``, ``metadata.id``,
    ``metadata.agent``) or a record (``messages``, ``id``, ``agent.name``)."""
    ident: Any = None
    agent: Any = None
    if isinstance(item, list):
        messages = item
    elif isinstance(item, dict) and isinstance(item.get("messages"), list):
        messages = item["messages"]
        metadata, spec = item.get("metadata"), item.get("agent")
        if isinstance(metadata, dict):
            ident, agent = metadata.get("id"), metadata.get("agent")
        ident = ident if isinstance(ident, str) else item.get("id")
        if agent is None and isinstance(spec, dict):
            agent = spec.get("name")
    else:
        raise AgentSpecError(f"{where}: expected a list of messages or an object with 'messages'")
    for i, message in enumerate(messages):
        if not (isinstance(message, dict) and isinstance(message.get("role"), str)):
            raise AgentSpecError(f"{where}: messages[{i}] is not a message with a 'role'")
    return Transcript(
        ident if isinstance(ident, str) else None,
        agent if isinstance(agent, str) and agent else None,
        messages,
    )


def read_transcripts(path: Path) -> list[Transcript]:
    """Every transcript of ``path``: a JSON file (one transcript, or a list of them) or a
    JSON Lines file (one per line: an export, or a records file).

    A file is parsed once per version (size and modification time): a run builds a new
    agent for every dialogue, and they all read the same file."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise AgentSpecError(f"{path}: cannot read the transcript file: {exc}") from None
    return _parsed(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, size: int, mtime_ns: int) -> list[Transcript]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentSpecError(f"{path}: cannot read the transcript file: {exc}") from None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if whole is not None:
        listed = isinstance(whole, list) and whole and isinstance(whole[0], dict)
        if listed and "role" not in whole[0]:  # a list of transcripts, not of messages
            return [_as_transcript(item, f"{path}[{i}]") for i, item in enumerate(whole)]
        return [_as_transcript(whole, str(path))]
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AgentSpecError(f"{path}:{number}: not JSON: {exc.msg}") from None
        found.append(_as_transcript(item, f"{path}:{number}"))
    if not found:
        raise AgentSpecError(f"{path}: no transcript in the file")
    return found


def find_transcript(path: str | Path, dialogue: str | None = None) -> Transcript:
    """The transcript of ``path`` whose id is ``dialogue`` (or the only one whose id
    contains it); with no ``dialogue``, the file's only transcript."""
    file = Path(path)
    transcripts = read_transcripts(file)
    if dialogue is None:
        if len(transcripts) == 1:
            return transcripts[0]
        ids = ", ".join(str(t.id) for t in transcripts[:5])
        raise AgentSpecError(
            f"{file}: {len(transcripts)} transcripts; pick one with FILE#ID (e.g. {ids})"
        )
    for t in transcripts:
        if t.id == dialogue:
            return t
    parts = [t for t in transcripts if t.id is not None and dialogue in t.id]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        raise AgentSpecError(f"{file}: no transcript with the id {dialogue!r}")
    ids = ", ".join(str(t.id) for t in parts[:5])
    raise AgentSpecError(f"{file}: {len(parts)} transcripts match {dialogue!r} ({ids})")


def _said(message: Message) -> tuple[str, Any, Any]:
    return (message.get("role", ""), message.get("content") or "", message.get("tool_call_id"))


class TranscriptAgent:
    """Replays a transcript's assistant messages in order, one per agent step.

    The step's index is the number of assistant messages the agent has been shown, so the
    agent keeps no state and takes over a fork at any turn. Text, tool calls and their ids
    are returned as the transcript has them; a step past its last assistant message raises
    :class:`TranscriptExhausted` (the dialogue ends with ``agent_error``). With ``strict``,
    a step whose transcript so far (system, user and tool messages) differs from the
    file's raises :class:`TranscriptDiverged`: the dialogue is not the one recorded.

    ``path`` is a JSON or JSON Lines file (see :func:`read_transcripts`); ``dialogue``
    picks one transcript of several by its id (``metadata.id`` of an export, ``id`` of a
    record) or a unique part of it.
    """

    def __init__(self, path: str, dialogue: str | None = None, strict: bool = False) -> None:
        self.path = str(Path(path).resolve())
        self.dialogue = dialogue
        self.strict = strict
        self.messages = find_transcript(self.path, dialogue).messages
        self.replies = [m for m in self.messages if m.get("role") == "assistant"]

    async def step(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> AgentReply:
        """The transcript's next assistant message."""
        index = sum(1 for m in messages if m.get("role") == "assistant")
        if self.strict:
            self._check(messages)
        if index >= len(self.replies):
            raise TranscriptExhausted(
                f"the transcript has {len(self.replies)} assistant messages and step "
                f"{index + 1} was asked for ({self.path})"
            )
        try:
            return coerce_reply(self.replies[index], step=index)
        except InvalidAgentReply as exc:
            raise InvalidAgentReply(f"assistant message {index + 1}: {exc}") from None

    def _check(self, messages: Sequence[Message]) -> None:
        """The messages shown so far must be the transcript's first ones (text and order)."""
        shown = [_said(m) for m in messages if m.get("role") != "assistant"]
        recorded = [_said(m) for m in self.messages if m.get("role") != "assistant"]
        for i, said in enumerate(shown):
            if i >= len(recorded) or said != recorded[i]:
                expected = recorded[i] if i < len(recorded) else "(nothing more)"
                raise TranscriptDiverged(
                    f"the dialogue left the transcript: it said {said!r} where the "
                    f"transcript has {expected!r}"
                )

    def __repr__(self) -> str:
        which = f"#{self.dialogue}" if self.dialogue else ""
        return f"TranscriptAgent({self.path}{which})"


def transcript_agent(
    path: str | Path, dialogue: str | None = None, *, strict: bool = False
) -> TranscriptAgent:
    """A :class:`TranscriptAgent` for one transcript of ``path`` (a relative path is taken
    from the working directory)."""
    return TranscriptAgent(str(path), dialogue, strict)


def transcript_spec_fields(text: str, base: Path) -> tuple[str, dict[str, Any]]:
    """(name, options) of the agent ``transcript:PATH[#ID]``: the path made absolute (from
    ``base``) and the transcript read now, so a wrong file or id fails before any
    dialogue. The name is ``transcript:<the recorded agent's name>`` when the transcript
    says it, else ``transcript:<file stem>``."""
    location, sep, dialogue = text.partition("#")
    if not location:
        raise AgentSpecError(f"transcript:{text}: missing the transcript file")
    path = (base / location).resolve()
    found = find_transcript(path, dialogue or None)
    options: dict[str, Any] = {"path": str(path)}
    if sep and dialogue:
        options["dialogue"] = dialogue
    return f"transcript:{found.agent or path.stem}", options
