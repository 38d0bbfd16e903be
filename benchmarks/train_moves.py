"""Train the learned layer of the move classifier from the tuning corpus.

    python benchmarks/train_moves.py            # writes simulator/user/moves_model.json.gz
    python benchmarks/train_moves.py --check    # retrains and compares with the shipped file
    python benchmarks/train_moves.py --cv       # leave-one-author-out figures of the layer

A multinomial logistic regression over ``simulator.user.move_features`` (the rules'
sentence cues, the words and word pairs), trained by AdaGrad with a little L2 on every
``tune*.jsonl`` message of ``benchmarks/data/agent_moves/``; features seen in fewer than
two messages are left out. Three seeds, whose probabilities the classifier averages.
Deterministic: the same corpus gives the same weights (rounded to 4 decimals).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from agent_moves import Item, files, load  # noqa: E402

from simulator.user import move_features  # noqa: E402
from simulator.user._learned import LABELS, MODEL_FILE, probabilities  # noqa: E402

OUT = ROOT / "simulator" / "user" / MODEL_FILE
SEEDS = (0, 1, 2)
EPOCHS, RATE, L2, MIN_COUNT = 25, 0.3, 1e-4, 3

Example = tuple[dict[str, float], int]


def examples(items: list[Item]) -> list[Example]:
    return [(move_features(i.text, "\n".join(i.said)), LABELS.index(i.label)) for i in items]


def train(data: list[Example], seed: int) -> dict[str, list[float]]:
    counts = Counter(k for x, _ in data for k in x)
    data = [({k: v for k, v in x.items() if counts[k] >= MIN_COUNT}, y) for x, y in data]
    k = len(LABELS)
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            x, y = data[i]
            p = probabilities([weights], x)
            for key, value in x.items():
                w = weights.setdefault(key, [0.0] * k)
                g2 = squares.setdefault(key, [1e-8] * k)
                for c in range(k):
                    grad = (p[c] - (c == y)) * value + L2 * w[c]
                    g2[c] += grad * grad
                    w[c] -= RATE * grad / math.sqrt(g2[c])
    return {key: [round(v, 4) for v in w] for key, w in sorted(weights.items())}


def model(items: list[Item]) -> dict[str, object]:
    data = examples(items)
    return {
        "labels": list(LABELS),
        "trained_on": [p.name for p in files("tune")],
        "messages": len(items),
        "models": [train(data, seed) for seed in SEEDS],
    }


def cross_validate(items: list[Item]) -> None:
    """Leave one author (file) out: train on the others, read that one."""
    by_file: dict[str, list[Item]] = {}
    for item in items:
        by_file.setdefault(item.source, []).append(item)
    total = correct = 0
    for name, held in sorted(by_file.items()):
        rest = [i for i in items if i.source != name]
        data = examples(rest)
        weights = [train(data, seed) for seed in SEEDS]
        ok = 0
        for x, y in examples(held):
            p = probabilities(weights, x)
            ok += max(range(len(LABELS)), key=lambda c: p[c]) == y
        print(f"{name:<18} {len(held):>4} messages: layer alone {ok / len(held):.3f}")
        total += len(held)
        correct += ok
    print(f"{'all':<18} {total:>4} messages: layer alone {correct / total:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--cv", action="store_true", help="leave-one-author-out figures")
    args = parser.parse_args()
    items = load("tune")
    if args.cv:
        cross_validate(items)
        return
    fresh = model(items)
    if args.check:
        shipped = json.loads(gzip.decompress(OUT.read_bytes()))
        same = shipped == fresh
        print(f"{OUT.relative_to(ROOT)}: {'the same as' if same else 'DIFFERS from'} a retraining")
        raise SystemExit(0 if same else 1)
    text = json.dumps(fresh, separators=(",", ":")) + "\n"
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    sizes = ", ".join(str(len(m)) for m in fresh["models"])  # type: ignore[attr-defined]
    print(f"wrote {OUT.relative_to(ROOT)}: {len(items)} messages, features per seed {sizes}")


if __name__ == "__main__":
    main()
