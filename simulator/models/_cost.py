"""Prices per model (US dollars per million tokens) and the cost of one call.

The built-in table is a convenience with list prices at the time of writing; prices
change, so users override or extend it with a YAML or JSON file, named by the
``SIMULATOR_PRICES`` variable or loaded with ``load_prices``. A model is priced by the
entry of its name, or of its name without a date suffix (``claude-sonnet-4-5-20250929``
and ``gpt-4.1-mini-2025-04-14`` are priced as ``claude-sonnet-4-5`` and
``gpt-4.1-mini``); a ``provider:model`` entry wins over a bare model name. A model
without an entry costs 0 (and says so in docs/models.md); OpenAI-compatible (local)
servers cost nothing unless the table has a ``openai-compatible:MODEL`` entry.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.models._spec import ModelConfigError, parse_model
from simulator.record import Usage

PRICES_VARIABLE = "SIMULATOR_PRICES"
_DATE_SUFFIX = re.compile(r"-\d{4}-?\d{2}-?\d{2}$")


@dataclass(frozen=True)
class Price:
    """US dollars per million input and output tokens."""

    input: float
    output: float


DEFAULT_PRICES: dict[str, Price] = {
    # OpenAI
    "gpt-5.4-mini": Price(0.75, 4.50),
    "gpt-5.4-nano": Price(0.20, 1.25),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    # Anthropic (Haiku 5.5: the rate for prompts up to 100k tokens)
    "claude-opus-5-5": Price(4.00, 20.00),
    "claude-sonnet-5-5": Price(2.00, 10.00),
    "claude-sonnet-5": Price(2.00, 10.00),
    "claude-haiku-5-5": Price(0.10, 0.50),
    "claude-sonnet-4-6": Price(3.00, 15.00),
    "claude-sonnet-4-5": Price(3.00, 15.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
}


class PriceTable:
    """Model name (or ``provider:model``) → ``Price``; see the module docstring for lookup."""

    def __init__(self, prices: Mapping[str, Price] | None = None) -> None:
        self.prices: dict[str, Price] = dict(DEFAULT_PRICES if prices is None else prices)

    @classmethod
    def default(cls) -> PriceTable:
        """The built-in table, overridden by the file named in ``SIMULATOR_PRICES`` if set."""
        table = cls()
        path = os.environ.get(PRICES_VARIABLE)
        if path:
            table.update(load_prices(path))
        return table

    def update(self, prices: Mapping[str, Price]) -> None:
        self.prices.update(prices)

    def price(self, model: str) -> Price | None:
        """The price of a model string, or None when the table does not know it."""
        names, local = _price_names(model)
        for name in names:
            if name in self.prices:
                return self.prices[name]
        return Price(0.0, 0.0) if local else None

    def cost(self, model: str, usage: Usage) -> float:
        """Dollars for one call (0 for a model without a price)."""
        price = self.price(model)
        if price is None:
            return 0.0
        total = usage.input_tokens * price.input + usage.output_tokens * price.output
        return round(total / 1_000_000, 8)


def load_prices(path: str | Path) -> dict[str, Price]:
    """Read ``{model: {input: X, output: Y}}`` from a YAML or JSON file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ModelConfigError(f"{path}: cannot read the price table: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelConfigError(f"{path}: expected a mapping of model to {{input, output}}")
    out: dict[str, Price] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != {"input", "output"}:
            raise ModelConfigError(
                f"{path}: {name}: expected {{input: dollars per Mtok, output: dollars per Mtok}}"
            )
        try:
            out[str(name)] = Price(float(entry["input"]), float(entry["output"]))
        except (TypeError, ValueError) as exc:
            raise ModelConfigError(f"{path}: {name}: prices must be numbers") from exc
    return out


@lru_cache(maxsize=1024)
def _price_names(model: str) -> tuple[tuple[str, ...], bool]:
    """The names a model string's price is looked up by, in order, and whether it is a
    local (OpenAI-compatible) model: worked out once per model string, not per call."""
    spec = parse_model(model)
    undated = _DATE_SUFFIX.sub("", spec.model)
    names = [f"{spec.provider}:{spec.model}", f"{spec.provider}:{undated}"]
    local = spec.provider == "openai-compatible"
    if not local:  # a local model is not OpenAI's namesake
        names += [spec.model, undated]
    return tuple(names), local
