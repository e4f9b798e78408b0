"""Reading JSON Schema objects from a spec into IR schema nodes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.ir.model import (
    AnySchema,
    ArraySchema,
    BooleanSchema,
    Combinator,
    IntegerSchema,
    JsonLiteral,
    NamedSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Property,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
    Variant,
    amended,
)
from generator.ir.schema_ops import CannotIntersect, describe_variants, intersect
from generator.load import pointer as jp
from generator.load.problem import Diagnostics, Kind
from generator.load.refs import Node, SpecFiles

_COMPONENT = re.compile(r"^/components/schemas/([^/]+)$")

_KEYWORDS_BY_TYPE = {
    "object": {"properties", "required", "additionalProperties", "minProperties", "maxProperties"},
    "array": {"items", "minItems", "maxItems", "uniqueItems"},
    "string": {"pattern", "minLength", "maxLength"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
}
_UNSUPPORTED = (
    "not",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "prefixItems",
    "$dynamicRef",
    "$recursiveRef",
)
_UNSUPPORTED_SET = frozenset(_UNSUPPORTED)
# The union keywords in the order they are read, each with its combinator.
_UNIONS = tuple((c.value, c) for c in (Combinator.ANY_OF, Combinator.ONE_OF))
_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


class SchemaReader:
    """Turns schema objects into IR nodes, naming ``components/schemas`` entries.

    A ``$ref`` to a component schema becomes a :class:`RefSchema`, so recursive
    schemas stay finite and names survive into generated code.
    """

    def __init__(self, files: SpecFiles, diagnostics: Diagnostics) -> None:
        self._files = files
        self._diagnostics = diagnostics
        self._names: dict[tuple[Path, str], str] = {}
        self._nodes: dict[str, Node] = {}  # in registration order: spec order, then as met
        self._definitions: dict[str, Schema] = {}
        self._reading: set[str] = set()
        self._inline: set[tuple[Path, str]] = set()
        root = files.root_node().child("components", "schemas")
        if isinstance(root.value, dict):
            for name in root.value:
                self._register(root.child(name), name)

    # --- named schemas ---------------------------------------------------------

    def named_schemas(self) -> tuple[NamedSchema, ...]:
        """Every named schema read so far or declared in the root file, in spec order."""
        read = 0
        while read < len(self._nodes):  # reading one may register more
            for name in list(self._nodes)[read:]:
                self.definition(name)
                read += 1
        return tuple(
            NamedSchema(name=name, schema=self._definitions[name], pointer=node.pointer)
            for name, node in self._nodes.items()
        )

    def definition(self, name: str) -> Schema:
        """The IR of the named schema ``name``, read on first use."""
        found = self._definitions.get(name)
        if found is not None:
            return found
        if name in self._reading:
            raise CannotIntersect(f"schema {name!r} refers to itself")
        node = self._nodes[name]
        self._reading.add(name)
        try:
            schema = self.read(node)
        finally:
            self._reading.discard(name)
        self._definitions[name] = schema
        return schema

    def _register(self, node: Node, name: str) -> str:
        known = self._names.get(node.key)
        if known is not None:
            return known
        taken = self._nodes
        unique = name
        if unique in taken:
            unique = f"{Path(node.source.display).stem}_{name}"
            suffix = 2
            while unique in taken:
                unique = f"{Path(node.source.display).stem}_{name}_{suffix}"
                suffix += 1
        self._names[node.key] = unique
        self._nodes[unique] = node
        return unique

    # --- reading ----------------------------------------------------------------

    def read(self, node: Node) -> Schema:
        """The IR of the schema object at ``node``."""
        value = node.value
        if value is True or value == {}:
            return AnySchema()
        if value is False:
            return NeverSchema()
        if not isinstance(value, dict):
            self._diagnostics.invalid(node.location, "a schema must be an object or a boolean")
            return AnySchema()
        if "$ref" in value:
            return self._read_ref(node)
        return self._read_plain(node)

    def _read_ref(self, node: Node) -> Schema:
        target = self._files.target_of(node)
        if target is None:
            return AnySchema()  # the broken reference was reported while loading
        siblings = {k: v for k, v in node.value.items() if k != "$ref"}
        match = _COMPONENT.match(target.pointer)
        if match is not None and isinstance(target.value, (dict, bool)):
            name = self._register(target, jp.unescape(match.group(1)))
            schema: Schema = RefSchema(name=name)
        elif target.key in self._inline:
            self._diagnostics.warning(
                node.location, "recursive $ref to a schema outside components/schemas: read as any value there"
            )
            return AnySchema()
        else:
            self._inline.add(target.key)
            try:
                schema = self.read(target)
            finally:
                self._inline.discard(target.key)
        if siblings:
            # OpenAPI 3.1 applies keywords beside $ref too: read them as one more constraint.
            extra = self._read_plain(Node(node.source, node.pointer, siblings))
            schema = self._intersect(schema, extra, node)
        return schema

    def _read_plain(self, node: Node) -> Schema:
        raw: dict[str, Any] = node.value
        if not _UNSUPPORTED_SET.isdisjoint(raw):  # rare: one set operation spares a dozen lookups per schema
            for keyword in _UNSUPPORTED:
                if keyword in raw:
                    self._diagnostics.warning(
                        node.child(keyword).location, f"'{keyword}' is not supported: the constraint is ignored"
                    )
        nullable = raw.get("nullable") is True
        types = self._types(node)
        if "null" in types:
            nullable = True
            types = [t for t in types if t != "null"]
            if not types and "type" in raw:
                types = ["null"]
                nullable = False
        # The annotations every kind carries are given as the schema is made: amending each one after cost more.
        common = self._common(node)
        schema: Schema
        if not types:
            schema = AnySchema(**common)
        elif len(types) == 1:
            schema = self._read_typed(types[0], node, common)
        else:
            variants = tuple(Variant(name=t, schema=self._read_typed(t, node, {})) for t in types)
            schema = amended(describe_variants(UnionSchema(combinator=Combinator.ANY_OF, variants=variants)), **common)
        for index in range(len(_list(raw.get("allOf")))):
            part = node.child("allOf", index)
            schema = self._intersect(schema, self.read(part), part)
        for word, keyword in _UNIONS:
            if word in raw:
                schema = self._read_union(node, schema, keyword)
        if nullable and not isinstance(schema, (AnySchema, NullSchema)):
            schema = amended(schema, nullable=True)
        return schema

    def _types(self, node: Node) -> list[str]:
        raw = node.value
        declared = raw.get("type")
        if declared is None:
            families = [t for t, words in _KEYWORDS_BY_TYPE.items() if words & raw.keys()]
            if len(families) > 1:
                self._diagnostics.warning(
                    node.location,
                    f"no 'type', but keywords of several types ({', '.join(families)}): read as any value",
                )
                return []
            # A schema without 'type' whose keywords all belong to one type is read as
            # that type: it is what spec authors mean, though JSON Schema would let
            # values of other types through.
            return families
        names = declared if isinstance(declared, list) else [declared]
        result = []
        for name in names:
            if name in _TYPES:
                if name not in result:
                    result.append(name)
            elif name == "file":
                self._diagnostics.invalid(
                    node.child("type").location,
                    "'type: file' is Swagger 2.0: read as a binary string",
                    kind=Kind.UNKNOWN_TYPE,
                    subject=name,
                )
                result.append("string")
            else:
                self._diagnostics.invalid(
                    node.child("type").location,
                    f"unknown type {name!r}: read as any value",
                    kind=Kind.UNKNOWN_TYPE,
                    subject=str(name),
                )
                return []
        return result

    def _read_typed(self, kind: str, node: Node, common: dict[str, Any]) -> Schema:
        """The schema of one type of ``node``, with the ``common`` annotations (see :meth:`_common`)."""
        raw = node.value
        if kind == "string":
            return StringSchema(
                format=_str(raw.get("format")),
                pattern=self._pattern(node),
                min_length=_int(raw.get("minLength")),
                max_length=_int(raw.get("maxLength")),
                content_media_type=_str(raw.get("contentMediaType")),
                **common,
            )
        if kind in ("integer", "number"):
            cls = IntegerSchema if kind == "integer" else NumberSchema
            minimum, maximum = _num(raw.get("minimum")), _num(raw.get("maximum"))
            low, high = raw.get("exclusiveMinimum"), raw.get("exclusiveMaximum")
            # OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum.
            if low is True:
                low, minimum = minimum, None
            if high is True:
                high, maximum = maximum, None
            return cls(
                format=_str(raw.get("format")),
                minimum=minimum,
                maximum=maximum,
                exclusive_minimum=_num(low),
                exclusive_maximum=_num(high),
                multiple_of=_num(raw.get("multipleOf")),
                **common,
            )
        if kind == "boolean":
            return BooleanSchema(**common)
        if kind == "null":
            return NullSchema(**common)
        if kind == "array":
            items = self.read(node.child("items")) if "items" in raw else AnySchema()
            return ArraySchema(
                items=items,
                min_items=_int(raw.get("minItems")),
                max_items=_int(raw.get("maxItems")),
                unique_items=raw.get("uniqueItems") is True,
                **common,
            )
        return self._read_object(node, common)

    def _read_object(self, node: Node, common: dict[str, Any]) -> ObjectSchema:
        raw = node.value
        declared = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        required = [r for r in _list(raw.get("required")) if isinstance(r, str)]
        extra = raw.get("additionalProperties", True)
        additional: bool | Schema
        if isinstance(extra, bool):
            additional = extra
        else:
            additional = self.read(node.child("additionalProperties"))
            if isinstance(additional, AnySchema) and additional.enum is None and additional.const is None:
                additional = True
        properties = [
            Property(name=name, schema=self.read(node.child("properties", name)), required=name in required)
            for name in declared
        ]
        for name in required:
            if name not in declared:
                # Required but undeclared: the value must still satisfy additionalProperties.
                schema = AnySchema() if additional is True else NeverSchema() if additional is False else additional
                properties.append(Property(name=name, schema=schema, required=True))
        return ObjectSchema(
            properties=tuple(properties),
            additional_properties=additional,
            min_properties=_int(raw.get("minProperties")),
            max_properties=_int(raw.get("maxProperties")),
            **common,
        )

    def _read_union(self, node: Node, base: Schema, combinator: Combinator) -> Schema:
        branches = node.child(combinator.value)
        # The enclosing schema's own annotations describe the union, not each branch.
        shared = amended(base, title=None, description=None, default=None, deprecated=False, sunset=None)
        nullable = False
        variants: list[Variant] = []
        titles: list[str | None] = []
        for index in range(len(_list(branches.value))):
            branch_node = branches.child(index)
            branch = self.read(branch_node)
            if isinstance(branch, NullSchema) and branch.enum is None and branch.const is None:
                nullable = True
                continue
            schema = self._intersect(shared, branch, branch_node)
            variants.append(Variant(name="", schema=schema))
            resolved = self._files.deref(branch_node)
            title = resolved.value.get("title") if resolved is not None and isinstance(resolved.value, dict) else None
            if isinstance(branch, RefSchema):
                title = title or branch.name
            titles.append(title if isinstance(title, str) else None)
        if not variants:
            return amended(NullSchema(), title=base.title, description=base.description, default=base.default)
        if len(variants) == 1:
            only = variants[0].schema
            return amended(
                only,
                nullable=nullable or only.nullable,
                title=base.title or only.title,
                description=base.description or only.description,
                default=base.default or only.default,
            )
        union = UnionSchema(combinator=combinator, variants=tuple(variants), nullable=nullable)
        union = describe_variants(
            amended(
                union, title=base.title, description=base.description, default=base.default, deprecated=base.deprecated
            )
        )
        names = _variant_names(union, titles)
        return amended(union, variants=tuple(amended(v, name=n) for v, n in zip(union.variants, names, strict=True)))

    def _intersect(self, a: Schema, b: Schema, at: Node) -> Schema:
        try:
            return intersect(a, b, self.definition)
        except CannotIntersect as exc:
            self._diagnostics.warning(at.location, f"cannot combine these schemas exactly ({exc}): kept the later one")
            return b

    def _pattern(self, node: Node) -> str | None:
        pattern = node.value.get("pattern")
        if pattern is None:
            return None
        if not isinstance(pattern, str):
            self._diagnostics.invalid(node.child("pattern").location, "'pattern' must be a string")
            return None
        try:
            re.compile(pattern)
        except re.error as exc:
            self._diagnostics.invalid(
                node.child("pattern").location, f"'pattern' is not a valid regular expression: {exc}"
            )
            return None
        return pattern

    def _common(self, node: Node) -> dict[str, Any]:
        raw = node.value
        result: dict[str, Any] = {
            "title": _str(raw.get("title")),
            "description": _str(raw.get("description")),
            "deprecated": raw.get("deprecated") is True,
            "sunset": sunset_of(raw),
            "read_only": raw.get("readOnly") is True,
            "write_only": raw.get("writeOnly") is True,
        }
        if "default" in raw:
            result["default"] = JsonLiteral(raw["default"])
        if "const" in raw:
            result["const"] = JsonLiteral(raw["const"])
        if isinstance(raw.get("enum"), list):
            result["enum"] = tuple(raw["enum"])
        return result


def _own_properties(union: UnionSchema, index: int) -> list[str]:
    """The properties variant ``index`` declares and no other variant does."""
    others = {
        p.name
        for i, v in enumerate(union.variants)
        if i != index and isinstance(v.schema, ObjectSchema)
        for p in v.schema.properties
    }
    schema = union.variants[index].schema
    return [p.name for p in schema.properties if p.name not in others] if isinstance(schema, ObjectSchema) else []


def _distinguishing_constants(union: UnionSchema) -> list[str] | None:
    """Per variant, the constant of a property every variant fixes to a different value, if there is one."""
    fixed: list[dict[str, str]] = []
    for variant in union.variants:
        if not isinstance(variant.schema, ObjectSchema):
            return None
        constants = {}
        for prop in variant.schema.properties:
            value = prop.schema.const.value if prop.schema.const is not None else None
            if value is None and prop.schema.enum is not None and len(prop.schema.enum) == 1:
                value = prop.schema.enum[0]
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                constants[prop.name] = str(value)
        fixed.append(constants)
    for name in sorted(set.intersection(*(set(c) for c in fixed))) if fixed else ():
        values = [c[name] for c in fixed]
        if len(set(values)) == len(values):
            return values
    return None


def sunset_of(raw: Any) -> str | None:
    """The ``x-sunset`` date of a node as ISO text (YAML reads bare dates as dates), if it has one."""
    value = raw.get("x-sunset") if isinstance(raw, dict) else None
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _variant_names(union: UnionSchema, titles: list[str | None]) -> list[str]:
    """Stable, readable names: the branch title (or its ``$ref``), else the constant of a property that
    tells the branches apart, else what it alone requires, else its kind; its place only as a last resort."""
    requires = [set(v.requires) for v in union.variants]
    shared = set.intersection(*requires) if requires else set()
    tags = _distinguishing_constants(union)
    names: list[str] = []
    for index, (variant, title) in enumerate(zip(union.variants, titles, strict=True)):
        own = [r for r in variant.requires if r not in shared]
        if title:
            name = title
        elif tags is not None:
            name = tags[index]
        elif own:
            name = "+".join(own)
        elif not isinstance(variant.schema, ObjectSchema):
            name = variant.schema.kind
        elif declared := _own_properties(union, index):
            name = "+".join(declared[:2])  # what it alone declares, as it requires nothing of its own
        else:
            name = f"variant {index + 1}"
        while name in names:
            name = f"{name} ({index + 1})"
        names.append(name)
    return names


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value
