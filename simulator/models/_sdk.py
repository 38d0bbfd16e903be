"""What the two provider clients share: their identity, one SDK client per event loop, and
the mapping of SDK errors onto ours (retry or not).

An SDK client's connections belong to the event loop that opened them, so each client
keeps one SDK client per running loop (a study runs in one loop; tests run many).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

import httpx2

from simulator.models._client import ModelCallError, TransientModelError
from simulator.models._retry import RETRY_STATUSES, parse_retry_after
from simulator.models._spec import ModelSpec

SDK = TypeVar("SDK")


class SDKErrors(NamedTuple):
    """An SDK's exception classes, by what they mean."""

    status: type[Exception]  # an HTTP error status (has status_code, message, response)
    timeout: type[Exception]
    connection: type[Exception]  # the timeout class must come first: it is one of these
    validation: type[Exception]  # a body the SDK could not read


class SDKClient(Generic[SDK]):
    """One model behind an official SDK; subclasses build the SDK client and the request."""

    errors: ClassVar[SDKErrors]

    def __init__(
        self,
        spec: ModelSpec,
        *,
        http_client: httpx2.AsyncClient | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.spec = spec
        self.model = str(spec)
        self.limit_key = spec.limit_key
        self._http_client = http_client
        self._timeout = timeout
        self._sdk: SDK | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _new_sdk(self) -> SDK:
        """A new SDK client; raises ``ModelConfigError`` when no credentials are set."""
        raise NotImplementedError

    def _client(self) -> SDK:
        """The SDK client of the running event loop."""
        loop = asyncio.get_running_loop()
        if self._sdk is None or self._loop is not loop:
            self._sdk, self._loop = self._new_sdk(), loop
        return self._sdk

    def check_credentials(self) -> None:
        """Raise ``ModelConfigError`` now if no key is set (call it inside an event loop)."""
        self._client()

    async def _send(self, create: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
        """Make one SDK call and return its body as JSON, its failures as our errors."""
        errors = self.errors
        try:
            result = await create()
        except errors.status as exc:
            status: int = getattr(exc, "status_code", 0)
            text = f"{self.model}: HTTP {status}: {getattr(exc, 'message', exc)}"
            if status in RETRY_STATUSES:
                headers = getattr(getattr(exc, "response", None), "headers", {})
                raise TransientModelError(text, retry_after=parse_retry_after(headers)) from exc
            raise ModelCallError(text) from exc
        except errors.timeout as exc:
            raise TransientModelError(f"{self.model}: request timed out") from exc
        except errors.connection as exc:
            raise TransientModelError(f"{self.model}: connection failed: {exc}") from exc
        except (ValueError, errors.validation) as exc:
            raise TransientModelError(f"{self.model}: unreadable response: {exc}") from exc
        body: dict[str, Any] = result.model_dump(mode="json")
        return body
