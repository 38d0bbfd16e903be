"""Concurrency limits: at most N requests in flight per provider (or per local server).

Dialogues run concurrently; without a limit, a batch of 32 dialogues would hit one
provider with 32 parallel requests and collect rate limits. Semaphores are made per
event loop, so the same limits object serves successive ``asyncio.run`` calls.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import Mapping

from simulator.models._spec import ModelConfigError

DEFAULT_LIMITS: dict[str, int] = {"anthropic": 4, "openai": 8}
LIMITS_VARIABLE = "SIMULATOR_CONCURRENCY"
"""Overrides, e.g. ``anthropic=2,openai=16,openai-compatible@127.0.0.1:8000=1,default=4``."""


class ProviderLimits:
    """Maximum requests in flight by limit key (``anthropic``, ``openai``,
    ``openai-compatible@host:port``); keys not listed get ``default``."""

    def __init__(self, limits: Mapping[str, int] | None = None, *, default: int = 4) -> None:
        self.limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self.default = default
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]
        ] = weakref.WeakKeyDictionary()
        self._last: (
            tuple[weakref.ref[asyncio.AbstractEventLoop], dict[str, asyncio.Semaphore]] | None
        ) = None

    @classmethod
    def default_limits(cls) -> ProviderLimits:
        """The built-in limits, with the overrides of ``SIMULATOR_CONCURRENCY`` if set."""
        limits = dict(DEFAULT_LIMITS)
        default = 4
        for item in filter(
            None, (p.strip() for p in os.environ.get(LIMITS_VARIABLE, "").split(","))
        ):
            key, sep, value = item.rpartition("=")
            if not sep or not value.strip().isdigit() or int(value) < 1:
                raise ModelConfigError(
                    f"{LIMITS_VARIABLE}: cannot read {item!r}; expected KEY=N with N >= 1, "
                    "e.g. anthropic=2,openai=16"
                )
            if key.strip() == "default":
                default = int(value)
            else:
                limits[key.strip()] = int(value)
        return cls(limits, default=default)

    def limit(self, key: str) -> int:
        return max(1, self.limits.get(key, self.default))

    def semaphore(self, key: str) -> asyncio.Semaphore:
        """The semaphore for ``key`` in the running event loop."""
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0]() is loop:  # the loop of the previous call
            semaphores = last[1]
        else:
            semaphores = self._by_loop.setdefault(loop, {})
            self._last = (weakref.ref(loop), semaphores)
        semaphore = semaphores.get(key)
        if semaphore is None:
            semaphore = semaphores[key] = asyncio.Semaphore(self.limit(key))
        return semaphore
