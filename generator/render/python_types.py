"""Python annotations for IR schemas, as callers and handlers see values.

An annotation is a :class:`PyType`: its source text and the names it needs
imported, so a module's imports follow from the types it uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from generator.ir.model import (
    Api,
    ArraySchema,
    BooleanSchema,
    IntegerSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    RefSchema,
    Response,
    Schema,
    StringSchema,
    UnionSchema,
    media_base,
)
from generator.ir.schema_ops import property_schemas
from generator.render.model_package import Exports
from generator.render.naming import python_literal

_TEXT_MEDIA = ("application/xml", "application/yaml", "application/x-yaml", "application/javascript")


class Needs(StrEnum):
    """A name an annotation needs in scope. ``MODELS`` is the package's own ``models`` module."""

    ANY = "typing.Any"
    LITERAL = "typing.Literal"
    ASYNC_ITERATOR = "collections.abc.AsyncIterator"
    MISSING = "pydantic.MISSING"
    MODELS = "models"
    UUID = "uuid.UUID"
    DATETIME = "datetime.datetime"
    DATE = "datetime.date"

    @property
    def module(self) -> str:
        """Where the name comes from (empty for the package's own ``models``)."""
        return self.value.rpartition(".")[0]

    @property
    def symbol(self) -> str:
        """The name imported."""
        return self.value.rpartition(".")[2]


@dataclass(frozen=True)
class PyType:
    """A Python annotation: source text and what it needs imported."""

    text: str
    needs: frozenset[Needs] = frozenset()

    def __str__(self) -> str:
        return self.text

    def or_none(self) -> PyType:
        """This type, or None (once)."""
        return self if "None" in self.text.split(" | ") else PyType(f"{self.text} | None", self.needs)

    def or_missing(self) -> PyType:
        """This type, or pydantic's ``MISSING`` (an absent optional field)."""
        return PyType(f"{self.text} | MISSING", self.needs | {Needs.MISSING})


NONE = PyType("None")
ANY = PyType("Any", frozenset({Needs.ANY}))
STR = PyType("str")
BYTES = PyType("bytes")


def model(name: str) -> PyType:
    """The class ``name`` of the package's ``models`` module."""
    return PyType(f"models.{name}", frozenset({Needs.MODELS}))


def union(parts: Iterable[PyType]) -> PyType:
    """``a | b | ...`` without repeats; ``Any`` absorbs the rest; no parts is ``None``."""
    chosen: list[PyType] = []
    for part in parts:
        if part.text == "Any":
            return ANY
        if all(part.text != c.text for c in chosen):
            chosen.append(part)
    if not chosen:
        return NONE
    return PyType(" | ".join(p.text for p in chosen), frozenset().union(*(p.needs for p in chosen)))


def needed(types: Iterable[PyType]) -> frozenset[Needs]:
    """Every name the given annotations need."""
    return frozenset().union(*(t.needs for t in types))


def typing_imports(needs: Iterable[Needs]) -> tuple[str, ...]:
    """The names to import from ``typing``, sorted."""
    return tuple(sorted(n.symbol for n in needs if n.module == "typing"))


def raw_answer_type(response: Response) -> PyType:
    """The type of an answer that is not JSON: text as ``str``, anything else (files, archives) as ``bytes``."""
    base = media_base(response.media_type)
    is_text = base.startswith("text/") or base in _TEXT_MEDIA or base.endswith(("+xml", "+yaml"))
    return STR if is_text else BYTES


def body_properties(api: Api, schema: Schema) -> list[tuple[str, Schema]]:
    """Every property any variant of the body declares, first declaration wins."""
    return [(name, schemas[0]) for name, schemas in property_schemas(api, schema).items()]


# Values a caller may pass for strings of these formats, besides the text (the client sends them as text).
_FRIENDLY = {"uuid": Needs.UUID, "date-time": Needs.DATETIME, "date": Needs.DATE}


def py_type(api: Api, schema: Schema, exports: Exports, *, friendly: bool = False) -> PyType:
    """The annotation for values of ``schema`` as a caller passes them.

    ``friendly``: strings of format ``uuid``, ``date-time`` and ``date`` also take
    ``UUID``, ``datetime`` and ``date`` (for clients, which send them as text).
    """
    core = _core_type(api, schema, exports, friendly)
    if schema.nullable and core.text not in ("Any", "None"):
        return core.or_none()
    return core


def _literal(values: Iterable[object]) -> PyType:
    return PyType(f"Literal[{', '.join(python_literal(v) for v in values)}]", frozenset({Needs.LITERAL}))


def _core_type(api: Api, schema: Schema, exports: Exports, friendly: bool) -> PyType:
    if schema.const is not None:
        return _literal([schema.const.value])
    if schema.enum is not None and all(isinstance(v, (str, int, bool)) for v in schema.enum if v is not None):
        values = [v for v in schema.enum if v is not None]
        return _literal(values) if values else NONE
    match schema:
        case RefSchema():
            cls = exports.named.get(schema.name, "")
            if cls in exports.requests:
                return model(exports.requests[cls])
            return py_type(api, api.schema(schema.name), exports, friendly=friendly)
        case StringSchema():
            extra = _FRIENDLY.get(schema.format or "") if friendly else None
            if extra is not None:
                return PyType(f"str | {extra.symbol}", frozenset({extra}))
            return BYTES if schema.is_binary else STR  # as the request models type it
        case IntegerSchema():
            return PyType("int")
        case NumberSchema():
            return PyType("float")
        case BooleanSchema():
            return PyType("bool")
        case NullSchema():
            return NONE
        case ArraySchema():
            item = py_type(api, schema.items, exports, friendly=friendly)
            return PyType(f"list[{item.text}]", item.needs)
        case ObjectSchema():
            return PyType("dict[str, Any]", frozenset({Needs.ANY}))
        case UnionSchema():
            return union(py_type(api, variant.schema, exports, friendly=friendly) for variant in schema.variants)
        case _:  # any, never
            return ANY
