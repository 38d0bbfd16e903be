"""``simulator persona``: check, new and schema, including the clean one-line error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import PersonaError
from simulator.persona import load_persona, scaffold_persona

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run_module(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m simulator ...`` the way a user would, with this checkout importable."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "simulator", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def write_valid(path: Path, persona_id: str) -> Path:
    """A valid persona file (the scaffold) with the given id."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold_persona(persona_id), encoding="utf-8")
    return path


def test_check_lists_each_persona_and_a_summary(tmp_path: Path) -> None:
    write_valid(tmp_path / "a.yaml", "crm.a")
    write_valid(tmp_path / "sub" / "b.yaml", "crm.b")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "busy.yaml").write_text("traits: {verbosity: terse}\n")
    result = runner.invoke(app, ["persona", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ok  crm.a  (") and lines[0].endswith("a.yaml)")
    assert lines[1].startswith("ok  crm.b  (")
    assert lines[-1] == "2 personas ok"


def test_check_raises_the_persona_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\ntraits:\n  patience: many\n")
    result = runner.invoke(app, ["persona", "check", str(broken)])
    assert isinstance(result.exception, PersonaError)
    assert result.exception.line == 3


def test_check_broken_file_prints_one_clean_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Dana\ngoal: g\nopening: o\ntraits:\n  verbosity: loud\n")
    result = run_module("persona", "check", broken)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "broken.yaml:5:" in lines[0]
    assert "expected one of 'terse', 'normal', 'chatty', got 'loud'" in lines[0]


def test_check_all_errors_reports_every_broken_file(tmp_path: Path) -> None:
    write_valid(tmp_path / "a_ok.yaml", "ok")
    (tmp_path / "b_bad.yaml").write_text("name: [unclosed\n")
    (tmp_path / "c_bad.yaml").write_text("- not a mapping\n")
    result = run_module("persona", "check", "--all-errors", tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3, result.stderr
    assert "b_bad.yaml:" in errors[0] and "c_bad.yaml:1:" in errors[1]
    assert errors[2] == "error: 1 persona ok, 2 broken"
    assert "ok  ok  (" in result.stdout


def test_check_without_persona_files_is_an_error(tmp_path: Path) -> None:
    result = run_module("persona", "check", tmp_path)
    assert result.returncode == 2
    assert "no persona files" in result.stderr


def test_new_prints_a_persona_that_loads(tmp_path: Path) -> None:
    result = runner.invoke(app, ["persona", "new", "crm.refund.acme", "--environment", "crm"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "x.yaml"
    path.write_text(result.output)
    persona = load_persona(path)
    assert persona.id == "crm.refund.acme"
    assert persona.environment == "crm"


def test_new_writes_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "personas" / "p.yaml"
    result = runner.invoke(app, ["persona", "new", "p1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_persona(out).id == "p1"
    again = run_module("persona", "new", "p1", "--out", out)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "Traceback" not in again.stderr


def test_new_into_a_folder_uses_the_id_as_file_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["persona", "new", "crm.x", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert load_persona(tmp_path / "crm.x.yaml").id == "crm.x"


def test_new_refuses_an_id_that_cannot_name_dialogues(tmp_path: Path) -> None:
    result = run_module("persona", "new", "bad id!", "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: Invalid value for 'ID': expected a persona id that starts with a letter or "
        "digit and uses only letters, digits, '_', '.' and '-' (it names the persona's "
        "dialogues), got 'bad id!' (see: simulator persona new --help)\n"
    )
    assert not list(tmp_path.iterdir())


def test_new_refuses_an_out_that_names_another_kind_of_file(tmp_path: Path) -> None:
    result = run_module("persona", "new", "p1", "--out", tmp_path / "p1.txt")
    assert result.returncode == 2
    assert "a persona file ends in .yaml or .yml" in result.stderr
    assert not list(tmp_path.iterdir())  # no folder called p1.txt


def test_schema_is_json_with_persona_properties(tmp_path: Path) -> None:
    result = runner.invoke(app, ["persona", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert {"id", "name", "goal", "opening", "facts", "traits", "extends"} <= set(
        schema["properties"]
    )
    out = tmp_path / "persona.schema.json"
    assert runner.invoke(app, ["persona", "schema", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_check_lists_every_problem_of_a_broken_file_at_its_own_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: Dana\ngoal: g\nopening: o\ntraits:\n  verbosity: loud\n  patience: lots\n"
        "colour: red\n"
    )
    for flags in ((), ("--all-errors",)):
        result = run_module("persona", "check", *flags, broken)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert "(and 2 more problems)" in lines[0]
        shown = sorted(line.split(": ", 2)[1] for line in lines[:3])
        assert shown == [f"{broken}:5:3", f"{broken}:6:3", f"{broken}:7:1"], result.stderr
        assert "expected one of 'terse', 'normal', 'chatty', got 'loud'" in result.stderr
        assert "traits.patience: expected a whole number, got 'lots'" in result.stderr
        assert "unknown key 'colour'" in result.stderr
        assert len(lines) == (4 if flags else 3)  # with --all-errors: the summary line too


def test_a_loading_error_carries_the_files_other_problems(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "name: Dana\ngoal: g\nopening: o\ntraits:\n  verbosity: loud\n  patience: lots\n"
    )
    try:
        load_persona(path)
    except PersonaError as error:
        assert sorted(e.line or 0 for e in error.all) == [5, 6]
        assert "(and 1 more problem)" in str(error) and error.others[0].others == []
    else:
        raise AssertionError("loaded a broken persona")


def test_new_takes_o_an_org_and_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    result = runner.invoke(
        app, ["persona", "new", "crm.refund.acme", "--environment", "crm-b2c", "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    written = folder / "crm.refund.acme.yaml"
    assert load_persona(written).environment == "crm-b2c"
    schema = runner.invoke(app, ["persona", "schema", "-o", str(tmp_path / "s.json")])
    assert schema.exit_code == 0 and json.loads((tmp_path / "s.json").read_text())
