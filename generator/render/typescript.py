"""Context builder for the ``typescript`` target: one npm package per API, under ``ts/<api>/``.

Types come from the IR, per schema kind: request types are exact (``oneOf``
exclusions and forbidden properties as ``?: never``, optional distinct from
nullable, enums as literal unions), answer types lenient (an enum also admits
other strings, as servers grow). Type names come from the same planning as the
Python models. The fetch core and the errors are real TypeScript under
``generator/runtime/typescript/client``, copied in unchanged; the templates in
``templates/typescript`` only lay text out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator import __version__
from generator.ir.model import (
    AnySchema,
    Api,
    ArraySchema,
    BooleanSchema,
    IntegerSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Operation,
    ParameterLocation,
    RefSchema,
    Response,
    Schema,
    SchemeKind,
    StringSchema,
    UnionSchema,
    Variant,
    media_base,
)
from generator.ir.schema_ops import property_schemas
from generator.render.environment import render_template
from generator.render.formatting import Draft
from generator.render.model_bridge import plan_models, stable_class_names
from generator.render.naming import package_name, ts_camel_name, ts_literal, ts_property_key, ts_type_name, unique
from generator.render.subject import Subject
from generator.render.ts_shapes import Shape, ShapeWriter
from generator.runtime import source

TEMPLATE_DIR = "typescript"
# The compiler the packages are written for; the Makefile installs the same version to check them.
TYPESCRIPT_VERSION = "5.6.3"
Side = Literal["request", "response"]
_TEXT_MEDIA = ("application/xml", "application/yaml", "application/x-yaml", "application/javascript")
# Names the generated modules use themselves: a type or member called so would shadow them.
_CLIENT_NAMES = {"Client", "ClientSettings", "Core", "models", "errors", "CallOptions", "ClientOptions", "Endpoint"}
_ERROR_CLASSES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "ValidationError",
    429: "RateLimitError",
}


# --- types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    """One exported type of ``models.ts``."""

    name: str
    text: str
    doc: str


class TypeWriter:
    """TypeScript types for the IR schemas of one API, on one side (requests exact, answers lenient).

    Named schemas become declarations under names from ``names``; ``qualifier``
    prefixes references to them (``models.`` outside ``models.ts``).
    """

    def __init__(self, api: Api, side: Side, names: dict[str, str], qualifier: str = "") -> None:
        self.api = api
        self.side = side
        self.names = names
        self.qualifier = qualifier

    def type_of(self, schema: Schema) -> str:
        """The type of values of ``schema``; ``null`` is added only where the schema is nullable."""
        core = self._core(schema)
        if schema.nullable and core not in ("unknown", "null") and not core.endswith("| null"):
            return f"{_wrap(core)} | null"
        return core

    def _core(self, schema: Schema) -> str:
        if schema.const is not None:
            return ts_literal(schema.const.value)
        if schema.enum is not None and all(_literal_value(v) for v in schema.enum):
            return self._enum(schema)
        return _KINDS[schema.kind](self, schema)

    def _enum(self, schema: Schema) -> str:
        assert schema.enum is not None
        values = list(dict.fromkeys(ts_literal(v) for v in schema.enum))
        if not values:
            return "never"
        # Answers grow: a value added to an enum after generation still arrives, as a plain string.
        if self.side == "response" and any(isinstance(v, str) for v in schema.enum):
            values.append("(string & {})")
        return " | ".join(values)

    def _ref(self, schema: Schema) -> str:
        assert isinstance(schema, RefSchema)
        if schema.name in self.names:
            return f"{self.qualifier}{self.names[schema.name]}"
        return self.type_of(self.api.schema(schema.name))

    def _string(self, schema: Schema) -> str:
        assert isinstance(schema, StringSchema)
        return "Blob" if schema.is_binary and self.side == "request" else "string"

    def _array(self, schema: Schema) -> str:
        assert isinstance(schema, ArraySchema)
        item = self.type_of(schema.items)
        return f"{item}[]" if _simple(item) else f"Array<{item}>"

    def _object(self, schema: Schema) -> str:
        assert isinstance(schema, ObjectSchema)
        extra = schema.additional_properties
        if not schema.properties:
            if extra is False and self.side == "request":
                return "Record<string, never>"
            return f"Record<string, {self.type_of(extra) if not isinstance(extra, bool) else 'unknown'}>"
        members = [
            f"{ts_property_key(p.name)}{'' if p.required else '?'}: {self.type_of(p.schema)}" for p in schema.properties
        ]
        if not isinstance(extra, bool):
            members.append("[key: string]: unknown")  # the declared properties' types must fit the index too
        return "{ " + "; ".join(members) + " }"

    def _union(self, schema: Schema) -> str:
        assert isinstance(schema, UnionSchema)
        parts = list(dict.fromkeys(self._variant(v) for v in schema.variants))
        return " | ".join(_wrap(p) for p in parts) if parts else "never"

    def _variant(self, variant: Variant) -> str:
        """One branch; on the request side, what it forbids and excludes (oneOf) becomes ``?: never``."""
        base = self.type_of(variant.schema)
        if self.side == "response" or not _is_object(self.api, variant.schema):
            return base
        parts = [_wrap(base)]
        if variant.forbids:
            parts.append("{ " + "; ".join(f"{ts_property_key(n)}?: never" for n in variant.forbids) + " }")
        for excluded in variant.excludes:
            if not excluded:
                continue  # nothing to leave out: another variant takes every value, and the union with it
            # Not all of them together: at least one is absent.
            parts.append("(" + " | ".join(f"{{ {ts_property_key(n)}?: never }}" for n in excluded) + ")")
        return " & ".join(parts)


_KINDS: dict[str, Callable[[TypeWriter, Schema], str]] = {
    "any": lambda writer, schema: "unknown",
    "never": lambda writer, schema: "never",
    "null": lambda writer, schema: "null",
    "boolean": lambda writer, schema: "boolean",
    "integer": lambda writer, schema: "number",
    "number": lambda writer, schema: "number",
    "string": TypeWriter._string,
    "array": TypeWriter._array,
    "object": TypeWriter._object,
    "union": TypeWriter._union,
    "ref": TypeWriter._ref,
}


def _literal_value(value: object) -> bool:
    return value is None or isinstance(value, (str, bool, int, float))


def _simple(text: str) -> bool:
    # A type that reads right before "[]": a name, a keyword, a literal, an object or an array of those.
    return all(c.isalnum() or c in "_$.[]" for c in text) or (text.startswith("{") and text.endswith("}"))


def _wrap(text: str) -> str:
    """Parentheses around a union or intersection, where it is one part of a larger type."""
    depth = 0
    for c in text:
        if c in "({[<":
            depth += 1
        elif c in ")}]>":
            depth -= 1
        elif c in "|&" and depth == 0:
            return f"({text})"
    return text


def _is_object(api: Api, schema: Schema) -> bool:
    seen: set[str] = set()
    while isinstance(schema, RefSchema) and schema.name not in seen:
        seen.add(schema.name)
        schema = api.schema(schema.name)
    return isinstance(schema, ObjectSchema)


def _refs(schema: Schema) -> Iterable[str]:
    """Names of the named schemas ``schema`` refers to directly (not through other named schemas)."""
    stack = [schema]
    while stack:
        current = stack.pop()
        if isinstance(current, RefSchema):
            yield current.name
        elif isinstance(current, ArraySchema):
            stack.append(current.items)
        elif isinstance(current, ObjectSchema):
            stack.extend(p.schema for p in current.properties)
            if not isinstance(current.additional_properties, bool):
                stack.append(current.additional_properties)
        elif isinstance(current, UnionSchema):
            stack.extend(v.schema for v in current.variants)


def _reachable(api: Api, roots: Iterable[Schema]) -> list[str]:
    """Named schemas ``roots`` refer to, directly or not, in the spec's order."""
    found: set[str] = set()
    stack = [name for root in roots for name in _refs(root)]
    while stack:
        name = stack.pop()
        if name not in found:
            found.add(name)
            stack.extend(_refs(api.schema(name)))
    return [n.name for n in api.schemas if n.name in found]


