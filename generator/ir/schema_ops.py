"""Operations on IR schemas that more than one step needs: intersection and derived facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import TypeVar

from generator.ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    Combinator,
    IntegerSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Property,
    RefSchema,
    Schema,
    SchemaBase,
    StringSchema,
    UnionSchema,
    amended,
)
from generator.ir.values import json_equal

S = TypeVar("S", bound=SchemaBase)
Resolve = Callable[[str], Schema]


class CannotIntersect(Exception):
    """Two constraints cannot be combined into one IR node exactly."""


def intersect(a: Schema, b: Schema, resolve: Resolve) -> Schema:
    """A schema accepting exactly what both ``a`` and ``b`` accept (``allOf``).

    Raises :class:`CannotIntersect` where the IR has no exact way to say it
    (two different regular expressions on one string, say).
    """
    if isinstance(a, NeverSchema) or isinstance(b, NeverSchema):
        return NeverSchema()
    if isinstance(a, AnySchema) and not _constrains(a):
        return _merge_base(b, a)
    if isinstance(b, AnySchema) and not _constrains(b):
        return _merge_base(a, b)
    if isinstance(a, RefSchema):
        return intersect(_with_base(resolve(a.name), a), b, resolve)
    if isinstance(b, RefSchema):
        return intersect(a, _with_base(resolve(b.name), b), resolve)
    if isinstance(a, AnySchema):
        return _merge_base(b, a)
    if isinstance(b, AnySchema):
        return _merge_base(a, b)
    if isinstance(a, UnionSchema):
        return _intersect_union(a, b, resolve)
    if isinstance(b, UnionSchema):
        return _intersect_union(b, a, resolve)
    if isinstance(a, IntegerSchema) and isinstance(b, NumberSchema):
        b = IntegerSchema(**{f.name: getattr(b, f.name) for f in fields(b) if f.name != "kind"})
    if isinstance(b, IntegerSchema) and isinstance(a, NumberSchema):
        a = IntegerSchema(**{f.name: getattr(a, f.name) for f in fields(a) if f.name != "kind"})
    if type(a) is not type(b):
        # Different kinds share only null, and only if both accept it.
        return NullSchema() if a.nullable and b.nullable else NeverSchema()
    merged = _merge_base(a, b)
    if isinstance(merged, (StringSchema, IntegerSchema, NumberSchema)):
        return _merge_scalar(merged, b)
    if isinstance(merged, ArraySchema) and isinstance(b, ArraySchema):
        return amended(
            merged,
            items=intersect(merged.items, b.items, resolve),
            min_items=_max(merged.min_items, b.min_items),
            max_items=_min(merged.max_items, b.max_items),
            unique_items=merged.unique_items or b.unique_items,
        )
    if isinstance(merged, ObjectSchema) and isinstance(b, ObjectSchema):
        return _intersect_objects(merged, b, resolve)
    return merged  # null, boolean: nothing beyond the base


def _constrains(schema: SchemaBase) -> bool:
    """Whether an any-schema still limits values (by enum or const)."""
    return schema.enum is not None or schema.const is not None


def _with_base(target: Schema, ref: RefSchema) -> Schema:
    """The named schema with the annotations the reference site added."""
    return amended(
        target,
        nullable=target.nullable or ref.nullable,
        title=ref.title or target.title,
        description=ref.description or target.description,
        default=ref.default or target.default,
    )


def _merge_base(a: S, b: SchemaBase) -> S:
    """``a`` with ``b``'s kind-independent constraints and annotations folded in."""
    enum = a.enum
    if b.enum is not None:
        enum = b.enum if enum is None else tuple(v for v in enum if any(json_equal(v, w) for w in b.enum))
    const = a.const
    if b.const is not None:
        if const is not None and not json_equal(const.value, b.const.value):
            enum = ()  # two different constants: nothing is accepted
        const = b.const if const is None else const
    return amended(
        a,
        nullable=a.nullable and (b.nullable or isinstance(b, AnySchema)),
        enum=enum,
        const=const,
        default=a.default or b.default,
        title=a.title or b.title,
        description=a.description or b.description,
        deprecated=a.deprecated or b.deprecated,
        read_only=a.read_only or b.read_only,
        write_only=a.write_only or b.write_only,
    )


def _merge_scalar(a: StringSchema | IntegerSchema | NumberSchema, b: Schema) -> Schema:
    if isinstance(a, StringSchema) and isinstance(b, StringSchema):
        if a.pattern and b.pattern and a.pattern != b.pattern:
            raise CannotIntersect("two different patterns on one string")
        if a.format and b.format and a.format != b.format:
            raise CannotIntersect("two different formats on one string")
        return amended(
            a,
            pattern=a.pattern or b.pattern,
            format=a.format or b.format,
            min_length=_max(a.min_length, b.min_length),
            max_length=_min(a.max_length, b.max_length),
        )
    if isinstance(a, (IntegerSchema, NumberSchema)) and isinstance(b, (IntegerSchema, NumberSchema)):
        if a.multiple_of and b.multiple_of and a.multiple_of != b.multiple_of:
            raise CannotIntersect("two different multipleOf values")
        return amended(
            a,
            minimum=_max(a.minimum, b.minimum),
            maximum=_min(a.maximum, b.maximum),
            exclusive_minimum=_max(a.exclusive_minimum, b.exclusive_minimum),
            exclusive_maximum=_min(a.exclusive_maximum, b.exclusive_maximum),
            multiple_of=a.multiple_of or b.multiple_of,
            format=a.format or b.format,
        )
    return a


