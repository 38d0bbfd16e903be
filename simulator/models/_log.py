"""The per-dialogue log of model calls, and the recorded calls a replay serves from."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import Any

from simulator.record import ModelCallEvent


class ReplayMiss(LookupError):
    """A replay asked for a model response that the record does not hold."""


class CallLog:
    """Collects one dialogue's model calls; in replay, serves recorded responses instead.

    Model clients call ``replayed(hash)`` before any request: in replay mode it returns
    the recorded response (or raises ReplayMiss, so a replay never touches the network);
    otherwise it returns None and the client calls the model, then ``add``s the event.
    The graph stamps each event with the current turn and moves it into the record.
    """

    def __init__(
        self, replay: Iterable[ModelCallEvent] | None = None, *, live_from: int | None = None
    ) -> None:
        self.turn = 0
        self.live_from = live_from  # a fork: from this user turn on, calls go live
        self._events: list[ModelCallEvent] = []
        self.replaying = replay is not None
        self._recorded: dict[str, deque[ModelCallEvent]] = defaultdict(deque)
        for event in replay or ():
            self._recorded[event.request_hash].append(event)

    def replayed(self, request_hash: str) -> ModelCallEvent | None:
        """The recorded call for this request, in replay mode; None when calling live."""
        if not self.replaying or (self.live_from is not None and self.turn >= self.live_from):
            return None
        queue = self._recorded.get(request_hash)
        if not queue:
            raise ReplayMiss(f"no recorded model response for request {request_hash[:12]}")
        return queue.popleft()

    def add(self, event: ModelCallEvent) -> None:
        if event.turn != self.turn:  # a recorded call served again, in a later turn
            event = event.model_copy(update={"turn": self.turn})
        self._events.append(event)

    def drain(self) -> list[ModelCallEvent]:
        """The calls logged since the last drain."""
        events, self._events = self._events, []
        return events

    def response(self, request_hash: str) -> dict[str, Any] | None:
        """Shortcut: the recorded response body, or None when live."""
        event = self.replayed(request_hash)
        return None if event is None else event.response
