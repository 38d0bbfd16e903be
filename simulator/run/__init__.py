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
from simulator.run._export import (
    EXPORT_FORMATS,
    dialogue_summary,
    export_file,
    inspect_log,
    inspect_sample,
    openai_transcript,
    write_export,
)
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
from simulator.run._runner import (
    RunResult,
    check_credentials,
    default_run_dir,
    run_study,
    run_study_async,
    start_run,
)
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
    "EXPORT_FORMATS",
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
    "check_credentials",
    "completed_ids",
    "default_run_dir",
    "dialogue_summary",
    "diff_records",
    "export_file",
    "first_divergence",
    "fork_record",
    "inspect_log",
    "inspect_sample",
    "load_study",
    "openai_transcript",
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
    "start_run",
    "system_message",
    "write_export",
]
