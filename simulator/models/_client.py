"""The provider-neutral request and response, the client protocol, and the error kinds.

Every role builds a ``ChatRequest`` (OpenAI-style messages, tools as ``ToolSpec``), a
``ChatClient`` turns it into one provider call and returns a ``ChatResponse``. The
request's canonical JSON is what the cache key and the event's ``request_hash`` are made
of, so it holds nothing but what decides the answer: no key, no header, no URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from simulator.chat import Message, ToolCall, ToolSpec
from simulator.memo import IdentityMemo
from simulator.record import Usage

StopReason = Literal["end", "tool_use", "max_tokens", "refusal", "other"]


class ChatRequest(BaseModel):
    """One model call, before it is translated into a provider's wire format."""

    model_config = ConfigDict(frozen=True)

    model: str  # the model string, e.g. "openai:gpt-4.1-mini"
    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    temperature: float | None = None
    seed: int | None = None
    max_tokens: int = 1024

    def canonical(self, role: str) -> str:
        """The request as canonical JSON (sorted keys, no spaces), prefixed by its role.

        Messages are plain JSON values almost always, so they are encoded as they are
        (one C-speed pass), each message of strings only once per process (a dialogue
        sends its whole history on every call); anything else (a model object, a NaN)
        takes pydantic's JSON dump. Both give the same text for JSON values.
        """
        try:
            # the keys in sorted order: max_tokens, messages, then model, role, seed,
            # temperature, then tools (the same on every call of a dialogue, from a cache)
            messages = ",".join([_message_text(m) for m in self.messages])
            rest = _dumps(
                {
                    "model": self.model,
                    "role": role,
                    "seed": self.seed,
                    "temperature": self.temperature,
                },
                allow_nan=False,
            )
            return (
                f'{{"max_tokens":{int.__repr__(self.max_tokens)},"messages":[{messages}],'
                f'{rest[1:-1]},"tools":{_tools_text(self.tools)}}}'
            )
        except (TypeError, ValueError):
            return _dumps({"role": role, **self.model_dump(mode="json")})


_MESSAGE_TEXT: dict[tuple[tuple[str, str], ...], str] = {}
_MESSAGE_TEXT_CHARS = [0]
_MESSAGE_TEXT_LIMIT = 4_000_000
"""Characters of message JSON kept (about twice that in memory); then the cache starts over."""


def _message_text(message: Message) -> str:
    """A message's canonical JSON; kept for a message whose values are all strings."""
    if len(message) == 2:  # the usual message: a role and a text, looked up without sorting
        role, content = message.get("role"), message.get("content")
        if type(role) is str and type(content) is str:
            key: tuple[tuple[str, str], ...] = (("content", content), ("role", role))
        else:
            key = _strings_key(message)
    else:
        key = _strings_key(message)
    if key:
        text = _MESSAGE_TEXT.get(key)
        if text is None:
            if _MESSAGE_TEXT_CHARS[0] > _MESSAGE_TEXT_LIMIT:
                _MESSAGE_TEXT.clear()
                _MESSAGE_TEXT_CHARS[0] = 0
            text = _MESSAGE_TEXT[key] = _dumps(dict(key))
            _MESSAGE_TEXT_CHARS[0] += len(text)
        return text
    return _dumps(message, allow_nan=False)


def _strings_key(message: Message) -> tuple[tuple[str, str], ...]:
    """The message's items in key order if every value is a string, else ``()``."""
    items = message.items()
    for _, value in items:
        if type(value) is not str:
            return ()
    return tuple(sorted(items))


def _encoder(*, allow_nan: bool) -> json.JSONEncoder:
    return json.JSONEncoder(
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=allow_nan
    )


_ENCODERS = {True: _encoder(allow_nan=True), False: _encoder(allow_nan=False)}
"""Made once: ``json.dumps`` with these settings would build an encoder on every call."""


def _dumps(body: Any, *, allow_nan: bool = True) -> str:
    return _ENCODERS[allow_nan].encode(body)


_TOOL_JSON: IdentityMemo[ToolSpec, dict[str, Any]] = IdentityMemo()


def _tool_json(tool: ToolSpec) -> dict[str, Any]:
    """A tool's JSON dump, kept per (immutable) tool: a dialogue sends its tools each call."""
    return _TOOL_JSON.get(tool, lambda t: t.model_dump(mode="json"))


_TOOLS_TEXT: dict[tuple[int, ...], tuple[list[ToolSpec], str]] = {}


def _tools_text(tools: list[ToolSpec]) -> str:
    """The canonical JSON of a list of tools, kept per list of (immutable) tools."""
    key = tuple(map(id, tools))
    hit = _TOOLS_TEXT.get(key)
    if (
        hit is not None
        and len(hit[0]) == len(tools)
        and all(a is b for a, b in zip(hit[0], tools, strict=True))
    ):
        return hit[1]
    if len(_TOOLS_TEXT) >= 1024:
        _TOOLS_TEXT.clear()
    text = _dumps({"t": [_tool_json(tool) for tool in tools]})[5:-1]
    _TOOLS_TEXT[key] = (list(tools), text)
    return text


def request_hash(role: str, request: ChatRequest) -> str:
    """The cache key and the event's ``request_hash``: sha256 of the canonical request."""
    return hashlib.sha256(request.canonical(role).encode("utf-8")).hexdigest()


class ChatResponse(BaseModel):
    """What any provider answered, in one shape: text, tool calls, why it stopped, tokens."""

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: StopReason = "end"
    usage: Usage = Field(default_factory=Usage)
    model: str = ""  # the model the provider says answered (may carry a dated suffix)


class ChatClient(Protocol):
    """One model behind one provider SDK. Implementations make exactly one attempt per call.

    Retries, caching, budgets, limits and logging live in ``call_model``; a client only
    translates, calls once, and raises ``TransientModelError`` for what may succeed on a
    retry and ``ModelCallError`` for what will not.
    """

    model: str  # the model string
    limit_key: str  # what concurrency limits count by

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """Send one request and return the parsed response."""
        ...


class ModelCallError(RuntimeError):
    """A model call that failed for good (a 4xx, or retries exhausted). Its text is scrubbed."""

    def __init__(self, message: str, *, retries: int = 0) -> None:
        super().__init__(scrub(message))
        self.retries = retries


class TransientModelError(ModelCallError):
    """A failure worth retrying: rate limit, server error, timeout, unreadable body."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# --- keeping secrets out of everything written ----------------------------------------------

_KEY_VARIABLES = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "OPENAI_ADMIN_KEY",
    "OPENAI_COMPATIBLE_API_KEY",
    "SIMULATOR_RECORD_OPENAI_KEY",
    "SIMULATOR_RECORD_ANTHROPIC_KEY",
)
_KEY_SHAPES = re.compile(r"\b(?:sk|rk)-[A-Za-z0-9_\-]{12,}")


def scrub(text: str) -> str:
    """``text`` with every configured key (and anything shaped like one) replaced.

    Error messages come from servers and may echo a key back; they go into records, so
    they pass through here first.
    """
    for name in _KEY_VARIABLES:
        value = os.environ.get(name, "")
        if len(value) >= 8:
            text = text.replace(value, "[redacted]")
    return _KEY_SHAPES.sub("[redacted]", text)


def response_json(response: ChatResponse) -> dict[str, Any]:
    """The response as the JSON stored in events and the cache."""
    return response.model_dump(mode="json")
