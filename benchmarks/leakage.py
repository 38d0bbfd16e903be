"""How well the leak detector catches disclosures: the deterministic detector (and, where a
judge's verdicts were recorded, the LLM judge beside it) against a hand-labelled corpus.

    python benchmarks/leakage.py                  # both splits, deterministic
    python benchmarks/leakage.py --errors         # also list every miss and false alarm
    python benchmarks/leakage.py --split heldout
    python benchmarks/leakage.py --judge anthropic:claude-sonnet-4-5 --save-judge
                                                  # ask a judge model live, keep its verdicts

The corpus is `benchmarks/data/leakage/` (its README gives the format and what counts as
a leak). `tune` is the split the detector was developed on; `heldout` was written by
another author and never used to develop it. Printed per split: precision and recall per
kind and per form, which detector fired on the leaks it found and how often each detector
fired falsely, and the targets beside the figures (never asserted):

- deterministic precision >= 0.99 on every kind;
- deterministic recall >= 0.99 on formatted values (exact, format, locale, approx,
  alias, parts) and >= 0.95 on values in words.

Paraphrases (a leak without the value's characters) are outside the deterministic
detector's reach by design; they are counted apart. The combined figures (deterministic,
then the judge on what it cleared, as a run does) are printed only when the judge's
verdicts for the split are on file (`judge-<split>.jsonl`, written by `--save-judge`);
otherwise the script says "not measured" rather than print a number nobody measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.judge.leaks import DETECTORS, Hit, detect  # noqa: E402
from simulator.judge.values import Kind  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "leakage"
SPLITS = ("tune", "heldout")
KINDS: tuple[Kind, ...] = ("phone", "email", "money", "number", "id", "date", "text")
FORMATTED = ("exact", "format", "locale", "approx", "alias", "parts")
WORDS = ("words",)
POSITIVE_FORMS = (*FORMATTED, *WORDS, "paraphrase")
NEGATIVE_FORMS = ("negative", "refusal", "none")
TARGET_PRECISION = 0.99
TARGET_RECALL = {"formatted": 0.99, "words": 0.95}


@dataclass(frozen=True)
class Secret:
    value: str
    kind: Kind
    aliases: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    parts_needed: int | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class Item:
    id: str
    secret: Secret
    text: str
    leak: bool
    form: str


def files(split: str) -> list[Path]:
    """A split's files: ``tune*.jsonl``, ``heldout*.jsonl`` (one per batch or author)."""
    found = sorted(DATA.glob(f"{split}*.jsonl"))
    if not found:
        raise SystemExit(f"no {split} files in {DATA}")
    return found


def load(split: str) -> list[Item]:
    items: list[Item] = []
    for path in files(split):
        items += _load_file(path, {i.id for i in items})
    return items


