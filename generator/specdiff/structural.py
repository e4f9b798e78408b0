"""The structural diff of two IRs: what changed, where, without judging it.

Schemas are compared by meaning, not by spelling: ``$ref``\\ s are followed,
properties are matched by name and union variants by content, so a refactor
that accepts the same payloads produces no change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from generator.ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    Combinator,
    NeverSchema,
    NumericBounds,
    ObjectSchema,
    Operation,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
    Variant,
    media_base,
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


def diff_apis(old: Api, new: Api, today: date | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order.

    ``today`` decides whether a deprecated thing's ``x-sunset`` date has passed (default: today).
    """
    today = today or date.today()
    changes: list[Change] = []
    old_ops = {(o.method, o.path): o for o in old.operations}
    new_ops = {(o.method, o.path): o for o in new.operations}
    canon = _Canon(old, new)
    for key, op in old_ops.items():
        if key not in new_ops:
            kind = _removal("operation-removed", op.deprecated, op.sunset, today)
            before = op.sunset or "" if kind.startswith("sunset") else ""
            changes.append(Change("operation", kind, _name(op), op.pointer, _name(op), before))
    for key, op in new_ops.items():
        if key not in old_ops:
            changes.append(Change("operation", "operation-added", _name(op), op.pointer, _name(op)))
        else:
            changes.extend(_OperationDiff(old, new, old_ops[key], op, canon, today).changes())
    if [s.url for s in old.servers] != [s.url for s in new.servers]:
        before = ", ".join(s.url for s in old.servers)
        after = ", ".join(s.url for s in new.servers)
        changes.append(Change("api", "servers-changed", "", "/servers", "servers", before, after))
    return changes


def _name(op: Operation) -> str:
    return f"{op.method} {op.path}"


def _removal(kind: str, deprecated: bool, sunset: str | None, today: date) -> str:
    """``kind``, or its deprecated form: ``deprecated-*`` once announced, ``sunset-*`` if removed before its date."""
    if not deprecated:
        return kind
    if sunset is not None and sunset[:10] > today.isoformat():
        return f"sunset-{kind}"
    return f"deprecated-{kind}"


class _Canon:
    """Spelling-independent texts of schemas, $refs resolved, cached per named schema and side."""

    def __init__(self, old: Api, new: Api) -> None:
        self.apis = (old, new)
        self.cache: tuple[dict[str, str], dict[str, str]] = ({}, {})
        self.memo: dict[tuple[int, int, bool], str] = {}

    def text(self, schema: Schema, side: int, loose: bool = False) -> str:
        """The canonical text; ``loose`` also ignores nullability and defaults (a union branch's flags)."""
        # Unions are matched pairwise: without this cache large specs spend seconds re-spelling branches.
        # Keyed by identity, as both IRs outlive the diff.
        key = (id(schema), side, loose)
        text = self.memo.get(key)
        if text is None:
            plain = replace(schema, nullable=False, default=None) if loose else schema
            text = self._text(plain, side, ())
            self.memo[key] = text
        return text

    def _text(self, schema: Schema, side: int, stack: tuple[str, ...]) -> str:
        if isinstance(schema, RefSchema):
            if schema.name in stack:
                return "cycle"  # a recursive schema: where it recurses, not what it is called, counts
            cache = self.cache[side]
            body = cache.get(schema.name)
            if body is None:
                body = self._text(self.apis[side].schema(schema.name), side, (*stack, schema.name))
                cache[schema.name] = body
            return body if not schema.nullable else repr(("nullable", body))
        return _canonical(schema, lambda inner: self._text(inner, side, stack))


