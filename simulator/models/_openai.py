"""OpenAI Chat Completions (and any OpenAI-compatible server) over the official async SDK.

The key comes from the environment only: ``OPENAI_API_KEY`` for ``openai:``, and for
``openai-compatible:`` ``OPENAI_COMPATIBLE_API_KEY`` (local servers usually need none;
the OpenAI key is never sent to a third-party URL).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import httpx2
import openai

from simulator.agent._protocol import Message, ToolCall
from simulator.models._client import (
    ChatRequest,
    ChatResponse,
    ModelCallError,
    StopReason,
    TransientModelError,
)
from simulator.models._retry import RETRY_STATUSES, parse_retry_after
from simulator.models._spec import ModelConfigError, ModelSpec
from simulator.record import Usage

_STOP: dict[str, StopReason] = {
    "stop": "end",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}
_NO_KEY = "not-needed"  # local servers ignore the key, but the SDK insists on one


class OpenAIChatClient:
    """One model at OpenAI or an OpenAI-compatible server, with native tool calling."""

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
        self._sdk: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def check_credentials(self) -> None:
        """Raise ``ModelConfigError`` now if no key is set (call it inside an event loop)."""
        self._client()

    def _client(self) -> openai.AsyncOpenAI:
        """The SDK client of the running event loop (its connections belong to one loop)."""
        loop = asyncio.get_running_loop()
        if self._sdk is None or self._loop is not loop:
            if self.spec.provider == "openai-compatible":
                key = os.environ.get("OPENAI_COMPATIBLE_API_KEY") or _NO_KEY
            else:
                key = os.environ.get("OPENAI_API_KEY", "")
                if not key:
                    raise ModelConfigError(
                        f"{self.model}: set OPENAI_API_KEY in the environment to call OpenAI"
                    )
            self._sdk = openai.AsyncOpenAI(
                api_key=key,
                base_url=self.spec.base_url,
                max_retries=0,  # our retry layer decides
                timeout=self._timeout,
                http_client=self._http_client,
            )
            self._loop = loop
        return self._sdk

    def wire_request(self, request: ChatRequest) -> dict[str, Any]:
        """The keyword arguments of ``chat.completions.create`` for a request."""
        kwargs: dict[str, Any] = {
            "model": self.spec.model,
            "messages": [_clean(m) for m in request.messages],
        }
        if self.spec.provider == "openai":
            kwargs["max_completion_tokens"] = request.max_tokens
        else:  # vLLM, Ollama and llama.cpp all read the classic name
            kwargs["max_tokens"] = request.max_tokens
        if request.tools:
            kwargs["tools"] = [tool.to_openai() for tool in request.tools]
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.seed is not None:
            kwargs["seed"] = request.seed
        return kwargs

    async def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            completion = await self._client().chat.completions.create(**self.wire_request(request))
        except openai.APIStatusError as exc:
            message = f"{self.model}: HTTP {exc.status_code}: {exc.message}"
            if exc.status_code in RETRY_STATUSES:
                retry_after = parse_retry_after(exc.response.headers)
                raise TransientModelError(message, retry_after=retry_after) from exc
            raise ModelCallError(message) from exc
        except openai.APITimeoutError as exc:
            raise TransientModelError(f"{self.model}: request timed out") from exc
        except openai.APIConnectionError as exc:
            raise TransientModelError(f"{self.model}: connection failed: {exc}") from exc
        except (ValueError, openai.APIResponseValidationError) as exc:
            raise TransientModelError(f"{self.model}: unreadable response: {exc}") from exc
        return parse_completion(completion.model_dump(mode="json"))


def _clean(message: Message) -> Message:
    """An OpenAI-style message as the API accepts it (assistant text may be null)."""
    out = {
        k: v for k, v in message.items() if k in ("role", "content", "tool_calls", "tool_call_id")
    }
    if out.get("role") == "assistant" and out.get("tool_calls") and not out.get("content"):
        out["content"] = None
    return out


def parse_completion(body: dict[str, Any]) -> ChatResponse:
    """A ``chat.completion`` object as a provider-neutral response."""
    choices = body.get("choices") or []
    if not choices:
        raise TransientModelError("response has no choices")
    choice = choices[0]
    message = choice.get("message") or {}
    calls: list[ToolCall] = []
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        calls.append(
            ToolCall(
                id=str(call.get("id") or f"call_{len(calls)}"),
                name=str(function.get("name") or ""),
                arguments=_arguments(function.get("arguments")),
            )
        )
    usage = body.get("usage") or {}
    return ChatResponse(
        text=message.get("content") or "",
        tool_calls=calls,
        stop_reason=_STOP.get(str(choice.get("finish_reason")), "other"),
        usage=Usage(
            input_tokens=int(usage.get("prompt_tokens") or 0),
            output_tokens=int(usage.get("completion_tokens") or 0),
        ),
        model=str(body.get("model") or ""),
    )


def _arguments(raw: Any) -> dict[str, Any]:
    """Tool-call arguments: a JSON object string. Anything else is kept for the tool to reject."""
    if isinstance(raw, dict):
        return raw
    try:
        parsed = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {"_unparsed_arguments": str(raw)}
    return parsed if isinstance(parsed, dict) else {"_unparsed_arguments": str(raw)}
