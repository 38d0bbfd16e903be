"""The checked-in CRM persona pack equals the generator's output and is well formed."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from simulator.cli import app
from simulator.env.crm import DEFAULT_N, FAMILIES, generate_pack, write_pack
from simulator.judge.values import contains_value
from simulator.persona import load_persona, load_personas
from simulator.persona._schema import Persona, Traits

ROOT = Path(__file__).resolve().parents[1] / "personas"
PACK_DIR = ROOT / "crm"
PACK = generate_pack()
PERSONAS = {name: Persona.model_validate(yaml.safe_load(text)) for name, text in PACK.items()}
LLM_ONLY = {f.name for fams in FAMILIES.values() for f in fams if f.llm_only}
PRIVACY = {"privacy_contact", "privacy_internal", "privacy_knowledge"}


def test_checked_in_pack_is_the_generated_pack() -> None:
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in PACK_DIR.glob("*.yaml")}
    assert sorted(on_disk) == sorted(PACK), "regenerate with `simulator crm pack`"
    for name, text in PACK.items():
        assert on_disk[name] == text, f"{name} differs from generate_pack()"


def test_every_family_of_both_orgs_has_ten_personas() -> None:
    assert DEFAULT_N == 10 and len(PACK) == 22 * 2 * 10
    counts = Counter((p.environment, p.family) for p in PERSONAS.values())
    for org, families in FAMILIES.items():
        assert [f.name for f in families] == [f.name for f in FAMILIES["b2b"]]
        assert all(f.org == org for f in families)
        for family in families:
            assert counts[(f"crm-{org}", family.name)] == 10, (org, family.name)
    business = {f.name for fams in FAMILIES.values() for f in fams} - PRIVACY
    assert len(business) == 19, sorted(business)
    assert {f.name for f in FAMILIES["b2b"]} >= PRIVACY and {
        f.name for f in FAMILIES["b2c"]
    } >= PRIVACY


def test_generation_is_deterministic_seeded_and_selectable(tmp_path: Path) -> None:
    assert generate_pack() == PACK
    one = generate_pack(orgs=["b2c"], families=["handle_time"], n=2, seed=3)
    assert len(one) == 2 and all(".handle_time.b2c-" in name for name in one)
    assert one == generate_pack(orgs=["b2c"], families=["handle_time"], n=2, seed=3)
    assert set(one.values()).isdisjoint(PACK.values())
    written = write_pack(tmp_path / "out", orgs=["b2b"], families=["quote_approval"], n=3)
    assert len(written) == 3 and all(p.name in PACK for p in written)


def test_cli_generate_writes_personas_that_pass_persona_check(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "personas" / "crm"
    args = ["crm", "generate", "--org", "b2b", "--family", "lead_routing", "--family",
            "privacy_knowledge", "--n", "6", "--seed", "2", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "wrote 12 personas" in result.output
    check = runner.invoke(app, ["persona", "check", str(out)])
    assert check.exit_code == 0 and "12 personas ok" in check.output
    bad = runner.invoke(app, ["crm", "generate", "--org", "b2c", "--family", "lead_routin"])
    assert bad.exit_code != 0 and "unknown CRM family lead_routin" in str(
        bad.output or bad.exception
    )


def test_every_family_is_generated_in_both_orgs_from_the_cli(tmp_path: Path) -> None:
    """``crm generate --org b2b --family handle_time`` (a service family) works, and every
    family generates in every org."""
    runner = CliRunner()
    for org in ("b2b", "b2c"):
        out = tmp_path / org
        args = ["crm", "generate", "--org", org, "--n", "1", "--out", str(out)]
        for family in FAMILIES[org]:
            args += ["--family", family.name]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "wrote 22 personas" in result.output
    result = runner.invoke(app, ["crm", "generate", "--org", "b2b", "--family", "handle_time",
                                 "--n", "3", "--out", str(tmp_path / "ht")])  # fmt: skip
    assert result.exit_code == 0 and "wrote 3 personas" in result.output
    assert all(".handle_time.b2b-" in p.name for p in (tmp_path / "ht").iterdir())


def test_cli_pack_rewrites_the_pack_with_n_per_family(tmp_path: Path) -> None:
    out = tmp_path / "crm"
    out.mkdir()
    (out / "crm.stale.b2b-0001.yaml").write_text("id: stale\n", encoding="utf-8")
    (out / "README.md").write_text("kept\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["crm", "pack", "--per-family", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 88 personas" in result.output and "22 families x 2 orgs x 2" in result.output
    names = sorted(p.name for p in out.glob("*.yaml"))
    assert len(names) == 88 and "crm.stale.b2b-0001.yaml" not in names
    assert (out / "README.md").read_text(encoding="utf-8") == "kept\n"
    counts = Counter(name.split("-")[0] for name in names)
    assert set(counts.values()) == {2} and len(counts) == 44
    check = runner.invoke(app, ["persona", "check", str(out)])
    assert check.exit_code == 0 and "88 personas ok" in check.output


def test_cli_schema_prints_an_org() -> None:
    result = CliRunner().invoke(app, ["crm", "schema", "--org", "b2b", "--table", "quotes"])
    assert result.exit_code == 0 and "quotes (Quote)" in result.output
    assert "cases" not in result.output


def test_every_file_validates_and_loads() -> None:
    for text in PACK.values():
        data = yaml.safe_load(text)
        assert list(data)[:4] == ["id", "name", "role", "family"]
    loaded = load_personas(PACK_DIR)
    assert sorted(p.id for p in loaded) == sorted(p.id for p in PERSONAS.values())


def test_ids_environments_tags_and_roles() -> None:
    for name, persona in PERSONAS.items():
        assert name == f"{persona.id}.yaml"
        org = persona.environment.removeprefix("crm-")
        assert persona.id.startswith(f"crm.{persona.family}.{org}-")
        assert persona.environment_seed == 0 and persona.context.today is not None
        assert persona.context.user_id
        assert 3 <= persona.traits.patience <= 5 and persona.traits.pushback == 1
        assert (persona.tags == ["llm-only"]) == (persona.family in LLM_ONLY), persona.id
        if persona.family in PRIVACY:
            assert persona.context.audience == "customer" and persona.expect.match == "none"
            assert persona.probes and not persona.facts
        assert ";" in persona.role or "(a customer of" in persona.role


def test_confidential_values_are_declared_per_category() -> None:
    categories: dict[str, set[str]] = {}
    for persona in PERSONAS.values():
        for secret in persona.confidential:
            categories.setdefault(persona.environment, set()).add(secret.category)
        for probe in persona.probes:
            assert probe.targets
    want = {"other_customer", "internal_data", "company_knowledge"}
    assert categories == {"crm-b2b": want, "crm-b2c": want}


@pytest.mark.parametrize("name", sorted(PACK))
def test_openings_and_says_do_not_give_values_away(name: str) -> None:
    persona = PERSONAS[name]
    for fact in persona.facts:
        assert contains_value(fact.value, fact.say, fact.kind), f"{fact.id}: value not in say"
        assert fact.value.lower() in fact.say.lower()
        assert not contains_value(fact.value, persona.opening, fact.kind), f"opening: {fact.id}"
        assert fact.cues, f"{fact.id} has cues"
        for other in persona.facts:
            if other.id != fact.id:
                assert other.value.lower() not in fact.say.lower(), (fact.id, other.id)
    texts = [persona.opening, *(f.say for f in persona.facts), *(p.ask for p in persona.probes)]
    for secret in persona.confidential:
        assert not any(contains_value(secret.value, t, secret.kind) for t in texts), secret.id


def test_styles_are_partial_trait_sets_usable_with_extends(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    shutil.copytree(ROOT / "styles", root / "styles")
    for path in sorted((ROOT / "styles").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= {"traits", "role"}
        Traits.model_validate(data["traits"])
        mine = root / "mine" / f"{path.stem}-user.yaml"
        mine.parent.mkdir(exist_ok=True)
        mine.write_text(
            f"extends: ../styles/{path.name}\nname: Pat\ngoal: Test.\nopening: Hi.\n",
            encoding="utf-8",
        )
        persona = load_persona(mine, root=root)
        assert persona.traits == Traits.model_validate(data["traits"])
        assert persona.role == data["role"]


def test_simulator_crm_lists_every_family_of_both_orgs_with_the_pack_counts() -> None:
    result = CliRunner().invoke(app, ["crm"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    for org in ("b2b", "b2c"):
        assert f"{org}: 19 business families, 3 confidentiality categories" in result.output
    rows = [line for line in result.output.splitlines() if line.count("│") == 5]
    assert len(rows) == 44  # family, skill, asked by, in pack: no family is llm-only
    assert "llm-only" not in result.output.split("Usage")[0]
    for family in {f.name for fams in FAMILIES.values() for f in fams}:
        counts = [int(r.split("│")[-2]) for r in rows if r.split("│")[1].strip() == family]
        assert len(counts) == 2 and min(counts) >= 10, (family, counts)
    assert "Commands" in result.output  # the commands follow the table


def test_a_question_about_one_filter_does_not_name_another() -> None:
    """Filters one question may combine have cues of their own: asking whether to count
    one channel only is not a question about the priority the user already gave."""
    from simulator.user import AgentTurn, classify

    persona = load_persona(ROOT / "crm/crm.handle_time.b2c-longest-2024-11-high.yaml")
    assert {f.id for f in persona.facts} >= {"priority"}
    ask = "Could you tell me whether I should only count cases from one channel?"
    assert "priority" not in classify(persona, AgentTurn(text=ask)).asked
    ask = "Should I only count cases of a certain priority?"
    assert classify(persona, AgentTurn(text=ask)).asked == ["priority"]


def test_the_guides_crm_commands_that_write_elsewhere_work(tmp_path: Path) -> None:
    """docs/crm.md's `crm pack ... --out` and `crm generate` lines, as written (the
    folders they name moved under tmp_path)."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "crm.md").read_text()
    block = guide.split("```sh\n.venv/bin/simulator crm ", 1)[1].split("```", 1)[0]
    lines = ("crm " + block).replace("\\\n", " ").splitlines()
    writing = [line.split("#")[0].split() for line in lines if "--out" in line]
    assert len(writing) == 2
    for words in writing:
        args = [w for w in words if not w.endswith("/simulator")]
        at = args.index("--out")
        args[at + 1] = str(tmp_path / Path(args[at + 1]).name)
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "wrote" in result.output
