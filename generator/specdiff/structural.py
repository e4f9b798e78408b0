"""The structural diff of two IRs: what changed, where, without judging it.

Schemas are compared by meaning, not by spelling: ``$ref``\\ s are followed,
properties are matched by name and union variants by content, so a refactor
that accepts the same payloads produces no change.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir.model import (
    Api,
    ArraySchema,
    Combinator,
    NumericBounds,
    ObjectSchema,
    Operation,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
)
from generator.ir.values import json_equal
from generator.load import pointer as jp


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new API.

    ``area`` is ``request``, ``response``, ``operation`` or ``api``; ``kind`` says
    what changed (``property-removed``, ``max-items-decreased``...); ``pointer``
    is a JSON pointer into the spec (the new one, or the old one for removals);
    ``subject`` names the thing (a property, a status, a value).
    """

    area: str
    kind: str
    operation: str
    pointer: str
    subject: str
    before: str = ""
    after: str = ""


def diff_apis(old: Api, new: Api) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order."""
    changes: list[Change] = []
    old_ops = {(o.method, o.path): o for o in old.operations}
    new_ops = {(o.method, o.path): o for o in new.operations}
    for key, op in old_ops.items():
        if key not in new_ops:
            changes.append(Change("operation", "operation-removed", _name(op), op.pointer, _name(op)))
    for key, op in new_ops.items():
        if key not in old_ops:
            changes.append(Change("operation", "operation-added", _name(op), op.pointer, _name(op)))
        else:
            changes.extend(_OperationDiff(old, new, old_ops[key], op).changes())
    if [s.url for s in old.servers] != [s.url for s in new.servers]:
        before = ", ".join(s.url for s in old.servers)
        after = ", ".join(s.url for s in new.servers)
        changes.append(Change("api", "servers-changed", "", "/servers", "servers", before, after))
    return changes


def _name(op: Operation) -> str:
    return f"{op.method} {op.path}"


class _OperationDiff:
    def __init__(self, old_api: Api, new_api: Api, old: Operation, new: Operation) -> None:
        self.old_api, self.new_api, self.old, self.new = old_api, new_api, old, new
        self.name = _name(new)
        self.out: list[Change] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, area: str, kind: str, pointer: str, subject: str, before: object = "", after: object = "") -> None:
        self.out.append(Change(area, kind, self.name, pointer, subject, _text(before), _text(after)))

    def changes(self) -> list[Change]:
        self._security()
        self._parameters()
        self._body()
        self._responses()
        return self.out

    def _security(self) -> None:
        def described(api: Api, op: Operation) -> set[tuple[tuple[str, str], ...]]:
            result = set()
            for alternative in op.security.alternatives:
                schemes = []
                for name in alternative:
                    scheme = api.scheme(name)
                    if scheme is not None:
                        schemes.append((scheme.kind.value, (scheme.parameter_name or "").lower()))
                result.add(tuple(sorted(schemes)))
            return result

        before, after = described(self.old_api, self.old), described(self.new_api, self.new)
        if before != after:
            self.add("operation", "security-changed", jp.join(self.new.pointer, "security"), "security", before, after)

    def _parameters(self) -> None:
        old = {(p.location, p.name): p for p in self.old.parameters}
        new = {(p.location, p.name): p for p in self.new.parameters}
        base = jp.join(self.new.pointer, "parameters")
        for key, parameter in old.items():
            subject = f"{key[0].value} parameter {key[1]!r}"
            if key not in new:
                self.add("request", "parameter-removed", base, subject)
                continue
            other = new[key]
            if parameter.required != other.required:
                kind = "parameter-became-required" if other.required else "parameter-became-optional"
                self.add("request", kind, base, subject)
            self._schema("request", parameter.schema, other.schema, base, subject)
        for key, parameter in new.items():
            if key not in old:
                kind = "required-parameter-added" if parameter.required else "parameter-added"
                self.add("request", kind, base, f"{key[0].value} parameter {key[1]!r}")

    def _body(self) -> None:
        pointer = jp.join(self.new.pointer, "requestBody")
        old, new = self.old.body, self.new.body
        if old is None and new is None:
            return
        if old is None or new is None:
            kind = "body-removed" if new is None else ("required-body-added" if new.required else "body-added")
            self.add("request", kind, pointer, "body")
            return
        if old.required != new.required:
            self.add("request", "body-became-required" if new.required else "body-became-optional", pointer, "body")
        schema_pointer = jp.join(pointer, "content", new.media_type, "schema")
        self._schema("request", old.schema, new.schema, schema_pointer, "body")

    def _responses(self) -> None:
        old = {r.status: r for r in self.old.responses}
        new = {r.status: r for r in self.new.responses}
        base = jp.join(self.new.pointer, "responses")
        for status, response in old.items():
            if status not in new:
                kind = "success-status-removed" if response.is_success else "error-status-removed"
                self.add("response", kind, jp.join(base, status), f"status {status}")
                continue
            other = new[status]
            pointer = jp.join(base, status)
            subject = f"{status} answer"
            if (response.schema is None) != (other.schema is None):
                kind = "body-removed" if other.schema is None else "body-added"
                self.add("response", kind, pointer, subject)
            elif response.schema is not None and other.schema is not None:
                media = other.media_type or ""
                self._schema(
                    "response", response.schema, other.schema, jp.join(pointer, "content", media, "schema"), subject
                )
        for status, response in new.items():
            if status not in old:
                kind = "success-status-added" if response.is_success else "error-status-added"
                self.add("response", kind, jp.join(base, status), f"status {status}")

    # --- schemas ------------------------------------------------------------------

    def _resolve(self, schema: Schema, api: Api) -> Schema:
        seen: set[str] = set()
        while isinstance(schema, RefSchema) and schema.name not in seen:
            seen.add(schema.name)
            target = api.schema(schema.name)
            schema = type(target)(**{**target.__dict__, "nullable": target.nullable or schema.nullable})
        return schema

    def _schema(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> None:
        if isinstance(old, RefSchema) and isinstance(new, RefSchema):
            # A pair of named schemas is compared once per side of the call, where first met:
            # that keeps recursive schemas finite and reports a shared change once.
            pair = (area, old.name, new.name)
            if pair in self.seen:
                return
            self.seen.add(pair)
        old = self._resolve(old, self.old_api)
        new = self._resolve(new, self.new_api)
        if old.description != new.description:
            self.add(area, "description-changed", pointer, subject)
        if old.kind != new.kind:
            unions = isinstance(old, UnionSchema) or isinstance(new, UnionSchema)
            if unions and self._union_collapsed(area, old, new, pointer, subject):
                return
            self.add(area, "type-changed", pointer, subject, old.kind, new.kind)
            return
        if old.nullable != new.nullable:
            self.add(area, "became-nullable" if new.nullable else "became-not-nullable", pointer, subject)
        self._values(area, old, new, pointer, subject)
        if isinstance(old, StringSchema) and isinstance(new, StringSchema):
            if old.pattern != new.pattern:
                kind = (
                    "pattern-removed"
                    if new.pattern is None
                    else "pattern-added"
                    if old.pattern is None
                    else "pattern-changed"
                )
                self.add(area, kind, pointer, subject, old.pattern or "", new.pattern or "")
            if old.format != new.format:
                self.add(area, "format-changed", pointer, subject, old.format or "", new.format or "")
            if old.is_binary != new.is_binary:
                # Text or a file: the generated type changes between str and bytes.
                kinds = ("string", "binary string")
                self.add(area, "type-changed", pointer, subject, kinds[old.is_binary], kinds[new.is_binary])
            self._bound(area, "max-length", old.max_length, new.max_length, pointer, subject)
            self._bound(area, "min-length", old.min_length, new.min_length, pointer, subject)
        elif isinstance(old, NumericBounds) and isinstance(new, NumericBounds):
            self._bound(area, "maximum", old.maximum, new.maximum, pointer, subject)
            self._bound(area, "minimum", old.minimum, new.minimum, pointer, subject)
        elif isinstance(old, ArraySchema) and isinstance(new, ArraySchema):
            self._bound(area, "max-items", old.max_items, new.max_items, pointer, subject)
            self._bound(area, "min-items", old.min_items, new.min_items, pointer, subject)
            self._schema(area, old.items, new.items, jp.join(pointer, "items"), f"{subject} items")
        elif isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
            self._object(area, old, new, pointer, subject)
        elif isinstance(old, UnionSchema) and isinstance(new, UnionSchema):
            self._union(area, old, new, pointer, subject)

    def _values(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> None:
        if old.enum is not None or new.enum is not None:
            before = list(old.enum or ())
            after = list(new.enum or ())
            if old.enum is None:
                self.add(area, "enum-added", pointer, subject, "", after)
            elif new.enum is None:
                self.add(area, "enum-removed", pointer, subject, before, "")
            else:
                for value in before:
                    if not any(json_equal(value, v) for v in after):
                        self.add(area, "enum-value-removed", pointer, f"{subject} value {value!r}")
                for value in after:
                    if not any(json_equal(value, v) for v in before):
                        self.add(area, "enum-value-added", pointer, f"{subject} value {value!r}")
        if (old.const is None) != (new.const is None) or (
            old.const is not None and new.const is not None and not json_equal(old.const.value, new.const.value)
        ):
            was = old.const.value if old.const else ""
            now = new.const.value if new.const else ""
            self.add(area, "const-changed", pointer, subject, was, now)

    def _bound(self, area: str, name: str, old: float | None, new: float | None, pointer: str, subject: str) -> None:
        if old == new:
            return
        change = "added" if old is None else "removed" if new is None else "decreased" if new < old else "increased"
        self.add(area, f"{name}-{change}", pointer, subject, "" if old is None else old, "" if new is None else new)

    def _object(self, area: str, old: ObjectSchema, new: ObjectSchema, pointer: str, subject: str) -> None:
        old_props = {p.name: p for p in old.properties}
        new_props = {p.name: p for p in new.properties}

        def label(name: str) -> str:
            # Properties are named by their dotted path from the body or answer.
            return name if subject == "body" or subject.endswith("answer") else f"{subject}.{name}"

        for name, prop in old_props.items():
            where = jp.join(pointer, "properties", name)
            if name not in new_props:
                self.add(area, "property-removed", where, label(name))
                continue
            other = new_props[name]
            if prop.required != other.required:
                kind = "property-became-required" if other.required else "property-became-optional"
                self.add(area, kind, where, label(name))
            self._schema(area, prop.schema, other.schema, where, label(name))
        for name, prop in new_props.items():
            if name not in old_props:
                where = jp.join(pointer, "properties", name)
                kind = "required-property-added" if prop.required else "property-added"
                self.add(area, kind, where, label(name))
        was_closed = old.additional_properties is False
        is_closed = new.additional_properties is False
        if was_closed != is_closed:
            self.add(
                area, "additional-properties-closed" if is_closed else "additional-properties-opened", pointer, subject
            )

    def _union_collapsed(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> bool:
        """A union that lost all but one variant (or a schema that became a union with it): True if so."""
        union, single, kind = (
            (old, new, "variant-removed") if isinstance(old, UnionSchema) else (new, old, "variant-added")
        )
        assert isinstance(union, UnionSchema)
        kept = next((v for v in union.variants if _canonical(v.schema) == _canonical(single)), None)
        if kept is None:
            return False
        for variant in union.variants:
            if variant is not kept:
                self.add(area, kind, pointer, f"{subject} variant {variant.name!r}")
        return True

    def _union(self, area: str, old: UnionSchema, new: UnionSchema, pointer: str, subject: str) -> None:
        if old.combinator != new.combinator:
            # oneOf accepts fewer values than anyOf over the same variants.
            kind = "combinator-narrowed" if new.combinator is Combinator.ONE_OF else "combinator-widened"
            self.add(area, kind, pointer, subject, old.combinator.value, new.combinator.value)
        unmatched_new = list(new.variants)
        pairs = []
        leftover_old = []
        for variant in old.variants:
            same = next((v for v in unmatched_new if _canonical(v.schema) == _canonical(variant.schema)), None)
            if same is not None:
                unmatched_new.remove(same)
            else:
                leftover_old.append(variant)
        for variant in list(leftover_old):
            named = next((v for v in unmatched_new if v.name == variant.name), None)
            if named is not None:
                unmatched_new.remove(named)
                leftover_old.remove(variant)
                pairs.append((variant, named))
        for variant in leftover_old:
            self.add(area, "variant-removed", pointer, f"{subject} variant {variant.name!r}")
        for variant in unmatched_new:
            self.add(area, "variant-added", pointer, f"{subject} variant {variant.name!r}")
        for before, after in pairs:
            self._schema(area, before.schema, after.schema, pointer, f"{subject} variant {after.name!r}")


def _canonical(schema: Schema) -> str:
    """A spelling-independent text of a schema: property and variant order do not count."""
    if isinstance(schema, ObjectSchema):
        props = sorted((p.name, p.required, _canonical(p.schema)) for p in schema.properties)
        extra = schema.additional_properties
        return repr(("object", props, extra if isinstance(extra, bool) else _canonical(extra), schema.nullable))
    if isinstance(schema, UnionSchema):
        return repr(("union", schema.combinator.value, sorted(_canonical(v.schema) for v in schema.variants)))
    if isinstance(schema, ArraySchema):
        return repr(("array", _canonical(schema.items), schema.min_items, schema.max_items, schema.nullable))
    fields = {k: v for k, v in schema.__dict__.items() if k not in ("title", "description", "deprecated")}
    return repr(sorted(fields.items(), key=lambda kv: kv[0]))


def _text(value: object) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value))
    return str(value)
