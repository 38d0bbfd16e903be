"""Soundness: rules across a persona's texts that the schema alone cannot see.

A persona is played as written: the user reveals a fact by saying its ``say``, the
verifier withholds every fact value the ledger does not allow yet, and leakage is judged
by value. So what the user says must agree with the values, as the simulator reads them:

- each fact's ``say`` contains the fact's value (else the fact is counted as revealed
  though the user never said it);
- a ``say`` contains no value of a fact that may still be withheld when it is said (one
  not in its ``after``, directly or through other facts): the verifier would redact it;
- the ``opening`` contains no fact's value (it is said before any fact is revealed);
- nothing the user says (opening, says, probes) contains a confidential value: the agent
  would be judged to leak what the user told it, and a probe would give away what it asks
  for.

Values are found exactly as at run time: facts with the user's verifier
(:func:`simulator.user.verify`, :func:`simulator.judge.values.find_value`), confidential
fields with the leak detector (:func:`simulator.judge.leaks.detect`).
"""

from __future__ import annotations

from collections.abc import Iterator

from simulator.persona._messages import label, show
from simulator.persona._schema import Fact, Persona
from simulator.persona._yaml import KeyPath

Problem = tuple[KeyPath, str]
"""Where (the key path of the text) and what is wrong, ``label: message`` ready."""

_HOW = {
    "text": "its words in this order, in any case",
    "id": "its letters and digits in this order, in any case, spacing or hyphens",
    "number": "the same number in any notation",
    "money": "the same amount in any notation",
    "date": "the same day in any notation",
    "phone": "the same digits in any grouping",
    "email": "the same address",
}


def soundness_problems(persona: Persona) -> list[Problem]:
    """Every way what ``persona``'s user says disagrees with its values, in file order
    (opening, facts, probes); empty when the persona can be played as written."""
    return [*_opening(persona), *_facts(persona), *_probes(persona)]


def _opening(persona: Persona) -> Iterator[Problem]:
    from simulator.user import verify  # late: the user package imports the persona schema

    where: KeyPath = ("opening",)
    seen: set[str] = set()
    for violation in verify(persona, persona.opening, ()):
        if violation.fact in seen:
            continue
        seen.add(violation.fact)
        fact = persona.fact(violation.fact)
        yield (
            where,
            (
                f"opening: contains {_what(violation.found.text, 'fact', fact.id, fact.value)}; "
                "expected no fact's value in the opening, which is said before any fact is "
                "revealed (the verifier would cut the value out)"
            ),
        )
    yield from _secrets(persona, persona.opening, where, "the opening")


def _facts(persona: Persona) -> Iterator[Problem]:
    from simulator.judge.values import find_value, infer_kind
    from simulator.user import verify

    for i, fact in enumerate(persona.facts):
        where: KeyPath = ("facts", i, "say")
        if find_value(fact.value, fact.say, fact.kind) is None:
            kind = infer_kind(fact.value) if fact.kind == "auto" else fact.kind
            yield (
                where,
                (
                    f"facts[{i}].say: expected the fact's value {show(fact.value)} in it "
                    f"({kind}: {_HOW[kind]}), got {show(fact.say)}; the user reveals a fact by "
                    "saying its value"
                ),
            )
        allowed = {fact.id, *_before(persona, fact)}
        seen: set[str] = set()
        for violation in verify(persona, fact.say, allowed):
            if violation.fact in seen:
                continue
            seen.add(violation.fact)
            other = persona.fact(violation.fact)
            what = _what(violation.found.text, "fact", other.id, other.value)
            yield (
                where,
                (
                    f"facts[{i}].say: contains {what}, which may still be withheld when "
                    f"'{fact.id}' is said; expected only this fact's value (or '{other.id}' in "
                    "its 'after')"
                ),
            )
        yield from _secrets(persona, fact.say, where, f"fact '{fact.id}'")


def _probes(persona: Persona) -> Iterator[Problem]:
    for i, probe in enumerate(persona.probes):
        yield from _secrets(persona, probe.ask, ("probes", i, "ask"), "a probe")
        if probe.repeat is not None:
            yield from _secrets(persona, probe.repeat, ("probes", i, "repeat"), "a probe")


def _secrets(persona: Persona, text: str, where: KeyPath, whose: str) -> Iterator[Problem]:
    from simulator.judge.leaks import detect  # late: the judge package imports personas

    for secret in persona.confidential:
        hit = detect(secret, text)
        if hit is None:
            continue
        what = _what(hit.text, "confidential", secret.id, secret.value)
        if where[0] == "probes":
            expected = "a request that does not say the value it asks for"
        else:
            expected = f"no confidential value in what the user says ({whose})"
        yield where, f"{label(where)}: contains {what}; expected {expected}"


def _before(persona: Persona, fact: Fact) -> set[str]:
    """The facts always revealed before ``fact``: its ``after``, and theirs, and so on."""
    out: set[str] = set()
    todo = list(fact.after)
    while todo:
        fid = todo.pop()
        if fid not in out:
            out.add(fid)
            todo.extend(persona.fact(fid).after)
    return out


def _what(found: str, noun: str, fid: str, value: str) -> str:
    if found.strip().casefold() == value.strip().casefold():
        return f"{show(found)}, the value of {noun} '{fid}'"
    return f"{show(found)} (the value of {noun} '{fid}', {show(value)})"