def _load_file(path: Path, taken: set[str]) -> list[Item]:
    items: list[Item] = []
    seen = set(taken)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.relative_to(ROOT)}:{number}"
        try:
            raw: dict[str, Any] = json.loads(line)
            secret = raw["secret"]
            item = Item(
                id=str(raw["id"]),
                secret=Secret(
                    value=str(secret["value"]),
                    kind=secret["kind"],
                    aliases=[str(a) for a in secret.get("aliases", [])],
                    parts=[str(p) for p in secret.get("parts", [])],
                    parts_needed=secret.get("parts_needed"),
                    tolerance=secret.get("tolerance"),
                ),
                text=str(raw["text"]),
                leak=bool(raw["leak"]),
                form=str(raw["form"]),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise SystemExit(f"{where}: not a corpus line ({exc!r})") from exc
        if item.secret.kind not in KINDS:
            raise SystemExit(f"{where}: kind {item.secret.kind!r} is not one of {KINDS}")
        forms = POSITIVE_FORMS if item.leak else NEGATIVE_FORMS
        if item.form not in forms:
            raise SystemExit(f"{where}: form {item.form!r} with leak={item.leak} is not in {forms}")
        if item.id in seen:
            raise SystemExit(f"{where}: id {item.id!r} twice")
        seen.add(item.id)
        items.append(item)
    return items


def _rate(hit: int, n: int) -> str:
    return f"{hit / n:.3f}" if n else "  -  "


def _status(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def judge_file(split: str) -> Path:
    return DATA / f"judge-{split}.jsonl"


def recorded_verdicts(split: str) -> dict[str, bool] | None:
    path = judge_file(split)
    if not path.exists():
        return None
    verdicts: dict[str, bool] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            verdicts[str(row["id"])] = bool(row["verdict"])
    return verdicts


async def ask_judge(model: str, items: list[Item]) -> dict[str, bool]:
    """The judge's paraphrase verdict on every message the deterministic detector cleared,
    with the prompt a run uses (one message as one agent turn)."""
    from simulator.judge._llm import LLMJudge, _leak_prompt
    from simulator.models import CallLog, RoleConfig

    judge = LLMJudge(RoleConfig(model=model), calls=CallLog())
    verdicts: dict[str, bool] = {}
    for item in items:
        if detect(item.secret, item.text) is not None:
            continue
        prompt = _leak_prompt(item.secret.value, item.secret.kind, [(1, item.text)])
        verdict, _ = await judge._ask("paraphrased_leak", prompt, subject=item.id)
        verdicts[item.id] = verdict.verdict
    return verdicts


def report(split: str, show_errors: bool, verdicts: dict[str, bool] | None) -> None:
    items = load(split)
    hits: dict[str, Hit | None] = {item.id: detect(item.secret, item.text) for item in items}
    names = ", ".join(p.name for p in files(split))
    print(f"\n== {split}: {len(items)} messages ({sum(i.leak for i in items)} leaks): {names}")

    print(
        f"\n{'kind':<8} {'n':>4} {'leaks':>6} {'precision':>10} {'recall':>8}"
        f" {'formatted':>10} {'words':>7}   (recall without paraphrases)"
    )
    worst_precision = 1.0
    for kind in KINDS:
        rows = [i for i in items if i.secret.kind == kind]
        if not rows:
            continue
        flagged = [i for i in rows if hits[i.id] is not None]
        true_flagged = sum(i.leak for i in flagged)
        reachable = [i for i in rows if i.leak and i.form != "paraphrase"]
        found = sum(hits[i.id] is not None for i in reachable)
        fmt = [i for i in reachable if i.form in FORMATTED]
        wrd = [i for i in reachable if i.form in WORDS]
        if flagged:
            worst_precision = min(worst_precision, true_flagged / len(flagged))
        print(
            f"{kind:<8} {len(rows):>4} {sum(i.leak for i in rows):>6}"
            f" {_rate(true_flagged, len(flagged)):>10} {_rate(found, len(reachable)):>8}"
            f" {_rate(sum(hits[i.id] is not None for i in fmt), len(fmt)):>10}"
            f" {_rate(sum(hits[i.id] is not None for i in wrd), len(wrd)):>7}"
        )

    print(f"\n{'form':<11} {'n':>4} {'flagged':>8}")
    for form in (*POSITIVE_FORMS, *NEGATIVE_FORMS):
        rows = [i for i in items if i.form == form]
        if rows:
            print(f"{form:<11} {len(rows):>4} {sum(hits[i.id] is not None for i in rows):>8}")

    fired = Counter(h.detector for h in hits.values() if h is not None)
    false = Counter(h.detector for i in items if not i.leak and (h := hits[i.id]) is not None)
    print(f"\n{'detector':<9} {'fired':>6} {'falsely':>8} {'precision':>10}")
    for name in DETECTORS:
        if name == "llm":
            continue
        n = fired[name]
        print(f"{name:<9} {n:>6} {false[name]:>8} {_rate(n - false[name], n):>10}")

    formatted = [i for i in items if i.leak and i.form in FORMATTED]
    worded = [i for i in items if i.leak and i.form in WORDS]
    recall_f = sum(hits[i.id] is not None for i in formatted) / max(len(formatted), 1)
    recall_w = sum(hits[i.id] is not None for i in worded) / max(len(worded), 1)
    print()
    print(
        f"target precision >= {TARGET_PRECISION} on every kind: worst {worst_precision:.3f}"
        f" {_status(worst_precision, TARGET_PRECISION)}"
    )
    for name, value in (("formatted", recall_f), ("words", recall_w)):
        target = TARGET_RECALL[name]
        print(f"target recall >= {target} on {name} values: {value:.3f} {_status(value, target)}")

    paraphrases = [i for i in items if i.form == "paraphrase"]
    print(
        f"\nparaphrases: {len(paraphrases)}, of which the deterministic detector flagged "
        f"{sum(hits[i.id] is not None for i in paraphrases)} (only a reader is expected to)"
    )
    if verdicts is None:
        print(
            f"combined with the LLM judge: not measured (no {judge_file(split).name}; "
            "record one with --judge MODEL --save-judge)"
        )
    else:
        combined = {i.id: hits[i.id] is not None or verdicts.get(i.id, False) for i in items}
        tp = sum(combined[i.id] and i.leak for i in items)
        fp = sum(combined[i.id] and not i.leak for i in items)
        positives = sum(i.leak for i in items)
        print(
            f"combined with the LLM judge: precision {_rate(tp, tp + fp)}, "
            f"recall {_rate(tp, positives)} (paraphrases included), "
            f"paraphrases found {sum(combined[i.id] for i in paraphrases)}/{len(paraphrases)}"
        )

    if show_errors:
        print("\nmissed (leak, not flagged):")
        for item in items:
            if item.leak and hits[item.id] is None:
                print(
                    f"  {item.id} {item.secret.kind}/{item.form} {item.secret.value!r}: "
                    f"{' '.join(item.text.split())[:180]}"
                )
        print("false alarms (no leak, flagged):")
        for item in items:
            hit = hits[item.id]
            if not item.leak and hit is not None:
                print(
                    f"  {item.id} {item.secret.kind}/{item.form} {item.secret.value!r} "
                    f"{hit.detector} {hit.text!r}: {' '.join(item.text.split())[:160]}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=SPLITS, action="append", help="default: both")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--judge", metavar="MODEL", help="ask this judge model (provider:name)")
    parser.add_argument(
        "--save-judge",
        action="store_true",
        help=f"with --judge: write {DATA.name}/judge-SPLIT.jsonl",
    )
    args = parser.parse_args()
    for split in args.split or SPLITS:
        verdicts = recorded_verdicts(split)
        if args.judge:
            verdicts = asyncio.run(ask_judge(args.judge, load(split)))
            if args.save_judge:
                lines = [
                    json.dumps({"id": k, "verdict": v, "model": args.judge})
                    for k, v in verdicts.items()
                ]
                judge_file(split).write_text("\n".join(lines) + "\n", encoding="utf-8")
        report(split, args.errors, verdicts)


if __name__ == "__main__":
    main()
