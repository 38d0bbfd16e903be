"""Numbers said in words in Spanish, Italian, French, Portuguese and German.

Agents serving customers in other languages write "duemilatrecentocinquanta pacchi",
"el dieciséis de septiembre", "zweitausenddreihundertfünfzig". Each word (or phrase of
words joined by "y", "e", "et", "und", hyphens or spaces) is split into known number
morphemes, and read only when the whole word splits: "settembre" is not "sette" +
"mbre", so a word that merely contains a number is never one. Values are added, and
multiplied by "hundred", "thousand" and "million" words, which reads every one of these
languages (German and Dutch put units before tens, "dreiundzwanzig": 3 + 20).

Articles that also mean one ("un", "una", "ein") and words with another meaning in
English ("due", "once", "Sept") are not read alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["foreign_digit_runs", "foreign_numbers"]

_VALUES: dict[str, int] = {}
for _words, _number in [
    # units
    ("uno una un une ein eine eins um uma", 1),
    ("dos due deux zwei dois duas", 2),
    ("tres tre trois drei três", 3),
    ("cuatro quattro quatre vier quatro", 4),
    ("cinco cinque cinq fünf funf", 5),
    ("seis sei six sechs", 6),
    ("siete sette sept sieben sete", 7),
    ("ocho otto huit acht oito", 8),
    ("nueve nove neuf neun", 9),
    # ten to nineteen
    ("diez dieci dix zehn dez", 10),
    ("once undici onze elf", 11),
    ("doce dodici douze zwölf zwolf", 12),
    ("trece tredici treize dreizehn treze", 13),
    ("catorce quattordici quatorze vierzehn", 14),
    ("quince quindici quinze fünfzehn", 15),
    ("dieciséis dieciseis sedici seize sechzehn dezesseis", 16),
    ("diecisiete diciassette siebzehn dezessete", 17),
    ("dieciocho diciotto achtzehn dezoito", 18),
    ("diecinueve diciannove neunzehn dezenove", 19),
    # Spanish 21-29 are one word
    ("veintiuno veintiún veintiuna", 21),
    ("veintidós veintidos", 22),
    ("veintitrés veintitres", 23),
    ("veinticuatro", 24),
    ("veinticinco", 25),
    ("veintiséis veintiseis", 26),
    ("veintisiete", 27),
    ("veintiocho", 28),
    ("veintinueve", 29),
    # tens (Italian drops the vowel before uno and otto: "ventuno", "trentotto")
    ("veinte venti vingt zwanzig vinte vent", 20),
    ("treinta trenta trente dreißig dreissig trinta trent", 30),
    ("cuarenta quaranta quarante vierzig quarenta quarant", 40),
    ("cincuenta cinquanta cinquante fünfzig cinquenta cinquant", 50),
    ("sesenta sessanta soixante sechzig sessenta sessant", 60),
    ("setenta settanta siebzig settant", 70),
    ("ochenta ottanta achtzig oitenta ottant quatre-vingt quatre-vingts", 80),
    ("noventa novanta neunzig novant", 90),
    # hundreds said as one word
    ("doscientos doscientas duzentos duzentas", 200),
    ("trescientos trescientas trezentos trezentas", 300),
    ("cuatrocientos cuatrocientas quatrocentos quatrocentas", 400),
    ("quinientos quinientas quinhentos quinhentas", 500),
    ("seiscientos seiscientas seiscentos seiscentas", 600),
    ("setecientos setecientas setecentos setecentas", 700),
    ("ochocientos ochocientas oitocentos oitocentas", 800),
    ("novecientos novecientas novecentos novecentas", 900),
    ("cien", 100),
]:
    for _w in _words.split():
        _VALUES[_w] = _number
_HUNDRED = frozenset("ciento cento cent cents hundert cem".split())
_SCALES = {
    **dict.fromkeys("mil mila mille tausend".split(), 1000),
    **dict.fromkeys(
        "millón millon millones million millions milione milioni millionen milhão milhões".split(),
        1_000_000,
    ),
}
_JOINERS = frozenset("y e et und".split())
_ZERO = frozenset("null cero zéro zero nulla".split())
_DIGIT_GAP_RE = re.compile(r"[\s,;–—-]*")
# Read only inside a longer number: articles that also mean one, and words that mean
# something else in English ("due", "once", "cent", "Sept", "mil").
_ALONE_NOT = frozenset(
    "un une una uno ein eine eins um uma due once cent cents sept mil elf sei tre vent trent "
    "dez acht mille".split()
)
_MORPHEMES = sorted([*_VALUES, *_HUNDRED, *_SCALES, "und"], key=len, reverse=True)
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word.casefold())


@lru_cache(maxsize=4096)
def _split(word: str) -> tuple[str, ...] | None:
    """``word`` as a sequence of number morphemes, or None when it is not wholly one."""
    if word in _VALUES or word in _HUNDRED or word in _SCALES:
        return (word,)
    if "-" in word:  # "quatre-vingt-dix", "dieci-sette"
        parts = [_split(part) for part in word.split("-")]
        return tuple(m for part in parts for m in part or ()) if all(parts) else None
    for morpheme in _MORPHEMES:
        if word.startswith(morpheme) and len(morpheme) < len(word):
            rest = _split(word[len(morpheme) :])
            if rest is not None:
                return (morpheme, *rest)
    return None


def _value(morphemes: list[str]) -> int | None:
    total = current = 0
    seen = False
    # French eighty is four twenties: "quatre-vingt-dix" is 80 + 10
    joined: list[str] = []
    for m in morphemes:
        if m in ("vingt", "vingts") and joined and joined[-1] == "quatre":
            joined[-1] = "quatre-vingt"
        else:
            joined.append(m)
    for m in joined:
        if m == "und":
            continue
        if m in _VALUES:
            current += _VALUES[m]
            seen = True
        elif m in _HUNDRED:
            current = (current or 1) * 100
            seen = True
        elif m in _SCALES:
            total += (current or 1) * _SCALES[m]
            current = 0
            seen = True
    return total + current if seen else None


def _digit(word: str) -> str | None:
    if word in _ZERO:
        return "0"
    value = _VALUES.get(word)
    return str(value) if value is not None and value <= 9 else None


def _digits_of(word: str) -> str | None:
    """A word read digit by digit: "fünf", "sieben-sieben-drei-eins" ("7731")."""
    parts = [_digit(part) for part in word.split("-")]
    return "".join(p for p in parts if p) if all(parts) else None


def foreign_digit_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of at least three digits read one by one ("null drei null – fünf fünf fünf"):
    (start, end, digits), a space where a comma or a dash parts the groups."""
    out: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    body = ""

    def close() -> None:
        if run and sum(c.isdigit() for c in body) >= 3:
            out.append((run[0][0], run[-1][1], body))

    for m in _WORD_RE.finditer(text):
        digits = _digits_of(_fold(m.group()))
        if digits is None:
            close()
            run, body = [], ""
            continue
        if run:
            gap = text[run[-1][1] : m.start()]
            if not _DIGIT_GAP_RE.fullmatch(gap):
                close()
                run, body = [], ""
            else:
                body += " " if any(c in gap for c in ",;–—-") else ""
        run.append((m.start(), m.end(), digits))
        body += digits
    close()
    return out


