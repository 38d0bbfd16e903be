"""Retries with exponential backoff and jitter, honouring the server's ``retry-after``.

The provider SDKs' own retries are switched off (``max_retries=0``) so that this is the
only retry loop: one place decides, and every wait goes through an injectable ``sleep``
(tests record the durations instead of sleeping).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from simulator.models._client import ModelCallError, TransientModelError

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
"""HTTP statuses worth retrying: timeouts, conflicts, rate limits, server errors, overload."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry a transient failure.

    The n-th wait (from 0) is ``base_delay * 2**n`` capped at ``max_delay``, scaled by a
    random factor in [0.5, 1.0] so that many dialogues backing off at once spread out.
    A ``retry-after`` from the server replaces the computed wait (capped at
    ``max_retry_after``): the server knows when it will take the request again.
    """

    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0
    rng: random.Random = field(default_factory=lambda: random.Random(0), compare=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        backoff = min(self.base_delay * float(2**attempt), self.max_delay)
        return backoff * (0.5 + self.rng.random() / 2)


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: ``retry-after-ms``, ``retry-after`` as seconds
    or as an HTTP date; None when absent or unreadable."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    sleep: Sleep = asyncio.sleep,
) -> tuple[T, int]:
    """Run ``attempt`` until it succeeds; return its result and the number of retries.

    ``TransientModelError`` is retried up to ``policy.max_attempts`` attempts in all; the
    last one is raised as ``ModelCallError`` carrying the retry count. Other errors are
    raised at once.
    """
    retries = 0
    while True:
        try:
            return await attempt(), retries
        except TransientModelError as exc:
            if retries + 1 >= policy.max_attempts:
                raise ModelCallError(
                    f"{exc} (gave up after {retries + 1} attempts)", retries=retries
                ) from exc
            await sleep(policy.delay(retries, exc.retry_after))
            retries += 1
        except ModelCallError as exc:
            exc.retries = retries
            raise
