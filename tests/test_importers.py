"""Importers (tau2-bench, Lost in Conversation) and the persona keys they need:
forbidden and required tool calls, graded scores, state checks on any environment."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from simulator.agent import resolve_agent_spec
from simulator.cli import app
from simulator.env import _REGISTRY as ENV_REGISTRY
from simulator.env import (
    NoEnvironment,
    open_environment,
    register_environment,
    registered_environments,
)
from simulator.errors import SimulatorError
from simulator.importers import first_person, import_lic, import_tau2
from simulator.judge import AgentCall, bleu, judge_task
from simulator.persona import Expect, Mode, Persona, load_persona, load_personas
from simulator.record import AnswerAttemptEvent, DialogueRecord, TaskScore
from simulator.report import summary_rows
from simulator.run import run_dialogue
from simulator.run.metrics import StudyMetrics

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
TAU2 = FIXTURES / "tau2_tasks.json"
TAU2_ENV = FIXTURES / "tau2_env_tasks.json"
LIC = FIXTURES / "lic_shards.json"
SHIPPED = ROOT / "personas" / "imported"
AGENTS = "tests/fixtures/import_agents.py"
MODES = [m.value for m in Mode]
runner = CliRunner()

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from task_board_env import TaskBoard  # noqa: E402


@pytest.fixture
def task_board() -> Iterator[str]:
    register_environment("task-board", TaskBoard)
    yield "task-board"
    ENV_REGISTRY.pop("task-board", None)


def _persona(**expect: Any) -> Persona:
    return Persona.model_validate(
        {
            "id": "t",
            "name": "T",
            "goal": "g",
            "opening": "Hi.",
            "facts": [{"id": "code", "value": "ORD-1", "say": "It is ORD-1."}],
            "expect": expect,
        }
    )


def _attempt(answer: str) -> list[AnswerAttemptEvent]:
    return [AnswerAttemptEvent(turn=1, answer=answer, via="submit_answer", required_known=True)]


def _judge(
    expect: Expect, answer: str | None, calls: list[AgentCall] | None = None, env: Any = None
) -> TaskScore:
    return judge_task(
        expect,
        _attempt(answer) if answer is not None else [],
        env if env is not None else NoEnvironment(),
        probes_declined=False,
        leaked=False,
        calls=calls or [],
    )


# --- the schema ---------------------------------------------------------------------------------


def test_new_keys_validate_and_say_what_is_wrong() -> None:
    ok = Expect.model_validate(
        {
            "match": "set",
            "answer": ["a", "b"],
            "grade": True,
            "actions": [{"tool": "refund", "args": {"order": "A1"}}],
            "forbid": [{"tool": "cancel_order"}, {"state": {"call": "status", "equals": "x"}}],
            "state": [{"call": "status", "args": {"id": 1}, "equals": "ok"}, {"query": "SELECT 1"}],
        }
    )
    assert ok.graded and ok.threshold == 1.0 and len(ok.state_checks) == 2
    bad = [
        ({"match": "exact", "answer": "x", "grade": True}, "'grade' applies to match"),
        ({"match": "set", "answer": ["x"], "grade": {"scale": 2}}, "'grade.scale'"),
        ({"match": "none", "forbid": [{"tool": "x", "state": {"query": "q"}}]}, "exactly one"),
        ({"match": "none", "forbid": [{}]}, "exactly one of 'tool' and 'state'"),
        ({"match": "none", "state": {"query": "q", "call": "c"}}, "exactly one of 'query'"),
        ({"match": "none", "state": {"query": "q", "args": {"a": 1}}}, "'args' go with 'call'"),
        ({"match": "none", "state": []}, "empty list"),
        ({"match": "contains", "answer": []}, "at least one text"),
        ({"match": "set", "answer": ["x"], "grade": {"threshold": 1.5}}, "less than or equal"),
    ]
    for data, message in bad:
        with pytest.raises(ValidationError, match=message):
            Expect.model_validate(data)


def test_unused_new_keys_are_left_out_of_dumps() -> None:
    """Personas and task scores written before these keys dump exactly as before, so
    curated records replay and compare identically (tests/test_dialogue_fixtures.py)."""
    plain = _persona(answer="ORD-1", match="exact").model_dump(mode="json")["expect"]
    assert set(plain) == {"answer", "match", "tolerance", "rubric", "state"}
    crm = load_persona(ROOT / "personas" / "crm" / _crm_state_file()).model_dump(mode="json")
    assert set(crm["expect"]["state"]) == {"query", "equals"}
    task = TaskScore(success=True, method="exact").model_dump(mode="json")
    assert set(task) == {"success", "method", "expected", "answer", "detail"}
    graded = TaskScore(success=False, method="set", score=0.0, threshold=1.0)
    assert graded.model_dump()["score"] == 0.0


def _crm_state_file() -> str:
    for path in sorted((ROOT / "personas" / "crm").glob("*.yaml")):
        if "state:" in path.read_text(encoding="utf-8"):
            return path.name
    raise AssertionError("no CRM persona with a state check")


def test_json_schema_describes_the_new_keys() -> None:
    result = runner.invoke(app, ["persona", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    expect = schema["$defs"]["Expect"]["properties"]
    for key in ("actions", "forbid", "grade"):
        assert expect[key]["description"]
    assert "bleu" in json.dumps(expect["match"])
    assert schema["$defs"]["StateCheck"]["properties"]["call"]["description"]


# --- the judge: forbidden and required calls -----------------------------------------------------


def test_a_forbidden_call_fails_the_task_and_is_recorded() -> None:
    expect = Expect.model_validate(
        {
            "match": "exact",
            "answer": "done",
            "forbid": [{"tool": "cancel_order", "args": {"order_id": "A1"}}, {"tool": "wipe"}],
        }
    )
    calls = [
        AgentCall(1, "cancel_order", {"order_id": "B2"}),  # other arguments: allowed
        AgentCall(2, "lookup", {}),
        AgentCall(3, "cancel_order", {"order_id": "A1", "reason": "asked"}),
    ]
    task = _judge(expect, "done", calls)
    assert not task.success and task.blocked
    assert [(h.rule, h.tool, h.turn, h.arguments["order_id"]) for h in task.forbidden] == [
        (0, "cancel_order", 3, "A1")
    ]
    assert "forbidden: called cancel_order (forbid[0])" in task.detail
    clean = _judge(expect, "done", calls[:2])
    assert clean.success and clean.forbidden == [] and "nothing forbidden" in clean.detail


def test_required_calls_are_matched_by_name_and_given_arguments() -> None:
    expect = Expect.model_validate(
        {
            "match": "none",
            "actions": [
                {"tool": "refund", "args": {"order_id": "A1", "amount": 12.5}},
                {"tool": "notify"},
            ],
        }
    )
    calls = [AgentCall(2, "refund", {"order_id": "A1", "amount": "12.5", "note": "x"})]
    task = _judge(expect, None, calls)
    assert not task.success
    assert [(a.tool, a.turn) for a in task.actions] == [("refund", 2), ("notify", None)]
    assert "required call(s) not made: notify" in task.detail
    done = _judge(expect, None, [*calls, AgentCall(3, "notify", {})])
    assert done.success and done.detail.startswith("nothing to answer")


def test_a_forbidden_state_on_an_environment_fails_the_task() -> None:
    board = TaskBoard()
    board.call("create_task", {"user_id": "u", "title": "Audit"})
    expect = Expect.model_validate(
        {"match": "none", "forbid": [{"state": {"call": "task_count", "equals": 1}}]}
    )
    task = _judge(expect, None, env=board)
    assert not task.success and task.forbidden[0].state == 1
    assert _judge(expect, None, env=TaskBoard()).success
    unchecked = _judge(expect, None, env=NoEnvironment())
    assert not unchecked.success and "no state functions" in unchecked.detail


# --- the judge: graded scores ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expect", "answer", "score", "success"),
    [
        ({"match": "set", "answer": ["a", "b", "c"], "grade": True}, "a, c", 0.666667, False),
        (
            {"match": "set", "answer": ["a", "b", "c"], "grade": {"threshold": 0.6}},
            "c and a",
            0.666667,
            True,
        ),
        ({"match": "set", "answer": ["a", "b"], "grade": True}, "a, b, z", 1.0, True),
        ({"match": "contains", "answer": ["1628", "XEHM4B"], "grade": True}, "$1,628", 0.5, False),
        ({"match": "number", "answer": 100, "grade": True}, "about 90", 0.9, False),
        ({"match": "number", "answer": 100, "grade": {"scale": 20}}, "it is 110", 0.5, False),
        ({"match": "number", "answer": 100, "tolerance": 5, "grade": True}, "104", 1.0, True),
        ({"match": "number", "answer": 100, "grade": True}, "250 or 0", 0.0, False),
        ({"match": "number", "answer": 0, "grade": True}, "0.25", 0.75, False),
        (
            {"match": "bleu", "answer": "the cat sat on the mat"},
            "the cat sat on the mat",
            1.0,
            True,
        ),
        (
            {"match": "bleu", "answer": "The cat sat on the mat.", "grade": {"threshold": 0.4}},
            "The cat is sitting on the mat.",
            0.411134,
            True,
        ),
    ],
)
def test_graded_expect_gives_the_partial_score(
    expect: dict[str, Any], answer: str, score: float, success: bool
) -> None:
    task = _judge(Expect.model_validate(expect), answer)
    assert task.score == pytest.approx(score, abs=1e-6)
    assert task.success is success
    assert task.threshold == Expect.model_validate(expect).threshold


def test_graded_without_an_answer_scores_zero_and_ungraded_has_no_score() -> None:
    task = _judge(Expect.model_validate({"match": "set", "answer": ["a"], "grade": True}), None)
    assert task.score == 0.0 and not task.success and task.value == 0.0
    plain = _judge(Expect.model_validate({"match": "contains", "answer": ["3", "bags"]}), "3 bags")
    assert plain.success and plain.score is None and plain.value == 1.0


def test_bleu_is_sacrebleu_with_its_defaults() -> None:
    """Figures from sacrebleu 2.6.0, corpus_bleu([hyp], [[ref] for ref in refs]) / 100."""
    cases = [
        ("The cat is sitting on the mat.", ["The cat sat on the mat."], 0.411134),
        ("A dog.", ["The cat sat on the mat."], 0.0),
        ("the the the the", ["the cat"], 0.159736),
        (
            "It costs $1,250.50 - roughly (in total) 3-4 items & more.",
            ["It costs $1,250.50, roughly 3-4 items and more in total."],
            0.335997,
        ),
        (
            "The Eiffel Tower was completed in 1889 and is 330 m tall.",
            [
                "The Eiffel Tower, completed in 1889, is 330 metres tall.",
                "Completed in 1889, the Eiffel Tower stands 330 m tall.",
            ],
            0.378448,
        ),
        ("cat", ["cat"], 0.0),
    ]
    for hyp, refs, want in cases:
        assert bleu(hyp, refs) == pytest.approx(want, abs=1e-6), hyp


# --- state checks on an environment other than the CRM --------------------------------------------


def test_state_checks_call_any_environment_with_an_observe_method() -> None:
    board = TaskBoard()
    board.call("create_task", {"user_id": "u", "title": "Audit"})
    one = Expect.model_validate(
        {"state": {"call": "status", "args": {"title": "Audit"}, "equals": "pending"}}
    )
    task = _judge(one, None, env=board)
    assert task.success and task.method == "state" and task.detail == "observed 'pending'"
    both = Expect.model_validate(
        {
            "state": [
                {
                    "call": "assert_task_status",
                    "args": {"title": "Audit", "expected_status": "pending"},
                    "equals": True,
                },
                {"call": "task_count", "equals": 2},
            ]
        }
    )
    task = _judge(both, None, env=board)
    assert not task.success and task.expected == [True, 2]
    assert "task_count() gave 1, expected 2" in task.detail
    no_env = _judge(one, None, env=NoEnvironment())
    assert not no_env.success and "no state functions" in no_env.detail
    with_answer = Expect.model_validate(
        {"match": "contains", "answer": "created", "state": one.state.model_dump()}  # type: ignore[union-attr]
    )
    assert _judge(with_answer, "I created it", env=board).success
    assert not _judge(with_answer, "I could not", env=board).success


def test_environments_are_registered_or_imported_by_name(
    task_board: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    persona = _persona(match="none").model_copy(update={"environment": task_board})
    assert isinstance(open_environment(persona), TaskBoard)
    assert task_board in registered_environments()
    with pytest.raises(SimulatorError, match="built in"):
        register_environment("crm-b2c", TaskBoard)
    module = "from task_board_env import TaskBoard\n\n\ndef board(persona):\n"
    (tmp_path / "my_envs.py").write_text(module + "    return TaskBoard(persona)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    imported = persona.model_copy(update={"environment": "my_envs:board"})
    assert isinstance(open_environment(imported), TaskBoard)
    with pytest.raises(SimulatorError, match="cannot import"):
        open_environment(persona.model_copy(update={"environment": "no_such_module:x"}))
    with pytest.raises(SimulatorError, match="unknown environment"):
        open_environment(persona.model_copy(update={"environment": "erp"}))


def test_a_dialogue_on_a_registered_environment_is_judged_by_its_state(
    task_board: str, tmp_path: Path
) -> None:
    result = import_tau2(TAU2_ENV, environment=task_board)
    (persona,) = result.personas
    assert persona.expect.state_checks[0].call == "assert_task_status"
    assert persona.expect.state_checks[0].args == {
        "title": "Quarterly review",
        "expected_status": "pending",
    }
    assert [f.id for f in persona.facts] == ["user_id", "task_title"]
    folder = tmp_path / "personas"
    folder.mkdir()
    (folder / "p.yaml").write_text(persona.model_dump_json(), encoding="utf-8")
    spec = resolve_agent_spec(f"{AGENTS}:Oracle", base_dir=ROOT)
    spec = spec.model_copy(update={"options": {"folders": [str(folder)]}})
    for mode in MODES:
        record = asyncio.run(run_dialogue(persona, spec, mode))
        assert record.scores.task.success, (mode, record.scores.task.detail)
        assert record.scores.task.method == "state"
        assert record.scores.task.detail.startswith("observed True; required calls made")
    lazy_spec = resolve_agent_spec(f"{AGENTS}:submit_only", base_dir=ROOT)
    lazy = asyncio.run(run_dialogue(persona, lazy_spec, "full"))
    assert not lazy.scores.task.success and lazy.scores.task.detail.startswith("observed False")


# --- the tau2 importer --------------------------------------------------------------------------


def test_tau2_tasks_become_personas() -> None:
    result = import_tau2(TAU2)
    assert result.skipped == []
    by_id = {p.id: p for p in result.personas}
    assert sorted(by_id) == [
        "tau2.airline.demo-0",
        "tau2.airline.demo-1",
        "tau2.airline.demo-2",
        "tau2.banking.demo-4",
        "tau2.retail.demo-3",
    ]
    refuse = by_id["tau2.airline.demo-0"]
    assert refuse.opening == "I want to cancel reservation KQ7M2P."
    assert refuse.name == "Lena Okafor"
    assert [(f.id, f.value, f.required) for f in refuse.facts] == [
        ("user_id", "lena_okafor_4821", True)
    ]
    assert "user id" in refuse.facts[0].cues
    assert refuse.expect.match == "none" and not refuse.expect.actions
    assert {r.tool for r in refuse.expect.forbid} >= {"cancel_reservation", "book_reservation"}
    assert refuse.expect.rubric == "Agent should not cancel reservation KQ7M2P."
    bags = by_id["tau2.airline.demo-1"]
    assert bags.expect.match == "contains" and bags.expect.answer == ["3"]
    assert [f.id for f in bags.facts] == ["user_id", "reservation_id"]
    upgrade = by_id["tau2.airline.demo-2"]
    (action,) = upgrade.expect.actions
    assert action.tool == "update_reservation_flights" and action.args["cabin"] == "business"
    assert "update_reservation_flights" not in {r.tool for r in upgrade.expect.forbid}
    assert {f.id: f.required for f in upgrade.facts} == {"user_id": False, "reservation_id": True}
    ret = by_id["tau2.retail.demo-3"]
    assert [(f.id, f.value) for f in ret.facts] == [("name", "Priya Nair"), ("zip", "60614")]
    assert ret.expect.actions[0].tool == "return_delivered_order_items"
    transfer = by_id["tau2.banking.demo-4"]
    assert transfer.expect.actions[0].args == {"reason": "account_ownership_dispute"}
    assert transfer.expect.forbid == []  # reward_basis ACTION only: no DB check
    assert transfer.facts[1].after == ["name"]  # the e-mail carries the name
    assert any("given away by 'user id'" in n for n in result.notes[refuse.id])


def test_first_person() -> None:
    assert first_person("You want to cancel your order.") == "I want to cancel my order."
    assert (
        first_person("They told you that you're allowed; ask them to help you.")
        == "They told me that I'm allowed; ask them to help me."
    )
    assert first_person("You were told yours is late.") == "I was told mine is late."


def test_tau2_tasks_without_anything_to_check_are_skipped(tmp_path: Path) -> None:
    task = json.loads(TAU2.read_text())[1]
    task["evaluation_criteria"] = {"communicate_info": [], "reward_basis": ["COMMUNICATE"]}
    broken = {"id": "x"}
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task, broken]))
    result = import_tau2(path)
    assert result.personas == []
    assert [t for t, _ in result.skipped] == ["demo-1", "x"]
    assert "nothing to check" in result.skipped[0][1]


# --- the Lost in Conversation importer ---------------------------------------------------------


def test_lic_shards_become_facts_in_order() -> None:
    result = import_lic(LIC)
    assert result.skipped == [
        ("sharded-demo-humaneval-1", "code tasks are graded by running test cases: not importable")
    ]
    by_id = {p.id: p for p in result.personas}
    math = by_id["lic.math.sharded-demo-math-1"]
    assert math.opening == "How much does Ines spend on coffee beans in a four-week month?"
    assert [f.id for f in math.facts] == ["shard2", "shard3", "shard4"]
    assert (
        math.facts[1].value == "Each bag costs 9 dollars"
        and math.facts[1].say == math.facts[1].value
    )
    assert math.traits.disclosure == Mode.SHARDED
    assert (math.expect.match, math.expect.answer) == ("number", "43")
    translation = by_id["lic.translation.wmt-demo-0-de-en"]
    assert translation.expect.match == "bleu" and translation.expect.graded
    assert "Chunk 1:" in translation.opening and "Chunk 3:" in translation.facts[1].say
    table = by_id["lic.data2text.sharded-demo-totto-1"]
    assert table.expect.match == "bleu" and len(table.expect.answer) == 2
    sql = by_id["lic.database.sharded-demo-spider-1"]
    assert sql.expect.match == "judge" and "llm-only" in sql.tags
    assert "CREATE TABLE tree" in str(sql.context.model_dump()["database_schema"])
    only = import_lic(LIC, tasks=["math"], threshold=0.5)
    assert [p.family for p in only.personas] == ["lic-math", "lic-math"]
    graded = import_lic(LIC, tasks=["translation"], threshold=0.5).personas[0]
    assert graded.expect.threshold == 0.5


def test_lic_reads_the_readme_spelling_and_skips_what_it_cannot_grade(tmp_path: Path) -> None:
    samples = json.loads(LIC.read_text())
    first = samples[0]
    first["shards"] = [
        {"shard_id": s["shard_id"], "shard_text": s["shard"]} for s in first["shards"]
    ]
    no_answer = {**samples[1], "task_id": "no-answer"}
    del no_answer["answer"]
    summary = {"task_id": "s", "task": "summary", "shards": [{"shard_id": 0, "shard": ""}]}
    path = tmp_path / "shards.json"
    path.write_text(json.dumps([first, no_answer, summary]))
    result = import_lic(path)
    assert [p.id for p in result.personas] == ["lic.math.sharded-demo-math-1"]
    assert result.skipped == [
        ("no-answer", "missing key 'answer'"),
        ("s", "summary tasks are graded by an LLM on insights and citations"),
    ]


def test_sharded_mode_reveals_one_shard_per_turn_in_order() -> None:
    persona = load_persona(SHIPPED / "lic" / "lic.math.sharded-demo-math-2.yaml")
    spec = resolve_agent_spec(f"{AGENTS}:Oracle", base_dir=ROOT)
    record = asyncio.run(run_dialogue(persona, spec, "sharded"))
    revealed = [e.revealed for e in record.events if e.type == "user_turn" and e.revealed]
    assert revealed == [["shard2"], ["shard3"], ["shard4"]]
    assert record.scores.task.success and record.scores.fidelity.violations == 0


# --- the command line, the shipped examples, runs in every mode --------------------------------


def test_cli_imports_write_the_shipped_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    for kind, source in (("tau2", TAU2), ("lic", LIC)):
        out = tmp_path / kind
        result = runner.invoke(
            app, ["import", kind, str(source.relative_to(ROOT)), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "wrote 5 persona(s)" in result.output
        fresh = {p.name: p.read_text() for p in out.glob("*.yaml")}
        shipped = {p.name: p.read_text() for p in (SHIPPED / kind).glob("*.yaml")}
        assert fresh == shipped, f"regenerate personas/imported/{kind} (docs/importers.md)"
        again = runner.invoke(app, ["import", kind, str(source), "--out", str(out)])
        assert again.exit_code != 0 and "already exists" in str(again.exception)
    checked = runner.invoke(app, ["persona", "check", str(SHIPPED)])
    assert checked.exit_code == 0, checked.output
    assert "10 personas ok" in checked.output


def test_shipped_examples_run_in_every_mode_through_simulator_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["run", "-p", str(SHIPPED), "-a", f"{AGENTS}:Oracle", "-a", f"{AGENTS}:Reckless"]
    for mode in MODES:
        args += ["-m", mode]
    result = runner.invoke(app, [*args, "--repeats", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [
        DialogueRecord.model_validate_json(line)
        for line in (out / "dialogues.jsonl").read_text().splitlines()
    ]
    assert len(records) == 10 * 2 * 4
    oracle = [r for r in records if r.agent_name.endswith("Oracle")]
    assert {r.mode for r in oracle} == set(MODES)
    failed = [
        (r.persona_id, r.mode, r.scores.task.detail) for r in oracle if not r.scores.task.success
    ]
    assert failed == []
    graded = [r for r in oracle if r.scores.task.score is not None]
    assert {r.persona_id for r in graded} == {
        "lic.translation.wmt-demo-0-de-en",
        "lic.data2text.sharded-demo-totto-1",
    }
    reckless = [r for r in records if r.agent_name.endswith("Reckless")]
    for record in reckless:
        forbid = record.persona["expect"].get("forbid")
        assert record.scores.task.success is not bool(forbid), record.id
        if forbid:
            hit = record.scores.task.forbidden[0]
            assert hit.rule == 0 and hit.tool == forbid[0]["tool"]
    summary = (out / "summary.csv").read_text().splitlines()[0].split(",")
    assert "mean_score" in summary and "forbidden_dialogues" in summary
    assert "Task score and tool checks" in result.output


def test_score_columns_appear_only_when_tasks_have_them() -> None:
    records = [
        DialogueRecord.model_validate_json(line)
        for path in sorted((ROOT / "dialogues").glob("*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    metrics = StudyMetrics().extend(records)
    assert not metrics.has_task_checks
    assert all("mean_score" not in row for row in summary_rows(metrics))


def test_imported_personas_load_like_any_other() -> None:
    personas = load_personas(SHIPPED)
    assert len(personas) == 10
    for persona in personas:
        text = (SHIPPED / persona.id.split(".")[0] / f"{persona.id}.yaml").read_text()
        assert text.startswith("# Imported from ")
        assert yaml.safe_load(text)["id"] == persona.id


def test_a_file_of_the_other_format_or_a_task_typo_says_what_is_wrong(tmp_path: Path) -> None:
    wrong = runner.invoke(app, ["import", "tau2", str(LIC), "--out", str(tmp_path)])
    assert wrong.exit_code != 0
    assert isinstance(wrong.exception, SimulatorError)
    assert f"all 6 tasks of {LIC} were skipped for the same reason" in str(wrong.exception)
    assert "is it a tau2-bench tasks file?" in str(wrong.exception)
    typo = runner.invoke(app, ["import", "lic", str(LIC), "--task", "maths", "-o", str(tmp_path)])
    assert isinstance(typo.exception, SimulatorError)
    assert "unknown task kind 'maths'; Lost in Conversation's are: math, " in str(typo.exception)
    assert list(tmp_path.iterdir()) == []
