"""Provider traffic at the HTTP level: recording it, and serving recordings back.

A recording is a JSON file of interactions, each a request (method, host, path, model,
body) and the response the provider gave (status, a few headers, body), or a transport
failure (``"raise": "ReadTimeout"``). ``ReplayHandler`` serves them to the real SDK
clients through ``httpx2.MockTransport``, in order per host, so tests exercise the SDKs'
own request building and response parsing with no network. ``RecordingTransport`` wraps
a live transport to write such files (``scripts/record_responses.py``); it never stores
credentials: request headers are not kept at all, and response headers only from an
allow-list.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

import httpx2

from simulator.models._client import scrub

KEPT_RESPONSE_HEADERS = (
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
    "request-id",
)
SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "openai-organization", "openai-project")


def load_recording(path: str | Path) -> list[dict[str, Any]]:
    """The interactions of a recording file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    interactions: list[dict[str, Any]] = data["interactions"]
    return interactions


def _json_or_text(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


class ReplayError(AssertionError):
    """The code under test sent a request the recording does not expect."""


class ReplayHandler:
    """Serves recorded interactions in order, per host; checks path and model as it goes.

    Use as ``httpx2.MockTransport(ReplayHandler(interactions))``. ``requests`` keeps every
    request received, for assertions (headers included: they never leave the process).
    """

    def __init__(self, interactions: list[dict[str, Any]]) -> None:
        self._queues: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
        for interaction in interactions:
            self._queues[interaction["request"]["host"]].append(interaction)
        self.requests: list[httpx2.Request] = []

    @property
    def remaining(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        queue = self._queues.get(request.url.host)
        if not queue:
            raise ReplayError(f"unexpected request: {request.method} {request.url}")
        interaction = queue.popleft()
        expected = interaction["request"]
        body = _json_or_text(request.content)
        model = body.get("model") if isinstance(body, dict) else None
        if request.url.path != expected["path"] or model != expected.get("model", model):
            raise ReplayError(
                f"request {request.method} {request.url.path} (model {model}) does not match "
                f"the recording: {expected['path']} (model {expected.get('model')})"
            )
        return response_from(interaction["response"], request)


def response_from(recorded: dict[str, Any], request: httpx2.Request) -> httpx2.Response:
    """The ``httpx2.Response`` (or raised transport error) a recorded response describes."""
    failure = recorded.get("raise")
    if failure is not None:
        error_type = getattr(httpx2, str(failure))
        raise error_type(f"recorded {failure}", request=request)
    headers = dict(recorded.get("headers") or {})
    if "body_text" in recorded:  # a body that is not JSON (truncated, an HTML error page)
        content = str(recorded["body_text"]).encode()
        headers.setdefault("content-type", "application/json")
    else:
        content = json.dumps(recorded.get("body")).encode()
        headers.setdefault("content-type", "application/json")
    return httpx2.Response(int(recorded["status"]), headers=headers, content=content)


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Passes requests to ``inner`` and keeps each exchange, without any credential."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.interactions: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        body = _json_or_text(request.content)
        recorded: dict[str, Any] = {
            "status": response.status_code,
            "headers": {
                k: v for k, v in response.headers.items() if k.lower() in KEPT_RESPONSE_HEADERS
            },
        }
        parsed = _json_or_text(content)
        if isinstance(parsed, str):
            recorded["body_text"] = parsed
        else:
            recorded["body"] = parsed
        self.interactions.append(
            {
                "request": {
                    "method": request.method,
                    "host": request.url.host,
                    "path": request.url.path,
                    "model": body.get("model") if isinstance(body, dict) else None,
                    "body": body,
                },
                "response": recorded,
            }
        )
        return httpx2.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def write_recording(path: str | Path, interactions: list[dict[str, Any]], *, note: str) -> None:
    """Write interactions as a recording file (checking, once more, for secret headers)."""
    text = json.dumps({"note": note, "interactions": interactions}, indent=2, ensure_ascii=False)
    text = scrub(text)
    lowered = text.lower()
    for header in SECRET_HEADERS:
        if f'"{header}"' in lowered:
            raise ValueError(f"refusing to write a recording holding a {header!r} header")
    Path(path).write_text(text + "\n", encoding="utf-8")
