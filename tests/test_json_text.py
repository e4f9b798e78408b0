"""Indented JSON written through orjson is the standard library's text, byte for byte, whatever the data."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import json_text
from generator.json_text import indented

# Everything JSON can hold, and the values orjson spells differently or refuses, mixed in at any depth.
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.text()
    | st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Zl", "Zp", "So", "Lo"]))
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@given(_DATA)
def test_any_json_data_is_written_as_the_standard_library_writes_it(data: Any) -> None:
    assert indented(data) == json.dumps(data, indent=2, ensure_ascii=False)


class Colour(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "data",
    [
        {"tiny": 1e-05},
        {"nan": float("nan"), "inf": [float("inf"), float("-inf")]},
        [2**64, -(2**63) - 1],
        {1: "a key that is not a string", None: 2},
        {"lone surrogate": "\ud800"},
        {"enum": Colour.RED, "tuple": ("a", 1)},
        {"empty": {}, "list": [], "nested": [[{}]]},
        {"control": "\x00\x1f\x7f\u2028\u2029", "quote": '"\\/'},
    ],
)
def test_what_orjson_spells_otherwise_or_refuses_still_comes_out_alike(data: Any) -> None:
    assert indented(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_plain_data_is_written_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    # The speed-up is real only if the common case takes the fast path: the standard library is not called.
    def refuse(*_: object, **__: object) -> str:
        raise AssertionError("the standard library wrote plain data")

    monkeypatch.setattr(json_text.json, "dumps", refuse)
    data = {"openapi": "3.1.0", "n": [1, 2.5, -0.0, 1e300, 2**63], "ok": True, "none": None, "é": "ü"}
    text = indented(data)
    monkeypatch.undo()
    assert text == json.dumps(data, indent=2, ensure_ascii=False)
