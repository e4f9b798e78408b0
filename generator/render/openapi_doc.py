"""The IR as an OpenAPI 3.1 document: what a generated server says about itself (``app.openapi()``).

Semantically the spec it came from: every union is written out as its complete
variants, and ``$ref``\\ s point at ``components/schemas`` by the IR's names.
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    BooleanSchema,
    IntegerSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Operation,
    Parameter,
    RefSchema,
    Schema,
    SchemeKind,
    SecurityScheme,
    StringSchema,
    UnionSchema,
)


def to_openapi(api: Api) -> dict[str, Any]:
    """An OpenAPI 3.1 document equivalent to ``api``."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version},
        "paths": {},
    }
    if api.servers:
        doc["servers"] = [
            {"url": s.url, **({"description": s.description} if s.description else {})} for s in api.servers
        ]
    for op in api.operations:
        doc["paths"].setdefault(op.path, {})[op.method.lower()] = _operation(op)
    components: dict[str, Any] = {}
    if api.schemas:
        components["schemas"] = {n.name: schema_json(n.schema) for n in api.schemas}
    if api.security_schemes:
        components["securitySchemes"] = {s.name: _scheme(s) for s in api.security_schemes}
    if components:
        doc["components"] = components
    return doc


def _operation(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op.operation_id}
    if op.summary:
        out["summary"] = op.summary
    if op.description:
        out["description"] = op.description
    if op.tags:
        out["tags"] = list(op.tags)
    if op.deprecated:
        out["deprecated"] = True
    if op.parameters:
        out["parameters"] = [_parameter(p) for p in op.parameters]
    if op.body is not None:
        out["requestBody"] = {
            "required": op.body.required,
            "content": {op.body.media_type: {"schema": schema_json(op.body.schema)}},
        }
        if op.body.description:
            out["requestBody"]["description"] = op.body.description
    responses: dict[str, Any] = {}
    for response in op.responses:
        entry: dict[str, Any] = {"description": response.description}
        if response.schema is not None and response.media_type is not None:
            entry["content"] = {response.media_type: {"schema": schema_json(response.schema)}}
        responses[response.status] = entry
    out["responses"] = responses
    out["security"] = [{name: [] for name in alternative} for alternative in op.security.alternatives]
    return out


def _parameter(parameter: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": parameter.name,
        "in": parameter.location.value,
        "required": parameter.required,
        "schema": schema_json(parameter.schema),
    }
    if parameter.description:
        out["description"] = parameter.description
    if parameter.deprecated:
        out["deprecated"] = True
    return out


def _scheme(scheme: SecurityScheme) -> dict[str, Any]:
    out: dict[str, Any]
    if scheme.kind is SchemeKind.HTTP_BEARER:
        out = {"type": "http", "scheme": "bearer"}
        if scheme.bearer_format:
            out["bearerFormat"] = scheme.bearer_format
    elif scheme.kind is SchemeKind.HTTP_BASIC:
        out = {"type": "http", "scheme": "basic"}
    elif scheme.kind is SchemeKind.API_KEY:
        location = scheme.location.value if scheme.location else "header"
        out = {"type": "apiKey", "in": location, "name": scheme.parameter_name or ""}
    elif scheme.kind is SchemeKind.OAUTH2:
        out = {"type": "oauth2", "flows": {}}
    else:
        out = {"type": "openIdConnect", "openIdConnectUrl": ""}
    if scheme.description:
        out["description"] = scheme.description
    return out


def schema_json(schema: Schema) -> Any:
    """JSON Schema (2020-12) for one IR schema."""
    out = _core(schema)
    for key, value in (("title", schema.title), ("description", schema.description)):
        if value:
            out[key] = value
    for key, flag in (
        ("deprecated", schema.deprecated),
        ("readOnly", schema.read_only),
        ("writeOnly", schema.write_only),
    ):
        if flag:
            out[key] = True
    if schema.default is not None:
        out["default"] = schema.default.value
    if schema.const is not None:
        out["const"] = schema.const.value
    if schema.enum is not None:
        out["enum"] = list(schema.enum)
    if schema.nullable and not isinstance(schema, (AnySchema, NullSchema)):
        if isinstance(out.get("type"), str) and not isinstance(schema, (UnionSchema, RefSchema)):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _core(schema: Schema) -> dict[str, Any]:
    if isinstance(schema, RefSchema):
        return {"$ref": f"#/components/schemas/{schema.name}"}
    if isinstance(schema, AnySchema):
        return {}
    if isinstance(schema, NeverSchema):
        return {"not": {}}
    if isinstance(schema, NullSchema):
        return {"type": "null"}
    if isinstance(schema, BooleanSchema):
        return {"type": "boolean"}
    if isinstance(schema, (IntegerSchema, NumberSchema)):
        out: dict[str, Any] = {"type": schema.kind}
        for key, value in (
            ("format", schema.format),
            ("minimum", schema.minimum),
            ("maximum", schema.maximum),
            ("exclusiveMinimum", schema.exclusive_minimum),
            ("exclusiveMaximum", schema.exclusive_maximum),
            ("multipleOf", schema.multiple_of),
        ):
            if value is not None:
                out[key] = value
        return out
    if isinstance(schema, StringSchema):
        out = {"type": "string"}
        for key, value in (
            ("format", schema.format),
            ("pattern", schema.pattern),
            ("minLength", schema.min_length),
            ("maxLength", schema.max_length),
        ):
            if value is not None:
                out[key] = value
        return out
    if isinstance(schema, ArraySchema):
        out = {"type": "array", "items": schema_json(schema.items)}
        for key, value in (("minItems", schema.min_items), ("maxItems", schema.max_items)):
            if value is not None:
                out[key] = value
        if schema.unique_items:
            out["uniqueItems"] = True
        return out
    if isinstance(schema, ObjectSchema):
        out = {"type": "object"}
        if schema.properties:
            out["properties"] = {p.name: schema_json(p.schema) for p in schema.properties}
        if schema.required:
            out["required"] = list(schema.required)
        if schema.additional_properties is not True:
            extra = schema.additional_properties
            out["additionalProperties"] = extra if isinstance(extra, bool) else schema_json(extra)
        for key, value in (("minProperties", schema.min_properties), ("maxProperties", schema.max_properties)):
            if value is not None:
                out[key] = value
        return out
    return {schema.combinator.value: [schema_json(v.schema) for v in schema.variants]}