def _intersect_objects(a: ObjectSchema, b: ObjectSchema, resolve: Resolve) -> ObjectSchema:
    names = [p.name for p in a.properties] + [p.name for p in b.properties if a.property_named(p.name) is None]
    properties = []
    for name in names:
        pa, pb = a.property_named(name), b.property_named(name)
        sa = pa.schema if pa is not None else _additional(a)
        sb = pb.schema if pb is not None else _additional(b)
        required = (pa is not None and pa.required) or (pb is not None and pb.required)
        properties.append(Property(name=name, schema=intersect(sa, sb, resolve), required=required))
    additional: bool | Schema
    if a.additional_properties is False or b.additional_properties is False:
        additional = False
    elif a.additional_properties is True:
        additional = b.additional_properties
    elif b.additional_properties is True:
        additional = a.additional_properties
    else:
        additional = intersect(a.additional_properties, b.additional_properties, resolve)
    return amended(
        a,
        properties=tuple(properties),
        additional_properties=additional,
        min_properties=_max(a.min_properties, b.min_properties),
        max_properties=_min(a.max_properties, b.max_properties),
    )


def _additional(schema: ObjectSchema) -> Schema:
    extra = schema.additional_properties
    if extra is True:
        return AnySchema()
    if extra is False:
        return NeverSchema()
    return extra


def _intersect_union(union: UnionSchema, other: Schema, resolve: Resolve) -> Schema:
    if isinstance(other, UnionSchema) and Combinator.ONE_OF in (union.combinator, other.combinator):
        raise CannotIntersect("two unions where one is oneOf")
    pieces = [intersect(v.schema, other, resolve) for v in union.variants]
    variants = tuple(amended(v, schema=s) for v, s in zip(union.variants, pieces, strict=True))
    return describe_variants(amended(_merge_base(union, other), variants=variants))


def describe_variants(union: UnionSchema) -> UnionSchema:
    """Work out ``requires``/``allows``/``forbids``/``excludes`` of each object variant."""
    objects = [v.schema if isinstance(v.schema, ObjectSchema) else None for v in union.variants]
    universe: list[str] = []
    for schema in objects:
        for prop in schema.properties if schema else ():
            if prop.name not in universe:
                universe.append(prop.name)
    described = []
    for index, (variant, schema) in enumerate(zip(union.variants, objects, strict=True)):
        if schema is None:
            described.append(amended(variant, requires=(), allows=None, forbids=(), excludes=()))
            continue
        accepted = tuple(p.name for p in schema.properties if not isinstance(p.schema, NeverSchema))
        allows = accepted if schema.additional_properties is False else None
        forbids = tuple(
            name
            for name in universe
            if (allows is not None and name not in allows)
            or isinstance(getattr(schema.property_named(name), "schema", None), NeverSchema)
        )
        excludes: tuple[tuple[str, ...], ...] = ()
        if union.combinator is Combinator.ONE_OF:
            excludes = _exclusions(index, schema, objects)
        described.append(amended(variant, requires=schema.required, allows=allows, forbids=forbids, excludes=excludes))
    return amended(union, variants=tuple(described))


def _exclusions(index: int, own: ObjectSchema, objects: list[ObjectSchema | None]) -> tuple[tuple[str, ...], ...]:
    """Sets of properties whose joint presence would make another variant match too.

    Only exact where another variant differs from this one by its required
    properties alone; otherwise that variant is left out (the validator still
    applies oneOf exactly, this is a summary for renderers).
    """
    result = []
    for other_index, other in enumerate(objects):
        if other_index == index or other is None or not _same_but_required(own, other):
            continue
        extra = tuple(name for name in other.required if name not in own.required)
        result.append(extra)
    return tuple(result)


def _same_but_required(a: ObjectSchema, b: ObjectSchema) -> bool:
    def shape(schema: ObjectSchema) -> object:
        return (
            tuple(sorted((p.name, repr(p.schema)) for p in schema.properties)),
            repr(schema.additional_properties),
            schema.min_properties,
            schema.max_properties,
            schema.nullable,
        )

    return shape(a) == shape(b)


N = TypeVar("N", int, float)


def _max(a: N | None, b: N | None) -> N | None:
    if a is None or b is None:
        return b if a is None else a
    return max(a, b)


def _min(a: N | None, b: N | None) -> N | None:
    if a is None or b is None:
        return b if a is None else a
    return min(a, b)


def property_schemas(api: Api, schema: Schema) -> dict[str, list[Schema]]:
    """Every property an object schema declares, through ``$ref``\\ s and every union variant.

    Each name maps to the schemas it has, in declaration order (variants may differ).
    """
    found: dict[str, list[Schema]] = {}
    seen: set[str] = set()

    def visit(node: Schema) -> None:
        if isinstance(node, RefSchema):
            if node.name not in seen:
                seen.add(node.name)
                visit(api.schema(node.name))
        elif isinstance(node, ObjectSchema):
            for prop in node.properties:
                found.setdefault(prop.name, []).append(prop.schema)
        elif isinstance(node, UnionSchema):
            for variant in node.variants:
                visit(variant.schema)

    visit(schema)
    return found