# --- the package ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Credential:
    """A client setting that becomes an auth header."""

    option: str
    header: str
    prefix: str
    help: str
    env: tuple[str, ...]


@dataclass(frozen=True)
class Param:
    """A member of an operation's parameters object, and where its value travels."""

    name: str
    wire: str
    location: Literal["path", "query", "headers"]
    type: str
    required: bool
    doc: str


@dataclass(frozen=True)
class Answer:
    """A documented success status and how its body is read."""

    status: int
    kind: Literal["json", "none", "text", "bytes", "stream"]


@dataclass(frozen=True)
class Failure:
    """A documented error status: the error class thrown for it and the type of its parsed body."""

    status: int
    error_class: str
    body: str


@dataclass(frozen=True)
class TsOperation:
    """One async method of the client."""

    operation_id: str
    method: str
    params_type: str
    error_type: str
    http_method: str
    path: str
    doc: str
    params: tuple[Param, ...]
    body_type: str | None
    body_required: bool
    body_media: str | None
    body_encoding: str | None
    success: tuple[Answer, ...]
    failures: tuple[Failure, ...]
    returns: str
    # The parameters object's schema as data (members by their TypeScript names, `body` among them).
    request_shape: Shape | None = None

    @property
    def params_optional(self) -> bool:
        """Whether the parameters object may be left out (nothing in it is required)."""
        return not self.body_required and not any(p.required for p in self.params)

    def param_named(self, location: ParameterLocation, wire: str) -> str | None:
        """The member carrying the parameter ``wire`` at ``location``, if the method has one."""
        where = {ParameterLocation.PATH: "path", ParameterLocation.QUERY: "query", ParameterLocation.HEADER: "headers"}
        return next((p.name for p in self.params if p.location == where.get(location) and p.wire == wire), None)

    def grouped(self, location: str) -> tuple[Param, ...]:
        """The members travelling at ``location`` (path, query, headers)."""
        return tuple(p for p in self.params if p.location == location)


