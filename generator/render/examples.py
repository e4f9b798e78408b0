"""Example values for documentation: a plausible JSON value of a schema, the same every run."""

from __future__ import annotations

from typing import Any

from generator.ir.model import (
    ArraySchema,
    BooleanSchema,
    IntegerSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
)

_FORMATS = {
    "uuid": "0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b",
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "email": "user@example.com",
    "uri": "https://example.com",
}


def example_value(resolve: Any, schema: Schema, depth: int = 0) -> Any:
    """A value of ``schema`` fit for an example (``resolve(name)`` gives named schemas): const, default, enum first."""
    if schema.const is not None:
        return schema.const.value
    if schema.default is not None:
        return schema.default.value
    if schema.enum:
        return schema.enum[0]
    match schema:
        case RefSchema():
            return example_value(resolve, resolve(schema.name), depth + 1) if depth < 4 else {}
        case StringSchema():
            return _FORMATS.get(schema.format or "", "...")
        case IntegerSchema():
            return int(schema.minimum) if schema.minimum is not None else 1
        case NumberSchema():
            return float(schema.minimum) if schema.minimum is not None else 1.0
        case BooleanSchema():
            return True
        case NullSchema():
            return None
        case ArraySchema():
            return [example_value(resolve, schema.items, depth + 1)] if depth < 4 else []
        case ObjectSchema():
            if depth >= 4:
                return {}
            return {p.name: example_value(resolve, p.schema, depth + 1) for p in schema.properties if p.required}
        case UnionSchema():
            return example_value(resolve, schema.variants[0].schema, depth + 1) if schema.variants else None
        case _:
            return {}
