"""Context builder for the ``fastapi_server`` target: a server stub that doubles as a mock vendor.

Every decision is made here, into a :class:`ServerContext`; the templates in
``templates/fastapi_server`` only lay text out. What every server shares is
the runtime in ``generator/runtime/server``, copied in unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from generator import __version__
from generator.cancel.model import CancelBinding, CancelInput, CancelRole, InputLocation
from generator.ir.model import (
    Api,
    ArraySchema,
    BooleanSchema,
    IntegerSchema,
    NullSchema,
    NumberSchema,
    Operation,
    ParameterLocation,
    RefSchema,
    Response,
    Schema,
    SchemeKind,
    StringSchema,
    UnionSchema,
)
from generator.ir.schema_ops import property_schemas
from generator.ir.validate import FORMAT_SYNTAX
from generator.json_text import indented
from generator.render import python_types as types
from generator.render.environment import render_template
from generator.render.formatting import Draft
from generator.render.model_package import ModelPackage, model_package
from generator.render.naming import package_name, snake_name, unique
from generator.render.openapi_doc import to_openapi
from generator.render.python_types import Needs, PyType
from generator.render.subject import Subject
from generator.runtime import source

TEMPLATE_DIR = "fastapi_server"
_KIND: dict[ParameterLocation, Literal["Path", "Query", "Header"]] = {
    ParameterLocation.PATH: "Path",
    ParameterLocation.QUERY: "Query",
    ParameterLocation.HEADER: "Header",
}
# What a route template can name a path parameter (Starlette's rule); other wire names get their Python name.
_ROUTE_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The runtime modules every server carries, copied unchanged.
RUNTIME_MODULES = ("_http", "_store", "_schema", "_mock", "_faults")


@dataclass(frozen=True)
class RouteParameter:
    """A path, query or header parameter of a route, by Python name and wire name.

    The mock runtime reads and checks it by its wire name; ``convert`` says its
    value must still become the handler's type (a model class) before the call.
    """

    name: str
    wire: str
    annotation: PyType
    kind: Literal["Path", "Query", "Header"]
    required: bool
    convert: bool


@dataclass(frozen=True)
class HandlerArgument:
    """A keyword argument of a handler coroutine."""

    name: str
    annotation: PyType


@dataclass(frozen=True)
class RouteBody:
    """A route's request body: its model and how it is read (form fields by kind)."""

    model: str
    required: bool
    encoding: Literal["json", "form", "multipart", "raw"]
    kinds: tuple[tuple[str, str], ...] | None  # form field -> kind, for form and multipart bodies


@dataclass(frozen=True)
class InputRead:
    """Where the reference cancel reads one input: a body property or a parameter (wire name)."""

    source: Literal["body", "parameter"]
    name: str


@dataclass(frozen=True)
class AnswerField:
    """A property of the cancel's answer and what it holds (see ``_store.AnswerField``)."""

    name: str
    holds: Literal["cancelled", "failed", "run", "status", "success", "request_id"]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceCancel:
    """How the reference handler's cancel reads this operation's inputs and writes its answer."""

    run_ids: InputRead | None
    single_run: bool
    scope: tuple[InputRead, ...]
    filters: tuple[str, ...]
    by_status: InputRead | None
    answer: tuple[AnswerField, ...]


@dataclass(frozen=True)
class Route:
    """One operation: its route, handler coroutine and answer."""

    name: str
    route: str
    key: str  # "METHOD /path", as the served document lists the operation
    tokens: tuple[tuple[str, str], ...]  # path parameters the route template names otherwise: (wire, token)
    http_method: str
    params: tuple[RouteParameter, ...]
    arguments: tuple[HandlerArgument, ...]
    body: RouteBody | None
    status: int
    returns: PyType
    answer_kind: Literal["none", "json", "model", "raw"]
    raw_media: str | None
    auth: tuple[tuple[str, str], ...]  # (kind, header) of the schemes that authenticate it
    doc: str
    cancel: ReferenceCancel | None