@dataclass(frozen=True)
class TypeCase:
    """One line of the type-level test: a value that must (or must not) have the type."""

    name: str
    type: str
    value: str
    valid: bool
    why: str


@dataclass(frozen=True)
class TsContext:
    """Everything the TypeScript package templates lay out."""

    name: str
    package: str
    version: str
    typescript: str
    description: str
    title: str
    source: str
    default_base_url: str | None
    auth: tuple[Credential, ...]
    declarations: tuple[Declaration, ...]
    operations: tuple[TsOperation, ...]
    cases: tuple[TypeCase, ...]
    # The named request schemas the operations' shapes refer to, by index.
    shape_defs: tuple[Shape, ...] = ()

    def operation(self, operation_id: str) -> TsOperation:
        """The method for ``operation_id``; raises ``KeyError`` if the API has no such operation."""
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)

    @property
    def error_classes(self) -> tuple[str, ...]:
        """The error classes the operations' error types name."""
        return tuple(sorted({"ApiError", *(f.error_class for op in self.operations for f in op.failures)}))


def ts_package(api: Api) -> str:
    """The npm name of the package for ``api``."""
    return f"{package_name(api.name).replace('_', '-')}-client"


def ts_directory(api: Api) -> str:
    """Where the package for ``api`` goes in the output."""
    return f"ts/{package_name(api.name)}"


def drafts(subject: Subject) -> list[Draft]:
    """The npm package for the subject's API."""
    context = ts_context(subject)
    files = {
        "package.json": render_template(f"{TEMPLATE_DIR}/package.json.j2", context),
        "tsconfig.json": render_template(f"{TEMPLATE_DIR}/tsconfig.json.j2", context),
        "README.md": render_template(f"{TEMPLATE_DIR}/README.md.j2", context),
        "src/core.ts": source("typescript/client/core.ts"),
        "src/errors.ts": source("typescript/client/errors.ts"),
        "src/validate.ts": source("typescript/client/validate.ts"),
        "src/schemas.ts": render_template(f"{TEMPLATE_DIR}/schemas.ts.j2", context),
        "src/models.ts": render_template(f"{TEMPLATE_DIR}/models.ts.j2", context),
        "src/client.ts": render_template(f"{TEMPLATE_DIR}/client.ts.j2", context),
        "src/index.ts": render_template(f"{TEMPLATE_DIR}/index.ts.j2", context),
        "type-tests/requests.ts": render_template(f"{TEMPLATE_DIR}/type-tests.ts.j2", context),
        "type-tests/tsconfig.json": render_template(f"{TEMPLATE_DIR}/type-tests.tsconfig.json.j2", context),
    }
    return [Draft(ts_directory(subject.api), files)]


