"""Study files: strict reading with positions, overrides, resolution into jobs, run folders."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.errors import SimulatorError
from simulator.persona import Mode, Persona
from simulator.run import Study, StudyError, load_study, plan, read_records, resolve_study
from simulator.run._manifest import read_manifest, resume_study
from simulator.run._runner import run_study
from simulator.run._study import absolute_paths, default_study_file, select_personas

ROOT = Path(__file__).resolve().parents[1]
REFUND = ROOT / "personas" / "examples" / "refund.yaml"
AGENTS = ROOT / "tests" / "fixtures" / "refund_agents.py"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def small_study(tmp_path: Path, **extra: str) -> Path:
    lines = [
        "name: small",
        f"personas: [{REFUND}]",
        f"agents: ['{AGENTS}:careful', '{AGENTS}:eager']",
        "modes: [full, on_ask]",
        "repeats: 2",
        *(f"{k}: {v}" for k, v in extra.items()),
    ]
    return write(tmp_path / "small.yaml", "\n".join(lines) + "\n")


def test_the_default_study_is_the_crm_pack_with_the_reference_agents() -> None:
    path = default_study_file()
    assert path == ROOT / "studies" / "default.yaml"
    study = load_study(path)
    assert study.agents == [
        "reference:careful",
        "reference:eager",
        "reference:leaky",
        "reference:guarded",
    ]
    assert study.modes == [Mode.FULL, Mode.SHARDED, Mode.ON_ASK]
    resolved = resolve_study(study, path.parent, path)
    assert all(p.environment.startswith("crm") for p in resolved.personas)
    strata = [(p.family, p.environment) for p in resolved.personas]
    assert len(strata) == len(set(strata)) > 1  # one persona of each family in each org
    assert not any("llm-only" in p.tags for p in resolved.personas)
    assert resolved.total == len(resolved.personas) * 4 * 3 * study.repeats


def test_selection_by_tag_and_family() -> None:
    pack = ROOT / "personas" / "crm"
    everything = resolve_study(Study(personas=[str(pack)]), ROOT)
    two = resolve_study(Study(personas=[str(pack)], per_family=2), ROOT)
    assert len(two.personas) < len(everything.personas)
    tagged = Study(personas=[str(pack)], exclude_tags=["llm-only"])
    assert all("llm-only" not in p.tags for p in resolve_study(tagged, ROOT).personas)
    by_stratum: dict[tuple[str | None, str], int] = {}
    for persona in two.personas:
        key = (persona.family, persona.environment)
        by_stratum[key] = by_stratum.get(key, 0) + 1
    assert set(by_stratum.values()) <= {1, 2}
    # personas without a family are never cut
    plain = resolve_study(Study(personas=[str(REFUND)], per_family=1), ROOT)
    assert [p.id for p in plain.personas] == ["example.refund"]


def test_per_family_spreads_the_sample_over_each_family_and_environment() -> None:
    base = Persona.model_validate(yaml.safe_load(REFUND.read_text()))

    def persona(family: str, env: str, i: int) -> Persona:
        return base.model_copy(
            update={"id": f"{family}.{env}.{i}", "family": family, "environment": env}
        )

    pack = [persona("f", env, i) for env in ("crm-b2b", "crm-b2c") for i in range(10)]
    pack.append(base)
    picked = select_personas(pack, Study(per_family=3))
    assert [p.id for p in picked] == [
        "f.crm-b2b.0",
        "f.crm-b2b.3",
        "f.crm-b2b.6",
        "f.crm-b2c.0",
        "f.crm-b2c.3",
        "f.crm-b2c.6",
        base.id,
    ]
    assert [p.id for p in select_personas(pack, Study(per_family=1))][:2] == [
        "f.crm-b2b.0",
        "f.crm-b2c.0",
    ]
    assert len(select_personas(pack, Study(per_family=0))) == 21


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nrepeat: 3\n", "s.yaml:2:1: unknown key 'repeat' (allowed: name,"),
        (
            "modes: [full, shardd]\n",
            "s.yaml:1:15: modes[1]: expected one of 'full', 'concat', 'sharded', 'on_ask', "
            "got 'shardd'",
        ),
        ("repeats: 0\n", "s.yaml:1:1: repeats: expected a whole number of at least 1, got 0"),
        ("per_family: lots\n", "s.yaml:1:1: per_family: expected a whole number, got 'lots'"),
        ("seeds: [1, 2]\nrepeats: 3\n", "s.yaml:1:1: give either 'seeds' or 'repeats'"),
        ("modes: [full, on_ask, full]\n", "s.yaml:1:1: 'modes' repeats full; each mode runs"),
        ("agents: [a\n", "s.yaml:2:1: invalid YAML"),
        ("- a\n- b\n", "s.yaml:1:1: expected a mapping of study keys"),
        (
            "roles: {user: {modle: x}}\n",
            "s.yaml:1:16: roles.user: unknown key 'modle' (allowed: model, temperature, seed, "
            "max_tokens); did you mean 'model'? (and 1 more problem)",
        ),
    ],
)
def test_bad_study_files_name_file_line_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path / "s.yaml", text)
    with pytest.raises(StudyError) as info:
        load_study(path)
    assert str(info.value).startswith(str(tmp_path / expected)), str(info.value)


def test_seeds_and_overrides(tmp_path: Path) -> None:
    assert Study(seed=5, repeats=3).seed_list == [5, 6, 7]
    assert Study(seeds=[9, 2]).seed_list == [9, 2]
    study = Study(seeds=[9, 2]).with_overrides({"repeats": 2, "seed": None, "concurrency": 3})
    assert study.seed_list == [0, 1] and study.concurrency == 3
    with pytest.raises(StudyError, match="max_turns"):
        Study().with_overrides({"max_turns": 0})
    with pytest.raises(StudyError, match=r"^'modes' repeats on_ask; each mode runs once"):
        Study().with_overrides({"modes": ["on_ask", "full", "on_ask"]})


def test_paths_are_relative_to_the_study_file_and_flags_to_the_working_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "studies"
    folder.mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "refund.yaml").write_text(REFUND.read_text())
    study = load_study(write(folder / "s.yaml", "personas: [../p]\nagents: [reference:eager]\n"))
    resolved = resolve_study(study, folder)
    assert [p.id for p in resolved.personas] == ["example.refund"]
    monkeypatch.chdir(tmp_path)
    flags = absolute_paths(["p/refund.yaml"], ["agent.py:reply", "reference:x"], Path.cwd())
    assert flags["personas"] == [str(tmp_path / "p" / "refund.yaml")]
    assert flags["agents"] == [f"{tmp_path / 'agent.py'}:reply", "reference:x"]


def test_jobs_are_the_plan_in_the_same_order(tmp_path: Path) -> None:
    resolved = resolve_study(load_study(small_study(tmp_path)), tmp_path)
    jobs = list(resolved.jobs())
    expected = plan(resolved.personas, resolved.agents, resolved.modes, resolved.seeds)
    assert [j.id for j in jobs] == [j.id for j in expected]
    assert len(jobs) == resolved.total == 1 * 2 * 2 * 2


def test_two_agents_with_one_name_are_refused(tmp_path: Path) -> None:
    study = Study(personas=[str(REFUND)], agents=["reference:eager", "reference:eager"])
    with pytest.raises(StudyError, match="two agents share a name"):
        resolve_study(study, tmp_path)


def test_a_run_folder_has_manifest_records_and_outputs(tmp_path: Path) -> None:
    from simulator.report import write_run_outputs

    source = small_study(tmp_path)
    resolved = resolve_study(load_study(source), tmp_path, source)
    out = tmp_path / "run"
    result = run_study(resolved, out, command=["simulator", "run", str(source)])
    assert (result.total, result.already, result.ran, result.missing) == (8, 0, 8, 0)
    manifest = read_manifest(out)
    assert manifest["config"]["repeats"] == 2 and manifest["seeds"] == [0, 1]
    assert manifest["study"]["name"] == "small"
    assert "repeats: 2" in manifest["study"]["text"]
    assert set(manifest["personas"]) == {"example.refund"}
    assert manifest["versions"]["simulator"] and manifest["versions"]["langgraph"]
    assert manifest["dialogues"] == 8
    records = list(read_records(out / "dialogues.jsonl"))
    assert sorted(r.id for r in records) == sorted(j.id for j in resolved.jobs())

    outputs = write_run_outputs(out)
    names = {p.name for p in outputs.files}
    assert {"summary.csv", "breakdown.csv", "report.html"} <= names
    assert {"success_by_mode.png", "success_vs_turns.png", "leakage_by_category.png"} <= names
    with (out / "summary.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["agent"], r["mode"]) for r in rows] == [
        ("refund_agents:careful", "full"),
        ("refund_agents:careful", "on_ask"),
        ("refund_agents:eager", "full"),
        ("refund_agents:eager", "on_ask"),
    ]
    careful, eager = rows[1], rows[3]  # on_ask; eager answers $10 at once, always wrong
    assert careful["success_rate"] == "1.0" and careful["pass^2"] == "1.0"
    assert eager["success_rate"] == "0.0" and eager["delta_vs_full"] == "0.0"
    assert int(eager["premature_attempts"]) >= 2 and careful["asked_share"] == "1.0"

    # running the same study into the same folder again runs nothing and notes a resume
    again = run_study(resolved, out, command=["again"])
    assert (again.already, again.ran) == (8, 0)
    assert read_manifest(out)["resumed"][-1]["command"] == ["again"]
    assert len((out / "dialogues.jsonl").read_text().splitlines()) == 8


def test_another_study_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    source = small_study(tmp_path)
    resolved = resolve_study(load_study(source), tmp_path, source)
    run_study(resolved, tmp_path / "run")
    other = resolve_study(load_study(source).with_overrides({"repeats": 1}), tmp_path, source)
    with pytest.raises(StudyError, match="holds another study's run"):
        run_study(other, tmp_path / "run")


def test_resume_refuses_edited_personas(tmp_path: Path) -> None:
    persona = write(tmp_path / "refund.yaml", REFUND.read_text())
    study = Study(personas=[str(persona)], agents=[f"{AGENTS}:careful"], modes=[Mode.FULL])
    resolved = resolve_study(study, tmp_path)
    run_study(resolved, tmp_path / "run")
    manifest = read_manifest(tmp_path / "run")
    assert resume_study(manifest).total == 1
    write(persona, REFUND.read_text().replace("Sam Rivera", "Sam Rivers"))
    with pytest.raises(StudyError, match="changed since the run started"):
        resume_study(manifest)
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["dialogues"] == 1


def test_a_run_refuses_to_mix_two_versions_of_an_agents_code(tmp_path: Path) -> None:
    """Fixing your agent and running again into the same folder would show the old
    records (they are all there: nothing runs); resuming would mix the two versions."""
    agent = write(tmp_path / "my_agent.py", AGENTS.read_text())
    study = Study(personas=[str(REFUND)], agents=[f"{agent}:careful"], modes=[Mode.FULL])
    resolved = resolve_study(study, tmp_path)
    run_study(resolved, tmp_path / "run")
    manifest = read_manifest(tmp_path / "run")
    assert list(manifest["agent_code"]) == ["my_agent:careful"]
    assert run_study(resolved, tmp_path / "run").ran == 0  # unchanged: nothing to run
    assert resume_study(manifest).total == 1
    write(agent, AGENTS.read_text() + "\n# fixed\n")
    with pytest.raises(
        StudyError,
        match=r"the code of agent 'my_agent:careful' \(.*my_agent.py\) changed since it ran",
    ):
        run_study(resolved, tmp_path / "run")
    with pytest.raises(StudyError, match="would mix two versions of it"):
        resume_study(manifest)
    (tmp_path / "run2").mkdir()
    assert run_study(resolved, tmp_path / "run2").ran == 1  # another --out runs it afresh


def test_a_manifest_without_agent_digests_is_resumed_as_before(tmp_path: Path) -> None:
    study = Study(personas=[str(REFUND)], agents=[f"{AGENTS}:careful"], modes=[Mode.FULL])
    run_study(resolve_study(study, tmp_path), tmp_path / "run")
    manifest = read_manifest(tmp_path / "run")
    del manifest["agent_code"]
    assert resume_study(manifest).total == 1


def test_a_study_file_with_several_problems_gets_them_all(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "name: x\nper_family: lots\nrepeat: 3\n")
    with pytest.raises(StudyError) as info:
        load_study(path)
    error = info.value
    assert "unknown key 'repeat'" in str(error) and "did you mean 'repeats'?" in str(error)
    assert str(error).endswith("(and 1 more problem)")
    assert [str(e) for e in error.others] == [
        f"{path}:2:1: per_family: expected a whole number, got 'lots'"
    ]


def test_a_folder_with_records_but_no_manifest_is_refused(tmp_path: Path) -> None:
    """Records of no known study would be counted as the new run's."""
    source = small_study(tmp_path)
    resolved = resolve_study(load_study(source), tmp_path, source)
    run_study(resolved, tmp_path / "run")
    (tmp_path / "run" / "manifest.json").unlink()
    before = (tmp_path / "run" / "dialogues.jsonl").read_bytes()
    with pytest.raises(StudyError, match=r"holds a dialogues.jsonl but no manifest.json"):
        run_study(resolved, tmp_path / "run")
    assert (tmp_path / "run" / "dialogues.jsonl").read_bytes() == before
    assert not (tmp_path / "run" / "manifest.json").exists()


