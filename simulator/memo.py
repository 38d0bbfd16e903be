"""Values worked out once per immutable object, found again by the object's identity."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class IdentityMemo(Generic[T, V]):
    """``make(obj)`` worked out once per object (and extra key parts), for frozen objects
    (personas, facts, tools) met again and again on the hot path. The object is kept
    beside its value, so a recycled ``id`` never returns another object's value; past
    ``limit`` entries the memo starts over."""

    def __init__(self, limit: int = 4096) -> None:
        self._items: dict[tuple[Hashable, ...], tuple[T, V]] = {}
        self._limit = limit

    def get(self, obj: T, make: Callable[[T], V], *extra: Hashable) -> V:
        key = (id(obj), *extra)
        hit = self._items.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        if len(self._items) >= self._limit:
            self._items.clear()
        value = make(obj)
        self._items[key] = (obj, value)
        return value
