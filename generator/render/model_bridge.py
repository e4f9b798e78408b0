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
from functools import cached_property
from typing import Any

from generator.ir.model import AnySchema, Api, ArraySchema, ObjectSchema, RefSchema, Schema, UnionSchema
from generator.render.json_schema import FORMAT_PATTERNS, JsonSchemaWriter, Mode, WriterOptions
from generator.render.naming import class_name, unique

__all__ = ["FORMAT_PATTERNS", "ModelPlan", "Side", "operation_key", "plan_models", "stable_class_names"]


class Side(Enum):
    """Which way a model's data travels."""

    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True)
class ModelPlan:
    """JSON Schema for each side, the class names the client refers to, and where each class comes from.

    ``request_origins`` and ``response_origins`` map each definition (each class of that side) to a
    stable key: ``schema:<name>``, ``body:<METHOD path>`` or ``response:<METHOD path>:<status>``, then
    ``/``-joined steps for the classes made inside it. The schema diff matches classes by these keys.
    """

    requests: dict[str, Any]
    responses: dict[str, Any]
    body_class: dict[str, str]  # operation id -> request body class
    response_class: dict[tuple[str, str], str | None]  # (operation id, status) -> class; None: untyped JSON
    named_class: dict[str, str]  # named schema -> class
    request_origins: dict[str, str]
    response_origins: dict[str, str]

    @cached_property
    def request_classes_by_last_step(self) -> dict[str, list[tuple[str, str]]]:
        """Request (class, origin) pairs by the last ``/`` step of the origin: an index, not a scan per field."""
        index: dict[str, list[tuple[str, str]]] = {}
        for cls, origin in self.request_origins.items():
            index.setdefault(origin.rpartition("/")[2], []).append((cls, origin))
        return index


def operation_key(method: str, path: str) -> str:
    """How an operation is named where a stable key is wanted: ``POST /runs/cancel``."""
    return f"{method.upper()} {path}"


def plan_models(api: Api) -> ModelPlan:
    """Decide which schema becomes which class, on which side.

    Every class name comes from a stable key (a schema name, an operationId and a status, a property
    path, a variant name), so adding, removing or reordering other parts of a spec renames nothing.
    """
    named_classes = stable_class_names([n.name for n in api.schemas])
    taken: set[str] = set(named_classes.values())
    request_roots: dict[str, tuple[Schema, str]] = {}
    response_roots: dict[str, tuple[Schema, str]] = {}
    body_class: dict[str, str] = {}
    response_class: dict[tuple[str, str], str | None] = {}
    for op in api.operations:
        base = class_name(op.operation_id, fallback="Operation")
        key = operation_key(op.method, op.path)
        if op.body is not None:
            if isinstance(op.body.schema, RefSchema) and not op.body.schema.nullable:
                body_class[op.operation_id] = named_classes[op.body.schema.name]
            else:
                name = unique(f"{base}Body", taken)
                request_roots[name] = (op.body.schema, f"body:{key}")
                body_class[op.operation_id] = name
        inline_success = [r for r in op.responses if r.is_success and _modelled_inline(r.schema, r.is_raw)]
        for response in op.responses:
            where = (op.operation_id, response.status)
            if response.schema is None or response.is_raw:
                continue  # no body, or text or bytes as they come: no model
            if isinstance(response.schema, RefSchema):
                response_class[where] = named_classes[response.schema.name]
            elif isinstance(response.schema, AnySchema):
                response_class[where] = None
            else:
                # One success answer is the Response; several are told apart by status, not by order.
                plain = response.is_success and (len(inline_success) == 1 or response.status == "200")
                suffix = "Response" if plain else ("Response" if response.is_success else "Error") + response.status
                name = unique(f"{base}{suffix}", taken)
                response_roots[name] = (response.schema, f"response:{key}:{response.status}")
                response_class[where] = name
    request_named = _reachable(api, [*(s for s, _ in request_roots.values()), *(_body_refs(api))])
    response_named = _reachable(api, [*(s for s, _ in response_roots.values()), *_response_refs(api)])
    # Each side names the classes it makes inside these from its own set of taken names: the package
    # exports a response class named like a request class under another name (see model_package).
    schemas = {n.name: n.schema for n in api.schemas}
    requests = JsonSchemaWriter(WriterOptions.for_models(Mode.REQUEST_MODELS, named_classes), set(taken), schemas)
    responses = JsonSchemaWriter(WriterOptions.for_models(Mode.RESPONSE_MODELS, named_classes), set(taken))
    for writer, named, roots in ((requests, request_named, request_roots), (responses, response_named, response_roots)):
        for name in named:
            writer.define(named_classes[name], api.schema(name), f"schema:{name}")
        for cls, (schema, origin) in roots.items():
            writer.define(cls, schema, origin)
    return ModelPlan(
        _document(api, requests),
        _document(api, responses),
        body_class,
        response_class,
        named_classes,
        dict(requests.origins),
        dict(responses.origins),
    )


def _modelled_inline(schema: Schema | None, raw: bool) -> bool:
    return schema is not None and not raw and not isinstance(schema, (RefSchema, AnySchema))


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
