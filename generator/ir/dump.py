"""A readable, deterministic dump of the IR as JSON or YAML."""

from __future__ import annotations

import dataclasses
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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result: dict[str, Any] = {}
        own = dataclasses.fields(value)
        # The kind tag first: it is what a reader looks for.
        ordered = sorted(own, key=lambda f: f.name != "kind")
        for field in ordered:
            item = getattr(value, field.name)
            if field.name != "kind" and _is_default(field, item):
                continue
            result[field.name] = to_data(item)
        return result
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default and type(value) is type(field.default))
    return False


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
