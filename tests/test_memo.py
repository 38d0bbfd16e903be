"""``IdentityMemo``: a value worked out once per object, never another object's value."""

from __future__ import annotations

from simulator.memo import IdentityMemo


def test_a_value_is_made_once_per_object_and_extra_key() -> None:
    made: list[str] = []
    memo: IdentityMemo[list[int], str] = IdentityMemo()

    def make(obj: list[int]) -> str:
        made.append(str(obj))
        return str(obj)

    a = [1]
    assert memo.get(a, make) == "[1]" and memo.get(a, make) == "[1]"
    assert memo.get(a, make, "x") == "[1]"  # another extra key part: made again
    assert made == ["[1]", "[1]"]


def test_an_equal_object_or_a_full_memo_makes_the_value_anew() -> None:
    memo: IdentityMemo[list[int], int] = IdentityMemo(limit=2)
    first, twin = [1], [1]
    assert memo.get(first, id) == id(first)
    assert memo.get(twin, id) == id(twin)  # equal but not the same object
    third = [3]
    assert memo.get(third, id) == id(third)  # past the limit: starts over, still right
    assert memo.get(first, id) == id(first)
