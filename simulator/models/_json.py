"""Reading the JSON object a model was asked to answer with, whatever it wrapped it in."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text`` (bare, in a code fence, or amid prose); None if none.

    Models asked for "JSON only" still add fences or a sentence; this accepts those and
    nothing looser (no repair of broken JSON: a broken answer is an unparseable answer).
    """
    candidates = [text.strip(), *(m.strip() for m in _FENCE.findall(text))]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    decoder = json.JSONDecoder()
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            brace = candidate.find("{")
            if brace < 0:
                continue
            try:
                value, _ = decoder.raw_decode(candidate, brace)
            except ValueError:
                continue
        if isinstance(value, dict):
            return value
    return None