def ts_context(subject: Subject) -> TsContext:
    """What the package is made of: types, methods and type-level test cases (the unified package reads it too)."""
    api = subject.api
    plan = plan_models(api)  # the Python models' names for bodies and answers, so both languages agree
    named = stable_class_names([n.name for n in api.schemas])
    bodies = [op.body.schema for op in api.operations if op.body is not None]
    inputs = [p.schema for op in api.operations for p in op.parameters]
    answers = [r.schema for op in api.operations for r in op.responses if r.schema is not None and not r.is_raw]
    request_named = _reachable(api, [*bodies, *inputs])
    response_named = _reachable(api, answers)
    taken: set[str] = set(_CLIENT_NAMES)
    request_names = {n: unique(named[n], taken) for n in request_named}
    response_names = {
        n: unique(named[n] if n not in request_names else f"{named[n]}Response", taken) for n in response_named
    }
    requests = TypeWriter(api, "request", request_names)
    responses = TypeWriter(api, "response", response_names)
    declarations = [_declaration(request_names[n], requests, api.schema(n)) for n in request_named]
    declarations += [_declaration(response_names[n], responses, api.schema(n)) for n in response_named]
    qualified_requests = TypeWriter(api, "request", request_names, "models.")
    qualified_responses = TypeWriter(api, "response", response_names, "models.")
    methods: set[str] = {"constructor"}
    shapes = ShapeWriter(api)
    operations: list[TsOperation] = []
    cases: list[TypeCase] = []
    for op in api.operations:
        body_type = None
        if op.body is not None:
            if isinstance(op.body.schema, RefSchema):
                body_type = f"models.{request_names[op.body.schema.name]}"
            else:
                name = unique(ts_type_name(plan.body_class[op.operation_id]), taken)
                declarations.append(_declaration(name, requests, op.body.schema))
                body_type = f"models.{name}"
            cases.extend(_cases(api, op.body.schema, body_type, len(cases)))
        answer_types: dict[str, str] = {}
        for response in op.responses:
            cls = plan.response_class.get((op.operation_id, response.status))
            if isinstance(response.schema, RefSchema):
                answer_types[response.status] = f"models.{response_names[response.schema.name]}"
            elif response.schema is not None and not response.is_raw and cls is not None:
                name = unique(ts_type_name(cls), taken)
                declarations.append(_declaration(name, responses, response.schema))
                answer_types[response.status] = f"models.{name}"
        operation = _operation(
            api, op, body_type, answer_types, qualified_requests, qualified_responses, methods, taken
        )
        operation = dataclasses.replace(operation, request_shape=_request_shape(shapes, op, operation))
        operations.append(operation)
        cases.extend(_parameter_cases(api, op, operation, len(cases)))
    return TsContext(
        name=api.name,
        package=ts_package(api),
        version=__version__,
        typescript=TYPESCRIPT_VERSION,
        description=f"Typed client for the {api.title} API (generated)",
        title=api.title,
        source=api.source,
        default_base_url=api.servers[0].url if api.servers else None,
        auth=_auth(api, subject.credential_env),
        declarations=tuple(declarations),
        operations=tuple(operations),
        cases=tuple(cases),
        shape_defs=tuple(shapes.defs),
    )


def _request_shape(shapes: ShapeWriter, op: Operation, method: TsOperation) -> Shape:
    """The shape of ``method``'s parameters object: each member under its TypeScript name, then ``body``."""
    where = {"path": ParameterLocation.PATH, "query": ParameterLocation.QUERY, "headers": ParameterLocation.HEADER}
    members: list[list[object]] = []
    for param in method.params:
        parameter = op.parameter(where[param.location], param.wire)
        assert parameter is not None  # every member comes from one of the operation's parameters
        members.append([param.name, shapes.shape(parameter.schema), param.required])
    if op.body is not None:
        body = shapes.shape(op.body.schema)
        if op.body.encoding == "raw" and not isinstance(_resolve(shapes.api, op.body.schema), StringSchema):
            body = {"k": "any"}  # sent as the caller gave it (bytes, a stream): nothing JSON to check
        members.append(["body", body, op.body.required])
    return {"k": "obj", "p": members} if members else {"k": "obj"}


