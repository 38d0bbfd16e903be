"""Anthropic Messages over the official async SDK, with native tool calling.

OpenAI-style messages are translated at this boundary: system messages go to ``system``,
assistant tool calls become ``tool_use`` blocks and tool results ``tool_result`` blocks
in a user turn. Sampling settings are not sent: the Messages API version the 2.x SDK
speaks rejects ``temperature`` (and the SDK has no ``seed``). They still take part in the
request hash, so changing them never reuses a cached answer made under other settings.
The key comes from ``ANTHROPIC_API_KEY`` (or the SDK's other environment credentials).
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

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
    "end_turn": "end",
    "stop_sequence": "end",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
    "refusal": "refusal",
}


class AnthropicChatClient(SDKClient[anthropic.AsyncAnthropic]):
    """One Claude model through the Messages API."""

    errors = SDKErrors(
        status=anthropic.APIStatusError,
        timeout=anthropic.APITimeoutError,
        connection=anthropic.APIConnectionError,
        validation=anthropic.APIResponseValidationError,
    )

    def _new_sdk(self) -> anthropic.AsyncAnthropic:
        try:
            sdk = anthropic.AsyncAnthropic(
                max_retries=0,  # our retry layer decides
                timeout=self._timeout,
                http_client=self._http_client,
            )
        except anthropic.AnthropicError as exc:
            raise ModelConfigError(
                f"{self.model}: set ANTHROPIC_API_KEY in the environment to call Anthropic ({exc})"
            ) from exc
        if sdk.api_key is None and sdk.auth_token is None and sdk.credentials is None:
            raise ModelConfigError(
                f"{self.model}: set ANTHROPIC_API_KEY in the environment to call Anthropic"
            )
        return sdk

    def wire_request(self, request: ChatRequest) -> dict[str, Any]:
        """The keyword arguments of ``messages.create`` for a request."""
        system, messages = to_anthropic(request.messages)
        kwargs: dict[str, Any] = {
            "model": self.spec.model,
            "max_tokens": request.max_tokens,
            "messages": messages,
        }
        if system:
            kwargs["system"] = system
        if request.tools:
            kwargs["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in request.tools
            ]
        return kwargs

    async def complete(self, request: ChatRequest) -> ChatResponse:
        kwargs = self.wire_request(request)
        return parse_message(await self._send(lambda: self._client().messages.create(**kwargs)))


def to_anthropic(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """OpenAI-style messages as (system text, Anthropic messages).

    Consecutive messages of one role are merged (tool results of one step share one user
    turn); empty text is dropped, as the API refuses empty text blocks.
    """
    system: list[str] = []
    out: list[dict[str, Any]] = []

    def push(role: str, blocks: list[dict[str, Any]]) -> None:
        if not blocks:
            return
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})

    for message in messages:
        role = message.get("role")
        text = message.get("content") or ""
        if role == "system":
            system.append(str(text))
        elif role == "user":
            push("user", [{"type": "text", "text": str(text)}] if str(text).strip() else [])
        elif role == "assistant":
            blocks: list[dict[str, Any]] = []
            if str(text).strip():
                blocks.append({"type": "text", "text": str(text)})
            for call in message.get("tool_calls") or []:
                parsed = ToolCall.model_validate(_from_openai_call(call))
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": parsed.id,
                        "name": parsed.name,
                        "input": parsed.arguments,
                    }
                )
            push("assistant", blocks)
        elif role == "tool":
            result: dict[str, Any] = {
                "type": "tool_result",
                "tool_use_id": str(message.get("tool_call_id") or ""),
                "content": str(text),
            }
            if str(text).startswith("Error:"):
                result["is_error"] = True
            push("user", [result])
    return "\n\n".join(s for s in system if s.strip()), out


def _from_openai_call(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function") or {}
    raw = function.get("arguments")
    try:
        arguments = json.loads(raw) if isinstance(raw, str) else (raw or {})
    except ValueError:
        arguments = {"_unparsed_arguments": raw}
    if not isinstance(arguments, dict):
        arguments = {"_unparsed_arguments": raw}
    return {"id": call.get("id", ""), "name": function.get("name", ""), "arguments": arguments}


def parse_message(body: dict[str, Any]) -> ChatResponse:
    """A ``message`` object as a provider-neutral response."""
    content = body.get("content")
    if not isinstance(content, list):
        raise TransientModelError("response has no content blocks")
    texts: list[str] = []
    calls: list[ToolCall] = []
    for block in content:
        if block.get("type") == "text":
            texts.append(str(block.get("text") or ""))
        elif block.get("type") == "tool_use":
            arguments = block.get("input")
            calls.append(
                ToolCall(
                    id=str(block.get("id") or f"toolu_{len(calls)}"),
                    name=str(block.get("name") or ""),
                    arguments=arguments if isinstance(arguments, dict) else {},
                )
            )
    usage = body.get("usage") or {}
    return ChatResponse(
        text="".join(texts),
        tool_calls=calls,
        stop_reason=_STOP.get(str(body.get("stop_reason")), "other"),
        usage=Usage(
            input_tokens=int(usage.get("input_tokens") or 0),
            output_tokens=int(usage.get("output_tokens") or 0),
        ),
        model=str(body.get("model") or ""),
    )
