"""Language-model plumbing shared by every role: call log, role configuration, budget."""

from simulator.models._log import CallLog, ReplayMiss
from simulator.models._roles import Budget, BudgetExceeded, RoleConfig, Roles

__all__ = ["Budget", "BudgetExceeded", "CallLog", "ReplayMiss", "RoleConfig", "Roles"]
