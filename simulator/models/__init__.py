"""Language-model plumbing shared by every role: the per-dialogue call log."""

from simulator.models._log import CallLog, ReplayMiss

__all__ = ["CallLog", "ReplayMiss"]