def test_an_unknown_environment_stops_the_run_before_its_folder_is_made(tmp_path: Path) -> None:
    """Found when the study is resolved, not in the first dialogue: a folder made then
    would hold a manifest of a run that never ran, refusing the corrected study."""
    text = REFUND.read_text(encoding="utf-8").replace("id: example.refund", "id: nowhere")
    write(tmp_path / "nowhere.yaml", text + "environment: nope\n")
    study = Study(personas=[str(tmp_path / "nowhere.yaml")], agents=[f"{AGENTS}:careful"])
    with pytest.raises(SimulatorError, match="persona 'nowhere': unknown environment 'nope'"):
        resolve_study(study, tmp_path)


def test_a_study_without_personas_whose_default_is_missing_says_so(tmp_path: Path) -> None:
    source = write(tmp_path / "empty.yaml", "")
    with pytest.raises(StudyError, match=r"empty.yaml gives no 'personas', and the default, "):
        resolve_study(load_study(source), tmp_path, source)
    with pytest.raises(StudyError, match=r"^no personas were given, .* \(--persona PATH"):
        resolve_study(Study(agents=[f"{AGENTS}:careful"]), tmp_path)


def test_one_persona_path_is_a_list_of_one_and_an_agent_object_is_refused() -> None:
    assert Study(personas="personas/crm").personas == ["personas/crm"]  # type: ignore[arg-type]
    assert Study(personas=[Path("a")], modes="on_ask").modes == [Mode.ON_ASK]  # type: ignore[arg-type,list-item]

    def agent(messages: list[Any], tools: list[Any]) -> str:
        return "hello"

    with pytest.raises(ValueError, match="a study names its agents by spec strings"):
        Study(agents=[agent])  # type: ignore[list-item]
