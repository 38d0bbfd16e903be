"""Running dialogues: one at a time or many, studies, metrics, replay and re-scoring.

``run_dialogue`` and ``system_message`` are imported on first use: they bring in the
graph, and with it LangGraph, which the CLI's commands that run no dialogue (help,
``persona``, ``report``, ``show``, ``diff``, ``export``) and the parent of a run in
worker processes never need.
"""

from typing import TYPE_CHECKING, Any

from simulator.limits import DEFAULT_MAX_STEPS, DEFAULT_MAX_TURNS
from simulator.run._batch import (
    RECORDS_FILE,
    DialogueJob,
    completed_ids,
    plan,
    read_records,
    run_jobs,
)
from simulator.run._diff import DialogueDiff, diff_records
from simulator.run._export import (
    EXPORT_FORMATS,
    ExportFormat,
    dialogue_summary,
    export_file,
    inspect_log,
    inspect_log_filename,
    inspect_sample,
    openai_transcript,
    record_ids,
    select_records,
    write_export,
)
from simulator.run._lock import run_lock
from simulator.run._manifest import MANIFEST_FILE, note_resume, read_manifest, resume_study
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
from simulator.run._rescore import RESCORED_FILE, RescoreTally, rescore, rescore_file
from simulator.run._runner import (
    RunResult,
    check_credentials,
    check_ray_cluster,
    default_run_dir,
    run_study,
    run_study_async,
    start_run,
)
from simulator.run._study import (
    ResolvedStudy,
    Study,
    StudyError,
    absolute_paths,
    default_study_file,
    load_study,
    resolve_study,
)
from simulator.run.metrics import StudyMetrics

if TYPE_CHECKING:
    from simulator.run._dialogue import run_dialogue, system_message

_DIALOGUE = ("run_dialogue", "system_message")


def __getattr__(name: str) -> Any:
    if name in _DIALOGUE:
        from simulator.run import _dialogue

        value = getattr(_dialogue, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'simulator.run' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_STEPS",
    "DEFAULT_MAX_TURNS",
    "EXPORT_FORMATS",
    "FORKS_FILE",
    "MANIFEST_FILE",
    "RECORDS_FILE",
    "RESCORED_FILE",
    "DialogueDiff",
    "DialogueJob",
    "Divergence",
    "ExportFormat",
    "ForkResult",
    "ReplayResult",
    "RescoreTally",
    "ResolvedStudy",
    "RunResult",
    "Study",
    "StudyError",
    "StudyMetrics",
    "absolute_paths",
    "append_fork",
    "check_credentials",
    "check_ray_cluster",
    "completed_ids",
    "default_run_dir",
    "default_study_file",
    "dialogue_summary",
    "diff_records",
    "export_file",
    "first_divergence",
    "fork_record",
    "inspect_log",
    "inspect_log_filename",
    "inspect_sample",
    "load_study",
    "note_resume",
    "openai_transcript",
    "plan",
    "read_manifest",
    "read_records",
    "record_ids",
    "replay_record",
    "replay_records",
    "rescore",
    "rescore_file",
    "resolve_study",
    "resume_study",
    "run_dialogue",
    "run_jobs",
    "run_lock",
    "run_study",
    "run_study_async",
    "select_records",
    "start_run",
    "system_message",
    "write_export",
]
