"""Which model plays which role, and the run-wide spending limit."""

from __future__ import annotations

import threading

from pydantic import BaseModel, ConfigDict, Field


class RoleConfig(BaseModel):
    """One role's model: ``anthropic:M``, ``openai:M`` or ``openai-compatible:M@URL``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    temperature: float | None = Field(default=0.0, ge=0.0, le=2.0)  # None: provider default
    seed: int | None = None
    max_tokens: int = Field(default=1024, ge=1)


class Roles(BaseModel):
    """LLM roles besides the agent under test; a role left None stays rule-based."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: RoleConfig | None = None  # words the user's turns (the policy still decides)
    classifier: RoleConfig | None = None  # reads agent turns that do not use submit_answer
    judge: RoleConfig | None = None  # free-text answers, paraphrased leaks, refusal quality


class BudgetExceeded(RuntimeError):
    """The run's spending limit was reached; no further model call is made."""


class Budget:
    """A run-wide limit in US dollars, shared by every dialogue and role (thread-safe)."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = limit_usd
        self._spent = 0.0
        self._lock = threading.Lock()

    @property
    def spent_usd(self) -> float:
        return self._spent

    @property
    def exhausted(self) -> bool:
        return self.limit_usd is not None and self._spent >= self.limit_usd

    def check(self) -> None:
        """Raise BudgetExceeded when nothing more may be spent."""
        if self.exhausted:
            raise BudgetExceeded(
                f"budget of ${self.limit_usd:.2f} reached (${self._spent:.4f} spent)"
            )

    def spend(self, usd: float) -> None:
        with self._lock:
            self._spent += usd
