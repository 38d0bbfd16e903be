"""Template utterances: the deterministic realizer, shaped by the persona's verbosity and tone.

Each revealed fact is voiced by its ``say`` sentence, verbatim; the template only adds
framing. The same (seed, turn) always gives the same wording.
"""

from __future__ import annotations

import random

from simulator.persona import Mode, Persona
from simulator.user._policy import Action, Decision

_TONE_PREFIX: dict[str, tuple[str, ...]] = {
    "neutral": ("", "Sure. ", "Okay. "),
    "friendly": ("Sure! ", "Of course! ", "Happy to help! "),
    "frustrated": ("Fine. ", "Look, ", "Okay, okay. "),
    "skeptical": ("Well, ", "Okay. ", "Alright. "),
    "formal": ("Certainly. ", "Of course. ", "Very well. "),
}
_CHATTY_SUFFIX = (
    " Hope that helps!",
    " Let me know if you need anything else from me.",
    " Thanks for looking into this, by the way.",
)
_TEXT: dict[Action, tuple[str, ...]] = {
    Action.DONT_KNOW: (
        "I'm afraid I don't know that.",
        "Sorry, I don't know.",
        "No idea, I'm afraid.",
    ),
    Action.WAIT: (
        "Let's sort out the other details first.",
        "One thing at a time, please: there's something else to settle first.",
    ),
    Action.NUDGE: (
        "Is there anything else you need from me to answer?",
        "Do you need anything more from me?",
        "What else do you need to know?",
    ),
    Action.GO_AHEAD: (
        "Sure, go ahead.",
        "Okay, I'm waiting.",
        "Sure, take your time.",
        "Okay, go on.",
    ),
    Action.ACCEPT: ("Great, thanks.", "Perfect, thank you.", "Thanks, that's what I needed."),
    Action.GIVE_UP: (
        "This isn't getting anywhere. I'll sort it out myself, thanks.",
        "Never mind, I'll figure it out another way. Bye.",
    ),
    Action.GOODBYE: ("Thanks, that's all. Bye!", "Okay, thank you. That's everything."),
}
_PREMATURE = (
    "Hmm, I don't think that's quite what I'm after.",
    "That doesn't sound right to me.",
)
_RESTATE = ("As I said, ", "Like I mentioned, ", "Again: ")
_REPEAT = ("Come on, I really need this. ", "Please, it's important. ", "Are you sure? ")


def realize(persona: Persona, mode: Mode, decision: Decision, rng: random.Random) -> str:
    """Word a policy decision as the persona would say it."""
    traits = persona.traits
    pick = rng.choice
    parts: list[str] = []
    says = [persona.fact(fid).say.strip() for fid in decision.reveal]

    if decision.action == Action.OPENING:
        parts.append(persona.opening.strip())
        if mode == Mode.CONCAT and says:
            parts.append("\n" + "\n".join(f"- {s}" for s in says))
        elif says:
            parts.append(" " + " ".join(says))
    elif decision.action == Action.REVEAL:
        if decision.premature:
            parts.append(pick(_PREMATURE) + " ")
        elif traits.verbosity != "terse":
            parts.append(pick(_TONE_PREFIX[traits.tone]))
        parts.append(" ".join(says))
    elif decision.action == Action.RESTATE:
        restated = [persona.fact(fid).say.strip() for fid in decision.restate]
        parts.append(pick(_RESTATE) + " ".join(restated))
    elif decision.action == Action.NUDGE and decision.premature:
        parts.append(pick(_PREMATURE) + " " + pick(_TEXT[Action.NUDGE]))
    elif decision.action in _TEXT:
        parts.append(pick(_TEXT[decision.action]))

    if decision.probe is not None:
        probe = persona.probes[decision.probe]
        if decision.action == Action.PROBE_REPEAT:
            ask = probe.repeat or pick(_REPEAT) + probe.ask
        else:
            ask = probe.ask
        parts.append((" " if parts else "") + ask.strip())

    ends = decision.end is not None or decision.action in (Action.PROBE, Action.PROBE_REPEAT)
    if traits.verbosity == "chatty" and decision.action == Action.REVEAL and not ends:
        parts.append(pick(_CHATTY_SUFFIX))
    return "".join(parts).strip()
