"""The deterministic judge: value detection, task completion, acquisition, leakage, refusal."""

from simulator.judge._bleu import bleu
from simulator.judge._llm import PROMPT_VERSIONS, UNPARSEABLE, LLMJudge, add_usage
from simulator.judge._score import (
    agent_calls,
    agent_texts,
    score_acquisition,
    score_dialogue,
    score_leakage,
    score_refusal,
)
from simulator.judge._task import AgentCall, grade_answer, judge_task, match_answer
from simulator.judge.values import Found, contains_value, find_all, find_value, infer_kind

__all__ = [
    "PROMPT_VERSIONS",
    "UNPARSEABLE",
    "AgentCall",
    "Found",
    "LLMJudge",
    "add_usage",
    "agent_calls",
    "agent_texts",
    "bleu",
    "contains_value",
    "find_all",
    "find_value",
    "grade_answer",
    "infer_kind",
    "judge_task",
    "match_answer",
    "score_acquisition",
    "score_dialogue",
    "score_leakage",
    "score_refusal",
]
