"""Running dialogues: one at a time or many, studies, metrics, replay and re-scoring."""

from simulator.run._batch import (
    RECORDS_FILE,
    DialogueJob,
    completed_ids,
    plan,
    read_records,
    run_jobs,
)
from simulator.run._dialogue import (
    DEFAULT_MAX_STEPS,
    DEFAULT_MAX_TURNS,
    run_dialogue,
    system_message,
)
from simulator.run._diff import DialogueDiff, diff_records
from simulator.run._manifest import MANIFEST_FILE, read_manifest
from simulator.run._replay import (
    FORKS_FILE,
    Divergence,
    ForkResult,
    ReplayResult,
    append_fork,
    first_divergence,
    fork_record,
    replay_record,
    replay_records,
)
from simulator.run._rescore import rescore, rescore_file
from simulator.run._runner import RunResult, run_study, run_study_async
from simulator.run._study import (
    ResolvedStudy,
    Study,
    StudyError,
    load_study,
    resolve_study,
)
from simulator.run.metrics import StudyMetrics

__all__ = [
    "DEFAULT_MAX_STEPS",
    "DEFAULT_MAX_TURNS",
    "FORKS_FILE",
    "MANIFEST_FILE",
    "RECORDS_FILE",
    "DialogueDiff",
    "DialogueJob",
    "Divergence",
    "ForkResult",
    "ReplayResult",
    "ResolvedStudy",
    "RunResult",
    "Study",
    "StudyError",
    "StudyMetrics",
    "append_fork",
    "completed_ids",
    "diff_records",
    "first_divergence",
    "fork_record",
    "load_study",
    "plan",
    "read_manifest",
    "read_records",
    "replay_record",
    "replay_records",
    "rescore",
    "rescore_file",
    "resolve_study",
    "run_dialogue",
    "run_jobs",
    "run_study",
    "run_study_async",
    "system_message",
]
