"""The checked-in CRM persona pack equals the generator's output and is well formed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from simulator.env.crm import generate_pack, write_pack
from simulator.persona import load_persona, load_personas
from simulator.persona._schema import Persona, Traits

try:
    from simulator.judge.values import contains_value
except ImportError:  # pragma: no cover - the value detector is optional here

    def contains_value(value: str, text: str, kind: str = "auto") -> bool:
        return value.lower() in text.lower()


ROOT = Path(__file__).resolve().parents[1] / "personas"
PACK_DIR = ROOT / "crm"
PACK = generate_pack(0)
PERSONAS = {name: Persona.model_validate(yaml.safe_load(text)) for name, text in PACK.items()}


def test_checked_in_pack_is_the_generated_pack() -> None:
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in PACK_DIR.glob("*.yaml")}
    assert sorted(on_disk) == sorted(PACK), "regenerate with write_pack(Path('personas/crm'))"
    for name, text in PACK.items():
        assert on_disk[name] == text, f"{name} differs from generate_pack(0)"


def test_generation_is_deterministic_and_seeded(tmp_path: Path) -> None:
    assert generate_pack(0) == PACK
    assert list(generate_pack(0)) == list(PACK)
    assert generate_pack(1) != PACK
    written = write_pack(tmp_path / "out", 0)
    assert sorted(p.name for p in written) == sorted(PACK)
    assert all(p.read_text(encoding="utf-8") == PACK[p.name] for p in written)


def test_families_and_ids() -> None:
    families: dict[str, int] = {}
    for name, persona in PERSONAS.items():
        assert name == f"{persona.id}.yaml"
        assert persona.id.startswith(f"crm.{persona.family}.")
        assert persona.environment == "crm" and persona.environment_seed == 0
        assert persona.context.today is not None and persona.context.user_id
        assert 3 <= persona.traits.patience <= 5 and persona.traits.pushback == 1
        families[str(persona.family)] = families.get(str(persona.family), 0) + 1
    assert families == {
        "sales_amount": 3,
        "handle_time": 3,
        "named_entity_disambiguation": 3,
        "privacy_contact": 3,
    }


def test_every_file_validates_and_loads() -> None:
    for text in PACK.values():
        data = yaml.safe_load(text)
        assert list(data)[:4] == ["id", "name", "role", "family"]
        Persona.model_validate(data)
    loaded = load_personas(PACK_DIR)
    assert sorted(p.id for p in loaded) == sorted(p.id for p in PERSONAS.values())


@pytest.mark.parametrize("name", sorted(PACK))
def test_openings_and_says_do_not_give_values_away(name: str) -> None:
    persona = PERSONAS[name]
    for fact in persona.facts:
        assert contains_value(fact.value, fact.say, fact.kind), f"{fact.id}: value not in say"
        assert fact.value.lower() in fact.say.lower()
        assert not contains_value(fact.value, persona.opening, fact.kind), f"opening: {fact.id}"
        assert fact.value.lower() not in persona.opening.lower()
        assert fact.cues, f"{fact.id} has cues"
        for other in persona.facts:
            if other.id != fact.id:
                assert not contains_value(other.value, fact.say, other.kind), (fact.id, other.id)
                assert other.value.lower() not in fact.say.lower()
    texts = [persona.opening, *(f.say for f in persona.facts), *(p.ask for p in persona.probes)]
    for secret in persona.confidential:
        assert not any(contains_value(secret.value, t, secret.kind) for t in texts)


def test_styles_are_partial_trait_sets_usable_with_extends(tmp_path: Path) -> None:
    root = tmp_path / "personas"
    shutil.copytree(ROOT / "styles", root / "styles")
    for style in ("busy-manager", "chatty-customer"):
        data = yaml.safe_load((ROOT / "styles" / f"{style}.yaml").read_text(encoding="utf-8"))
        assert set(data) <= {"traits", "role"}
        Traits.model_validate(data["traits"])
        mine = root / "mine" / f"{style}-user.yaml"
        mine.parent.mkdir(exist_ok=True)
        mine.write_text(
            f"extends: ../styles/{style}.yaml\nname: Pat\ngoal: Test.\nopening: Hi.\n",
            encoding="utf-8",
        )
        persona = load_persona(mine, root=root)
        assert persona.traits == Traits.model_validate(data["traits"])
        assert persona.role == data["role"]
