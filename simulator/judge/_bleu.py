"""BLEU of one answer against one or more references, as sacreBLEU computes it by default.

Lost in Conversation scores its translation and data-to-text tasks with
``sacrebleu.corpus_bleu([answer], [[ref] for ref in refs]).score / 100``: 13a
tokenisation, n-grams up to 4, exponential smoothing, the closest reference length for
the brevity penalty. This is the same computation for one segment, without the
dependency, so imported tasks score the same offline.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

MAX_ORDER = 4

_13A = (
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
)


def tokenize_13a(text: str) -> list[str]:
    """The tokens of mteval-v13a (sacreBLEU's default tokenizer)."""
    line = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        for entity, char in (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
            line = line.replace(entity, char)
    line = f" {line} "
    for pattern, repl in _13A:
        line = pattern.sub(repl, line)
    return line.split()


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu(answer: str, references: Sequence[str]) -> float:
    """BLEU from 0 to 1 of ``answer`` against ``references`` (sacreBLEU defaults)."""
    hyp = tokenize_13a(answer.strip())
    refs = [tokenize_13a(r.strip()) for r in references]
    if not hyp or not refs:
        return 0.0
    ref_len = min((abs(len(r) - len(hyp)), len(r)) for r in refs)[1]
    log_sum = 0.0
    smooth = 1.0
    for n in range(1, MAX_ORDER + 1):
        grams = _ngrams(hyp, n)
        total = sum(grams.values())
        if total == 0:
            return 0.0  # shorter than the order: sacreBLEU's score is 0 without effective order
        best: Counter[tuple[str, ...]] = Counter()
        for ref in refs:
            best |= _ngrams(ref, n)
        matches = sum(min(count, best[gram]) for gram, count in grams.items())
        if n == 1 and matches == 0:
            return 0.0  # no word in common: sacreBLEU gives 0, not a smoothed figure
        if matches == 0:
            smooth *= 2
            precision = 1.0 / (smooth * total)
        else:
            precision = matches / total
        log_sum += math.log(precision)
    brevity = 1.0 if len(hyp) > ref_len else math.exp(1 - ref_len / len(hyp))
    return min(1.0, brevity * math.exp(log_sum / MAX_ORDER))
