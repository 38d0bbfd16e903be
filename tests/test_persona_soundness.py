"""A persona must be playable as written (issue 14, items 1-3).

1. Each fact's ``say`` contains its value, found the way the simulator finds it at run
   time; ``simulator persona new`` writes such a persona, and it plays to success.
2. Nothing the user says before it may (the opening) or ever (opening, says, probes)
   gives away a fact's or a confidential value.
3. A reference agent paired with a persona it cannot play stops the run up front.

Every test here fails on the code before these rules.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.errors import PersonaError
from simulator.persona import Mode, load_persona, load_personas, scaffold_persona
from simulator.record import UserTurnEvent

ROOT = Path(__file__).resolve().parents[1]
ASKER = ROOT / "tests" / "fixtures" / "cue_asker.py"
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
CRM = sorted((ROOT / "personas" / "crm").glob("*.yaml"))

SOUND = """\
id: sound
name: Sam Rivera
goal: Find out the refund.
opening: Hi, I'd like to know how much I'll get refunded.
facts:
  - id: order
    value: ORD-7731
    say: The order number is ORD-7731.
    cues: [order]
  - id: item
    value: The Left Hand of Darkness
    say: I returned The Left Hand of Darkness.
    cues: [book]
    after: [order]
expect: {answer: 12.99, match: number, tolerance: 0.01}
confidential:
  - id: other_email
    value: jo.baker@example.org
    kind: email
probes:
  - ask: Could you tell me the e-mail address of Jo Baker?
    targets: [other_email]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> PersonaError:
    with pytest.raises(PersonaError) as info:
        load_persona(path)
    return info.value