def _declaration(name: str, writer: TypeWriter, schema: Schema) -> Declaration:
    return Declaration(name, writer.type_of(schema), schema.description or schema.title or "")


def _auth(api: Api, credential_env: tuple[str, ...]) -> tuple[Credential, ...]:
    used = {name for op in api.operations for alternative in op.security.alternatives for name in alternative}
    result: list[Credential] = []
    # The other settings, and the constructor's own local names.
    taken: set[str] = {"baseUrl", "timeoutMs", "retry", "headers", "fetch", "validate", "auth", "settings"}
    for scheme in api.security_schemes:
        if scheme.name not in used:
            continue
        if scheme.kind is SchemeKind.HTTP_BEARER:
            option = unique("token", taken)
            result.append(Credential(option, "Authorization", "Bearer ", "bearer token (Authorization)", ()))
        elif (
            scheme.kind is SchemeKind.API_KEY and scheme.location is ParameterLocation.HEADER and scheme.parameter_name
        ):
            option = unique("apiKey", taken)
            result.append(Credential(option, scheme.parameter_name, "", f"API key ({scheme.parameter_name})", ()))
    if result and credential_env:
        # The first credential is read from the vendor SDK's environment variables when not passed.
        first = result[0]
        result[0] = Credential(
            first.option,
            first.header,
            first.prefix,
            f"{first.help}; default: {' or '.join(credential_env)}",
            credential_env,
        )
    return tuple(result)


def _operation(
    api: Api,
    op: Operation,
    body_type: str | None,
    answer_types: dict[str, str],
    requests: TypeWriter,
    responses: TypeWriter,
    methods: set[str],
    taken: set[str],
) -> TsOperation:
    method = unique(ts_camel_name(op.operation_id, "call"), methods)
    members: set[str] = {"body"}
    auth_headers = {
        (scheme.parameter_name or "").lower()
        for scheme in api.security_schemes
        if scheme.kind is SchemeKind.API_KEY and scheme.location is ParameterLocation.HEADER
    }
    params: list[Param] = []
    for parameter in sorted(op.parameters, key=lambda p: not p.required):
        if parameter.location is ParameterLocation.COOKIE:
            continue  # fetch cannot set cookies: pass them through `headers` by hand
        if parameter.location is ParameterLocation.HEADER and parameter.name.lower() in auth_headers:
            continue  # supplied by the client's credentials
        location: Literal["path", "query", "headers"] = (
            "headers" if parameter.location is ParameterLocation.HEADER else parameter.location.value  # type: ignore[assignment]
        )
        params.append(
            Param(
                name=unique(ts_camel_name(parameter.name), members),
                wire=parameter.name,
                location=location,
                type=requests.type_of(parameter.schema),
                required=parameter.required,
                doc=parameter.description or "",
            )
        )
    success: list[Answer] = []
    failures: list[Failure] = []
    returns: list[str] = []
    for response in op.responses:
        if not response.status.isdigit():
            continue  # ranges and 'default' fall back to the status's error class
        status = int(response.status)
        if response.is_success:
            kind, type_ = _answer(response, answer_types.get(response.status))
            success.append(Answer(status, kind))
            returns.append(type_)
        else:
            cls = "ServerError" if status >= 500 else _ERROR_CLASSES.get(status, "ApiError")
            failures.append(Failure(status, cls, answer_types.get(response.status, "unknown")))
    base = ts_type_name(op.operation_id, "Call")
    error_type = unique(f"{base}Error", taken)
    return TsOperation(
        operation_id=op.operation_id,
        method=method,
        params_type=unique(f"{base}Params", taken),
        error_type=error_type,
        http_method=op.method,
        path=op.path,
        doc=_error_note(_doc(op), error_type),
        params=tuple(params),
        body_type=body_type,
        body_required=op.body is not None and op.body.required,
        body_media=op.body.media_type if op.body is not None else None,
        body_encoding=op.body.encoding if op.body is not None else None,
        success=tuple(success),
        failures=tuple(failures),
        returns=" | ".join(dict.fromkeys(returns)) if returns else "unknown",
    )