@dataclass(frozen=True)
class Semantics:
    """The cancel outcome the reference implementation follows."""

    cancellable: tuple[str, ...]
    cancelled_status: str
    unknown: int | Literal["failed", "ignore"]
    finished: int | Literal["failed", "ignore"]


@dataclass(frozen=True)
class ServerContext:
    """Everything the server templates lay out."""

    package: str
    distribution: str
    version: str
    description: str
    title: str
    source: str
    routes: tuple[Route, ...]
    semantics: Semantics | None
    store_example: str
    formats: tuple[tuple[str, str], ...]  # the formats the IR asserts: (name, pattern of a whole string)

    @property
    def needs(self) -> frozenset[Needs]:
        """Every name the routes' and handlers' annotations refer to."""
        annotations = [p.annotation for r in self.routes for p in r.params]
        annotations += [a.annotation for r in self.routes for a in r.arguments]
        annotations += [r.returns for r in self.routes]
        return types.needed(annotations)

    @property
    def typing_names(self) -> tuple[str, ...]:
        """What the handler modules import from ``typing`` (``Any`` is always used)."""
        return tuple(sorted({"Any", *types.typing_imports(self.needs)}))

    @property
    def app_typing_names(self) -> tuple[str, ...]:
        """What ``app.py`` imports from ``typing``: ``Any`` always, ``Literal`` for converted parameters."""
        needs = types.needed(p.annotation for r in self.routes for p in r.params if p.convert)
        return tuple(sorted({"Any", *types.typing_imports(needs)}))

    @property
    def uses_models(self) -> bool:
        """Whether the handler modules refer to ``models``."""
        return Needs.MODELS in self.needs or any(r.body for r in self.routes)

    @property
    def app_uses_models(self) -> bool:
        """Whether ``app.py`` refers to ``models``: to read a body, or to convert a parameter."""
        return any(r.body for r in self.routes) or any(p.convert for r in self.routes for p in r.params)

    @property
    def uses_streams(self) -> bool:
        """Whether some handler may return an async iterator of chunks."""
        return Needs.ASYNC_ITERATOR in self.needs

    @property
    def uses_form(self) -> bool:
        """Whether some body arrives as form fields or multipart parts (the server then needs python-multipart)."""
        return any(r.body is not None and r.body.kinds is not None for r in self.routes)


def drafts(subject: Subject) -> list[Draft]:
    """The server package for the subject's API, unformatted."""
    api = subject.api
    slug = package_name(api.name)
    package = f"{slug}_server"
    models = model_package(api, package)
    context = server_context(api, subject.cancel, package, models)
    files: dict[str, str] = {
        **models.files,
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{package}/py.typed": "",
        f"{package}/openapi.json": indented(to_openapi(api)) + "\n",
        **{f"{package}/{module}.py": source(f"server/{module}.py") for module in RUNTIME_MODULES},
    }
    for module in ("__init__", "__main__", "app", "handler", "reference"):
        files[f"{package}/{module}.py"] = render_template(f"{TEMPLATE_DIR}/{module}.py.j2", context)
    return [Draft(f"servers/{slug}", files, (package,))]


def server_context(api: Api, cancel: CancelBinding | None, package: str, models: ModelPackage) -> ServerContext:
    """What the server package for ``api`` is made of."""
    base_path = urlsplit(api.servers[0].url).path.rstrip("/") if api.servers else ""
    auth_headers = _auth_headers(api)
    names: set[str] = {"create_app", "openapi", "invalid", "problem"}
    routes = tuple(_route(api, op, cancel, models, base_path, auth_headers, names) for op in api.operations)
    outcome = cancel.outcome if cancel else None
    return ServerContext(
        package=package,
        distribution=f"{package_name(api.name).replace('_', '-')}-server",
        version=__version__,
        description=f"FastAPI server stub and mock of the {api.title} API (generated)",
        title=api.title,
        source=api.source,
        routes=routes,
        semantics=None
        if outcome is None
        else Semantics(outcome.cancellable, outcome.cancelled_status, outcome.unknown, outcome.finished),
        store_example=_store_example(cancel),
        formats=tuple(sorted(FORMAT_SYNTAX.items())),
    )