def foreign_numbers(text: str) -> list[tuple[int, int, int]]:
    """Every number said in words in the listed languages: (start, end, value)."""
    out: list[tuple[int, int, int]] = []
    words = list(_WORD_RE.finditer(text))
    i = 0
    while i < len(words):
        first = words[i]
        folded = _fold(first.group())
        split = None if "-" in folded and _digits_of(folded) else _split(folded)
        if split is None:
            i += 1
            continue
        morphemes = list(split)
        end, j = first.end(), i + 1
        while j < len(words):
            gap = text[end : words[j].start()]
            word = _fold(words[j].group())
            if gap.strip() or "\n" in gap:
                break
            if word in _JOINERS and j + 1 < len(words):
                # "cuarenta y dos", "vingt et un": a joiner only between tens and a unit;
                # "ventuno e trentotto" is two numbers
                after = _split(_fold(words[j + 1].group()))
                tens = _VALUES.get(morphemes[-1], 0) in range(20, 100, 10)
                unit = after is not None and len(after) == 1 and 1 <= _VALUES.get(after[0], 0) <= 9
                if not (tens and unit) or text[words[j].end() : words[j + 1].start()].strip():
                    break
                assert after is not None
                morphemes += after
                end, j = words[j + 1].end(), j + 2
                continue
            more = _split(word)
            if more is None:
                break
            morphemes += more
            end, j = words[j].end(), j + 1
        said = [_fold(w.group()) for w in words[i:j]]
        value = _value(morphemes)
        if value is not None and not all(w in _ALONE_NOT for w in said):
            out.append((first.start(), end, value))
        i = j
    return out
