"""The datamodel-code-generator bridge: IR schemas -> JSON Schema -> pydantic v2 models.

Request models are exact: closed objects forbid extra keys, optional fields
are absent rather than null (pydantic's MISSING sentinel), scalar types are
strict, and the formats the IR asserts become patterns checked with Python's
``re`` (the same engine and semantics as the IR validator). Response models
are lenient, because servers grow: extra keys are kept, unknown enum values
pass as plain strings, and constraints are not re-checked.

This module plans (which schema becomes which class, on which side); the JSON
Schema itself comes from :mod:`generator.render.json_schema`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import Any

from generator.ir.model import AnySchema, Api, ArraySchema, ObjectSchema, RefSchema, Schema, UnionSchema
from generator.render.json_schema import FORMAT_PATTERNS, JsonSchemaWriter, Mode, WriterOptions
from generator.render.naming import class_name, unique

__all__ = ["FORMAT_PATTERNS", "ModelPlan", "Side", "plan_models", "stable_class_names"]


class Side(Enum):
    """Which way a model's data travels."""

    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True)
class ModelPlan:
    """JSON Schema for each side, and the class names the client refers to."""

    requests: dict[str, Any]
    responses: dict[str, Any]
    body_class: dict[str, str]  # operation id -> request body class
    response_class: dict[tuple[str, str], str | None]  # (operation id, status) -> class; None: untyped JSON
    named_class: dict[str, str]  # named schema -> class


def plan_models(api: Api) -> ModelPlan:
    """Decide which schema becomes which class, on which side."""
    named_classes = stable_class_names([n.name for n in api.schemas])
    taken: set[str] = set(named_classes.values())
    request_roots: dict[str, Schema] = {}
    response_roots: dict[str, Schema] = {}
    body_class: dict[str, str] = {}
    response_class: dict[tuple[str, str], str | None] = {}
    for op in api.operations:
        base = class_name(op.operation_id, fallback="Operation")
        if op.body is not None:
            if isinstance(op.body.schema, RefSchema):
                body_class[op.operation_id] = named_classes[op.body.schema.name]
            else:
                name = unique(f"{base}Body", taken)
                request_roots[name] = op.body.schema
                body_class[op.operation_id] = name
        for response in op.responses:
            key = (op.operation_id, response.status)
            if response.schema is None or response.is_raw:
                continue  # no body, or text or bytes as they come: no model
            if isinstance(response.schema, RefSchema):
                response_class[key] = named_classes[response.schema.name]
            elif isinstance(response.schema, AnySchema):
                response_class[key] = None
            else:
                suffix = "Response" if response.is_success else f"Error{response.status}"
                name = unique(f"{base}{suffix}", taken)
                response_roots[name] = response.schema
                response_class[key] = name
    request_named = _reachable(api, [*request_roots.values(), *(_body_refs(api))])
    response_named = _reachable(api, [*response_roots.values(), *_response_refs(api)])
    # Both sides name their union variants from the one set of taken names, as they share a package.
    requests = JsonSchemaWriter(WriterOptions.for_models(Mode.REQUEST_MODELS, named_classes), taken)
    responses = JsonSchemaWriter(WriterOptions.for_models(Mode.RESPONSE_MODELS, named_classes), taken)
    for name in request_named:
        requests.define(named_classes[name], api.schema(name))
    for cls, schema in request_roots.items():
        requests.define(cls, schema)
    for name in response_named:
        responses.define(named_classes[name], api.schema(name))
    for cls, schema in response_roots.items():
        responses.define(cls, schema)
    return ModelPlan(_document(api, requests), _document(api, responses), body_class, response_class, named_classes)


def stable_class_names(names: list[str]) -> dict[str, str]:
    """A class name per schema name that does not depend on which other schemas exist.

    Names whose Python spelling collides get a short hash of their own name as a
    suffix (a name already in Python spelling keeps it), rather than a counter
    that would renumber them whenever a schema is added or moved.
    """
    spelled: dict[str, list[str]] = {}
    for name in names:
        spelled.setdefault(class_name(name), []).append(name)
    result: dict[str, str] = {}
    for spelling, originals in spelled.items():
        for name in originals:
            keeps = len(originals) == 1 or name == spelling
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
            result[name] = spelling if keeps else f"{spelling}{digest.capitalize()}"
    return result


def _body_refs(api: Api) -> list[Schema]:
    return [op.body.schema for op in api.operations if op.body is not None and isinstance(op.body.schema, RefSchema)]


def _response_refs(api: Api) -> list[Schema]:
    return [r.schema for op in api.operations for r in op.responses if isinstance(r.schema, RefSchema)]


def _reachable(api: Api, roots: list[Schema]) -> list[str]:
    """Names of the named schemas ``roots`` refer to, directly or not, in the spec's order."""
    found: set[str] = set()
    stack = list(roots)
    while stack:
        schema = stack.pop()
        if isinstance(schema, RefSchema):
            if schema.name not in found:
                found.add(schema.name)
                stack.append(api.schema(schema.name))
        elif isinstance(schema, ArraySchema):
            stack.append(schema.items)
        elif isinstance(schema, ObjectSchema):
            stack.extend(p.schema for p in schema.properties)
            if not isinstance(schema.additional_properties, bool):
                stack.append(schema.additional_properties)
        elif isinstance(schema, UnionSchema):
            stack.extend(v.schema for v in schema.variants)
    return [n.name for n in api.schemas if n.name in found]


def _document(api: Api, writer: JsonSchemaWriter) -> dict[str, Any]:
    # OpenAPI input makes datamodel-code-generator emit every component and nothing else.
    return {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {"schemas": dict(writer.definitions)},
    }
