"""How well the simulated user reads agent turns: the move classifier (the rules and their
learned layer) against a hand-labelled corpus of agent messages written the way LLM
agents talk.

    python benchmarks/agent_moves.py              # both splits
    python benchmarks/agent_moves.py --errors     # also list every misread message
    python benchmarks/agent_moves.py --split tune
    python benchmarks/agent_moves.py --rules      # the rules alone, without the layer
    python benchmarks/agent_moves.py --speed      # how long reading a turn takes

The corpus is `benchmarks/data/agent_moves/` (its README gives the format and the label
definitions). `tune` is the split the rules were developed on and the learned layer is
trained on (`benchmarks/train_moves.py`); `heldout` was written separately and never
used for either (empty between two held-out splits). Printed per split: precision and recall
per move, the confusion matrix (rows: the hand label; columns: what the rules read),
accuracy, and the share of questions whose asked facts match the hand labels. Targets
are printed beside the figures, never asserted: answer precision >= 0.98 (accepting a
non-answer is the costly error), stall recall >= 0.95, accuracy >= 0.95.

``--speed`` reads every message of both splits three times and prints the best pass's
CPU time per message and per sentence (the user's reading of an agent turn is part of
every dialogue's CPU; ``benchmarks/throughput.py`` measures the whole turn).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.persona import Persona, load_persona  # noqa: E402
from simulator.user import AgentTurn, Move, classify  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "agent_moves"
SPLITS = ("tune", "heldout")
MOVES = [m.value for m in Move]
TARGETS = {"answer precision": 0.98, "stall recall": 0.95, "accuracy": 0.95}


@dataclass(frozen=True)
class Item:
    id: str
    persona: str
    said: list[str]
    text: str
    label: str
    tool_calls: bool
    asked: list[str] | None
    source: str = ""  # the file (one per author)


def files(split: str) -> list[Path]:
    """A split's files: ``tune*.jsonl``, ``heldout*.jsonl`` (one per author); empty
    between two held-out splits (the last one folded into tuning, the next not written)."""
    return sorted(DATA.glob(f"{split}*.jsonl"))


def load(split: str) -> list[Item]:
    items: list[Item] = []
    for path in files(split):
        items += _load_file(path)
    return items


def _load_file(path: Path) -> list[Item]:
    items: list[Item] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON ({exc})") from exc
        if raw.get("label") not in MOVES:
            raise SystemExit(f"{path}:{number}: label {raw.get('label')!r} is not one of {MOVES}")
        items.append(
            Item(
                id=str(raw["id"]),
                persona=str(raw["persona"]),
                said=[str(s) for s in raw.get("said", [])],
                text=str(raw.get("text", "")),
                label=str(raw["label"]),
                tool_calls=bool(raw.get("tool_calls", False)),
                asked=raw.get("asked"),
                source=path.name,
            )
        )
    return items


_PERSONAS: dict[str, Persona] = {}


def persona(path: str) -> Persona:
    if path not in _PERSONAS:
        _PERSONAS[path] = load_persona(ROOT / path)
    return _PERSONAS[path]


LEARNED = True
"""False (``--rules``): measure the rules alone, without the learned layer."""


def read(item: Item) -> tuple[str, list[str]]:
    turn = AgentTurn(text=item.text, tool_calls=1 if item.tool_calls else 0)
    got = classify(persona(item.persona), turn, said="\n".join(item.said), learned=LEARNED)
    return got.move.value, got.asked


def report(split: str, show_errors: bool) -> dict[str, float]:
    items = load(split)
    if not items:
        print(f"\n== {split}: no files yet ({DATA.name}/{split}*.jsonl)")
        return {}
    confusion: Counter[tuple[str, str]] = Counter()
    asked_ok = asked_n = 0
    errors: list[tuple[Item, str]] = []
    for item in items:
        got, asked = read(item)
        confusion[(item.label, got)] += 1
        if got != item.label:
            errors.append((item, got))
        if item.label == "question" and got == "question" and item.asked is not None:
            asked_n += 1
            asked_ok += sorted(asked) == sorted(item.asked)
    n = len(items)
    correct = sum(confusion[(m, m)] for m in MOVES)
    names = ", ".join(p.name for p in files(split))
    print(f"\n== {split}: {n} messages ({names})")
    print(f"{'move':<10} {'n':>4} {'precision':>10} {'recall':>8}")
    figures: dict[str, float] = {"accuracy": correct / n if n else float("nan")}
    for move in MOVES:
        labelled = sum(confusion[(move, g)] for g in MOVES)
        read_as = sum(confusion[(t, move)] for t in MOVES)
        precision = confusion[(move, move)] / read_as if read_as else float("nan")
        recall = confusion[(move, move)] / labelled if labelled else float("nan")
        figures[f"{move} precision"] = precision
        figures[f"{move} recall"] = recall
        print(f"{move:<10} {labelled:>4} {precision:>10.3f} {recall:>8.3f}")
    print("\nconfusion (rows: hand label, columns: read as)")
    head = "".join(f"{m[:9]:>10}" for m in MOVES)
    print(f"{'':<10}{head}")
    for truth in MOVES:
        print(f"{truth:<10}" + "".join(f"{confusion[(truth, g)]:>10}" for g in MOVES))
    print(f"\naccuracy {figures['accuracy']:.3f} ({correct}/{n})")
    if asked_n:
        print(f"asked facts exact on questions read as questions: {asked_ok}/{asked_n}")
    for name, target in TARGETS.items():
        value = figures[name]
        status = "met" if value >= target else "NOT met"
        print(f"target {name} >= {target:.2f}: {value:.3f} {status}")
    if show_errors:
        print("\nmisread:")
        for item, got in errors:
            text = " ".join(item.text.split())
            print(f"  {item.id} {item.label} -> {got}: {text[:160]}")
    return figures


def speed(rounds: int = 3) -> None:
    """CPU per message and per sentence of reading the whole corpus (best of ``rounds``)."""
    from simulator.user._moves import units

    items = [item for split in SPLITS for item in load(split)]
    sentences = sum(len(units(item.text)) for item in items)
    for item in items:
        persona(item.persona)  # loaded before the clock starts
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            read(item)
        best = min(best, time.process_time() - start)
    print(f"read {len(items)} messages ({sentences} sentences), best of {rounds} passes:")
    per_message, per_sentence = best / len(items) * 1e6, best / sentences * 1e6
    print(f"  {per_message:.0f} µs per message, {per_sentence:.0f} µs per sentence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, action="append", help="default: both")
    parser.add_argument("--errors", action="store_true", help="list every misread message")
    parser.add_argument("--rules", action="store_true", help="the rules alone, no learned layer")
    parser.add_argument("--speed", action="store_true", help="time the reading instead")
    args = parser.parse_args()
    global LEARNED
    LEARNED = not args.rules
    if args.speed:
        speed()
        return
    for split in args.split or SPLITS:
        report(split, args.errors)


if __name__ == "__main__":
    main()
