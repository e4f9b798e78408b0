"""What the IR keeps from the specs, and what its validator makes of payloads."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.cancel.model import CancelRole, InputLocation
from generator.ir.model import (
    Api,
    ArraySchema,
    Combinator,
    ObjectSchema,
    ParameterLocation,
    RefSchema,
    Schema,
    SchemeKind,
    StringSchema,
    UnionSchema,
    amended,
)
from generator.ir.normalise import normalise
from generator.ir.validate import accepts, issues
from generator.load import load_spec
from generator.load.problem import Diagnostics
from tests.conftest import ROOT, vendor_api, vendor_cancel


def body_of(api: Api) -> Schema:
    body = api.operations[0].body
    assert body is not None
    return api.schema(body.schema.name) if isinstance(body.schema, RefSchema) else body.schema


def ok(api: Api, schema: Schema, value: Any) -> bool:
    return accepts(schema, value, api.schema)


def api_from(tmp_path: Path, text: str) -> Api:
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    diagnostics = Diagnostics()
    files = load_spec(path, diagnostics)
    assert files is not None
    api = normalise(files, "t", diagnostics)
    assert not diagnostics.has_errors, [str(p) for p in diagnostics.problems]
    return api


V4 = "0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b"
V1 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"


class TestLangSmithOneOf:
    """Shared properties plus oneOf branches that only list `required`."""

    def test_variants_spell_out_requires_and_exclusions(self) -> None:
        union = body_of(vendor_api("langsmith"))
        assert isinstance(union, UnionSchema)
        assert union.combinator is Combinator.ONE_OF
        by_status, by_ids = union.variants
        assert (by_status.name, by_status.requires, by_status.allows, by_status.excludes) == (
            "status",
            ("status",),
            None,
            (("thread_id", "run_ids"),),
        )
        assert (by_ids.name, by_ids.requires, by_ids.excludes) == (
            "thread_id+run_ids",
            ("thread_id", "run_ids"),
            (("status",),),
        )

    @pytest.mark.parametrize(
        ("payload", "valid"),
        [
            ({"status": "running"}, True),
            ({"thread_id": V4, "run_ids": [V4]}, True),
            ({"status": "all", "thread_id": V4}, True),  # matches the status branch only
            ({"status": "all", "thread_id": V4, "run_ids": [V4]}, False),  # matches both: oneOf says no
            ({}, False),
            ({"thread_id": V4}, False),
            ({"status": "done"}, False),
            ({"status": None}, False),  # optional is not nullable
            ({"thread_id": "not-a-uuid", "run_ids": []}, False),
            ({"status": "pending", "anything": 1}, True),  # the schema does not close the object
        ],
    )
    def test_exact_semantics(self, payload: dict[str, Any], valid: bool) -> None:
        api = vendor_api("langsmith")
        assert ok(api, body_of(api), payload) is valid

    def test_both_branches_message_names_them(self) -> None:
        api = vendor_api("langsmith")
        found = list(issues(body_of(api), {"status": "all", "thread_id": V4, "run_ids": []}, api.schema))
        assert [i.message for i in found] == [
            "matches more than one of 'status', 'thread_id+run_ids' (oneOf allows one)"
        ]


class TestCargoAnyOf:
    def test_variants_allow_and_forbid(self) -> None:
        union = body_of(vendor_api("cargo"))
        assert isinstance(union, UnionSchema) and union.combinator is Combinator.ANY_OF
        by_ids, by_filter = union.variants
        assert by_ids.requires == ("workflowUuid", "uuids")
        assert by_ids.allows == ("workflowUuid", "uuids")
        assert "recordId" in by_ids.forbids and "executionsFilter" in by_ids.forbids
        assert by_filter.requires == ("workflowUuid",)
        assert by_filter.forbids == ("uuids",)

    @pytest.mark.parametrize(
        ("payload", "valid"),
        [
            ({"workflowUuid": V4, "uuids": ["a"]}, True),
            ({"workflowUuid": V4.upper(), "uuids": []}, True),
            ({"workflowUuid": V4}, True),
            ({"workflowUuid": V4, "recordId": "r"}, True),
            ({"workflowUuid": V4, "uuids": ["a"], "recordId": "r"}, False),  # closed variants do not mix
            ({"workflowUuid": V1, "uuids": []}, False),  # the pattern asks for a v4 UUID
            ({"workflowUuid": V4, "recordId": None}, False),
            ({"uuids": ["a"]}, False),
            (
                {
                    "workflowUuid": V4,
                    "executionsFilter": {
                        "conjonction": "and",
                        "groups": [
                            {"conjonction": "or", "conditions": [{"kind": "node", "nodeSlug": "s", "status": "error"}]}
                        ],
                    },
                },
                True,
            ),
            (
                {
                    "workflowUuid": V4,
                    "executionsFilter": {
                        "conjonction": "and",
                        "groups": [
                            {"conjonction": "or", "conditions": [{"kind": "edge", "nodeSlug": "s", "status": "error"}]}
                        ],
                    },
                },
                False,  # kind is const "node"
            ),
        ],
    )
    def test_exact_semantics(self, payload: dict[str, Any], valid: bool) -> None:
        api = vendor_api("cargo")
        assert ok(api, body_of(api), payload) is valid

    def test_constraints_are_kept(self) -> None:
        by_ids = body_of(vendor_api("cargo"))
        assert isinstance(by_ids, UnionSchema)
        schema = by_ids.variants[0].schema
        assert isinstance(schema, ObjectSchema) and schema.additional_properties is False
        workflow = schema.properties[0].schema
        assert isinstance(workflow, StringSchema)
        assert (
            workflow.format == "uuid"
            and workflow.pattern is not None
            and workflow.pattern.startswith("^([0-9a-fA-F]{8}-")
        )
        assert (workflow.title, workflow.description) == ("Workflow UUID", "Workflow identifier.")


def test_skyvern_max_items_is_kept_and_enforced() -> None:
    api = vendor_api("skyvern")
    body = body_of(api)
    assert isinstance(body, ObjectSchema)
    run_ids = body.properties[0].schema
    assert isinstance(run_ids, ArraySchema) and run_ids.max_items == 100
    assert ok(api, body, {"run_ids": ["r"] * 100})
    assert not ok(api, body, {"run_ids": ["r"] * 101})
    assert not ok(api, body, {})


def test_langsmith_action_query_keeps_enum_and_default() -> None:
    op = vendor_api("langsmith").operations[0]
    action = op.parameter(ParameterLocation.QUERY, "action")
    assert action is not None and not action.required
    assert isinstance(action.schema, StringSchema)
    assert action.schema.enum == ("interrupt", "rollback")
    assert action.schema.default is not None and action.schema.default.value == "interrupt"


def test_responses_by_status() -> None:
    langsmith = vendor_api("langsmith").operations[0]
    assert [(r.status, r.schema is None) for r in langsmith.responses] == [
        ("204", True),
        ("404", False),
        ("422", False),
    ]
    b3os = vendor_api("b3os")
    ok_answer = b3os.operations[0].responses[0]
    assert ok_answer.is_success and ok_answer.schema == RefSchema(name="CancelRunResponse")
    envelope = b3os.schema("CancelRunResponse")
    assert isinstance(envelope, ObjectSchema)
    assert [p.name for p in envelope.properties] == ["code", "data", "message", "requestId"]
    agno_ok = vendor_api("agno").operations[0].responses[0]
    assert agno_ok.schema is not None and agno_ok.schema.kind == "any"


def test_nullable_is_explicit_and_optional_is_not_nullable() -> None:
    agno = vendor_api("agno")
    error = agno.schema("NotFoundResponse")
    assert isinstance(error, ObjectSchema)
    detail, code = error.properties
    assert (detail.required, detail.schema.nullable, code.required, code.schema.nullable) == (True, False, False, True)
    assert ok(agno, error, {"detail": "x", "error_code": None})
    assert not ok(agno, error, {"detail": None})


class TestSecurity:
    def test_vendor_specs(self) -> None:
        cargo = vendor_api("cargo")
        assert cargo.operations[0].security.alternatives == (("bearerAuth",),)  # global security
        assert cargo.scheme("bearerAuth") is not None and cargo.security_schemes[0].kind is SchemeKind.HTTP_BEARER
        agno = vendor_api("agno")
        assert agno.operations[0].security.alternatives == (("HTTPBearer",),)  # operation-level over global []
        skyvern = vendor_api("skyvern")
        # The spec says `security: []`; the configuration declares the x-api-key header it omits.
        assert skyvern.operations[0].security.alternatives == (("apiKeyHeader",),)
        scheme = skyvern.scheme("apiKeyHeader")
        assert scheme is not None and (scheme.declared_by, scheme.parameter_name) == ("config", "x-api-key")
        assert vendor_api("langsmith").operations[0].security.required

    def test_operation_security_empty_list_means_none(self, tmp_path: Path) -> None:
        api = api_from(
            tmp_path,
            """\
            openapi: 3.1.0
            info: {title: T, version: '1'}
            security: [{key: []}]
            paths:
              /a:
                get:
                  responses: {'200': {description: ok}}
              /b:
                get:
                  security: []
                  responses: {'200': {description: ok}}
              /c:
                get:
                  security: [{}, {key: []}]
                  responses: {'200': {description: ok}}
            components:
              securitySchemes:
                key: {type: apiKey, in: header, name: x-api-key}
            """,
        )
        a, b, c = api.operations
        assert a.security.required and a.security.alternatives == (("key",),)
        assert b.security.alternatives == () and not b.security.required
        assert c.security.alternatives == ((), ("key",)) and not c.security.required
        scheme = api.scheme("key")
        assert scheme is not None
        assert (scheme.kind, scheme.location, scheme.parameter_name) == (
            SchemeKind.API_KEY,
            ParameterLocation.HEADER,
            "x-api-key",
        )


def test_parameters_path_level_overridden_by_operation(tmp_path: Path) -> None:
    api = api_from(
        tmp_path,
        """\
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /runs/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
              - {name: verbose, in: query, schema: {type: boolean}}
            post:
              parameters:
                - {name: verbose, in: query, required: true, schema: {type: integer}}
              responses: {'204': {description: done}}
        """,
    )
    op = api.operations[0]
    assert op.operation_id == "post_runs_id"  # derived: the spec gives none
    verbose = op.parameter(ParameterLocation.QUERY, "verbose")
    assert verbose is not None and verbose.required and verbose.schema.kind == "integer"
    assert op.parameter(ParameterLocation.PATH, "id") is not None


def test_nullable_three_ways_and_all_of(tmp_path: Path) -> None:
    api = api_from(
        tmp_path,
        """\
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths: {}
        components:
          schemas:
            Old: {type: string, nullable: true}
            List: {type: [string, 'null']}
            AnyOf: {anyOf: [{type: string}, {type: 'null'}]}
            Plain: {type: string}
            Both:
              allOf:
                - {type: object, required: [a], properties: {a: {type: string}}}
                - {type: object, required: [b], properties: {b: {type: integer}}, additionalProperties: false}
        """,
    )
    for name in ("Old", "List", "AnyOf"):
        schema = api.schema(name)
        assert isinstance(schema, StringSchema) and schema.nullable, name
        assert ok(api, schema, None) and ok(api, schema, "x") and not ok(api, schema, 1)
    assert not ok(api, api.schema("Plain"), None)
    both = api.schema("Both")
    assert isinstance(both, ObjectSchema) and both.required == ("a", "b")
    assert not ok(api, both, {"a": "x", "b": 1}), "b's closed object forbids 'a', so nothing passes"
    assert not ok(api, both, {"b": 1})


def test_cancel_roles_come_from_the_config() -> None:
    agno = vendor_cancel("agno")
    assert agno is not None and agno.operation_id == "cancel_workflow_run"
    assert [(i.role, i.location, i.name, i.label) for i in agno.inputs] == [
        (CancelRole.SCOPE, InputLocation.PATH, "workflow_id", "workflow"),
        (CancelRole.RUN_ID, InputLocation.PATH, "run_id", None),
    ]
    langsmith = vendor_cancel("langsmith")
    assert langsmith is not None
    assert [i.name for i in langsmith.of_role(CancelRole.ACTION)] == ["action"]
    assert vendor_cancel("cargo") is not None


def test_ir_is_immutable() -> None:
    api = vendor_api("skyvern")
    with pytest.raises(dataclasses.FrozenInstanceError):
        api.name = "other"  # type: ignore[misc]


def test_ir_dump_is_the_same_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "ir", "cargo", "--format", "json"],
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_ir_dump_writes_subclasses_of_plain_values_as_the_plain_values() -> None:
    from typing import NamedTuple

    from generator.ir.dump import to_data

    class Pair(NamedTuple):
        first: str
        second: int

    class Tags(list[str]):
        pass

    class Name(str):
        pass

    # Exact types take a fast path; a subclass is still a sequence (or a string) in the dump.
    value = {"pair": Pair("a", 1), "tags": Tags(["x"]), "name": Name("n"), "schema": StringSchema(format="uuid")}
    schema = {"kind": "string", "format": "uuid"}
    assert to_data(value) == {"pair": ["a", 1], "tags": ["x"], "name": "n", "schema": schema}
    assert type(to_data(value)["pair"]) is list


class TestFormats:
    """Where the IR is stricter than jsonschema's format checker, deliberately (RFC 4122 / RFC 3339)."""

    @pytest.mark.parametrize(
        ("value", "valid"),
        [
            (V4, True),
            (V4.upper(), True),
            ("12345678-1234-1234-1234-12345678901-2", False),  # jsonschema's checker lets this through
            (V4 + "\n", False),
            ("{" + V4 + "}", False),
        ],
    )
    def test_uuid(self, value: str, valid: bool) -> None:
        api = vendor_api("langsmith")
        assert ok(api, StringSchema(format="uuid"), value) is valid

    @pytest.mark.parametrize(
        ("value", "valid"),
        [
            ("2024-02-29T23:59:59Z", True),
            ("2024-02-29t23:59:59.5+01:00", True),
            ("2023-02-29T00:00:00Z", False),
            ("2024-01-01T00:00:00Z\n", False),  # a trailing newline passes rfc3339-validator's `$`
            ("2024-01-01 00:00:00Z", False),
            ("2024-01-01T00:00:00", False),
        ],
    )
    def test_date_time(self, value: str, valid: bool) -> None:
        api = vendor_api("langsmith")
        assert ok(api, StringSchema(format="date-time"), value) is valid


