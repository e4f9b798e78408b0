"""A readable, deterministic dump of the IR as JSON or YAML."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from generator.ir.model import Api, JsonLiteral
from generator.json_text import indented


def to_data(value: Any) -> Any:
    """Plain JSON data for an IR value; fields left at their defaults are omitted."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is tuple or kind is list:
        return [to_data(v) for v in value]
    fields = _FIELDS.get(kind, _UNSEEN)
    if fields is _UNSEEN:
        fields = _FIELDS[kind] = _fields_of(kind)
    if fields is not None:
        result: dict[str, Any] = {}
        for name, default in fields:
            item = getattr(value, name)
            if default is not _NONE and item == default and type(item) is type(default):
                continue
            result[name] = to_data(item)
        return result
    if kind is JsonLiteral or isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, tuple | list):  # a subclass of either (the exact types are taken above)
        return [to_data(v) for v in value]
    return value


# Values written as they are, by their exact type (an enum, a subclass of str, is not among them).
_AS_IS = frozenset({str, int, float, bool, type(None)})
# A field without a default to leave out at (a sentinel no IR value equals).
_NONE = object()
# Per type: its fields as the dump writes them (see _fields_of); None for a type that is no data class.
_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...] | None] = {}
_UNSEEN: Any = object()


def _fields_of(kind: type[Any]) -> tuple[tuple[str, Any], ...] | None:
    """The fields of a data class as the dump writes them, the kind tag first, with the default each is
    left out at; None for any other type (and a JSON literal, written as its value).

    Worked out once per class: the IR of a large spec has tens of thousands of values.
    """
    if not dataclasses.is_dataclass(kind) or kind is JsonLiteral:
        return None
    fields = sorted(dataclasses.fields(kind), key=lambda f: f.name != "kind")
    return tuple((f.name, _NONE if f.name == "kind" or f.default is dataclasses.MISSING else f.default) for f in fields)


def dump(api: Api, fmt: str, **extra: Any) -> str:
    """The IR of ``api`` as ``json`` or ``yaml`` text, ending in a newline.

    ``extra`` adds top-level entries after the API's own (what later steps bound to it).
    """
    data = to_data(api)
    data.update({key: to_data(value) for key, value in extra.items() if value is not None})
    if fmt == "json":
        return indented(data) + "\n"
    if fmt == "yaml":
        import yaml  # only here: a run that writes JSON never loads it

        text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        return text
    raise ValueError(f"unknown format {fmt!r}: expected json or yaml")
