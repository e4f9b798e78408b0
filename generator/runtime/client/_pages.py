"""Auto-pagination: the items of every page of a paged operation, fetched only as they are needed.

Part of runcancel-generator's client runtime, copied unchanged into the generated clients that page; do not edit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pydantic


@dataclass(frozen=True)
class Paging:
    """How one operation pages.

    ``start`` and ``size`` are the method's arguments for where a page starts
    (an offset, a page number or a cursor) and how long it is; ``items`` and
    ``next`` are the paths (wire names) to the answer's list of items and to
    the next page's cursor (an empty ``items`` path: the answer is the list).
    ``first_page`` is the number of the first page, for page-numbered APIs.
    """

    style: Literal["offset", "page", "cursor"]
    start: str
    size: str | None = None
    items: Sequence[str] = ()
    next: Sequence[str] = ()
    first_page: int = 1


def _field(value: Any, wire: str) -> Any:
    """A property of an answer by its wire name, whether the answer is a model or plain JSON."""
    if isinstance(value, pydantic.BaseModel):
        for name, info in type(value).model_fields.items():
            if wire in (name, info.alias):
                return getattr(value, name)
        return (value.model_extra or {}).get(wire)
    if isinstance(value, Mapping):
        return value.get(wire)
    return None


def _unwrapped(value: Any) -> Any:
    # A model of a bare list or map holds its value in ``root``.
    return value.root if isinstance(value, pydantic.RootModel) else value


def _at(value: Any, path: Sequence[str]) -> Any:
    value = _unwrapped(value)
    for wire in path:
        if value is None:
            return None
        value = _unwrapped(_field(value, wire))
    return value


def _items(page: Any, paging: Paging) -> list[Any]:
    found = _at(page, paging.items)
    return list(found) if isinstance(found, list) else []


def _advance(paging: Paging, arguments: dict[str, Any], page: Any, items: list[Any]) -> dict[str, Any] | None:
    """The arguments of the next page's call, or None when this was the last page."""
    if paging.style == "cursor":
        cursor = _at(page, paging.next)
        return {**arguments, paging.start: cursor} if cursor else None
    size = arguments.get(paging.size) if paging.size is not None else None
    if not items or (isinstance(size, int) and len(items) < size):
        return None
    if paging.style == "offset":
        return {**arguments, paging.start: (arguments.get(paging.start) or 0) + len(items)}
    return {**arguments, paging.start: (arguments.get(paging.start) or paging.first_page) + 1}


def iterate(fetch: Callable[..., Any], paging: Paging, arguments: dict[str, Any]) -> Iterator[Any]:
    """Every item of every page, calling ``fetch(**arguments)`` for a page when the previous one is used up."""
    call: dict[str, Any] | None = arguments
    while call is not None:
        page = fetch(**call)
        items = _items(page, paging)
        yield from items
        call = _advance(paging, call, page, items)


async def aiterate(
    fetch: Callable[..., Awaitable[Any]], paging: Paging, arguments: dict[str, Any]
) -> AsyncIterator[Any]:
    """:func:`iterate` for ``AsyncClient`` methods."""
    call: dict[str, Any] | None = arguments
    while call is not None:
        page = await fetch(**call)
        items = _items(page, paging)
        for item in items:
            yield item
        call = _advance(paging, call, page, items)
