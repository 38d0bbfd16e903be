"""Serving recorded provider interactions to the real SDK clients (no network)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

import httpx2

from simulator.models import (
    CallLog,
    ChatRequest,
    ChatResponse,
    ModelRegistry,
    ReplayHandler,
    RetryPolicy,
    call_model,
)


class Served:
    """A registry whose SDK clients talk to recorded interactions, by name, in order.

    Subclasses set ``wire`` (the recording's interactions by name). Retries never sleep:
    the waits are kept in ``sleeps``.
    """

    wire: ClassVar[dict[str, dict[str, Any]]]

    def __init__(self, *names: str, attempts: int = 3) -> None:
        self.handler = ReplayHandler([self.wire[n] for n in names])
        self.sleeps: list[float] = []
        self.calls = CallLog()

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        transport = httpx2.MockTransport(self.handler)
        self.registry = ModelRegistry(
            cache=False,
            sleep=sleep,
            retry=RetryPolicy(max_attempts=attempts, base_delay=1.0),
            http_client=lambda spec: httpx2.AsyncClient(transport=transport),
        )

    def call(self, request: ChatRequest) -> ChatResponse:
        client = self.registry.client(request.model)
        return asyncio.run(
            call_model(client, request, role="agent", calls=self.calls, models=self.registry)
        )

    def body(self, index: int = -1) -> dict[str, Any]:
        content: dict[str, Any] = json.loads(self.handler.requests[index].content)
        return content
