"""The one IR -> JSON Schema writer: the served document reads back as the same IR, and the
model modes accept what the IR accepts (exactly for requests, at least for responses).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given, settings

from generator.ir.dump import to_data
from generator.ir.model import (
    Api,
    Combinator,
    ObjectSchema,
    Schema,
    SchemaBase,
    StringSchema,
    UnionSchema,
)
from generator.ir.normalise import normalise
from generator.ir.validate import FORMAT_SYNTAX, accepts, issues
from generator.load import load_spec
from generator.load.problem import Diagnostics
from generator.render.json_schema import SCHEMA_KINDS, JsonSchemaWriter, Mode, WriterOptions
from generator.render.model_bridge import stable_class_names
from generator.render.openapi_doc import to_openapi
from tests.conftest import ROOT
from tests.payloads import payloads
from tests.test_fidelity import reference_validator

SPECS = sorted([*(ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"), *(ROOT / "specs").glob("*.yaml")])
EXAMPLES = 250  # per named sample schema and side

# One named schema per case, between them every kind with every attribute its kind has.
SAMPLES: dict[str, Any] = {
    "Anything": {"title": "Anything", "description": "Any JSON value at all"},
    "Nothing": {"type": "object", "properties": {"never": False}},
    "OnlyNull": {"type": "null", "description": "Always null"},
    "Flag": {"type": "boolean", "default": True, "deprecated": True, "x-sunset": "2030-01-01"},
    "Count": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 100, "multipleOf": 5},
    "OpenCount": {"type": "integer", "format": "int64", "exclusiveMinimum": -3, "exclusiveMaximum": 7},
    "Ratio": {"type": ["number", "null"], "format": "double", "minimum": 0, "maximum": 2, "multipleOf": 0.25},
    "OpenRatio": {"type": "number", "format": "float", "exclusiveMinimum": -1.5, "exclusiveMaximum": 1.5},
    "Code": {"type": "string", "pattern": "^[A-Z]+$", "minLength": 2, "maxLength": 5},
    "Day": {"type": "string", "format": "date"},
    "Moment": {"type": "string", "format": "date-time"},
    "Key": {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"},
    "Upload": {"type": "string", "contentMediaType": "application/octet-stream"},
    "Blob": {"type": "string", "format": "binary"},
    "Colour": {"type": ["string", "null"], "enum": ["red", "green", None], "title": "Colour"},
    "Version": {"type": "integer", "const": 2},
    "Tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": True},
    "Closed": {
        "type": "object",
        "description": "A closed object",
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "code": {"$ref": "#/components/schemas/Code"},
        },
        "required": ["id"],
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 2,
    },
    "Open": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
    "Alias": {"$ref": "#/components/schemas/Count"},
    "Pet": {
        "oneOf": [
            {
                "title": "Cat",
                "type": "object",
                "properties": {"meow": {"type": "boolean"}},
                "required": ["meow"],
                "additionalProperties": False,
            },
            {
                "title": "Dog",
                "type": "object",
                "properties": {"bark": {"type": "integer"}},
                "required": ["bark"],
                "additionalProperties": False,
            },
        ]
    },
    "Either": {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "additionalProperties": False,
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    },
    "Scalar": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}], "description": "Short or whole"},
}


def _read(path: Path, name: str) -> tuple[Api, list[str]]:
    diagnostics = Diagnostics()
    files = load_spec(path, diagnostics)
    assert files is not None, [str(p) for p in diagnostics.problems]
    api = normalise(files, name, diagnostics)
    return api, [p.message for p in diagnostics.problems]


def _comparable(data: Any) -> Any:
    """IR data without what only says where it came from."""
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if k not in ("pointer", "source", "declared_by", "cancel")}
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


def _served_again(api: Api, tmp_path: Path) -> tuple[Api, list[str]]:
    """``api`` written as the served document, then loaded and normalised again."""
    document = tmp_path / "served.json"
    document.write_text(json.dumps(to_openapi(api)), encoding="utf-8")
    return _read(document, api.name)


@pytest.fixture(scope="module")
def sample_spec() -> dict[str, Any]:
    info = {"title": "Samples", "version": "1"}
    return {"openapi": "3.1.0", "info": info, "paths": {}, "components": {"schemas": SAMPLES}}


@pytest.fixture(scope="module")
def samples(sample_spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Api:
    path = tmp_path_factory.mktemp("samples") / "samples.json"
    path.write_text(json.dumps(sample_spec), encoding="utf-8")
    api, problems = _read(path, "samples")
    assert not problems, problems
    return api


# --- the served document ------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_spec_reads_back_from_the_served_document(spec: Path, tmp_path: Path) -> None:
    original, spec_problems = _read(spec, spec.stem)
    served, problems = _served_again(original, tmp_path)
    # The document may repeat what was wrong with the spec (a component name OpenAPI forbids), nothing more.
    assert set(problems) <= set(spec_problems), problems
    assert _comparable(to_data(served)) == _comparable(to_data(original))


def test_a_multipart_file_part_stays_a_file_in_the_served_document(tmp_path: Path) -> None:
    original, _ = _read(ROOT / "tests" / "fixtures" / "specs" / "forms.yaml", "forms")
    served, _ = _served_again(original, tmp_path)
    upload = served.operation("upload_file")
    assert upload is not None and upload.body is not None and isinstance(upload.body.schema, ObjectSchema)
    part = upload.body.schema.property_named("file")
    assert part is not None and isinstance(part.schema, StringSchema)
    assert part.schema.content_media_type == "application/octet-stream" and part.schema.is_binary


def test_every_sample_schema_reads_back_from_the_served_document(samples: Api, tmp_path: Path) -> None:
    served, problems = _served_again(samples, tmp_path)
    assert not problems, problems
    assert [to_data(n.schema) for n in served.schemas] == [to_data(n.schema) for n in samples.schemas]


# --- the samples cover the IR ---------------------------------------------------------------


def _nodes(schema: Schema) -> list[Schema]:
    """``schema`` and every schema inside it (references not followed)."""
    found = [schema]
    for f in dataclasses.fields(schema):
        value = getattr(schema, f.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            inner = getattr(child, "schema", child)  # a Property or a Variant holds its schema
            if dataclasses.is_dataclass(inner) and hasattr(inner, "kind"):
                found.extend(_nodes(inner))  # type: ignore[arg-type]
    return found


def _is_set(node: Schema, f: dataclasses.Field[Any]) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(getattr(node, f.name) != f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(getattr(node, f.name) != f.default_factory())
    return True  # a field without a default is always given


def test_the_samples_cover_every_kind_and_every_attribute(samples: Api) -> None:
    """Without this, a kind or attribute the writer dropped could go unnoticed by the round trips."""
    nodes = [node for named in samples.schemas for node in _nodes(named.schema)]
    kinds = {node.kind for node in nodes}
    assert set(SCHEMA_KINDS) == {cls.__dataclass_fields__["kind"].default for cls in get_args(Schema)}
    assert kinds == set(SCHEMA_KINDS), set(SCHEMA_KINDS) - kinds
    common = {f.name for f in dataclasses.fields(SchemaBase)}
    unset_common = common - {f.name for node in nodes for f in dataclasses.fields(node) if _is_set(node, f)}
    assert not unset_common, unset_common
    for cls in get_args(Schema):
        of_kind = [node for node in nodes if isinstance(node, cls)]
        own = [f for f in dataclasses.fields(cls) if f.name not in common and f.name != "kind"]
        unset = [f.name for f in own if not any(_is_set(node, f) for node in of_kind)]
        assert not unset, f"{cls.__name__}: no sample sets {unset}"
    extras = {
        "closed" if o.additional_properties is False else "open" if o.additional_properties is True else "schema"
        for o in nodes
        if isinstance(o, ObjectSchema)
    }
    assert extras == {"closed", "open", "schema"}
    unions = [u for u in nodes if isinstance(u, UnionSchema)]
    assert {u.combinator for u in unions} == set(Combinator)
    assert any(isinstance(v.schema, ObjectSchema) for u in unions for v in u.variants)
    strings = [s for s in nodes if isinstance(s, StringSchema)]
    assert any(s.format == "binary" for s in strings) and any(s.content_media_type for s in strings)


def test_the_writer_has_one_method_per_kind() -> None:
    writer = JsonSchemaWriter(WriterOptions.for_document())
    assert all(callable(getattr(writer, f"_{kind}", None)) for kind in SCHEMA_KINDS)


# --- the model modes ------------------------------------------------------------------------


def _model_validator(samples: Api, mode: Mode, name: str) -> Any:
    classes = stable_class_names([n.name for n in samples.schemas])
    writer = JsonSchemaWriter(WriterOptions.for_models(mode, classes), set(classes.values()))
    for named in samples.schemas:
        writer.define(classes[named.name], named.schema)
    document = {"components": {"schemas": writer.definitions}}
    return reference_validator(document, f"/components/schemas/{classes[name]}")


def _only_calendar_misses(schema: Schema, payload: Any, samples: Api) -> bool:
    """Whether the IR rejects ``payload`` only for dates of the right shape that the calendar lacks.

    A pattern cannot know the calendar (FORMAT_PATTERNS says so): the server decides those.
    """
    found = list(issues(schema, payload, samples.schema))
    return bool(found) and all(i.message.endswith(("valid date", "valid date-time")) for i in found)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_request_models_accept_exactly_what_the_ir_accepts(
    name: str, samples: Api, sample_spec: dict[str, Any]
) -> None:
    schema = samples.schema(name)
    validator = _model_validator(samples, Mode.REQUEST_MODELS, name)
    seen: Counter[bool] = Counter()

    @settings(max_examples=EXAMPLES)
    @given(payload=payloads(SAMPLES[name], sample_spec))
    def agree(payload: Any) -> None:
        expected = accepts(schema, payload, samples.schema)
        seen[expected] += 1
        if validator.is_valid(payload) != expected:
            assert not expected and _only_calendar_misses(schema, payload, samples), (
                f"request model disagrees with the IR on {payload!r}"
            )

    agree()
    assert seen[True] and (seen[False] or name == "Anything"), seen


@pytest.mark.parametrize("name", list(SAMPLES))
def test_response_models_accept_at_least_what_the_ir_accepts(
    name: str, samples: Api, sample_spec: dict[str, Any]
) -> None:
    schema = samples.schema(name)
    validator = _model_validator(samples, Mode.RESPONSE_MODELS, name)

    @settings(max_examples=EXAMPLES)
    @given(payload=payloads(SAMPLES[name], sample_spec))
    def lenient(payload: Any) -> None:
        if accepts(schema, payload, samples.schema):
            assert validator.is_valid(payload), f"response model rejects {payload!r}, which the IR accepts"

    lenient()


def test_request_strings_check_formats_with_patterns() -> None:
    writer = JsonSchemaWriter(WriterOptions.for_models(Mode.REQUEST_MODELS, {}))
    written = writer.write(StringSchema(format="uuid"))
    assert written == {"type": "string", "pattern": rf"^(?:{FORMAT_SYNTAX['uuid']})\Z"}
