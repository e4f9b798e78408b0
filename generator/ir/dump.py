"""A readable, deterministic dump of the IR as JSON or YAML."""

from __future__ import annotations

import dataclasses
import functools
from enum import Enum
from typing import Any

import yaml

from generator.ir.model import Api, JsonLiteral
from generator.json_text import indented


def to_data(value: Any) -> Any:
    """Plain JSON data for an IR value; fields left at their defaults are omitted."""
    if isinstance(value, JsonLiteral):
        return value.value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result: dict[str, Any] = {}
        for name, default in _fields_of(type(value)):
            item = getattr(value, name)
            if default is not _NONE and item == default and type(item) is type(default):
                continue
            result[name] = to_data(item)
        return result
    return value


# A field without a default to leave out at (a sentinel no IR value equals).
_NONE = object()


@functools.cache
def _fields_of(kind: type[Any]) -> tuple[tuple[str, Any], ...]:
    """The fields of a dataclass as the dump writes them, the kind tag first, with the default each is left out at.

    Worked out once per class: the IR of a large spec has tens of thousands of values.
    """
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
        text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        return text
    raise ValueError(f"unknown format {fmt!r}: expected json or yaml")
