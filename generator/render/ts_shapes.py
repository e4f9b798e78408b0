"""IR schemas as data for the TypeScript request validator (``generator/runtime/typescript/client/validate.ts``).

Each schema becomes a compact JSON-able description (a *shape*) that the one
runtime validator interprets; no checking code is generated per operation.
Named schemas go once into a table and are referred to by index, so recursive
schemas stay finite and property names never become object keys in the
generated source (a key such as ``__proto__`` would mean something else there).
The semantics are those of :mod:`generator.ir.validate`, which the tests hold
the TypeScript validator to.
"""

from __future__ import annotations

import json
from typing import Any

from generator.ir.model import (
    Api,
    ArraySchema,
    Combinator,
    IntegerSchema,
    NumberSchema,
    ObjectSchema,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
    Variant,
)
from generator.ir.validate import ASSERTED_FORMATS

Shape = dict[str, Any]
"""A shape: ``k`` names the kind; the other keys are documented on the ``Shape`` type in ``validate.ts``."""

_KIND = {"any": "any", "never": "never", "null": "null", "boolean": "boolean", "integer": "int", "number": "num"}


def _primitive(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, int, float))


class ShapeWriter:
    """Shapes for the schemas of one API; ``defs`` fills with the named schemas they refer to, in first-use order."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.defs: list[Shape] = []
        self._index: dict[str, int] = {}

    def ref(self, name: str) -> int:
        """The index of the named schema ``name`` in ``defs``, written on first use."""
        if name not in self._index:
            self._index[name] = len(self.defs)
            self.defs.append({"k": "any"})  # a placeholder while it is written: a schema may refer to itself
            self.defs[self._index[name]] = self.shape(self.api.schema(name))
        return self._index[name]

    def shape(self, schema: Schema) -> Shape:
        """The shape of ``schema``."""
        out: Shape = {"k": _KIND.get(schema.kind, schema.kind)}
        if schema.nullable:
            out["n"] = True
        if schema.enum is not None:
            values = list(schema.enum)
            if all(_primitive(v) for v in values):
                out["e"] = values
            else:
                out["ej"] = json.dumps(values)  # parsed at run time: objects as data, never as source
        if schema.const is not None:
            value = schema.const.value
            if _primitive(value):
                out["c"] = [value]
            else:
                out["cj"] = json.dumps(value)
        if isinstance(schema, RefSchema):
            out["r"] = self.ref(schema.name)
        elif isinstance(schema, (IntegerSchema, NumberSchema)):
            for key, bound in (
                ("min", schema.minimum),
                ("max", schema.maximum),
                ("xmin", schema.exclusive_minimum),
                ("xmax", schema.exclusive_maximum),
                ("mul", schema.multiple_of),
            ):
                if bound is not None:
                    out[key] = bound
        elif isinstance(schema, StringSchema):
            out["k"] = "str"
            self._string(schema, out)
        elif isinstance(schema, ArraySchema):
            out["k"] = "arr"
            out["i"] = self.shape(schema.items)
            _put(out, "minI", schema.min_items)
            _put(out, "maxI", schema.max_items)
            if schema.unique_items:
                out["u"] = True
        elif isinstance(schema, ObjectSchema):
            out["k"] = "obj"
            self._object(schema, out)
        elif isinstance(schema, UnionSchema):
            if schema.combinator is Combinator.ONE_OF:
                out["one"] = True
            out["v"] = [self._variant(v) for v in schema.variants]
        return out

    def _string(self, schema: StringSchema, out: Shape) -> None:
        if schema.format in ASSERTED_FORMATS:
            out["f"] = schema.format
        if schema.pattern is not None:
            out["p"] = js_pattern(schema.pattern)
        _put(out, "minL", schema.min_length)
        _put(out, "maxL", schema.max_length)
        if schema.is_binary:
            out["bin"] = True

    def _object(self, schema: ObjectSchema, out: Shape) -> None:
        if schema.properties:
            out["p"] = [[p.name, self.shape(p.schema), p.required] for p in schema.properties]
        extra = schema.additional_properties
        if extra is False:
            out["a"] = False
        elif extra is not True:
            out["a"] = self.shape(extra)
        _put(out, "minP", schema.min_properties)
        _put(out, "maxP", schema.max_properties)

    def _variant(self, variant: Variant) -> Shape:
        out: Shape = {"name": variant.name, "s": self.shape(variant.schema)}
        for key, names in (("rq", variant.requires), ("fb", variant.forbids)):
            if names:
                out[key] = list(names)
        if variant.allows is not None:
            out["al"] = list(variant.allows)
        if any(variant.excludes):
            out["ex"] = [list(e) for e in variant.excludes if e]
        return out


def _put(out: Shape, key: str, value: int | None) -> None:
    if value is not None:
        out[key] = value


def js_pattern(pattern: str) -> str:
    """``pattern`` as an ECMAScript ``u`` regular expression that matches what Python's ``re.search`` matches.

    The spec's patterns are checked by Python's ``re`` in the generator's validator, the reference; the few
    places the two dialects differ in common patterns are translated: ``$`` (Python's also matches before a
    final newline), ``\\A``/``\\Z``, ``\\d``/``\\D`` (Unicode digits in Python) and named groups.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "dD":
                out.append("\\p{Nd}" if nxt == "d" else "\\P{Nd}")
            elif nxt == "A" and not in_class:
                out.append("^")
            elif nxt == "Z" and not in_class:
                out.append("$")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern.startswith("[]", i) or pattern.startswith("[^]", i):
                # A "]" first in a class is a literal in Python; ECMAScript needs it escaped.
                caret = pattern[i + 1] == "^"
                out.append("[^\\]" if caret else "[\\]")
                i += 3 if caret else 2
                continue
        elif c == "$":
            out.append("(?=\\n?$)")
            i += 1
            continue
        elif pattern.startswith("(?P<", i):
            out.append("(?<")
            i += 4
            continue
        elif pattern.startswith("(?P=", i):
            end = pattern.find(")", i)
            if end > 0:
                out.append(f"\\k<{pattern[i + 4 : end]}>")
                i = end + 1
                continue
        out.append(c)
        i += 1
    return "".join(out)
