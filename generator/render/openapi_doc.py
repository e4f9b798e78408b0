"""The IR as an OpenAPI 3.1 document: what a generated server says about itself (``app.openapi()``).

Semantically the spec it came from: every union is written out as its complete
variants, and ``$ref``\\ s point at ``components/schemas`` by the IR's names.
Operations, parameters and security schemes are written here; every schema
by :mod:`generator.render.json_schema`, which writes all the IR holds.
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import (
    Api,
    Operation,
    Parameter,
    Schema,
    SchemeKind,
    SecurityScheme,
)
from generator.render.json_schema import JsonSchemaWriter, WriterOptions


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
            media: dict[str, Any] = {"schema": schema_json(response.schema)}
            if response.examples:
                media["examples"] = {e.name: {"value": e.value.value} for e in response.examples}
            entry["content"] = {response.media_type: media}
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
    """JSON Schema (2020-12) for one IR schema, as the served document writes it."""
    return JsonSchemaWriter(WriterOptions.for_document()).write(schema)