def _store_example(cancel: CancelBinding | None) -> str:
    """A line of Python seeding one run, for the reference module's docstring (plain text)."""
    status = cancel.outcome.cancellable[0] if cancel and cancel.outcome else "running"
    scope = cancel.of_role(CancelRole.SCOPE) if cancel else ()
    attributes = "".join(f", **{{{s.name!r}: '...'}}" for s in scope)
    return f"store.add('run-1', status={status!r}{attributes})"


def _auth_headers(api: Api) -> dict[str, tuple[str, str]]:
    """Scheme name -> (kind, header) for the schemes a server can check."""
    result: dict[str, tuple[str, str]] = {}
    for scheme in api.security_schemes:
        if scheme.kind is SchemeKind.HTTP_BEARER:
            result[scheme.name] = ("bearer", "authorization")
        elif scheme.kind is SchemeKind.API_KEY and scheme.location is ParameterLocation.HEADER:
            result[scheme.name] = ("api-key", (scheme.parameter_name or "").lower())
    return result


def _route(
    api: Api,
    op: Operation,
    cancel: CancelBinding | None,
    models: ModelPackage,
    base_path: str,
    auth_headers: dict[str, tuple[str, str]],
    names: set[str],
) -> Route:
    name = unique(snake_name(op.operation_id, "call"), names)
    required_schemes = [s for alternative in op.security.alternatives for s in alternative if s in auth_headers]
    auth = tuple(auth_headers[s] for s in dict.fromkeys(required_schemes)) if op.security.required else ()
    consumed = {(ParameterLocation.HEADER, header) for _, header in auth}
    # Names the route function uses itself: a parameter called so would hide them.
    taken: set[str] = {"request", "body", "self", "models", "result", "implementation", "credentials", "payload"}
    params: list[RouteParameter] = []
    route = base_path + op.path
    tokens: list[tuple[str, str]] = []
    for parameter in sorted(op.parameters, key=lambda p: not p.required):
        if parameter.location not in _KIND or (parameter.location, parameter.name.lower()) in consumed:
            continue
        python = unique(snake_name(parameter.name), taken)
        annotation = types.py_type(api, parameter.schema, models.exports)
        if parameter.location is ParameterLocation.PATH and not _ROUTE_TOKEN.fullmatch(parameter.name):
            # The route template names a parameter by its wire name where Starlette allows that name.
            route = route.replace("{" + parameter.name + "}", "{" + python + "}")
            tokens.append((parameter.name, python))
        annotation = annotation if parameter.required else annotation.or_none()
        convert = Needs.MODELS in annotation.needs
        params.append(
            RouteParameter(python, parameter.name, annotation, _KIND[parameter.location], parameter.required, convert)
        )
    arguments = [HandlerArgument(p.name, p.annotation) for p in params]
    body = None
    if op.body is not None:
        model = models.exports.requests[models.plan.body_class[op.operation_id]]
        # Form and multipart fields arrive as text (files as bytes): their schema kinds say how to read them.
        kinds = None
        if op.body.encoding in ("form", "multipart"):
            kinds = tuple((n, _form_kind(api, s)) for n, s in types.body_properties(api, op.body.schema)) or None
        body = RouteBody(model, op.body.required, op.body.encoding, kinds)
        annotation = types.model(model)
        arguments.append(HandlerArgument("body", annotation if op.body.required else annotation.or_none()))
    success = [r for r in op.responses if r.is_success and r.status.isdigit()]
    status = int(success[0].status) if success else 200
    returns = _returns(success[0], op, models) if success else types.NONE
    answer_kind: Literal["none", "json", "model", "raw"] = (
        "none"
        if returns.text == "None"
        else "raw"
        if success[0].is_raw
        else "json"
        if returns.text == "Any"
        else "model"
    )
    reference = None
    if cancel is not None and cancel.operation_id == op.operation_id:
        reference = _reference_cancel(api, cancel, success[0] if success else None)
    return Route(
        name=name,
        route=route,
        key=f"{op.method.upper()} {op.path}",
        tokens=tuple(tokens),
        http_method=op.method,
        params=tuple(params),
        arguments=tuple(arguments),
        body=body,
        status=status,
        returns=returns,
        answer_kind=answer_kind,
        raw_media=success[0].media_type if success and success[0].is_raw else None,
        auth=auth,
        doc="\n\n".join(x for x in (op.summary, op.description, f"``{op.method} {op.path}``") if x),
        cancel=reference,
    )


