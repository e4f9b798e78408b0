"""The public surface of a generated client, and what changes in it break code written against the old one.

The surface is read from the generators' own decisions, not re-derived: the
modules the model generator writes say which classes ``models`` holds (an enum
definition is a ``Literal`` in each annotation, not a class; a constrained
inline schema may be a class no definition names), the model plan
(:func:`generator.render.model_bridge.plan_models`) says where each comes from,
the client context (:func:`generator.render.python_client.planned_client_context`)
names every method and keyword argument, and the model generator's own resolver
names fields. The models are made as generation makes them, and taken from the
user's store of made models where an earlier run left them; nothing else is rendered.

Every public name sits under a stable key (an operation's method and path, a
class's origin, a parameter's location and wire name, a property's wire
name). The same key under another name is a rename; a key that vanishes is a
removal, unless a new key carries the same content under a new name (a
renamed component, an inline body moved to a component), which is a rename too.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Api
from generator.render.model_bridge import Side
from generator.render.model_package import made_exports, made_module, plan_for
from generator.render.pydantic_models import field_name
from generator.render.python_client import planned_client_context
from generator.specdiff.structural import Change


@dataclass(frozen=True)
class Member:
    """A keyword argument of a method or a field of a class.

    ``detail`` is what a rename keeps (the annotation, or the field's schema); ``values`` are the
    literal values the member is limited to (its enum members), if any.
    """

    key: str
    name: str
    detail: str
    required: bool
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    """A method with its arguments, or a class with its fields; ``shape`` is its content, without prose."""

    key: str
    name: str
    members: tuple[Member, ...]
    shape: str
    pointer: str
    side: str  # "request", "response" or "method": who writes values of it


@dataclass(frozen=True)
class Surface:
    """Every public name of one generated client."""

    methods: tuple[Scope, ...]
    classes: tuple[Scope, ...]


def surface(api: Api) -> Surface:
    """The public names of the client generated from ``api``, each under its stable key."""
    plan = plan_for(api)  # the diff has begun making the models of this very plan
    exports = made_exports(plan)
    context = planned_client_context(api, plan, exports)
    methods = []
    by_id = {op.operation_id: op for op in api.operations}
    for op in context.operations:
        annotations = {a.name: a for a in op.arguments}
        members: list[Member] = []
        for location, group in (("path", op.path_params), ("query", op.query_params), ("header", op.header_params)):
            for wire in group:
                argument = annotations[wire.name]
                members.append(
                    _argument(f"{location}:{wire.wire}", wire.name, argument.annotation.text, argument.default)
                )
        if op.body is not None:
            members.append(_argument("body", "body", op.body.model, "None"))
            members.extend(_argument(f"field:{f.wire}", f.name, f.annotation.text, "MISSING") for f in op.body.fields)
        ir_op = by_id[op.operation_id]
        methods.append(
            Scope(f"{op.http_method.upper()} {op.path}", op.method_name, tuple(members), "", ir_op.pointer, "method")
        )
    classes = []
    for side, document, origins, names in (
        (Side.REQUEST, plan.requests, plan.request_origins, exports.requests),
        (Side.RESPONSE, plan.responses, plan.response_origins, exports.responses),
    ):
        definitions = document["components"]["schemas"]
        unnamed = _unnamed_shapes(document, side, set(names) - set(definitions))
        for cls, public in names.items():
            definition = definitions.get(cls)
            if definition is None:  # the model generator's class of a constrained inline value: no fields
                fields: tuple[Member, ...] = ()
                shape = unnamed[cls]
            else:
                fields = tuple(_fields(definition))
                shape = json.dumps(_prose_free(definition), sort_keys=True)
            key = f"{side.value}:{origins.get(cls, cls)}"
            classes.append(Scope(key, public, fields, shape, "", side.value))
    return Surface(tuple(methods), tuple(classes))


def _unnamed_shapes(document: dict[str, Any], side: Side, wanted: set[str]) -> dict[str, str]:
    """The content of each ``wanted`` class of the side's module, without its name or docstrings."""
    if not wanted:
        return {}
    shapes = {}
    for node in ast.parse(made_module(document, side) or "").body:
        if isinstance(node, ast.ClassDef) and node.name in wanted:
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            shapes[node.name] = "\n".join(ast.dump(n) for n in [*node.bases, *body])
    return shapes


def _argument(key: str, name: str, annotation: str, default: str | None) -> Member:
    return Member(key, name, annotation, default is None, _literal_values(annotation))


def _literal_values(annotation: str) -> tuple[str, ...]:
    # Annotations spell enums as Literal[...] (python_types._literal); the values are Python literals.
    start = annotation.find("Literal[")
    if start < 0:
        return ()
    inner = annotation[start + len("Literal[") : annotation.find("]", start)]
    return tuple(v.strip() for v in inner.split(",") if v.strip())


def _fields(definition: Any) -> Iterable[Member]:
    if not isinstance(definition, dict):
        return
    required = set(definition.get("required", ()))
    for wire, schema in definition.get("properties", {}).items():
        values = tuple(repr(v) for v in _enum_values(schema))
        detail = json.dumps(_prose_free(schema), sort_keys=True)
        yield Member(f"field:{wire}", field_name(wire), detail, wire in required, values)


def _enum_values(schema: Any) -> list[Any]:
    """The values of an enum at the top of a property schema, or in one of its ``anyOf`` branches."""
    if not isinstance(schema, dict):
        return []
    if isinstance(schema.get("enum"), list):
        return [v for v in schema["enum"] if v is not None]
    for branch in schema.get("anyOf", ()):
        values = _enum_values(branch)
        if values:
            return values
    return []


def _prose_free(value: Any) -> Any:
    """A JSON Schema without descriptions and titles: what a description edit does not change."""
    if isinstance(value, dict):
        return {k: _prose_free(v) for k, v in value.items() if k not in ("description", "title")}
    if isinstance(value, list):
        return [_prose_free(v) for v in value]
    return value


# --- comparing two surfaces ----------------------------------------------------------------------------


def diff_surfaces(old: Surface, new: Surface) -> list[Change]:
    """The source changes from ``old`` to ``new``: names that vanish, are renamed or appear."""
    out: list[Change] = []
    _scopes(out, "method", old.methods, new.methods)
    _scopes(out, "class", old.classes, new.classes)
    return out


def _scopes(out: list[Change], what: str, old: tuple[Scope, ...], new: tuple[Scope, ...]) -> None:
    old_by_key = {s.key: s for s in old}
    new_by_key = {s.key: s for s in new}
    old_names = {s.name for s in old}
    new_by_name = {s.name: s for s in new}
    # New scopes nobody had: candidates for a rename of a vanished one.
    fresh = [s for s in new if s.key not in old_by_key and s.name not in old_names]
    matched: list[tuple[Scope, Scope]] = []
    for scope in old:
        other = new_by_key.get(scope.key)
        if other is not None:
            if other.name != scope.name and scope.name not in new_by_name:
                out.append(_change(what, "renamed", scope, scope.name, other.name))
            matched.append((scope, other))
            continue
        if scope.name in new_by_name:
            matched.append((scope, new_by_name[scope.name]))  # moved (another key), same name: nothing vanished
            continue
        twin = next((s for s in fresh if scope.shape and s.shape == scope.shape and s.side == scope.side), None)
        if twin is not None:
            fresh.remove(twin)
            out.append(_change(what, "renamed", scope, scope.name, twin.name))
            matched.append((scope, twin))
        else:
            out.append(_change(what, "removed", scope, scope.name, ""))
    for scope in fresh:
        out.append(_change(what, "added", scope, "", scope.name))
    for before, after in matched:
        _members(out, what, before, after)


def _members(out: list[Change], what: str, old: Scope, new: Scope) -> None:
    member = "argument" if what == "method" else "field"
    new_by_key = {m.key: m for m in new.members}
    old_keys = {m.key for m in old.members}
    new_names = {m.name for m in new.members}
    old_names = {m.name for m in old.members}
    fresh = [m for m in new.members if m.key not in old_keys and m.name not in old_names]

    def qualified(scope: Scope, m: Member) -> str:
        return f"{scope.name}({m.name})" if what == "method" else f"{scope.name}.{m.name}"

    for m in old.members:
        other = new_by_key.get(m.key)
        if other is None and m.name in new_names:
            other = next(n for n in new.members if n.name == m.name)
        if other is None:
            location = m.key.partition(":")[0]
            twin = next((f for f in fresh if f.detail == m.detail and f.key.partition(":")[0] == location), None)
            if twin is not None:
                fresh.remove(twin)
                out.append(_change(member, "renamed", new, qualified(old, m), qualified(new, twin)))
                other = twin
            else:
                out.append(_change(member, "removed", new, qualified(old, m), ""))
                continue
        elif other.name != m.name and m.name not in new_names:
            out.append(_change(member, "renamed", new, qualified(old, m), qualified(new, other)))
        if what == "method":
            if other.required and not m.required:
                out.append(_change(member, "became-required", new, "", "", qualified(new, other)))
            elif other.detail != m.detail and not (other.values and m.values) and m.key != "body":
                # The body's model: a renamed class is reported as such. Two enums: judged member by member.
                out.append(_change(member, "type-changed", new, m.detail, other.detail, qualified(new, other)))
        _values(out, new, qualified(new, other), m.values, other.values)
    for m in fresh:
        kind = "added-required" if what == "method" and m.required else "added"
        out.append(_change(member, kind, new, "", qualified(new, m)))


def _values(out: list[Change], scope: Scope, where: str, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if not old or not new:
        return  # an enum that appears or goes is a type change, judged on the wire
    gone = [v for v in old if v not in new]
    came = [v for v in new if v not in old]
    if len(gone) == 1 and len(came) == 1:
        out.append(_change("enum-member", "renamed", scope, f"{where} {gone[0]}", f"{where} {came[0]}"))
        return
    for value in gone:
        out.append(_change("enum-member", "removed", scope, f"{where} {value}", ""))


def _change(what: str, how: str, scope: Scope, before: str, after: str, subject: str = "") -> Change:
    """A source change; ``before`` and ``after`` are the old and the new public name (or type)."""
    # A field's or an enum member's kind says the side, so that the rules can tell a request class
    # (callers build it) from a response class (callers read it).
    side = "" if scope.side == "method" or what in ("method", "class") else f"{scope.side}-"
    if what == "enum-member" and scope.side == "method":
        side = "request-"
    operation = scope.key if scope.side == "method" else ""
    return Change("sdk", f"{side}{what}-{how}", operation, scope.pointer, subject or before or after, before, after)
