"""The learned layer of the move classifier: the sentence cues and the words, weighed.

The rules of ``_moves`` read each sentence's cues (a question, a promise of work, a value
the user did not give, a closing offer...) and ``move_of`` combines them by hand. Over
ten held-out splits, each written by a new author, those hand-made combinations read
92 to 96 % of fresh agent turns right: every author brings new wording. A multinomial
logistic regression over the same cues (which sentence carries them: any, the first,
the last) and the turn's words and word pairs weighs them from the whole labelled corpus
instead, and reads fresh authors' turns better (``benchmarks/agent_moves.py``).

The weights are data, trained deterministically from ``benchmarks/data/agent_moves/
tune*.jsonl`` by ``benchmarks/train_moves.py`` (three seeds of AdaGrad; their
probabilities are averaged) and shipped as ``moves_model.json.gz``; a test retrains them
and compares. Nothing here calls a model or the network.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import fields
from functools import cache
from importlib.resources import files
from typing import Any

from simulator.user._moves import Unit

MODEL_FILE = "moves_model.json.gz"
LABELS = ("answer", "question", "stall", "partial", "refusal", "tool_only")
"""The classes in the order of each weight vector (``Move``'s values)."""

FLAGS = tuple(f.name for f in fields(Unit) if f.type in ("bool", bool))
"""The boolean cues of a unit, each a feature where any, the first or the last unit has it."""

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?!:$%#*|]")


def features(text: str, parts: Sequence[Unit]) -> dict[str, float]:
    """The features of one agent turn: its words, word pairs, first words, length, a
    final question mark, and the cues of its units."""
    low = text.lower().replace("’", "'")
    tokens = ["<num>" if t.isdigit() else t for t in _TOKEN.findall(low)]
    out: dict[str, float] = {}
    for token in tokens:
        out["w:" + token] = 1.0
    for a, b in itertools.pairwise(tokens):
        out[f"b:{a}_{b}"] = 1.0
    for token in tokens[:3]:
        out["s:" + token] = out.get("s:" + token, 0.0) + 1.0
    if low.rstrip(" *_)").endswith("?"):
        out["end?"] = 1.0
    out[f"len:{min(6, len(tokens) // 8)}"] = 1.0
    if not text.strip():
        out["empty"] = 1.0
    for unit in parts:
        for flag in FLAGS:
            if getattr(unit, flag):
                out["any:" + flag] = 1.0
    if parts:
        for flag in FLAGS:
            if getattr(parts[0], flag):
                out["first:" + flag] = 1.0
            if getattr(parts[-1], flag):
                out["last:" + flag] = 1.0
    return out


Weights = dict[str, list[float]]


def _averaged_softmax(scores: Sequence[float]) -> list[float]:
    """The class probabilities of models whose scores lie side by side (``LABELS`` per
    model), averaged over the models."""
    k = len(LABELS)
    models = len(scores) // k
    total = [0.0] * k
    for m in range(models):
        part = scores[m * k : (m + 1) * k]
        top = max(part)
        exps = [math.exp(v - top) for v in part]
        z = sum(exps)
        for c, e in enumerate(exps):
            total[c] += e / z
    return [t / models for t in total]


def probabilities(weights: Sequence[Weights], x: dict[str, float]) -> list[float]:
    """Class probabilities (in ``LABELS`` order), averaged over the models."""
    scores: list[float] = []
    for w in weights:
        own = [0.0] * len(LABELS)
        for key, value in x.items():
            row = w.get(key)
            if row is not None:
                for c, weight in enumerate(row):
                    own[c] += weight * value
        scores += own
    return _averaged_softmax(scores)


def layer_probabilities(x: dict[str, float]) -> list[float]:
    """``probabilities(shipped(), x)``, faster: each feature's weights of every model sit
    in one row, and the rows are summed column by column in C (``zip``/``sum``)."""
    table = _merged()
    rows: list[tuple[float, ...]] = []
    for key, value in x.items():
        row = table.get(key)
        if row is None:
            continue
        if value == 1.0:
            rows.append(row)
        elif value.is_integer():
            rows.extend([row] * int(value))
        else:
            rows.append(tuple(v * value for v in row))
    if not rows:
        return [1.0 / len(LABELS)] * len(LABELS)
    return _averaged_softmax(list(map(sum, zip(*rows, strict=True))))


@cache
def _merged() -> dict[str, tuple[float, ...]]:
    models = shipped()
    zero = (0.0,) * len(LABELS)
    keys = sorted({key for w in models for key in w})
    return {key: tuple(v for w in models for v in w.get(key, zero)) for key in keys}


@cache
def shipped() -> tuple[Weights, ...]:
    """The shipped weights (one set per training seed)."""
    raw = files("simulator.user").joinpath(MODEL_FILE).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    if tuple(data["labels"]) != LABELS:
        raise ValueError(f"{MODEL_FILE}: labels {data['labels']} are not {list(LABELS)}")
    return tuple(data["models"])
