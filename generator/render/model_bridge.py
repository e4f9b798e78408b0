"""The datamodel-code-generator bridge: IR schemas -> JSON Schema -> pydantic v2 models.

Request models are exact: closed objects forbid extra keys, optional fields
are absent rather than null (pydantic's MISSING sentinel), scalar types are
strict, and the formats the IR asserts become patterns checked with Python's
``re`` (the same engine and semantics as the IR validator). Response models
are lenient, because servers grow: extra keys are kept, unknown enum values
pass as plain strings, and constraints are not re-checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import Any

from generator.ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    BooleanSchema,
    Combinator,
    IntegerSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
)
from generator.ir.validate import FORMAT_SYNTAX
from generator.render.naming import class_name, unique

# The IR validator's format syntax as patterns for re.search. Calendar validity
# (no 30 February) is not expressible in a pattern: the model lets such a date
# through and the server decides.
FORMAT_PATTERNS = {name: rf"^(?:{syntax})\Z" for name, syntax in FORMAT_SYNTAX.items()}


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
    requests = _Emitter(api, Side.REQUEST, named_classes, taken)
    responses = _Emitter(api, Side.RESPONSE, named_classes, taken)
    for name in request_named:
        requests.define(named_classes[name], api.schema(name))
    for cls, schema in request_roots.items():
        requests.define(cls, schema)
    for name in response_named:
        responses.define(named_classes[name], api.schema(name))
    for cls, schema in response_roots.items():
        responses.define(cls, schema)
    return ModelPlan(requests.document(), responses.document(), body_class, response_class, named_classes)


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


class _Emitter:
    """Writes JSON Schema for one side into ``components/schemas``."""

    def __init__(self, api: Api, side: Side, named: dict[str, str], taken: set[str]) -> None:
        self.api = api
        self.side = side
        self.named = named
        self.taken = taken
        self.defs: dict[str, Any] = {}

    def document(self) -> dict[str, Any]:
        # OpenAPI input makes datamodel-code-generator emit every component and nothing else.
        return {
            "openapi": "3.1.0",
            "info": {"title": self.api.title, "version": self.api.version},
            "paths": {},
            "components": {"schemas": dict(self.defs)},
        }

    def define(self, name: str, schema: Schema) -> None:
        self.defs[name] = self.emit(schema, name)

    def emit(self, schema: Schema, context: str) -> dict[str, Any]:
        out = self._core(schema, context)
        if schema.description:
            out["description"] = schema.description
        if schema.default is not None and self.side is Side.RESPONSE:
            # A request leaves defaults out (the server applies them); a model default
            # would also make the field accept null.
            out["default"] = schema.default.value
        if schema.const is not None:
            out["const"] = schema.const.value
        if schema.enum is not None and not isinstance(schema, (UnionSchema, RefSchema)):
            values = [v for v in schema.enum if v is not None]
            if self.side is Side.RESPONSE and "type" in out:
                out = {"anyOf": [{**out, "enum": values}, {"type": out["type"]}]}
            else:
                out["enum"] = values
        if schema.nullable and not isinstance(schema, (AnySchema, NullSchema)):
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def _core(self, schema: Schema, context: str) -> dict[str, Any]:
        strict = self.side is Side.REQUEST
        if isinstance(schema, RefSchema):
            return {"$ref": f"#/components/schemas/{self.named[schema.name]}"}
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
            if strict:
                for key, value in (
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
            return self._string(schema, strict)
        if isinstance(schema, ArraySchema):
            out = {"type": "array", "items": self.emit(schema.items, context + "Item")}
            if strict:
                for key, value in (("minItems", schema.min_items), ("maxItems", schema.max_items)):
                    if value is not None:
                        out[key] = value
                if schema.unique_items:
                    out["uniqueItems"] = True
            return out
        if isinstance(schema, ObjectSchema):
            return self._object(schema, context, strict)
        return self._union(schema, context)

    def _string(self, schema: StringSchema, strict: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if not strict:
            return out
        if schema.is_binary:
            # A file part: the caller passes bytes (the library makes ``format: binary`` a bytes field).
            return {"type": "string", "format": "binary"}
        patterns = [p for p in (FORMAT_PATTERNS.get(schema.format or ""), schema.pattern) if p]
        if len(patterns) == 1:
            out["pattern"] = patterns[0]
        elif patterns:
            # Both must hold wherever they match: a lookahead per pattern (Python `re` semantics).
            out["pattern"] = "^" + "".join(f"(?=[\\s\\S]*?(?:{p}))" for p in patterns)
        if schema.min_length is not None:
            out["minLength"] = schema.min_length
        if schema.max_length is not None:
            out["maxLength"] = schema.max_length
        return out

    def _object(self, schema: ObjectSchema, context: str, strict: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if schema.properties:
            out["properties"] = {
                p.name: self.emit(p.schema, context + class_name(p.name, "Field")) for p in schema.properties
            }
        if schema.required:
            out["required"] = list(schema.required)
        if isinstance(schema.additional_properties, bool):
            if strict and schema.additional_properties is False:
                out["additionalProperties"] = False
        else:
            out["additionalProperties"] = self.emit(schema.additional_properties, context + "Value")
        return out

    def _union(self, schema: UnionSchema, context: str) -> dict[str, Any]:
        compact = self._compact(schema, context)
        if compact is not None:
            return compact
        branches = []
        for variant in schema.variants:
            if isinstance(variant.schema, ObjectSchema):
                # Object variants become named classes: readable in signatures and errors.
                name = unique(context + class_name(variant.name, "Variant"), self.taken)
                self.defs[name] = self.emit(variant.schema, name)
                branches.append({"$ref": f"#/components/schemas/{name}"})
            else:
                branches.append(self.emit(variant.schema, context))
        keyword = "oneOf" if schema.combinator is Combinator.ONE_OF and self.side is Side.REQUEST else "anyOf"
        return {keyword: branches}

    def _compact(self, schema: UnionSchema, context: str) -> dict[str, Any] | None:
        """Shared properties plus branches that only list ``required``, when that is exact.

        datamodel-code-generator turns this form into one model that checks the
        branches' required groups (exactly one for oneOf, at least one for anyOf).
        """
        variants = schema.variants
        objects = [v.schema for v in variants if isinstance(v.schema, ObjectSchema)]
        if len(objects) != len(variants) or len(variants) < 2:
            return None
        first = objects[0]
        shared = ObjectSchema(
            properties=tuple(type(p)(name=p.name, schema=p.schema, required=False) for p in first.properties),
            additional_properties=first.additional_properties,
        )
        for other in objects:
            reshaped = ObjectSchema(
                properties=tuple(type(p)(name=p.name, schema=p.schema, required=False) for p in other.properties),
                additional_properties=other.additional_properties,
            )
            if reshaped != shared:
                return None
        out = self._object(shared, context, self.side is Side.REQUEST)
        keyword = "oneOf" if schema.combinator is Combinator.ONE_OF else "anyOf"
        out[keyword] = [{"required": list(o.required)} for o in objects]
        return out
