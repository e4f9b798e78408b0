"""How an operation pages, read from its inputs and its answer (or declared where detection cannot see it).

Three styles: ``limit``/``offset``, ``page``/``page_size`` and a cursor that
the answer hands back. Inputs may be query parameters or JSON body
properties; the answer's items are the answer itself (a list) or its one list
property, at most two objects deep (envelopes such as ``{data: {items}}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from generator.ir.model import (
    Api,
    ArraySchema,
    IntegerSchema,
    ObjectSchema,
    Operation,
    ParameterLocation,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
)
from generator.ir.schema_ops import property_schemas

Style = Literal["offset", "page", "cursor"]
_SIZES = ("limit", "page_size", "per_page", "pageSize", "size")
_STARTS: dict[Style, tuple[str, ...]] = {
    "offset": ("offset", "skip"),
    "page": ("page", "page_number", "pageNumber"),
    "cursor": ("cursor", "after", "starting_after", "page_token", "pageToken", "next_token"),
}
_NEXT = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token", "cursor", "next")
_PREFERRED_ITEMS = ("items", "data", "results", "records", "entries", "values")


@dataclass(frozen=True)
class PagingShape:
    """One operation's paging, by wire names: where a page starts, its size, and where the answer's items are."""

    style: Style
    start: str
    size: str | None
    items: tuple[str, ...]
    item_schema: Schema
    next: tuple[str, ...] = ()
    first_page: int = 1


@dataclass(frozen=True)
class DeclaredPaging:
    """What the configuration says of an operation's paging, where detection cannot see it (or gets it wrong)."""

    style: Style
    start: str
    size: str | None = None
    items: tuple[str, ...] = ()
    next: tuple[str, ...] = ()


def paging_of(api: Api, op: Operation, declared: DeclaredPaging | Literal[False] | None = None) -> PagingShape | None:
    """How ``op`` pages, or None. ``declared`` False turns detection off for it; a declaration replaces it."""
    if declared is False:
        return None
    inputs = _inputs(api, op)
    answer = _answer(api, op)
    if answer is None:
        return None
    if declared is not None:
        item = _at(api, answer, declared.items)
        if not isinstance(item, ArraySchema):
            return None
        return PagingShape(declared.style, declared.start, declared.size, declared.items, item.items, declared.next)
    for style, starts in _STARTS.items():
        start = next((name for name in starts if name in inputs), None)
        if start is None:
            continue
        size = next((name for name in _SIZES if name in inputs and name != start), None)
        found = _items(api, answer)
        if found is None:
            return None
        path, item = found
        if style == "cursor":
            following = _next(api, answer)
            if following is None:
                return None
            return PagingShape(style, start, size, path, item, following)
        if style == "page":
            return PagingShape(style, start, size, path, item, first_page=_first_page(inputs[start]))
        if size is not None:
            return PagingShape(style, start, size, path, item)
    return None


def _inputs(api: Api, op: Operation) -> dict[str, Schema]:
    found = {p.name: p.schema for p in op.parameters if p.location is ParameterLocation.QUERY}
    if op.body is not None and op.body.encoding == "json":
        for name, schemas in property_schemas(api, op.body.schema).items():
            found.setdefault(name, schemas[0])
    return found


def _answer(api: Api, op: Operation) -> Schema | None:
    for response in op.responses:
        if response.is_success and response.schema is not None and not response.is_raw:
            return response.schema
    return None


def _resolved(api: Api, schema: Schema) -> Schema:
    while isinstance(schema, RefSchema):
        schema = api.schema(schema.name)
    if isinstance(schema, UnionSchema):
        # A nullable answer is still the same answer.
        kept = [v.schema for v in schema.variants if v.schema.kind != "null"]
        if len(kept) == 1:
            return _resolved(api, kept[0])
    return schema


def _properties(api: Api, schema: Schema) -> Mapping[str, Schema]:
    resolved = _resolved(api, schema)
    if not isinstance(resolved, ObjectSchema):
        return {}
    return {p.name: p.schema for p in resolved.properties}


def _items(api: Api, answer: Schema) -> tuple[tuple[str, ...], Schema] | None:
    """The path to the answer's list of items and the items' schema, when there is exactly one such list."""
    resolved = _resolved(api, answer)
    if isinstance(resolved, ArraySchema):
        return (), resolved.items
    level: list[tuple[tuple[str, ...], Schema]] = [((), answer)]
    for _ in range(2):
        lists: list[tuple[tuple[str, ...], Schema]] = []
        deeper: list[tuple[tuple[str, ...], Schema]] = []
        for path, schema in level:
            for name, child in _properties(api, schema).items():
                target = _resolved(api, child)
                if isinstance(target, ArraySchema):
                    lists.append(((*path, name), target.items))
                elif isinstance(target, ObjectSchema):
                    deeper.append(((*path, name), child))
        if len(lists) == 1:
            return lists[0]
        preferred = [entry for entry in lists if entry[0][-1] in _PREFERRED_ITEMS]
        if len(preferred) == 1:
            return preferred[0]
        if lists:
            return None  # several lists, none clearly the items: a declaration must say
        level = deeper
    return None


def _next(api: Api, answer: Schema) -> tuple[str, ...] | None:
    level: list[tuple[tuple[str, ...], Schema]] = [((), answer)]
    for _ in range(2):
        deeper: list[tuple[tuple[str, ...], Schema]] = []
        for path, schema in level:
            properties = _properties(api, schema)
            for name in _NEXT:
                if name in properties and isinstance(_resolved(api, properties[name]), StringSchema):
                    return (*path, name)
            deeper.extend(((*path, name), child) for name, child in properties.items())
        level = deeper
    return None


def _first_page(schema: Schema) -> int:
    resolved = schema
    if isinstance(resolved, IntegerSchema):
        for value in (resolved.default.value if resolved.default else None, resolved.minimum):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(value)
    return 1


def _at(api: Api, schema: Schema, path: tuple[str, ...]) -> Schema | None:
    current: Schema | None = schema
    for name in path:
        if current is None:
            return None
        current = _properties(api, current).get(name)
    return _resolved(api, current) if current is not None else None
