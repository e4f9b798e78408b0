"""Fidelity: the IR's validator accepts exactly what the original schema accepts.

The reference is jsonschema's Draft 2020-12 validator with format assertion,
run on the schema as the spec wrote it ($refs and all). Every schema of every
operation (body, parameters, responses) and every named schema is checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.ir.model import Api, RefSchema, Schema
from generator.ir.validate import ASSERTED_FORMATS, accepts
from generator.load import pointer as jp
from tests.conftest import ROOT, VENDORS, vendor_api
from tests.payloads import payloads

FIXTURE_SPECS = ROOT / "tests" / "fixtures" / "specs"
INPUT_EXAMPLES = 1500  # per request input: the payloads that matter most
OTHER_EXAMPLES = 150  # per response or named schema


def reference_validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A 2020-12 validator for the schema at ``pointer``, resolving $refs inside the spec."""
    registry: Registry[Any] = Registry().with_resource(
        "urn:spec", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    checker = FormatChecker(formats=tuple(ASSERTED_FORMATS))
    assert set(checker.checkers) == set(ASSERTED_FORMATS), "the reference must assert every format the IR asserts"
    return Draft202012Validator({"$ref": f"urn:spec#{pointer}"}, registry=registry, format_checker=checker)


def schemas_of(api: Api) -> list[tuple[str, str, Schema]]:
    """(label, JSON pointer of the raw schema, IR schema) for everything the spec types."""
    found = [(f"schema {n.name}", n.pointer, n.schema) for n in api.schemas]
    for op in api.operations:
        if op.body is not None:
            where = jp.join(op.pointer, "requestBody", "content", op.body.media_type, "schema")
            found.append((f"{op.operation_id} body", where, op.body.schema))
        for index, parameter in enumerate(op.parameters):
            where = jp.join(op.pointer, "parameters", index, "schema")
            found.append((f"{op.operation_id} {parameter.location.value} {parameter.name}", where, parameter.schema))
        for response in op.responses:
            if response.schema is not None and response.media_type is not None:
                where = jp.join(op.pointer, "responses", response.status, "content", response.media_type, "schema")
                found.append((f"{op.operation_id} {response.status}", where, response.schema))
    return found


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def check_agreement(
    document: dict[str, Any], pointer: str, accepts_payload: Callable[[Any], bool], examples: int = OTHER_EXAMPLES
) -> Counter[bool]:
    """Run the property for one schema; return how many payloads the reference found valid / invalid."""
    reference = reference_validator(document, pointer)
    raw = jp.follow(document, pointer)
    seen: Counter[bool] = Counter()

    @settings(max_examples=examples)
    @given(payload=payloads(raw, document))
    def agree(payload: Any) -> None:
        expected = reference.is_valid(payload)
        seen[expected] += 1
        assert accepts_payload(payload) == expected, f"disagreement with JSON Schema on {payload!r}"

    agree()
    return seen


def check_fidelity(
    api: Api, document: dict[str, Any], pointer: str, schema: Schema, examples: int = OTHER_EXAMPLES
) -> Counter[bool]:
    """The property for the IR's own validator."""
    return check_agreement(document, pointer, lambda payload: accepts(schema, payload, api.schema), examples)


def _cases() -> list[Any]:
    return [pytest.param(v, id=v) for v in VENDORS]


@pytest.mark.parametrize("vendor", _cases())
def test_request_bodies_and_parameters_agree_with_json_schema(vendor: str) -> None:
    api = vendor_api(vendor)
    document = _load(ROOT / api.source)
    totals: Counter[bool] = Counter()
    inputs = [case for case in schemas_of(api) if " body" in case[0] or " path " in case[0] or " query " in case[0]]
    assert inputs, "every vendor's cancel operation takes some input"
    for _label, pointer, schema in inputs:
        totals += check_fidelity(api, document, pointer, schema, INPUT_EXAMPLES)
    # Both kinds must be well represented, or agreement would prove little.
    assert totals[True] >= 0.10 * sum(totals.values()), totals
    assert totals[False] >= 0.10 * sum(totals.values()), totals


@pytest.mark.parametrize("vendor", _cases())
def test_response_and_named_schemas_agree_with_json_schema(vendor: str) -> None:
    api = vendor_api(vendor)
    document = _load(ROOT / api.source)
    for _label, pointer, schema in schemas_of(api):
        if not isinstance(schema, RefSchema):  # a reference is checked once, as its named schema
            check_fidelity(api, document, pointer, schema)


def test_kitchen_sink_schemas_agree_with_json_schema() -> None:
    """Constructs the vendor specs do not use: three ways of nullable, allOf, formats, bounds."""
    from generator.ir.normalise import normalise
    from generator.load import load_spec
    from generator.load.problem import Diagnostics

    path = FIXTURE_SPECS / "kitchen_sink.yaml"
    diagnostics = Diagnostics()
    files = load_spec(path, diagnostics)
    assert files is not None
    api = normalise(files, "kitchen", diagnostics)
    assert not diagnostics.problems, [str(p) for p in diagnostics.problems]
    document = _load(path)
    totals: Counter[bool] = Counter()
    for _label, pointer, schema in schemas_of(api):
        totals += check_fidelity(api, document, pointer, schema, 600)
    # One closed object with a dozen constrained properties: valid payloads are rarer here.
    assert totals[True] >= 0.05 * sum(totals.values()), totals
    assert totals[False] >= 0.10 * sum(totals.values()), totals
