"""The rule table, one fixture pair per rule, in both directions; and refactors that change nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.load.problem import Diagnostics
from generator.specdiff.rules import RULES, judge
from generator.specdiff.sides import load_side
from generator.specdiff.structural import diff_apis

BASE: dict[str, Any] = yaml.safe_load(
    """
openapi: 3.1.0
info: {title: Fixture, version: '1'}
servers: [{url: 'https://api.example.test/v1'}]
security: [{bearer: []}]
paths:
  /runs/cancel:
    post:
      operationId: cancel
      parameters:
        - {name: action, in: query, schema: {type: string, enum: [interrupt, rollback]}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Cancel'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Result'}
        '404': {description: not found}
  /runs/{id}:
    get:
      operationId: get_run
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: x-api-key}
  schemas:
    Cancel:
      type: object
      required: [run_ids]
      properties:
        run_ids: {type: array, items: {type: string}, maxItems: 100}
        status: {type: string, enum: [pending, running]}
        note: {type: string, pattern: '^[a-z]+$'}
        limit: {type: integer, minimum: 1}
    Result:
      type: object
      required: [cancelled]
      properties:
        cancelled: {type: array, items: {type: string}}
        state: {type: string, enum: [done, partial]}
        detail: {type: string}
"""
)

Mutation = Callable[[dict[str, Any]], None]


def op(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"]["/runs/cancel"]["post"]
    return result


def body(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]["Cancel"]
    return result


def answer(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]["Result"]
    return result


def either_or(spec: dict[str, Any]) -> None:
    body(spec).update(required=[], anyOf=[{"required": ["run_ids"]}, {"required": ["status"]}])


# (mutation, what it finds, what the reverse finds)
CASES: dict[str, tuple[Mutation, str, str]] = {
    "operation removed": (lambda s: s["paths"].pop("/runs/{id}"), "operation-removed", "operation-added"),
    "security changed": (
        lambda s: op(s).update(security=[{"key": []}]),
        "security-changed",
        "security-changed",
    ),
    "servers changed": (
        lambda s: s["servers"][0].update(url="https://v2.example.test"),
        "servers-changed",
        "servers-changed",
    ),
    "parameter removed": (lambda s: op(s).pop("parameters"), "request-parameter-removed", "request-parameter-added"),
    "required parameter added": (
        lambda s: op(s)["parameters"].append(
            {"name": "dry", "in": "query", "required": True, "schema": {"type": "boolean"}}
        ),
        "request-required-parameter-added",
        "request-parameter-removed",
    ),
    "parameter became required": (
        lambda s: op(s)["parameters"][0].update(required=True),
        "request-parameter-became-required",
        "request-parameter-became-optional",
    ),
    "request property removed": (
        lambda s: body(s)["properties"].pop("note"),
        "request-property-removed",
        "request-property-added",
    ),
    "required request property added": (
        lambda s: (body(s)["properties"].update(reason={"type": "string"}), body(s)["required"].append("reason")),
        "request-required-property-added",
        "request-property-removed",
    ),
    "request property became required": (
        lambda s: body(s)["required"].append("status"),
        "request-property-became-required",
        "request-property-became-optional",
    ),
    "request max items decreased": (
        lambda s: body(s)["properties"]["run_ids"].update(maxItems=50),
        "request-max-items-decreased",
        "request-max-items-increased",
    ),
    "request minimum increased": (
        lambda s: body(s)["properties"]["limit"].update(minimum=5),
        "request-minimum-increased",
        "request-minimum-decreased",
    ),
    "request pattern changed": (
        lambda s: body(s)["properties"]["note"].update(pattern="^[a-z]{2}$"),
        "request-pattern-changed",
        "request-pattern-changed",
    ),
    "request pattern added": (
        lambda s: body(s)["properties"]["run_ids"]["items"].update(pattern="^r-"),
        "request-pattern-added",
        "request-pattern-removed",
    ),
    "request enum value removed": (
        lambda s: body(s)["properties"]["status"].update(enum=["pending"]),
        "request-enum-value-removed",
        "request-enum-value-added",
    ),
    "request type changed": (
        lambda s: body(s)["properties"]["limit"].update(type="string"),
        "request-type-changed",
        "request-type-changed",
    ),
    "request became nullable": (
        lambda s: body(s)["properties"]["note"].update(type=["string", "null"]),
        "request-became-nullable",
        "request-became-not-nullable",
    ),
    "request closed": (
        lambda s: body(s).update(additionalProperties=False),
        "request-additional-properties-closed",
        "request-additional-properties-opened",
    ),
    "request body became optional": (
        lambda s: op(s)["requestBody"].update(required=False),
        "request-body-became-optional",
        "request-body-became-required",
    ),
    "success status removed": (
        lambda s: op(s)["responses"].pop("200"),
        "response-success-status-removed",
        "response-success-status-added",
    ),
    "error status added": (
        lambda s: op(s)["responses"].update({"409": {"description": "conflict"}}),
        "response-error-status-added",
        "response-error-status-removed",
    ),
    "response property removed": (
        lambda s: answer(s)["properties"].pop("detail"),
        "response-property-removed",
        "response-property-added",
    ),
    "response property became optional": (
        lambda s: answer(s).update(required=[]),
        "response-property-became-optional",
        "response-property-became-required",
    ),
    "response enum value added": (
        lambda s: answer(s)["properties"]["state"].update(enum=["done", "partial", "queued"]),
        "response-enum-value-added",
        "response-enum-value-removed",
    ),
    "response became nullable": (
        lambda s: answer(s)["properties"]["detail"].update(type=["string", "null"]),
        "response-became-nullable",
        "response-became-not-nullable",
    ),
    "request variant removed": (
        lambda s: (either_or(s), body(s)["anyOf"].pop()),
        "request-variant-removed",
        "request-variant-added",
    ),
    "description changed": (
        lambda s: body(s)["properties"]["note"].update(description="A note."),
        "request-description-changed",
        "request-description-changed",
    ),
}


def ids_between(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    paths = []
    for name, spec in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        paths.append(str(path))
    diagnostics = Diagnostics(lenient=True)
    before = load_side(paths[0], "x", diagnostics)
    after = load_side(paths[1], "x", diagnostics)
    assert before is not None and after is not None, [str(p) for p in diagnostics.problems]
    return sorted(f.id for f in judge(diff_apis(before.api, after.api)))


@pytest.mark.parametrize("case", CASES)
def test_rule_fires_in_both_directions(case: str, tmp_path: Path) -> None:
    mutate, forward, backward = CASES[case]
    old = copy.deepcopy(BASE)
    new = copy.deepcopy(BASE)
    if case == "request variant removed":
        either_or(old)  # both sides have the union; the mutation drops one branch
    mutate(new)
    assert ids_between(tmp_path, old, new) == [forward]
    assert ids_between(tmp_path, new, old) == [backward]


REFACTORS: dict[str, Mutation] = {
    "inline schema moved to $ref and back": lambda s: op(s)["requestBody"]["content"]["application/json"].update(
        schema=copy.deepcopy(body(s))
    ),
    "anyOf branches reordered": lambda s: (either_or(s), body(s)["anyOf"].reverse()),
    "properties reordered": lambda s: body(s).update(properties=dict(reversed(list(body(s)["properties"].items())))),
    "component renamed": lambda s: (
        s["components"]["schemas"].update(Renamed=s["components"]["schemas"].pop("Result")),
        op(s)["responses"]["200"]["content"]["application/json"]["schema"].update(
            {"$ref": "#/components/schemas/Renamed"}
        ),
    ),
}


@pytest.mark.parametrize("refactor", REFACTORS)
def test_equivalent_refactors_find_nothing(refactor: str, tmp_path: Path) -> None:
    old = copy.deepcopy(BASE)
    if refactor == "anyOf branches reordered":
        either_or(old)
    new = copy.deepcopy(BASE)
    REFACTORS[refactor](new)
    assert ids_between(tmp_path, old, new) == []
    assert ids_between(tmp_path, new, old) == []


def test_descriptions_changed_are_info_only(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    answer(new)["properties"]["detail"]["description"] = "What happened."
    body(new)["properties"]["status"]["description"] = "Which runs."
    diagnostics = Diagnostics()
    paths = []
    for name, spec in (("old", BASE), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(spec))
        paths.append(str(path))
    before, after = load_side(paths[0], "x", diagnostics), load_side(paths[1], "x", diagnostics)
    assert before is not None and after is not None
    findings = judge(diff_apis(before.api, after.api))
    assert {f.severity.value for f in findings} == {"info"} and len(findings) == 2


# --- Every schema-level rule, in requests and in answers -------------------------------------------
# (the property schema before, after, the change kind forward, the change kind backward)
S = {"type": "string"}
A = {"type": "array", "items": S}
N = {"type": "integer"}
SCHEMA_CASES: list[tuple[dict[str, Any], dict[str, Any], str, str]] = [
    ({**A, "maxItems": 10}, {**A, "maxItems": 5}, "max-items-decreased", "max-items-increased"),
    (A, {**A, "maxItems": 5}, "max-items-added", "max-items-removed"),
    ({**A, "minItems": 1}, {**A, "minItems": 2}, "min-items-increased", "min-items-decreased"),
    (A, {**A, "minItems": 1}, "min-items-added", "min-items-removed"),
    ({**S, "maxLength": 10}, {**S, "maxLength": 5}, "max-length-decreased", "max-length-increased"),
    (S, {**S, "maxLength": 5}, "max-length-added", "max-length-removed"),
    ({**S, "minLength": 1}, {**S, "minLength": 2}, "min-length-increased", "min-length-decreased"),
    (S, {**S, "minLength": 1}, "min-length-added", "min-length-removed"),
    ({**N, "maximum": 10}, {**N, "maximum": 5}, "maximum-decreased", "maximum-increased"),
    (N, {**N, "maximum": 5}, "maximum-added", "maximum-removed"),
    ({**N, "minimum": 1}, {**N, "minimum": 2}, "minimum-increased", "minimum-decreased"),
    (N, {**N, "minimum": 1}, "minimum-added", "minimum-removed"),
    (S, {**S, "pattern": "^a"}, "pattern-added", "pattern-removed"),
    ({**S, "pattern": "^a"}, {**S, "pattern": "^b"}, "pattern-changed", "pattern-changed"),
    ({**S, "format": "date"}, {**S, "format": "date-time"}, "format-changed", "format-changed"),
    # A string that becomes a file (str to bytes in the generated code), as OpenAPI 3.1 marks it.
    (S, {**S, "contentMediaType": "application/octet-stream"}, "type-changed", "type-changed"),
    (S, {**S, "enum": ["a", "b"]}, "enum-added", "enum-removed"),
    ({**S, "enum": ["a", "b"]}, {**S, "enum": ["a"]}, "enum-value-removed", "enum-value-added"),
    ({"const": "a"}, {"const": "b"}, "const-changed", "const-changed"),
    (S, N, "type-changed", "type-changed"),
    (S, {"type": ["string", "null"]}, "became-nullable", "became-not-nullable"),
    ({"anyOf": [S, N]}, {"oneOf": [S, N]}, "combinator-narrowed", "combinator-widened"),
    ({"anyOf": [S, N, {"type": "boolean"}]}, {"anyOf": [S, N]}, "variant-removed", "variant-added"),
    (
        {"type": "object"},
        {"type": "object", "additionalProperties": False},
        "additional-properties-closed",
        "additional-properties-opened",
    ),
    (S, {**S, "description": "Now described."}, "description-changed", "description-changed"),
    (
        {"type": "object", "properties": {"a": S}},
        {"type": "object", "properties": {"a": S, "b": S}, "required": ["b"]},
        "required-property-added",
        "property-removed",
    ),
]


def _with_property(area: str, schema: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(BASE)
    target = body(spec) if area == "request" else answer(spec)
    target["properties"]["probe"] = copy.deepcopy(schema)
    return spec


@pytest.mark.parametrize("area", ["request", "response"])
@pytest.mark.parametrize(("before", "after", "forward", "backward"), SCHEMA_CASES, ids=[c[2] for c in SCHEMA_CASES])
def test_schema_rule_fires_in_both_directions(
    area: str, before: dict[str, Any], after: dict[str, Any], forward: str, backward: str, tmp_path: Path
) -> None:
    old, new = _with_property(area, before), _with_property(area, after)
    assert ids_between(tmp_path, old, new) == [f"{area}-{forward}"]
    assert ids_between(tmp_path, new, old) == [f"{area}-{backward}"]


def _without_body(spec: dict[str, Any]) -> None:
    op(spec).pop("requestBody")


BODY_CASES: dict[str, tuple[Mutation, Mutation, str, str]] = {
    "optional request body": (
        _without_body,
        lambda s: op(s)["requestBody"].update(required=False),
        "request-body-added",
        "request-body-removed",
    ),
    "required request body": (_without_body, lambda s: None, "request-required-body-added", "request-body-removed"),
    "answer body": (
        lambda s: op(s)["responses"]["200"].pop("content"),
        lambda s: None,
        "response-body-added",
        "response-body-removed",
    ),
}


@pytest.mark.parametrize("case", BODY_CASES)
def test_body_rules_fire_in_both_directions(case: str, tmp_path: Path) -> None:
    make_old, make_new, forward, backward = BODY_CASES[case]
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    make_old(old)
    make_new(new)
    assert ids_between(tmp_path, old, new) == [forward]
    assert ids_between(tmp_path, new, old) == [backward]


def test_the_whole_rule_table_is_covered() -> None:
    covered = {i for _, forward, backward in CASES.values() for i in (forward, backward)}
    covered |= {f"{area}-{kind}" for area in ("request", "response") for c in SCHEMA_CASES for kind in c[2:]}
    covered |= {i for *_, forward, backward in BODY_CASES.values() for i in (forward, backward)}
    table = {rule.id for rule in RULES.values()}
    assert table - covered == set(), "every rule needs a fixture pair"