def _answer(response: Response, named: str | None) -> tuple[Literal["json", "none", "text", "bytes", "stream"], str]:
    if response.schema is None:
        return "none", "void"
    if response.is_event_stream:
        return "stream", "Response"  # read as it arrives: the body is a stream
    if response.is_raw:
        base = media_base(response.media_type)
        text = base.startswith("text/") or base in _TEXT_MEDIA or base.endswith(("+xml", "+yaml"))
        return ("text", "string") if text else ("bytes", "Uint8Array")
    return "json", named or "unknown"


def _doc(op: Operation) -> str:
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    parts.append(f"`{op.method} {op.path}`")
    return "\n\n".join(parts)


def _error_note(doc: str, error_type: str) -> str:
    return f"{doc}\n\nThrows a `{error_type}` for an error answer."


# --- the type-level test ---------------------------------------------------------------------


def _cases(api: Api, schema: Schema, type_: str, start: int) -> list[TypeCase]:
    """Values a body type must accept, and values it must refuse because the spec forbids their shape."""
    found: list[tuple[str, bool, str]] = []
    resolved = _resolve(api, schema)
    # A property's schema wherever the body declares it: what a forbidden property would be given.
    declared = {name: schemas[0] for name, schemas in property_schemas(api, schema).items()}
    if isinstance(resolved, UnionSchema):
        for variant in resolved.variants:
            form = _resolve(api, variant.schema)
            if not isinstance(form, ObjectSchema):
                continue
            base = _required_sample(api, form)
            if base is None:
                continue
            found.append((_object_text(base), True, f"the {variant.name!r} form"))
            added = [(tuple(e), f"with {'+'.join(e)} as well") for e in variant.excludes if e]
            added += [((name,), f"with {name}, which it forbids") for name in variant.forbids]
            for names, what in added:
                extra = _with(api, declared, base, names)
                if extra is None:
                    continue
                # Another variant may take the same keys (anyOf): then the value is fine, and says so.
                keys = {*base, *names}
                valid = any(_takes(other, keys) for other in resolved.variants if other is not variant)
                found.append((extra, valid, f"the {variant.name!r} form {what}"))
    elif isinstance(resolved, ObjectSchema):
        base = _required_sample(api, resolved)
        if base is not None:
            found.append((_object_text(base), True, "the required properties"))
            found.extend(_object_cases(api, resolved, base))
    return [TypeCase(f"case{start + i}", type_, value, valid, why) for i, (value, valid, why) in enumerate(found)]


def _object_cases(api: Api, form: ObjectSchema, base: dict[str, str]) -> list[tuple[str, bool, str]]:
    found: list[tuple[str, bool, str]] = []
    for name in form.required:
        found.append((_object_text({k: v for k, v in base.items() if k != name}), False, f"without {name}"))
        break  # one missing property proves the point
    if form.additional_properties is False:
        found.append((_object_text({**base, "not_in_the_spec": "1"}), False, "a property the closed object lacks"))
    for prop in form.properties:
        if prop.required:
            continue
        target = _resolve(api, prop.schema)
        if not _accepts_null(api, prop.schema, 0):
            found.append(
                (_object_text({**base, prop.name: "null"}), False, f"{prop.name} null: optional, not nullable")
            )
        if target.enum and all(isinstance(v, str) for v in target.enum):
            wrong = ts_literal("not-" + "-".join(str(v) for v in target.enum)[:40])
            found.append((_object_text({**base, prop.name: wrong}), False, f"{prop.name} outside its enum"))
        if len(found) > 8:
            break  # a few per body are proof enough; the compiler's time is better spent elsewhere
    return found


def _with(api: Api, declared: dict[str, Schema], base: dict[str, str], names: Sequence[str]) -> str | None:
    """``base`` with a value of the right type for each of ``names``: wrong only in being there at all."""
    values = dict(base)
    for name in names:
        value = _sample(api, declared[name], 0) if name in declared else None
        if value is None:
            return None
        values[name] = value
    return _object_text(values)


def _resolve(api: Api, schema: Schema) -> Schema:
    seen: set[str] = set()
    while isinstance(schema, RefSchema) and schema.name not in seen:
        seen.add(schema.name)
        schema = api.schema(schema.name)
    return schema


def _object_text(values: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{ts_property_key(k)}: {v}" for k, v in values.items()) + " }" if values else "{}"


