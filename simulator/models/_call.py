"""The one path every model call takes: replay, else cache, else budget → provider.

Whatever happens, the dialogue's ``CallLog`` gets a ``ModelCallEvent`` (cache hits,
failures and budget refusals included), so a record always shows what was asked of
which model and what it cost, and a replay can serve every call, failures too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import ClassVar, cast

from simulator.models._client import (
    ChatClient,
    ChatRequest,
    ChatResponse,
    ModelCallError,
    request_hash,
    response_json,
)
from simulator.models._log import CallLog
from simulator.models._registry import ModelRegistry, default_registry
from simulator.models._retry import with_retries
from simulator.models._roles import Budget, BudgetExceeded, RoleConfig
from simulator.record import ModelCallEvent

Role = str  # "agent" | "user" | "classifier" | "judge"

BUDGET_ERROR = "budget exceeded"
"""The ``error`` of a call the budget refused; a replay raises BudgetExceeded for it."""


ClientSource = ChatClient | Callable[[], ChatClient]
"""A client, or how to get one: a replay or a cache hit never builds the client."""


def _resolve(client: ClientSource) -> ChatClient:
    if getattr(client, "complete", None) is not None:
        return cast(ChatClient, client)
    return cast(Callable[[], ChatClient], client)()


async def call_model(
    client: ClientSource,
    request: ChatRequest,
    *,
    role: Role,
    calls: CallLog,
    budget: Budget | None = None,
    models: ModelRegistry | None = None,
) -> ChatResponse:
    """Answer ``request`` with ``client``, logging one event into ``calls``.

    ``client`` may be a function that returns the client: it is called only when the
    provider is (not in a replay, not on a cache hit), so a replay imports no SDK.

    1. In replay, the recorded response (or the recorded failure) is served: no cache,
       no network.
    2. Else the cache (``models.cache``); a hit costs nothing.
    3. Else the budget is checked (``BudgetExceeded`` propagates: the caller ends the
       dialogue cleanly), the provider is called within the provider's concurrency
       limit, with retries; the cost is charged to the budget and the response cached.

    A call that fails for good raises ``ModelCallError`` after its event is logged.
    """
    registry = models if models is not None else default_registry()
    key = request_hash(role, request)
    recorded = calls.replayed(key)
    if recorded is not None:
        calls.add(recorded)
        if recorded.error is not None:
            if recorded.error.startswith(BUDGET_ERROR):
                raise BudgetExceeded(recorded.error.removeprefix(f"{BUDGET_ERROR}: "))
            raise ModelCallError(recorded.error, retries=recorded.retries)
        return ChatResponse.model_validate(recorded.response)

    def event(**fields: object) -> ModelCallEvent:
        return ModelCallEvent.model_validate(
            {"turn": calls.turn, "role": role, "model": request.model, "request_hash": key} | fields
        )

    cache = registry.cache
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        response = ChatResponse.model_validate(cached)
        calls.add(event(response=cached, usage=response.usage, cache_hit=True))
        return response

    if budget is not None:
        try:
            budget.check()
        except BudgetExceeded as exc:
            calls.add(event(error=f"{BUDGET_ERROR}: {exc}"))
            raise

    provider = _resolve(client)
    semaphore = registry.limits.semaphore(provider.limit_key)

    async def attempt() -> ChatResponse:
        async with semaphore:
            return await provider.complete(request)

    started = time.perf_counter()
    try:
        response, retries = await with_retries(attempt, policy=registry.retry, sleep=registry.sleep)
    except ModelCallError as exc:
        latency = (time.perf_counter() - started) * 1000
        calls.add(event(error=str(exc), retries=exc.retries, latency_ms=round(latency, 3)))
        raise
    latency = (time.perf_counter() - started) * 1000
    cost = registry.prices.cost(request.model, response.usage)
    if budget is not None:
        budget.spend(cost)
    body = response_json(response)
    if cache is not None:
        cache.put(key, role=role, model=request.model, response=body)
    calls.add(
        event(
            response=body,
            usage=response.usage,
            cost_usd=cost,
            latency_ms=round(latency, 3),
            retries=retries,
        )
    )
    return response


class RoleModel:
    """An LLM role (user, classifier, judge) bound to one dialogue: the role's settings,
    the dialogue's call log, the run's budget and registry. Subclasses word the requests
    and read the answers; every call goes through ``ask``."""

    role_name: ClassVar[Role]

    def __init__(
        self,
        role: RoleConfig,
        *,
        calls: CallLog,
        budget: Budget | None = None,
        models: ModelRegistry | None = None,
    ) -> None:
        self.role = role
        self.calls = calls
        self.budget = budget
        self.models = models if models is not None else default_registry()

    async def ask(self, request: ChatRequest) -> ChatResponse:
        """One call of the role's model, logged (see ``call_model``)."""
        return await call_model(
            partial(self.models.client, self.role.model),
            request,
            role=self.role_name,
            calls=self.calls,
            budget=self.budget,
            models=self.models,
        )