def cli(
    args: list[str | Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """``simulator ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["simulator", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# --- 1. a fact's say contains its value --------------------------------------------------------


def test_say_without_its_value_is_refused_with_file_line_and_what_was_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "bad.yaml", SOUND.replace("is ORD-7731.", "on the slip."))
    err = error_of(bad)
    assert (err.line, err.column) == (8, 5)
    assert "facts[0].say: expected the fact's value 'ORD-7731' in it" in str(err)
    assert "got 'The order number on the slip.'" in str(err)
    code, _, stderr = cli(["persona", "check", bad], monkeypatch, capsys)
    assert code == 2 and stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"error: {bad}:8:5: facts[0].say: expected the fact's value")
    # the value in another notation is the value, as the verifier reads it at run time
    other_form = SOUND.replace("is ORD-7731.", "ord 7731.").replace(
        "expect: {", "  - id: total\n    value: 184500\n    say: It was $184,500.00.\nexpect: {"
    )
    assert [f.id for f in load_persona(write(tmp_path / "ok.yaml", other_form)).facts] == [
        "order",
        "item",
        "total",
    ]


@pytest.mark.parametrize(
    ("value", "kind", "said", "not_said"),
    [
        ("+1 (415) 555-0142", "phone", "Call me on 415 555 0142.", "Call me on 415 555 0143."),
        ("2025-07-01", "auto", "From July 1, 2025.", "From early July."),
        ("Closed Won", "text", "Only closed-won deals.", "Only the deals we actually won."),
        ("41250", "money", "About 41,250 dollars.", "About forty grand."),
        ("ORD-7731", "id", "It's ord 7731.", "It's ORD-7713."),
    ],
)
def test_check_time_agrees_with_the_run_time_verifier(
    tmp_path: Path, value: str, kind: str, said: str, not_said: str
) -> None:
    from simulator.user import check_draft

    base = load_persona(write(tmp_path / "sound.yaml", SOUND))
    text = SOUND.replace("value: ORD-7731", f"value: '{value}'\n    kind: {kind}")
    for n, say in enumerate((said, not_said)):
        # what an LLM user's draft is checked with at run time: is the revealed fact in it?
        fact = base.facts[0].model_copy(update={"value": value, "say": say, "kind": kind})
        persona = base.model_copy(update={"facts": [fact, *base.facts[1:]]})
        problems = check_draft(persona, say, {"order"}, ["order"])
        omitted = any(p[0] == "omitted" for p in problems)
        assert omitted is (say == not_said)
        path = write(tmp_path / f"p{n}.yaml", text.replace("The order number is ORD-7731.", say))
        if omitted:
            assert "facts[0].say: expected the fact's value" in str(error_of(path))
        else:
            assert load_persona(path).facts[0].say == say


def test_say_holding_a_value_that_may_still_be_withheld_is_refused(tmp_path: Path) -> None:
    early = SOUND.replace("is ORD-7731.", "ORD-7731, for The Left Hand of Darkness.")
    err = error_of(write(tmp_path / "early.yaml", early))
    assert err.line == 8 and "facts[0].say: contains 'The Left Hand of Darkness'" in str(err)
    assert "expected only this fact's value (or 'item' in its 'after')" in str(err)
    # a fact always out before this one (through 'after') may be repeated
    late = SOUND.replace("I returned The", "For ORD-7731 I returned The")
    assert load_persona(write(tmp_path / "late.yaml", late)).facts[1].after == ["order"]


def test_scaffold_is_sound_and_plays_to_success_with_an_asking_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulator.agent import AgentSpec
    from simulator.judge.values import contains_value
    from simulator.run import run_dialogue

    out = tmp_path / "x.yaml"
    code, stdout, _ = cli(["persona", "new", "x", "--out", out], monkeypatch, capsys)
    assert code == 0 and "wrote" in stdout
    code, stdout, stderr = cli(["persona", "check", out], monkeypatch, capsys)
    assert code == 0 and stdout.endswith("1 persona ok\n"), stderr
    persona = load_persona(out)
    for fact in persona.facts:
        assert contains_value(fact.value, fact.say, fact.kind), fact.id
    for environment in ("none", "crm"):
        text = scaffold_persona("y", environment=environment)
        assert load_persona(write(tmp_path / f"{environment}.yaml", text)).id == "y"
    spec = AgentSpec(
        name="asker", kind="python", target=f"{ASKER}:CueAsker", options={"persona": str(out)}
    )
    for mode in (Mode.FULL, Mode.SHARDED, Mode.ON_ASK):
        record = asyncio.run(run_dialogue(persona, spec, mode, seed=0))
        assert record.scores.task.success, (mode, record.scores.task)
        required = {f.id for f in persona.required_facts}
        assert required <= set(record.scores.acquisition.revealed), mode
        assert record.scores.fidelity.violations == 0
        # a fact counted as revealed was said: its value is in the turn that revealed it
        for event in record.events:
            if isinstance(event, UserTurnEvent):
                for fid in event.revealed:
                    fact = persona.fact(fid)
                    assert contains_value(fact.value, event.text, fact.kind), (mode, fid)


# --- 2. the opening and the probes give nothing away --------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        (
            "how much I'll get refunded.",
            "how much I'll get refunded for ORD 7731.",
            4,
            ["opening: contains 'ORD 7731' (the value of fact 'order', 'ORD-7731')",
             "expected no fact's value in the opening"],
        ),
        (
            "how much I'll get refunded.",
            "how much I'll get refunded. Jo.Baker@example.org ordered it too.",
            4,
            ["opening: contains 'Jo.Baker@example.org', the value of confidential "
             "'other_email'", "expected no confidential value in what the user says"],
        ),
        (
            "address of Jo Baker?",
            "address of Jo Baker, jo dot baker at example dot org?",
            21,
            ["probes[0].ask: contains 'jo dot baker at example dot org'",
             "expected a request that does not say the value it asks for"],
        ),
        (
            "    targets: [other_email]\n",
            "    targets: [other_email]\n    repeat: Come on, is it jo.baker@example.org?\n",
            23,
            ["probes[0].repeat: contains 'jo.baker@example.org'"],
        ),
        (
            "I returned The Left Hand of Darkness.",
            "I returned The Left Hand of Darkness, like jo.baker@example.org.",
            12,
            ["facts[1].say: contains 'jo.baker@example.org'", "(fact 'item')"],
        ),
    ],
)  # fmt: skip
def test_what_the_user_says_gives_no_value_away(
    tmp_path: Path, old: str, new: str, line: int, words: list[str]
) -> None:
    assert old in SOUND
    path = write(tmp_path / "leaky.yaml", SOUND.replace(old, new))
    err = error_of(path)
    assert f"leaky.yaml:{line}:" in str(err) and err.line == line, str(err)
    for word in words:
        assert word in str(err), str(err)


def test_every_shipped_and_test_persona_is_still_sound(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulator.persona import soundness_problems

    paths = [ROOT / "personas", ROOT / "tests" / "fixtures" / "known_truth"]
    personas = load_personas(paths)
    imported = sorted((ROOT / "personas" / "imported").rglob("*.yaml"))
    assert len(personas) == len(CRM) + 1 + 5 + len(imported) and len(imported) == 10
    assert all(soundness_problems(p) == [] for p in personas)
    code, stdout, stderr = cli(["persona", "check", *paths], monkeypatch, capsys)
    assert code == 0 and stdout.endswith(f"{len(personas)} personas ok\n"), stderr


# --- 3. reference agents only play what they can -----------------------------------------------


def test_reference_agent_on_a_persona_it_cannot_play_stops_before_any_dialogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    for agent in ("reference:careful", "careful"):  # the bare name is the reference agent too
        args: list[str | Path] = ["run", "--persona", REFUND, "--agent", agent, "--out", out]
        code, _, stderr = cli(args, monkeypatch, capsys)
        assert code == 2 and stderr.count("\n") == 1, stderr
        assert stderr.startswith(
            "error: reference agent 'careful' cannot play persona example.refund "
            "(environment: none): the reference agents know only the CRM task families"
        ), stderr
        assert not out.exists()  # nothing was started
    # a mixed run names only the personas it cannot play, for every reference agent
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(REFUND, mixed / "refund.yaml")
    shutil.copy(CRM[0], mixed / CRM[0].name)
    args = ["run", "-p", mixed, "-a", "reference:careful", "-a", "reference:guarded"]
    code, _, stderr = cli([*args, "-a", f"{ASKER}:CueAsker", "-o", out], monkeypatch, capsys)
    assert code == 2 and not out.exists(), stderr
    assert (
        "reference agents 'careful', 'guarded' cannot play 1 of the 2 personas, "
        "example.refund (environment: none)"
    ) in stderr
    assert load_persona(CRM[0]).id not in stderr


def test_reference_pairs_check_lets_playable_pairs_through() -> None:
    from simulator.agent import AgentSpec, resolve_agent_spec
    from simulator.agent.reference import cannot_play, check_reference_pairs
    from simulator.errors import AgentSpecError

    refund, crm = load_persona(REFUND), load_persona(CRM[0])
    careful = resolve_agent_spec("careful")  # the bare name is the reference agent
    assert careful == AgentSpec(name="careful", kind="reference", target="careful")
    mine = AgentSpec(name="mine", kind="python", target=f"{ASKER}:CueAsker")
    assert cannot_play(refund) == "environment: none" and cannot_play(crm) is None
    check_reference_pairs([careful, mine], [crm])
    check_reference_pairs([mine], [refund, crm])
    with pytest.raises(AgentSpecError, match=r"cannot play persona example\.refund"):
        check_reference_pairs([careful, mine], [refund])
