"""OpenAI Chat Completions (and any OpenAI-compatible server) over the official async SDK.

The key comes from the environment only: ``OPENAI_API_KEY`` for ``openai:``, and for
``openai-compatible:`` ``OPENAI_COMPATIBLE_API_KEY`` (local servers usually need none;
the OpenAI key is never sent to a third-party URL).
"""

from __future__ import annotations

import json
import os
from typing import Any

import openai

from simulator.chat import Message, ToolCall
from simulator.models._client import (
    ChatRequest,
    ChatResponse,
    StopReason,
    TransientModelError,
)
from simulator.models._sdk import SDKClient, SDKErrors
from simulator.models._spec import ModelConfigError
from simulator.record import Usage

_STOP: dict[str, StopReason] = {
    "stop": "end",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "refusal",
}
_NO_KEY = "not-needed"  # local servers ignore the key, but the SDK insists on one


class OpenAIChatClient(SDKClient[openai.AsyncOpenAI]):
    """One model at OpenAI or an OpenAI-compatible server, with native tool calling."""

    errors = SDKErrors(
        status=openai.APIStatusError,
        timeout=openai.APITimeoutError,
        connection=openai.APIConnectionError,
        validation=openai.APIResponseValidationError,
    )

    def _new_sdk(self) -> openai.AsyncOpenAI:
        if self.spec.provider == "openai-compatible":
            key = os.environ.get("OPENAI_COMPATIBLE_API_KEY") or _NO_KEY
        else:
            key = os.environ.get("OPENAI_API_KEY", "")
            if not key:
                raise ModelConfigError(
                    f"{self.model}: set OPENAI_API_KEY in the environment to call OpenAI"
                )
        return openai.AsyncOpenAI(
            api_key=key,
            base_url=self.spec.base_url,
            max_retries=0,  # our retry layer decides
            timeout=self._timeout,
            http_client=self._http_client,
        )

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
        kwargs = self.wire_request(request)
        return parse_completion(
            await self._send(lambda: self._client().chat.completions.create(**kwargs))
        )


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
