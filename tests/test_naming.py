"""The one path from spec strings to Python names and literals."""

from __future__ import annotations

import ast

import pytest

from generator.render.model_bridge import stable_class_names
from generator.render.naming import class_name, docstring, python_literal, snake_name


def test_class_names_do_not_depend_on_the_other_schemas() -> None:
    before = stable_class_names(["Run", "Thing"])
    after = stable_class_names(["run", "Run", "run-status", "Thing"])
    assert before == {"Run": "Run", "Thing": "Thing"}
    assert after["Run"] == "Run" and after["Thing"] == "Thing", "adding a colliding schema renames nothing"
    assert after["run"] != after["Run"] and after["run"].startswith("Run")
    assert stable_class_names(["run", "Thing"])["run"] == "Run", "no collision, no suffix"
    assert stable_class_names(["run", "RUN"]) == stable_class_names(["RUN", "run"]), "order does not matter"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("class", "class_"), ("123start", "value_123start"), ("naïve", "naive"), ("X-Évil-Hëader", "x_evil_header"),
     ("runIds", "run_ids"), ("", "value"), ("match", "match_")],
)  # fmt: skip
def test_snake_names_are_identifiers(text: str, expected: str) -> None:
    assert snake_name(text) == expected
    assert snake_name(text).isidentifier()


def test_class_names_are_identifiers() -> None:
    assert class_name("bulk_cancel-runs request") == "BulkCancelRunsRequest"
    assert class_name("../../Escape").isidentifier()


@pytest.mark.parametrize(
    "value", ['a"""b', "x'y", "back\\slash", "new\nline", "{{ x }}", None, True, 1.5, [1, {"k": "v"}]]
)
def test_python_literals_evaluate_back_to_the_value(value: object) -> None:
    assert ast.literal_eval(python_literal(value)) == value


def test_docstrings_cannot_be_closed_from_inside() -> None:
    text = docstring('ends with a quote" and """ triple \\ backslash')
    module = f'"""{text}"""\n'
    parsed = ast.parse(module)
    assert len(parsed.body) == 1 and isinstance(parsed.body[0], ast.Expr)
