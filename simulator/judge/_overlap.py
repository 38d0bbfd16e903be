"""Fuzzy text overlap of an answer with its reference(s): ROUGE-L and token F1.

These are the fuzzy metrics CRMArena-Pro scores free-text answers (knowledge QA) with.

- **ROUGE-L**: the F-measure of the longest common subsequence of tokens, computed by
  Google's ``rouge-score`` package (``RougeScorer(["rougeL"])``, no stemmer) when it is
  installed (the ``metrics`` extra, installed by ``make``). Without it the same
  computation runs here: the package's default tokenizer (lower case, runs of
  ``[a-z0-9]``) and the same LCS F-measure, so a record scores the same on any machine;
  ``tests/test_overlap.py`` checks the two agree.
- **Token F1**: SQuAD's answer F1: lower case, punctuation and the articles a/an/the
  dropped, then the F1 of the token multisets.

With several references, the best score counts (as ``rouge-score``'s ``score_multi``).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache

_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def rouge_tokens(text: str) -> list[str]:
    """Tokens as ``rouge-score``'s default tokenizer makes them (no stemming)."""
    return _ROUGE_TOKEN.findall(text.lower())


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (one row of the table at a time)."""
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            keep = row[j]
            row[j] = prev + 1 if x == y else max(row[j], row[j - 1])
            prev = keep
    return row[-1]


def _rouge_l_builtin(answer: str, reference: str) -> float:
    hyp, ref = rouge_tokens(answer), rouge_tokens(reference)
    if not hyp or not ref:
        return 0.0
    common = _lcs(ref, hyp)
    if common == 0:
        return 0.0
    precision, recall = common / len(hyp), common / len(ref)
    return 2 * precision * recall / (precision + recall)


@cache
def _package_scorer() -> Callable[[str, str], float] | None:
    """``rouge-score``'s ROUGE-L F-measure, or None when the package is not installed."""
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        return None
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)

    def score(answer: str, reference: str) -> float:
        return float(scorer.score(reference, answer)["rougeL"].fmeasure)

    return score


def rouge_l(answer: str, references: Sequence[str], *, builtin: bool = False) -> float:
    """ROUGE-L F-measure from 0 to 1 of ``answer`` against the best of ``references``.

    ``builtin`` forces the computation here even when ``rouge-score`` is installed.
    """
    one = None if builtin else _package_scorer()
    one = one or _rouge_l_builtin
    return max((one(answer, ref) for ref in references), default=0.0)


def squad_tokens(text: str) -> list[str]:
    """SQuAD's normalised answer tokens."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split()


def token_f1(answer: str, references: Sequence[str]) -> float:
    """SQuAD token F1 from 0 to 1 of ``answer`` against the best of ``references``."""
    best = 0.0
    hyp = squad_tokens(answer)
    for reference in references:
        ref = squad_tokens(reference)
        common = sum((Counter(hyp) & Counter(ref)).values())
        if common:
            precision, recall = common / len(hyp), common / len(ref)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def rouge_backend() -> str:
    """What computes ROUGE-L here: the package and its version, or the built-in."""
    if _package_scorer() is None:
        return "built-in (rouge-score not installed)"
    from importlib.metadata import version

    return f"rouge-score {version('rouge-score')}"
