"""A run stopped by its budget, resumed with a larger one, holds the records of a run that
never hit its budget: the dialogues the budget cut short run again, and what they spent
still counts against the budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _kill import records_by_id
from _model_server import model_server

from simulator.run import Study, read_records, resolve_study
from simulator.run._runner import run_study

REFUND = Path(__file__).resolve().parents[1] / "personas" / "examples" / "refund.yaml"


def test_a_resume_with_more_budget_runs_again_what_the_budget_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("openai-compatible:fake: {input: 1000, output: 1000}\n")
    monkeypatch.setenv("SIMULATOR_PRICES", str(prices))
    monkeypatch.setenv("SIMULATOR_CACHE", "off")  # every call is live, so it costs
    with model_server() as url:
        unlimited = Study(
            personas=[str(REFUND)],
            agents=[f"openai-compatible:fake@{url}"],
            modes=["on_ask"],  # type: ignore[list-item]  # several calls a dialogue
            repeats=8,
            concurrency=4,
        )
        study = unlimited.with_overrides({"budget_usd": 1.0})
        out = tmp_path / "run"
        first = run_study(resolve_study(study, tmp_path), out)
        cut = [r.id for r in read_records(out) if r.end_reason == "budget_exceeded"]
        assert cut, "dialogues in flight when the budget runs out are cut at their next call"
        spent_first = first.budget.spent_usd if first.budget else 0.0

        bigger = resolve_study(study.with_overrides({"budget_usd": 100.0}), tmp_path)
        again = run_study(bigger, out)
        assert again.rerun == len(cut)
        assert again.already == first.ran - len(cut)
        assert again.already + again.ran == 8
        manifest = json.loads((out / "manifest.json").read_text())
        cut_spend = manifest["budget_cut"]["spent_usd"]
        assert manifest["budget_cut"]["dialogues"] == len(cut) and cut_spend >= 0
        # the budget still counts the spend of the records taken out
        recorded = sum(
            u.cost_usd for r in read_records(out) for u in r.scores.efficiency.models.values()
        )
        assert again.budget is not None
        assert again.budget.spent_usd == pytest.approx(recorded + cut_spend)
        assert again.budget.spent_usd >= spent_first

        straight = tmp_path / "straight"
        run_study(resolve_study(unlimited, tmp_path), straight)
    resumed = records_by_id(out / "dialogues.jsonl", whole_lines=True)
    assert resumed == records_by_id(straight / "dialogues.jsonl", whole_lines=True)
    assert not [r for r in read_records(out) if r.end_reason == "budget_exceeded"]