def _required_sample(api: Api, form: ObjectSchema, depth: int = 0) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for prop in form.properties:
        if prop.required:
            value = _sample(api, prop.schema, depth + 1)
            if value is None:
                return None
            values[prop.name] = value
    return values


def _sample(api: Api, schema: Schema, depth: int) -> str | None:
    """A TypeScript value of the request type of ``schema`` (types only: formats and bounds aside); None if unsure."""
    if depth > 6:
        return None
    if schema.const is not None:
        return ts_literal(schema.const.value)
    if schema.enum is not None:
        return ts_literal(schema.enum[0]) if schema.enum and _literal_value(schema.enum[0]) else None
    if isinstance(schema, RefSchema):
        return _sample(api, api.schema(schema.name), depth + 1)
    if isinstance(schema, StringSchema):
        return "new Blob([])" if schema.is_binary else '"x"'
    if isinstance(schema, (IntegerSchema, NumberSchema)):
        return "1"
    if isinstance(schema, BooleanSchema):
        return "true"
    if isinstance(schema, (NullSchema, AnySchema)):
        return "null"
    if isinstance(schema, ArraySchema):
        return "[]"
    if isinstance(schema, ObjectSchema):
        values = _required_sample(api, schema, depth)
        return None if values is None else _object_text(values)
    if isinstance(schema, UnionSchema):
        for variant in schema.variants:
            form = _resolve(api, variant.schema)
            if isinstance(form, ObjectSchema) and (variant.forbids or variant.excludes):
                values = _required_sample(api, form, depth)
                if values is not None:
                    return _object_text(values)
                continue
            value = _sample(api, variant.schema, depth + 1)
            if value is not None:
                return value
        return None
    if isinstance(schema, NeverSchema):
        return None
    return None


def _accepts_null(api: Api, schema: Schema, depth: int) -> bool:
    """Whether the request type of ``schema`` admits ``null`` (or cannot be known to refuse it)."""
    if depth > 8 or schema.nullable or isinstance(schema, (AnySchema, NullSchema)):
        return True
    if schema.const is not None:
        return schema.const.value is None
    if schema.enum is not None:
        return None in schema.enum or not all(_literal_value(v) for v in schema.enum)
    if isinstance(schema, RefSchema):
        return _accepts_null(api, api.schema(schema.name), depth + 1)
    if isinstance(schema, UnionSchema):
        return any(_accepts_null(api, v.schema, depth + 1) for v in schema.variants)
    return False


def _takes(variant: Variant, keys: set[str]) -> bool:
    """Whether an object with exactly these property names can match ``variant`` (values aside)."""
    return (
        set(variant.requires) <= keys
        and not keys & set(variant.forbids)
        and (variant.allows is None or keys <= set(variant.allows))
        and not any(set(excluded) <= keys for excluded in variant.excludes)
    )


def _parameter_cases(api: Api, op: Operation, method: TsOperation, start: int) -> list[TypeCase]:
    """A method's parameters object: the required ones pass; one missing, or an enum value outside, does not."""
    schemas = {
        (p.location.value if p.location is not ParameterLocation.HEADER else "headers", p.name): p.schema
        for p in op.parameters
    }
    required = [p for p in method.params if p.required]
    if not method.params or method.body_type is not None:
        return []  # methods with a body are covered by the body's cases
    values: dict[str, str] = {}
    for param in required:
        value = _sample(api, schemas[(param.location, param.wire)], 0)
        if value is None:
            return []
        values[param.name] = value
    type_ = f"client.{method.params_type}"
    found = [(_object_text(values), True, f"the required parameters of {method.method}")]
    if required:
        missing = required[-1].name
        rest = {k: v for k, v in values.items() if k != missing}
        found.append((_object_text(rest), False, f"{method.method} without {missing}"))
    for param in method.params:
        target = _resolve(api, schemas[(param.location, param.wire)])
        if target.enum and all(isinstance(v, str) for v in target.enum):
            wrong = ts_literal("not-" + "-".join(str(v) for v in target.enum)[:40])
            found.append((_object_text({**values, param.name: wrong}), False, f"{param.name} outside its enum"))
            break
    return [TypeCase(f"case{start + i}", type_, value, valid, why) for i, (value, valid, why) in enumerate(found)]