def _form_kind(api: Api, schema: Schema) -> str:
    """How a form field's text becomes its value: integer, number, boolean, binary, json, array:<kind> or string."""
    match schema:
        case RefSchema():
            return _form_kind(api, api.schema(schema.name))
        case UnionSchema():
            kinds = [_form_kind(api, v.schema) for v in schema.variants if not isinstance(v.schema, NullSchema)]
            return kinds[0] if len(set(kinds)) == 1 else "string"
        case StringSchema():
            return "binary" if schema.is_binary else "string"
        case ArraySchema():
            return "array:" + _form_kind(api, schema.items)
        case IntegerSchema():
            return "integer"
        case NumberSchema():
            return "number"
        case BooleanSchema():
            return "boolean"
        case _:
            return "json"  # objects and anything else arrive as JSON text


def _returns(response: Response, op: Operation, models: ModelPackage) -> PyType:
    if response.schema is None:
        return types.NONE
    if response.is_event_stream:
        # The whole stream at once, or its chunks as they come.
        return PyType("str | AsyncIterator[str]", frozenset({Needs.ASYNC_ITERATOR}))
    if response.is_raw:
        return types.raw_answer_type(response)
    cls = models.plan.response_class.get((op.operation_id, response.status))
    return types.ANY if cls is None else types.model(models.exports.response_name(cls))


def _reference_cancel(api: Api, binding: CancelBinding, success: Response | None) -> ReferenceCancel:
    def read(item: CancelInput) -> InputRead:
        return InputRead("body" if item.location is InputLocation.BODY else "parameter", item.name)

    many = binding.of_role(CancelRole.RUN_IDS)
    one = binding.of_role(CancelRole.RUN_ID)
    run_ids = read(one[-1]) if one else read(many[-1]) if many else None
    by_status = binding.of_role(CancelRole.STATUS)
    return ReferenceCancel(
        run_ids=run_ids,
        single_run=bool(one),
        scope=tuple(read(s) for s in binding.of_role(CancelRole.SCOPE)),
        filters=tuple(f.name for f in binding.of_role(CancelRole.FILTER) if f.location is InputLocation.BODY),
        by_status=read(by_status[0]) if by_status else None,
        answer=_answer_fields(api, binding, success),
    )


def _answer_fields(api: Api, binding: CancelBinding, success: Response | None) -> tuple[AnswerField, ...]:
    """What the cancel's 2xx answer holds: the outcome's lists and run, then the envelope conventions it declares."""
    properties = _answer_properties(api, success.schema) if success and success.schema is not None else {}
    fields: list[AnswerField] = []
    outcome = binding.outcome
    if outcome is not None:
        if outcome.cancelled_list:
            fields.append(AnswerField(outcome.cancelled_list, "cancelled"))
        if outcome.failed_list:
            fields.append(AnswerField(outcome.failed_list, "failed"))
        if outcome.run_property:
            shown = tuple(_answer_properties(api, properties[outcome.run_property]))
            fields.append(AnswerField(outcome.run_property, "run", shown))
    # Envelope conventions: a status code, a message and a request id, when the answer declares them.
    conventions: Sequence[tuple[str, str, Literal["status", "success", "request_id"]]] = (
        ("code", "integer", "status"),
        ("message", "string", "success"),
        ("requestId", "string", "request_id"),
    )
    for name, kind, holds in conventions:
        if name in properties and properties[name].kind == kind:
            fields.append(AnswerField(name, holds))
    return tuple(fields)


def _answer_properties(api: Api, schema: Schema) -> dict[str, Schema]:
    return {name: schemas[0] for name, schemas in property_schemas(api, schema).items()}
