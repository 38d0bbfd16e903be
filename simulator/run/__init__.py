"""Running dialogues: one at a time or many, with records appended as each ends."""

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

__all__ = [
    "DEFAULT_MAX_STEPS",
    "DEFAULT_MAX_TURNS",
    "RECORDS_FILE",
    "DialogueJob",
    "completed_ids",
    "plan",
    "read_records",
    "run_dialogue",
    "run_jobs",
    "system_message",
]