class _OperationDiff:
    def __init__(self, old_api: Api, new_api: Api, old: Operation, new: Operation, canon: _Canon, today: date) -> None:
        self.old_api, self.new_api, self.old, self.new = old_api, new_api, old, new
        self.canon, self.today = canon, today
        self.name = _name(new)
        self.out: list[Change] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, area: str, kind: str, pointer: str, subject: str, before: object = "", after: object = "") -> None:
        self.out.append(Change(area, kind, self.name, pointer, subject, _text(before), _text(after)))

    def changes(self) -> list[Change]:
        if self.old.deprecated != self.new.deprecated:
            kind = "operation-deprecated" if self.new.deprecated else "operation-no-longer-deprecated"
            self.add("operation", kind, self.new.pointer, self.name)
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
        added = [key for key in new if key not in old]
        for key, parameter in old.items():
            subject = f"{key[0].value} parameter {key[1]!r}"
            if key not in new:
                # The same parameter under another name, in the same place: one rename, not two changes.
                twin = next(
                    (
                        k
                        for k in added
                        if k[0] is key[0]
                        and new[k].required == parameter.required
                        and self._same(parameter.schema, new[k].schema)
                    ),
                    None,
                )
                if twin is not None:
                    added.remove(twin)
                    self.add(
                        "request", "parameter-renamed", base, subject, subject, f"{twin[0].value} parameter {twin[1]!r}"
                    )
                    continue
                kind = _removal("parameter-removed", parameter.deprecated, parameter.sunset, self.today)
                self.add("request", kind, base, subject, parameter.sunset if kind.startswith("sunset") else "")
                continue
            other = new[key]
            if parameter.required != other.required:
                kind = "parameter-became-required" if other.required else "parameter-became-optional"
                self.add("request", kind, base, subject)
            if parameter.deprecated != other.deprecated:
                self.add("request", "became-deprecated" if other.deprecated else "no-longer-deprecated", base, subject)
            self._schema("request", parameter.schema, other.schema, base, subject)
        for key in added:
            kind = "required-parameter-added" if new[key].required else "parameter-added"
            self.add("request", kind, base, f"{key[0].value} parameter {key[1]!r}")

    def _same(self, old: Schema, new: Schema, loose: bool = False) -> bool:
        return self.canon.text(old, 0, loose) == self.canon.text(new, 1, loose)

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
        if media_base(old.media_type) != media_base(new.media_type):
            self.add("request", "media-type-changed", pointer, "body", old.media_type, new.media_type)
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
                if media_base(response.media_type) != media_base(other.media_type):
                    self.add("response", "media-type-changed", pointer, subject, response.media_type, other.media_type)
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
            schema = replace(target, nullable=target.nullable or schema.nullable)
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
        self._flags(area, old, new, pointer, subject)
        if old.kind != new.kind:
            unions = isinstance(old, UnionSchema) or isinstance(new, UnionSchema)
            if unions and self._union_collapsed(area, old, new, pointer, subject):
                return
            if {old.kind, new.kind} == {"integer", "number"}:
                # Every integer is a number: the same values and more, or fewer.
                kind = "type-widened" if new.kind == "number" else "type-narrowed"
                self.add(area, kind, pointer, subject, old.kind, new.kind)
                self._numeric(area, old, new, pointer, subject)
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
            self._numeric(area, old, new, pointer, subject)
        elif isinstance(old, ArraySchema) and isinstance(new, ArraySchema):
            self._bound(area, "max-items", old.max_items, new.max_items, pointer, subject)
            self._bound(area, "min-items", old.min_items, new.min_items, pointer, subject)
            if old.unique_items != new.unique_items:
                self.add(area, "unique-items-added" if new.unique_items else "unique-items-removed", pointer, subject)
            self._schema(area, old.items, new.items, jp.join(pointer, "items"), f"{subject} items")
        elif isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
            self._object(area, old, new, pointer, subject)
        elif isinstance(old, UnionSchema) and isinstance(new, UnionSchema):
            self._union(area, old, new, pointer, subject)

    def _flags(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> None:
        """Annotations that change what callers see but not what is accepted: defaults, deprecation, read/write."""
        if (old.default is None) != (new.default is None) or (
            old.default is not None and new.default is not None and not json_equal(old.default.value, new.default.value)
        ):
            kind = (
                "default-added"
                if old.default is None
                else "default-removed"
                if new.default is None
                else "default-changed"
            )
            was = _json(old.default.value) if old.default else ""
            now = _json(new.default.value) if new.default else ""
            self.add(area, kind, pointer, subject, was, now)
        if old.deprecated != new.deprecated:
            self.add(area, "became-deprecated" if new.deprecated else "no-longer-deprecated", pointer, subject)
        if old.read_only != new.read_only:
            self.add(area, "became-read-only" if new.read_only else "no-longer-read-only", pointer, subject)
        if old.write_only != new.write_only:
            self.add(area, "became-write-only" if new.write_only else "no-longer-write-only", pointer, subject)

    def _numeric(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> None:
        if not (isinstance(old, NumericBounds) and isinstance(new, NumericBounds)):
            return
        self._bound(area, "maximum", old.maximum, new.maximum, pointer, subject)
        self._bound(area, "minimum", old.minimum, new.minimum, pointer, subject)
        self._bound(area, "exclusive-maximum", old.exclusive_maximum, new.exclusive_maximum, pointer, subject)
        self._bound(area, "exclusive-minimum", old.exclusive_minimum, new.exclusive_minimum, pointer, subject)
        if old.multiple_of != new.multiple_of:
            before, after = old.multiple_of, new.multiple_of
            kind = (
                "multiple-of-added"
                if before is None
                else "multiple-of-removed"
                if after is None
                else "multiple-of-changed"
            )
            self.add(area, kind, pointer, subject, "" if before is None else before, "" if after is None else after)

    def _values(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> None:
        # An enum of one value and a const say the same thing.
        old_const, old_enum = _literal(old)
        new_const, new_enum = _literal(new)
        if old_enum is not None or new_enum is not None:
            before = list(old_enum or ())
            after = list(new_enum or ())
            if old_enum is None:
                if old_const is None:
                    self.add(area, "enum-added", pointer, subject, "", after)
            elif new_enum is None:
                if new_const is None:
                    self.add(area, "enum-removed", pointer, subject, before, "")
            else:
                gone = [v for v in before if not any(json_equal(v, w) for w in after)]
                came = [v for v in after if not any(json_equal(v, w) for w in before)]
                if len(gone) == 1 and len(came) == 1:
                    # One value swapped for another: a rename.
                    self.add(area, "enum-value-renamed", pointer, subject, repr(gone[0]), repr(came[0]))
                    return
                for value in gone:
                    self.add(area, "enum-value-removed", pointer, f"{subject} value {value!r}")
                for value in came:
                    self.add(area, "enum-value-added", pointer, f"{subject} value {value!r}")
            if old_enum is None and old_const is not None and new_enum is not None:
                # A constant that became an enum: the old value is still among them, or it was removed.
                if any(json_equal(old_const, v) for v in new_enum):
                    for value in new_enum:
                        if not json_equal(old_const, value):
                            self.add(area, "enum-value-added", pointer, f"{subject} value {value!r}")
                else:
                    self.add(area, "const-changed", pointer, subject, old_const, _json(list(new_enum)))
            if new_enum is None and new_const is not None and old_enum is not None:
                if any(json_equal(new_const, v) for v in old_enum):
                    for value in old_enum:
                        if not json_equal(new_const, value):
                            self.add(area, "enum-value-removed", pointer, f"{subject} value {value!r}")
                else:
                    self.add(area, "const-changed", pointer, subject, _json(list(old_enum)), new_const)
            return
        if (old_const is None) != (new_const is None) or (
            old_const is not None and new_const is not None and not json_equal(old_const, new_const)
        ):
            self.add(
                area,
                "const-changed",
                pointer,
                subject,
                "" if old_const is None else old_const,
                "" if new_const is None else new_const,
            )

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

        added = [name for name in new_props if name not in old_props]
        for name, prop in old_props.items():
            where = jp.join(pointer, "properties", name)
            if name not in new_props:
                twin = next(
                    (
                        n
                        for n in added
                        if new_props[n].required == prop.required and self._same(prop.schema, new_props[n].schema)
                    ),
                    None,
                )
                if twin is not None:
                    # The same property under another name: one rename, not a removal and an addition.
                    added.remove(twin)
                    kind = "property-renamed" if area == "request" or prop.required else "optional-property-renamed"
                    self.add(area, kind, jp.join(pointer, "properties", twin), label(name), label(name), label(twin))
                    continue
                removed = "property-removed"
                if area == "response" and not prop.required:
                    removed = "optional-property-removed"
                kind = _removal(removed, prop.schema.deprecated, prop.schema.sunset, self.today)
                if kind.startswith(("deprecated-optional", "sunset-optional")):
                    kind = kind.replace("optional-", "")
                self.add(area, kind, where, label(name), prop.schema.sunset if kind.startswith("sunset") else "")
                continue
            other = new_props[name]
            if prop.required != other.required:
                kind = "property-became-required" if other.required else "property-became-optional"
                if area == "request" and other.required and self._read_only(other.schema):
                    kind = "read-only-property-became-required"
                self.add(area, kind, where, label(name))
            self._schema(area, prop.schema, other.schema, where, label(name))
        for name in added:
            prop = new_props[name]
            where = jp.join(pointer, "properties", name)
            kind = "required-property-added" if prop.required else "property-added"
            if area == "request" and prop.required and self._read_only(prop.schema):
                kind = "required-read-only-property-added"
            self.add(area, kind, where, label(name))
        was_closed = old.additional_properties is False
        is_closed = new.additional_properties is False
        if was_closed != is_closed:
            self.add(
                area, "additional-properties-closed" if is_closed else "additional-properties-opened", pointer, subject
            )
        old_extra, new_extra = old.additional_properties, new.additional_properties
        if not isinstance(old_extra, bool) or not isinstance(new_extra, bool):
            # Map values: a schema on either side is compared with the other (``true`` is any value).
            before = old_extra if not isinstance(old_extra, bool) else AnySchema() if old_extra else NeverSchema()
            after = new_extra if not isinstance(new_extra, bool) else AnySchema() if new_extra else NeverSchema()
            if not (is_closed or was_closed):
                values = jp.join(pointer, "additionalProperties")
                self._schema(area, before, after, values, f"{subject} values" if subject else "values")
        self._bound(area, "max-properties", old.max_properties, new.max_properties, pointer, subject)
        self._bound(area, "min-properties", old.min_properties, new.min_properties, pointer, subject)

    def _read_only(self, schema: Schema) -> bool:
        return self._resolve(schema, self.new_api).read_only or schema.read_only

    def _union_collapsed(self, area: str, old: Schema, new: Schema, pointer: str, subject: str) -> bool:
        """A union that lost all but one variant (or a schema that became a union with it): True if so.

        The branch is matched loosely: a nullable flag or a default on either side does not stop the
        match (``X`` -> ``X | null`` is a widening, judged by the nullability rules).
        """
        old_side = isinstance(old, UnionSchema)
        union, single, kind = (old, new, "variant-removed") if old_side else (new, old, "variant-added")
        assert isinstance(union, UnionSchema)
        union_side, single_side = (0, 1) if old_side else (1, 0)
        target = self.canon.text(single, single_side, loose=True)
        kept = next((v for v in union.variants if self.canon.text(v.schema, union_side, loose=True) == target), None)
        if kept is None:
            return False
        for variant in union.variants:
            if variant is not kept:
                self.add(area, kind, pointer, f"{subject} variant {variant.name!r}")
        # The branch as the union gives it: the union's nullability and default apply to it.
        branch = replace(
            kept.schema, nullable=union.nullable or kept.schema.nullable, default=kept.schema.default or union.default
        )
        if old_side:
            self._schema(area, branch, new, pointer, subject)
        else:
            self._schema(area, old, branch, pointer, subject)
        return True

    def _tag(self, variant: Variant, api: Api) -> tuple[object, ...] | None:
        """What an object variant requires and fixes (its constants): how a renamed branch is recognised."""
        schema = self._resolve(variant.schema, api)
        if not isinstance(schema, ObjectSchema) or not schema.required:
            return None
        constants = sorted((p.name, _json(_literal(p.schema)[0])) for p in schema.properties if _literal(p.schema)[0])
        return (schema.required, tuple(constants))

    def _union(self, area: str, old: UnionSchema, new: UnionSchema, pointer: str, subject: str) -> None:
        if old.combinator != new.combinator:
            # oneOf accepts fewer values than anyOf over the same variants.
            kind = "combinator-narrowed" if new.combinator is Combinator.ONE_OF else "combinator-widened"
            self.add(area, kind, pointer, subject, old.combinator.value, new.combinator.value)
        unmatched_new = list(new.variants)
        pairs = []
        leftover_old = []
        # Same content first ($refs resolved, so a renamed component is the same variant), then same name
        # (a $ref or title kept, its content changed: compared inside), then same distinguishing fields.
        for variant in old.variants:
            text = self.canon.text(variant.schema, 0)
            same = next((v for v in unmatched_new if self.canon.text(v.schema, 1) == text), None)
            if same is not None:
                unmatched_new.remove(same)
            else:
                leftover_old.append(variant)
        for variant in list(leftover_old):
            named = next((v for v in unmatched_new if v.name == variant.name), None)
            if named is None:
                tag = self._tag(variant, self.old_api)
                named = next((v for v in unmatched_new if tag is not None and self._tag(v, self.new_api) == tag), None)
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


def _literal(schema: Schema) -> tuple[object | None, tuple[object, ...] | None]:
    """(const, enum) with an enum of one value read as a const."""
    const = schema.const.value if schema.const is not None else None
    enum = schema.enum
    if enum is not None and len(enum) == 1 and const is None:
        return enum[0], None
    return const, enum


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _canonical(schema: Schema, inner: Callable[[Schema], str]) -> str:
    """A spelling-independent text of a schema: prose, property and variant order do not count.

    ``inner`` gives the text of a sub-schema (the caller resolves ``$ref``\\ s there). The text is a
    digest: nested texts stay short, where spelled out they would grow with every level of quoting.
    """
    return hashlib.sha256(_spelled(schema, inner).encode("utf-8")).hexdigest()[:24]


def _spelled(schema: Schema, inner: Callable[[Schema], str]) -> str:
    const, enum = _literal(schema)
    values = (
        _json(const),
        None if enum is None else sorted(_json(v) for v in enum),
        None if schema.default is None else _json(schema.default.value),
        schema.nullable,
        schema.read_only,
        schema.write_only,
    )
    if isinstance(schema, ObjectSchema):
        props = sorted((p.name, p.required, inner(p.schema)) for p in schema.properties)
        extra = schema.additional_properties
        bounds = (schema.min_properties, schema.max_properties)
        return repr(("object", props, extra if isinstance(extra, bool) else inner(extra), bounds, values))
    if isinstance(schema, UnionSchema):
        return repr(("union", schema.combinator.value, sorted(inner(v.schema) for v in schema.variants), values))
    if isinstance(schema, ArraySchema):
        limits = (schema.min_items, schema.max_items, schema.unique_items)
        return repr(("array", inner(schema.items), limits, values))
    skip = ("title", "description", "deprecated", "sunset", "enum", "const", "default")
    fields = {k: v for k, v in schema.__dict__.items() if k not in skip}
    return repr((sorted(fields.items(), key=lambda kv: kv[0]), values))


def _text(value: object) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, (set, frozenset)):
        return repr(sorted(value))
    return str(value)