def test_amended_makes_what_dataclasses_replace_makes() -> None:
    """:func:`amended` is ``replace`` without its cost: it may assume what every IR class must then keep."""
    from generator.ir import model

    for kind in vars(model).values():
        if isinstance(kind, type) and dataclasses.is_dataclass(kind) and kind.__module__ == model.__name__:
            assert not hasattr(kind, "__post_init__"), kind
            assert all(f.init for f in dataclasses.fields(kind)), kind
            assert not hasattr(kind, "__slots__"), kind
    schema = model.ObjectSchema(
        properties=(model.Property(name="a", schema=model.StringSchema(), required=True),), title="T"
    )
    assert amended(schema, title="U", nullable=True) == dataclasses.replace(schema, title="U", nullable=True)
    assert amended(schema, title="U") is not schema and schema.title == "T"
    with pytest.raises(TypeError, match="no field 'colour'"):
        amended(schema, colour="red")
    # A cached lookup is worked out anew for the amended value, not copied from the original.
    api = model.Api(
        name="a",
        title="A",
        version="1",
        source="a.yaml",
        schemas=(model.NamedSchema(name="X", pointer="/X", schema=schema),),
    )
    assert api.schema("X") is schema
    other = amended(api, schemas=(model.NamedSchema(name="X", pointer="/X", schema=model.StringSchema()),))
    assert other.schema("X") == model.StringSchema()
