"""Python annotations for IR schemas, as callers and handlers see values."""

from __future__ import annotations

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
    RefSchema,
    Response,
    Schema,
    StringSchema,
    UnionSchema,
)
from generator.ir.schema_ops import property_schemas
from generator.render.model_package import Exports
from generator.render.naming import python_literal

_TEXT_MEDIA = ("application/xml", "application/yaml", "application/x-yaml", "application/javascript")


def raw_answer_type(response: Response) -> str:
    """The Python type of an answer that is not JSON: text as ``str``, anything else (files, archives) as ``bytes``."""
    base = (response.media_type or "").split(";")[0].strip().lower()
    is_text = base.startswith("text/") or base in _TEXT_MEDIA or base.endswith(("+xml", "+yaml"))
    return "str" if is_text else "bytes"


def body_properties(api: Api, schema: Schema) -> list[tuple[str, Schema]]:
    """Every property any variant of the body declares, first declaration wins."""
    return [(name, schemas[0]) for name, schemas in property_schemas(api, schema).items()]


def py_type(api: Api, schema: Schema, exports: Exports) -> str:
    """A Python annotation for values of ``schema`` as a caller passes them."""
    core = _core_type(api, schema, exports)
    if schema.nullable and core not in ("Any", "None"):
        return f"{core} | None"
    return core


def _core_type(api: Api, schema: Schema, exports: Exports) -> str:
    if schema.const is not None:
        return f"Literal[{python_literal(schema.const.value)}]"
    if schema.enum is not None and all(isinstance(v, (str, int, bool)) for v in schema.enum if v is not None):
        values = [python_literal(v) for v in schema.enum if v is not None]
        return f"Literal[{', '.join(values)}]" if values else "None"
    if isinstance(schema, RefSchema):
        cls = exports.named.get(schema.name, "")
        if cls in exports.requests:
            return f"models.{exports.requests[cls]}"
        return py_type(api, api.schema(schema.name), exports)
    if isinstance(schema, StringSchema):
        return "bytes" if schema.is_binary else "str"  # as the request models type it
    if isinstance(schema, IntegerSchema):
        return "int"
    if isinstance(schema, NumberSchema):
        return "float"
    if isinstance(schema, BooleanSchema):
        return "bool"
    if isinstance(schema, NullSchema):
        return "None"
    if isinstance(schema, ArraySchema):
        return f"list[{py_type(api, schema.items, exports)}]"
    if isinstance(schema, ObjectSchema):
        return "dict[str, Any]"
    if isinstance(schema, UnionSchema):
        parts: list[str] = []
        for variant in schema.variants:
            part = py_type(api, variant.schema, exports)
            if part == "Any":
                return "Any"
            if part not in parts:
                parts.append(part)
        return " | ".join(parts)
    if isinstance(schema, (AnySchema, NeverSchema)):
        return "Any"
    return "Any"
