"""Model strings: ``anthropic:MODEL``, ``openai:MODEL``, ``openai-compatible:MODEL@URL``.

A model string is the one way every role names its model (CLI flags, agent specs,
``RoleConfig``); it is also what records, cache keys and price look-ups carry, so it
never holds a key or anything secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from simulator.errors import SimulatorError

Provider = Literal["anthropic", "openai", "openai-compatible"]
PROVIDERS: tuple[Provider, ...] = ("anthropic", "openai", "openai-compatible")

_FORMS = "anthropic:MODEL, openai:MODEL or openai-compatible:MODEL@URL"


class ModelConfigError(SimulatorError):
    """A model string that cannot be read, or a provider that cannot be set up."""


@dataclass(frozen=True)
class ModelSpec:
    """One model at one provider; ``base_url`` only for OpenAI-compatible servers."""

    provider: Provider
    model: str
    base_url: str | None = None

    def __str__(self) -> str:
        if self.provider == "openai-compatible" and self.base_url:
            return f"{self.provider}:{self.model}@{self.base_url}"
        return f"{self.provider}:{self.model}"

    @property
    def limit_key(self) -> str:
        """What concurrency limits are counted by: the provider, or the server for local ones."""
        if self.provider == "openai-compatible":
            return f"openai-compatible@{urlsplit(self.base_url or '').netloc or 'env'}"
        return self.provider


def parse_model(text: str) -> ModelSpec:
    """Read a model string.

    ``openai-compatible:MODEL`` without ``@URL`` takes the server from ``OPENAI_BASE_URL``
    (the OpenAI SDK's own variable). A model name may itself contain ``@``: only a
    trailing ``@http://...`` or ``@https://...`` is read as the URL.
    """
    provider, sep, rest = text.strip().partition(":")
    if not sep or not rest.strip():
        raise ModelConfigError(f"cannot read model {text!r}: expected {_FORMS}")
    if provider not in PROVIDERS:
        known = ", ".join(PROVIDERS)
        raise ModelConfigError(f"model {text!r}: unknown provider {provider!r} (known: {known})")
    rest = rest.strip()
    if provider != "openai-compatible":
        return ModelSpec(provider, rest)
    model, at, url = rest.rpartition("@")
    if not at or not url.startswith(("http://", "https://")):
        model, url = rest, os.environ.get("OPENAI_BASE_URL", "")
    if not url:
        raise ModelConfigError(
            f"model {text!r}: an OpenAI-compatible server needs a URL: "
            "openai-compatible:MODEL@http://host:port/v1, or OPENAI_BASE_URL"
        )
    if not model:
        raise ModelConfigError(f"model {text!r}: missing the model name before '@'")
    return ModelSpec("openai-compatible", model, url.rstrip("/"))
