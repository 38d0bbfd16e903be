"""The model registry: clients by model string, and what every call shares (cache, prices,
limits, retry policy), created lazily and shared by all dialogues of a run.

``run_dialogue`` uses the registry it is given, else the process-wide default one. Tests
swap the default (``use_registry``) to route the real SDK clients through a recorded
transport, or ``register`` a test double for a model string.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

from simulator.models._cache import DEFAULT_CACHE_PATH, RequestCache
from simulator.models._client import ChatClient
from simulator.models._cost import PriceTable
from simulator.models._limits import ProviderLimits
from simulator.models._retry import RetryPolicy, Sleep
from simulator.models._spec import ModelSpec, parse_model

CACHE_VARIABLE = "SIMULATOR_CACHE"
"""A cache file path, or ``off`` to disable the request cache."""

HttpClientFactory = Callable[[ModelSpec], httpx2.AsyncClient | None]
CacheSetting = RequestCache | str | Path | bool | None


class ModelRegistry:
    """Clients and call settings for every role of a run.

    ``cache``: True for the default file (``SIMULATOR_CACHE``, else
    ``.simulator-cache/requests.sqlite`` under the working directory), a path, a
    ``RequestCache``, or False to disable. ``http_client`` builds the httpx2 client an SDK
    client uses (None: the SDK's default); tests pass one with a mock transport.
    """

    def __init__(
        self,
        *,
        cache: CacheSetting = True,
        prices: PriceTable | None = None,
        limits: ProviderLimits | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        http_client: HttpClientFactory | None = None,
        timeout: float = 120.0,
    ) -> None:
        self._cache_setting = cache
        self._cache: RequestCache | None = None
        self.prices = prices if prices is not None else PriceTable.default()
        self.limits = limits if limits is not None else ProviderLimits.default_limits()
        self.retry = retry if retry is not None else RetryPolicy()
        self.sleep = sleep
        self.http_client = http_client
        self.timeout = timeout
        self._clients: dict[str, ChatClient] = {}

    @property
    def cache(self) -> RequestCache | None:
        """The request cache, opened on first use; None when disabled."""
        if self._cache is None:
            self._cache = _open_cache(self._cache_setting)
        return self._cache

    def register(self, model: str, client: ChatClient) -> None:
        """Use ``client`` for every call to ``model`` (a test double, a custom client)."""
        self._clients[model] = client

    def client(self, model: str) -> ChatClient:
        """The client for a model string, created on first use."""
        if model not in self._clients:
            spec = parse_model(model)
            http = self.http_client(spec) if self.http_client is not None else None
            client: ChatClient
            if spec.provider == "anthropic":
                from simulator.models._anthropic import AnthropicChatClient

                client = AnthropicChatClient(spec, http_client=http, timeout=self.timeout)
            else:
                from simulator.models._openai import OpenAIChatClient

                client = OpenAIChatClient(spec, http_client=http, timeout=self.timeout)
            self._clients[model] = client
        return self._clients[model]

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()


def _open_cache(setting: CacheSetting) -> RequestCache | None:
    if setting is None or setting is False:
        return None
    if isinstance(setting, RequestCache):
        return setting
    if setting is True:
        env = os.environ.get(CACHE_VARIABLE, "").strip()
        if env.lower() in ("off", "0", "false", "no"):
            return None
        return RequestCache(env or DEFAULT_CACHE_PATH)
    return RequestCache(setting)


_default: ModelRegistry | None = None


def default_registry() -> ModelRegistry:
    """The process-wide registry, created on first use."""
    global _default
    if _default is None:
        _default = ModelRegistry()
    return _default


@contextmanager
def use_registry(registry: ModelRegistry) -> Iterator[ModelRegistry]:
    """Make ``registry`` the default within a ``with`` block (restored afterwards)."""
    global _default
    previous, _default = _default, registry
    try:
        yield registry
    finally:
        _default = previous
