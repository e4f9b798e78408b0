"""The IR's own payload validator: does a decoded JSON value match an IR schema?

It applies exactly the semantics the IR records, with format assertion for the
formats listed in :data:`ASSERTED_FORMATS`; the fidelity tests hold it to a JSON
Schema 2020-12 validator on the original specs.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.ir.model import (
    AnySchema,
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
from generator.ir.values import json_equal, json_type
from generator.load import pointer as jp

FORMAT_SYNTAX: dict[str, str] = {
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "date": r"([0-9]{4})-([0-9]{2})-([0-9]{2})",
    # RFC 3339 section 5.6; leap seconds are not accepted, as most validators do.
    "date-time": (
        r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?"
        r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
    ),
}
"""The syntax of each asserted format, as a regular expression to match whole strings.

Dates must also exist in the calendar, which a pattern cannot say.
"""

_UUID = re.compile(FORMAT_SYNTAX["uuid"])
_DATE = re.compile(FORMAT_SYNTAX["date"])
_DATE_TIME = re.compile(FORMAT_SYNTAX["date-time"])


def _valid_date(year: str, month: str, day: str) -> bool:
    y, m, d = int(year), int(month), int(day)
    return y >= 1 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _is_uuid(text: str) -> bool:
    return _UUID.fullmatch(text) is not None


def _is_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    return match is not None and _valid_date(*match.groups())


def _is_date_time(text: str) -> bool:
    match = _DATE_TIME.fullmatch(text)
    return match is not None and _valid_date(*match.groups()[:3])


ASSERTED_FORMATS: dict[str, Callable[[str], bool]] = {
    "uuid": _is_uuid,
    "date": _is_date,
    "date-time": _is_date_time,
}
"""Formats whose values are checked; any other format is an annotation only."""


@dataclass(frozen=True)
class Issue:
    """Why a value was rejected: where in the value (a JSON pointer) and what is wrong."""

    pointer: str
    message: str


Resolve = Callable[[str], Schema]


def accepts(schema: Schema, value: Any, resolve: Resolve) -> bool:
    """Whether ``value`` matches ``schema``; ``resolve`` looks up named schemas."""
    return next(issues(schema, value, resolve), None) is None


def issues(schema: Schema, value: Any, resolve: Resolve, pointer: str = "") -> Iterator[Issue]:
    """Every reason ``value`` does not match ``schema`` (none when it matches)."""
    yield from _literal_issues(schema, value, pointer)
    if isinstance(schema, RefSchema):
        if not (value is None and schema.nullable):
            yield from issues(resolve(schema.name), value, resolve, pointer)
        return
    if isinstance(schema, AnySchema):
        return
    if isinstance(schema, NeverSchema):
        yield Issue(pointer, "no value is allowed here")
        return
    if isinstance(schema, UnionSchema):
        if not (value is None and schema.nullable):
            yield from _union_issues(schema, value, resolve, pointer)
        return
    if value is None:
        if not (schema.nullable or isinstance(schema, NullSchema)):
            yield Issue(pointer, "null is not allowed")
        return
    kind = json_type(value)
    if isinstance(schema, NullSchema):
        yield Issue(pointer, f"expected null, got {kind}")
    elif isinstance(schema, BooleanSchema):
        if kind != "boolean":
            yield Issue(pointer, f"expected a boolean, got {kind}")
    elif isinstance(schema, (IntegerSchema, NumberSchema)):
        yield from _number_issues(schema, value, kind, pointer)
    elif isinstance(schema, StringSchema):
        yield from _string_issues(schema, value, kind, pointer)
    elif isinstance(schema, ArraySchema):
        yield from _array_issues(schema, value, kind, resolve, pointer)
    elif isinstance(schema, ObjectSchema):
        yield from _object_issues(schema, value, kind, resolve, pointer)


def _literal_issues(schema: Schema, value: Any, pointer: str) -> Iterator[Issue]:
    if schema.const is not None and not json_equal(value, schema.const.value):
        yield Issue(pointer, f"must be {schema.const.value!r}")
    if schema.enum is not None and not any(json_equal(value, option) for option in schema.enum):
        yield Issue(pointer, f"must be one of {list(schema.enum)!r}")


def _union_issues(schema: UnionSchema, value: Any, resolve: Resolve, pointer: str) -> Iterator[Issue]:
    matching = [v.name for v in schema.variants if accepts(v.schema, value, resolve)]
    if not matching:
        yield Issue(pointer, f"matches none of {', '.join(repr(v.name) for v in schema.variants)}")
    elif schema.combinator is Combinator.ONE_OF and len(matching) > 1:
        yield Issue(pointer, f"matches more than one of {', '.join(repr(n) for n in matching)} (oneOf allows one)")


def _number_issues(schema: IntegerSchema | NumberSchema, value: Any, kind: str, pointer: str) -> Iterator[Issue]:
    wanted = "integer" if isinstance(schema, IntegerSchema) else "number"
    if kind not in ("integer", "number") or (wanted == "integer" and kind != "integer"):
        yield Issue(pointer, f"expected {'an integer' if wanted == 'integer' else 'a number'}, got {kind}")
        return
    if schema.minimum is not None and value < schema.minimum:
        yield Issue(pointer, f"must be at least {schema.minimum}")
    if schema.maximum is not None and value > schema.maximum:
        yield Issue(pointer, f"must be at most {schema.maximum}")
    if schema.exclusive_minimum is not None and value <= schema.exclusive_minimum:
        yield Issue(pointer, f"must be more than {schema.exclusive_minimum}")
    if schema.exclusive_maximum is not None and value >= schema.exclusive_maximum:
        yield Issue(pointer, f"must be less than {schema.exclusive_maximum}")
    if schema.multiple_of is not None:
        quotient = value / schema.multiple_of
        if not float(quotient).is_integer():
            yield Issue(pointer, f"must be a multiple of {schema.multiple_of}")


def _string_issues(schema: StringSchema, value: Any, kind: str, pointer: str) -> Iterator[Issue]:
    if kind != "string":
        yield Issue(pointer, f"expected a string, got {kind}")
        return
    length = len(value)
    if schema.min_length is not None and length < schema.min_length:
        yield Issue(pointer, f"must be at least {schema.min_length} characters")
    if schema.max_length is not None and length > schema.max_length:
        yield Issue(pointer, f"must be at most {schema.max_length} characters")
    if schema.pattern is not None and re.search(schema.pattern, value) is None:
        yield Issue(pointer, f"must match {schema.pattern!r}")
    check = ASSERTED_FORMATS.get(schema.format or "")
    if check is not None and not check(value):
        yield Issue(pointer, f"is not a valid {schema.format}")


def _array_issues(schema: ArraySchema, value: Any, kind: str, resolve: Resolve, pointer: str) -> Iterator[Issue]:
    if kind != "array":
        yield Issue(pointer, f"expected an array, got {kind}")
        return
    if schema.min_items is not None and len(value) < schema.min_items:
        yield Issue(pointer, f"must have at least {schema.min_items} items")
    if schema.max_items is not None and len(value) > schema.max_items:
        yield Issue(pointer, f"must have at most {schema.max_items} items")
    if schema.unique_items:
        for index, item in enumerate(value):
            if any(json_equal(item, earlier) for earlier in value[:index]):
                yield Issue(f"{pointer}/{index}", "repeats an earlier item")
                break
    for index, item in enumerate(value):
        yield from issues(schema.items, item, resolve, f"{pointer}/{index}")


def _object_issues(schema: ObjectSchema, value: Any, kind: str, resolve: Resolve, pointer: str) -> Iterator[Issue]:
    if kind != "object":
        yield Issue(pointer, f"expected an object, got {kind}")
        return
    if schema.min_properties is not None and len(value) < schema.min_properties:
        yield Issue(pointer, f"must have at least {schema.min_properties} properties")
    if schema.max_properties is not None and len(value) > schema.max_properties:
        yield Issue(pointer, f"must have at most {schema.max_properties} properties")
    declared = {p.name: p for p in schema.properties}
    for name, declared_prop in declared.items():
        if declared_prop.required and name not in value:
            yield Issue(pointer, f"{name!r} is required")
    for key, item in value.items():
        child = jp.join(pointer, key)
        prop = declared.get(key)
        if prop is not None:
            yield from issues(prop.schema, item, resolve, child)
        elif schema.additional_properties is False:
            yield Issue(child, f"{key!r} is not allowed")
        elif schema.additional_properties is not True:
            yield from issues(schema.additional_properties, item, resolve, child)
