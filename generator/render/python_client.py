"""Context builder for the ``python_client`` target: one installable client package per API.

Every decision is made here, into a :class:`ClientContext`; the templates in
``templates/python_client`` only lay text out. What every client shares is the
runtime in ``generator/runtime/client``, copied in unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from generator import __version__
from generator.ir.model import (
    Api,
    ArraySchema,
    ObjectSchema,
    Operation,
    ParameterLocation,
    RefSchema,
    Schema,
    SchemeKind,
)
from generator.render import python_types as types
from generator.render.environment import render_template
from generator.render.examples import example_value
from generator.render.formatting import Draft
from generator.render.model_bridge import ModelPlan
from generator.render.model_package import Exports, ModelPackage, model_package
from generator.render.naming import package_name, python_literal, snake_name, unique
from generator.render.paging import paging_of
from generator.render.python_types import Needs, PyType
from generator.render.subject import Subject
from generator.runtime import source

TEMPLATE_DIR = "python_client"
# Names of the client classes' own members: an operation's method called so would hide them.
_RESERVED = {"self", "body", "close", "aclose", "with_raw_response"}


@dataclass(frozen=True)
class Credential:
    """A constructor argument that becomes an auth header."""

    arg: str
    header: str
    prefix: str  # "Bearer " for bearer tokens
    help: str
    env: tuple[str, ...] = ()  # read from the first of these that is set, when the argument is not passed


@dataclass(frozen=True)
class Argument:
    """A keyword argument of an operation's method. ``default`` is Python source (``None``, ``MISSING``) or None."""

    name: str
    annotation: PyType
    default: Literal["None", "MISSING"] | None = None


@dataclass(frozen=True)
class WireName:
    """An argument's Python name and the name it has on the wire."""

    name: str
    wire: str


@dataclass(frozen=True)
class BodyField:
    """A body property passed as its own keyword argument."""

    name: str
    wire: str
    annotation: PyType


@dataclass(frozen=True)
class Body:
    """An operation's request body: its model and how it goes on the wire."""

    model: str
    fields: tuple[BodyField, ...]
    media: str
    encoding: Literal["json", "form", "multipart", "raw"]


@dataclass(frozen=True)
class Answer:
    """A documented status and what its body becomes (a model, ``None``, ``Any``, ``str`` or ``bytes``)."""

    status: int
    target: PyType


@dataclass(frozen=True)
class CallOptions:
    """The Python names of the per-call options every method takes after the operation's own arguments.

    Named after the options unless an argument of the operation already has the name.
    """

    extra_headers: str
    extra_query: str
    extra_body: str
    timeout: str
    retry: str


@dataclass(frozen=True)
class ClientPaging:
    """The iterator method of a paged operation: the method's arguments that page, and where the items are."""

    method_name: str
    constant: str
    style: Literal["offset", "page", "cursor"]
    start: str  # the argument for where a page starts
    size: str | None  # the argument for how long a page is
    items: tuple[str, ...]  # wire names down to the answer's list of items
    next: tuple[str, ...]  # wire names down to the next page's cursor
    first_page: int
    item_type: PyType


@dataclass(frozen=True)
class ClientOperation:
    """One method of the client."""

    operation_id: str
    method_name: str
    constant: str
    http_method: str
    path: str
    doc: str
    arguments: tuple[Argument, ...]
    path_params: tuple[WireName, ...]
    query_params: tuple[WireName, ...]
    header_params: tuple[WireName, ...]
    body: Body | None
    success: tuple[Answer, ...]
    failures: tuple[Answer, ...]
    returns: PyType
    stream: bool  # server-sent events, read as they arrive rather than as one answer
    idempotent: bool  # safe to retry although its method is not (GET and the like always are)
    options: CallOptions
    paging: ClientPaging | None = None

    def python_name(self, location: ParameterLocation, wire: str) -> str | None:
        """The argument carrying the parameter ``wire`` at ``location``, if the method has one."""
        group = {
            ParameterLocation.PATH: self.path_params,
            ParameterLocation.QUERY: self.query_params,
            ParameterLocation.HEADER: self.header_params,
        }.get(location, ())
        return next((p.name for p in group if p.wire == wire), None)


@dataclass(frozen=True)
class Example:
    """A call of one method for the package's README: Python source made of names and ``repr`` literals."""

    group: str
    source: str

    @property
    def fence(self) -> str:
        """A Markdown code fence longer than any run of backticks in the source."""
        runs = [len(run) for run in "".join(c if c == "`" else " " for c in self.source).split()]
        return "`" * max(3, max(runs, default=0) + 1)


@dataclass(frozen=True)
class ClientContext:
    """Everything the client templates lay out, and what other targets need to know of the client."""

    package: str
    distribution: str
    version: str
    description: str
    title: str
    source: str
    default_base_url: str | None
    auth: tuple[Credential, ...]
    operations: tuple[ClientOperation, ...]
    examples: tuple[Example, ...] = ()

    def operation(self, operation_id: str) -> ClientOperation:
        """The method for ``operation_id``; raises ``KeyError`` if the API has no such operation."""
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)

    @property
    def pagers(self) -> tuple[ClientOperation, ...]:
        """The methods that page."""
        return tuple(op for op in self.operations if op.paging)

    @property
    def idempotent_posts(self) -> tuple[str, ...]:
        """The methods retried though their HTTP method is not safe to repeat, as README code spans."""
        unsafe = ("POST", "PATCH")
        return tuple(f"`{op.method_name}`" for op in self.operations if op.idempotent and op.http_method in unsafe)

    @property
    def uses_streams(self) -> bool:
        """Whether some operation answers with server-sent events."""
        return any(op.stream for op in self.operations)

    @property
    def needs(self) -> frozenset[Needs]:
        """Every name the methods' annotations and answer tables refer to."""
        annotations = [a.annotation for op in self.operations for a in op.arguments]
        annotations += [op.returns for op in self.operations]
        annotations += [answer.target for op in self.operations for answer in (*op.success, *op.failures)]
        annotations += [op.paging.item_type for op in self.operations if op.paging]
        extra = {Needs.MODELS} if any(op.body for op in self.operations) else set()
        return types.needed(annotations) | extra

    @property
    def typing_names(self) -> tuple[str, ...]:
        """What ``client.py`` imports from ``typing``: ``cast`` wraps every answer that is not a stream.

        ``Any`` types the per-call options every method takes.
        """
        cast = ("cast",) if any(not op.stream for op in self.operations) else ()
        return tuple(sorted({*types.typing_imports(self.needs), *cast, "Any"}))

    @property
    def uses_paging(self) -> bool:
        """Whether some operation pages (the package then carries ``_pages``)."""
        return any(op.paging for op in self.operations)

    @property
    def uses_uuid(self) -> bool:
        """Whether some argument also takes a ``uuid.UUID``."""
        return Needs.UUID in self.needs

    @property
    def uses_datetime(self) -> tuple[str, ...]:
        """What ``client.py`` imports from ``datetime`` for arguments that also take dates and times."""
        return tuple(sorted(n.symbol for n in self.needs if n.module == "datetime"))

    @property
    def uses_missing(self) -> bool:
        """Whether some argument defaults to pydantic's ``MISSING``."""
        return Needs.MISSING in self.needs

    @property
    def uses_models(self) -> bool:
        """Whether ``client.py`` refers to the ``models`` module."""
        return Needs.MODELS in self.needs


def client_package(api: Api) -> str:
    """The import name of the client package for ``api``."""
    return f"{package_name(api.name)}_client"


def client_context(subject: Subject, models: ModelPackage | None = None) -> ClientContext:
    """What the client package is made of: method names, argument names, models (for other targets too)."""
    package = client_package(subject.api)
    models = models or model_package(subject.api, package)
    return _context(subject, package, models.plan, models.exports)


def planned_client_context(api: Api, plan: ModelPlan, exports: Exports) -> ClientContext:
    """The client's context from a model plan and its exports, without running the model generator.

    The schema diff reads the public surface of a client from this: the very names ``drafts`` emits.
    """
    return _context(Subject(api), client_package(api), plan, exports)


def drafts(subject: Subject) -> list[Draft]:
    """The client package for the subject's API, unformatted."""
    api = subject.api
    package = client_package(api)
    models = model_package(api, package)
    context = client_context(subject, models)
    files: dict[str, str] = {
        **models.files,
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{package}/__init__.py": render_template(f"{TEMPLATE_DIR}/__init__.py.j2", context),
        f"{package}/py.typed": "",
        f"{package}/_core.py": source("client/_core.py"),
        f"{package}/_client.py": source("client/_client.py"),
        f"{package}/errors.py": source("client/errors.py"),
        f"{package}/client.py": render_template(f"{TEMPLATE_DIR}/client.py.j2", context),
    }
    if context.uses_streams:
        files[f"{package}/_streams.py"] = source("client/_streams.py")
    if context.uses_paging:
        files[f"{package}/_pages.py"] = source("client/_pages.py")
    files["README.md"] = render_template(f"{TEMPLATE_DIR}/README.md.j2", context)
    return [Draft(f"clients/{package_name(api.name)}", files, (package,))]


def _context(subject: Subject, package: str, plan: ModelPlan, exports: Exports) -> ClientContext:
    api, credential_env = subject.api, subject.credential_env
    auth = _auth(api)
    if auth and credential_env:
        first = auth[0]
        help_text = f"{first.help}; default: the environment variable {' or '.join(credential_env)}"
        auth = (replace(first, env=credential_env, help=help_text), *auth[1:])
    auth_params = {(ParameterLocation.HEADER, a.header.lower()) for a in auth}
    method_names: set[str] = set(_RESERVED)
    operations = tuple(_operation(subject, op, plan, exports, auth_params, method_names) for op in api.operations)
    return ClientContext(
        package=package,
        distribution=f"{package_name(api.name).replace('_', '-')}-client",
        version=__version__,
        description=f"Typed client for the {api.title} API (generated)",
        title=api.title,
        source=api.source,
        default_base_url=api.servers[0].url if api.servers else None,
        auth=auth,
        operations=operations,
        examples=_examples(api, operations),
    )


def _examples(api: Api, operations: tuple[ClientOperation, ...]) -> tuple[Example, ...]:
    """One call per operation group (its first tag), with a value for every required argument."""
    examples: dict[str, Example] = {}
    for op, method in zip(api.operations, operations, strict=True):
        group = op.tags[0] if op.tags else ""
        if group in examples:
            continue
        required = {p.name: p.schema for p in op.parameters if p.required}
        wires = {w.name: w.wire for w in (*method.path_params, *method.query_params, *method.header_params)}
        values = [
            f"{argument.name}={python_literal(example_value(api.schema, required[wires[argument.name]]))}"
            for argument in method.arguments
            if argument.default is None and wires.get(argument.name) in required
        ]
        if method.body is not None and op.body is not None:
            example = example_value(api.schema, op.body.schema)
            given = example if isinstance(example, dict) else {}
            values.extend(f"{f.name}={python_literal(given[f.wire])}" for f in method.body.fields if f.wire in given)
        examples[group] = Example(group or "operations", f"client.{method.method_name}({', '.join(values)})")
    return tuple(examples.values())


def _auth(api: Api) -> tuple[Credential, ...]:
    used = {name for op in api.operations for alternative in op.security.alternatives for name in alternative}
    result: list[Credential] = []
    taken: set[str] = set()
    for scheme in api.security_schemes:
        if scheme.name not in used:
            continue
        if scheme.kind is SchemeKind.HTTP_BEARER:
            result.append(
                Credential(unique("token", taken), "Authorization", "Bearer ", "bearer token (Authorization)")
            )
        elif (
            scheme.kind is SchemeKind.API_KEY and scheme.location is ParameterLocation.HEADER and scheme.parameter_name
        ):
            help_text = f"API key ({scheme.parameter_name})"
            result.append(Credential(unique("api_key", taken), scheme.parameter_name, "", help_text))
    return tuple(result)


def _operation(
    subject: Subject,
    op: Operation,
    plan: ModelPlan,
    exports: Exports,
    auth_params: set[tuple[ParameterLocation, str]],
    method_names: set[str],
) -> ClientOperation:
    api = subject.api
    # Names a method's body uses: an argument called so would hide them.
    taken: set[str] = {"self", "body", "models", "cast", "_core", "_streams"}
    arguments: list[Argument] = []
    grouped: dict[ParameterLocation, list[WireName]] = {loc: [] for loc in ParameterLocation}
    ordered = sorted(op.parameters, key=lambda p: not p.required)  # required first, reads better
    for parameter in ordered:
        if (parameter.location, parameter.name.lower()) in auth_params:
            continue  # supplied by the client's credentials
        name = unique(snake_name(parameter.name), taken)
        annotation = types.py_type(api, parameter.schema, exports, friendly=True)
        if parameter.required:
            arguments.append(Argument(name, annotation))
        else:
            arguments.append(Argument(name, annotation.or_none(), "None"))
        grouped[parameter.location].append(WireName(name, parameter.name))
    body = None
    if op.body is not None:
        model = exports.requests[plan.body_class[op.operation_id]]
        body_class = plan.body_class[op.operation_id]
        fields = tuple(
            BodyField(unique(snake_name(wire), taken), wire, _field_type(api, plan, exports, body_class, wire, schema))
            for wire, schema in types.body_properties(api, op.body.schema)
        )
        body = Body(model, fields, op.body.media_type, op.body.encoding)
        arguments.append(Argument("body", types.model(model).or_none(), "None"))
        arguments.extend(Argument(f.name, f.annotation, "MISSING") for f in fields)
    success, failures, returns = _answers(op, plan, exports)
    # After the operation's own arguments: those keep their names whatever options are added later.
    names = ("extra_headers", "extra_query", "extra_body", "timeout", "retry")
    options = CallOptions(*(unique(name, taken) for name in names))
    method_name = unique(snake_name(op.operation_id, "call"), method_names)
    shape = paging_of(api, op, subject.declared_paging(op.operation_id))
    inputs = {w.wire: w.name for w in grouped[ParameterLocation.QUERY]}
    if body is not None:
        inputs.update({f.wire: f.name for f in body.fields})
    paging = None
    if shape is not None and shape.start in inputs and (shape.size is None or shape.size in inputs):
        iterator = unique(f"iter_{method_name}", method_names)
        paging = ClientPaging(
            method_name=iterator,
            constant=iterator.upper(),
            style=shape.style,
            start=inputs[shape.start],
            size=inputs[shape.size] if shape.size is not None else None,
            items=shape.items,
            next=shape.next,
            first_page=shape.first_page,
            item_type=_item_type(api, shape.item_schema, exports),
        )
    return ClientOperation(
        operation_id=op.operation_id,
        method_name=method_name,
        constant=method_name.upper(),
        http_method=op.method,
        path=op.path,
        doc=_doc(op, body is not None),
        arguments=tuple(arguments),
        path_params=tuple(grouped[ParameterLocation.PATH]),
        query_params=tuple(grouped[ParameterLocation.QUERY]),
        header_params=tuple(grouped[ParameterLocation.HEADER]),
        body=body,
        success=success,
        failures=failures,
        returns=returns,
        stream=any(r.is_success and r.is_event_stream for r in op.responses),
        idempotent=subject.is_idempotent(op.operation_id),
        options=options,
        paging=paging,
    )


def _field_type(api: Api, plan: ModelPlan, exports: Exports, body_class: str, wire: str, schema: Schema) -> PyType:
    """A body field's keyword annotation: an inline object (or list of them) typed with the class made for it.

    The class is found by where it comes from (its stable origin: the body, perhaps one of its
    forms, then the property); anything else is typed from its schema.
    """
    root = plan.request_origins.get(body_class)
    if root is not None and isinstance(schema, ObjectSchema | ArraySchema):
        suffix = f"/{wire}/items" if isinstance(schema, ArraySchema) else f"/{wire}"
        found = {
            cls
            for cls, origin in plan.request_classes_by_last_step.get(suffix.rpartition("/")[2], ())
            if origin.startswith(root) and origin.endswith(suffix) and _form_step_only(origin[len(root) : -len(suffix)])
        }
        if len(found) == 1 and (cls := found.pop()) in exports.requests:
            model = types.model(exports.requests[cls])
            typed = PyType(f"list[{model.text}]", model.needs) if isinstance(schema, ArraySchema) else model
            return (typed.or_none() if schema.nullable else typed).or_missing()
    return types.py_type(api, schema, exports, friendly=True).or_missing()


def _form_step_only(between: str) -> bool:
    # Nothing, or one step naming a form of the body (a union variant): the property is the body's own.
    return between == "" or (between.startswith("/variant:") and between.count("/") == 1)


def _item_type(api: Api, schema: Schema, exports: Exports) -> PyType:
    """The type of a paged answer's items: the model of a named schema, else whatever JSON it is."""
    if isinstance(schema, RefSchema):
        cls = exports.named.get(schema.name)
        if cls is not None and (cls in exports.responses or cls in exports.requests):
            return types.model(exports.response_name(cls))
    return types.ANY


def _answers(op: Operation, plan: ModelPlan, exports: Exports) -> tuple[tuple[Answer, ...], tuple[Answer, ...], PyType]:
    success: list[Answer] = []
    failures: list[Answer] = []
    for response in op.responses:
        if not response.status.isdigit():
            continue  # ranges and 'default' fall back to the status's exception class
        status = int(response.status)
        cls = plan.response_class.get((op.operation_id, response.status))
        if response.schema is None:
            target = types.NONE
        elif response.is_raw:
            target = types.raw_answer_type(response) if response.is_success else types.NONE
        elif cls is None:
            target = types.ANY
        else:
            target = types.model(exports.response_name(cls))
        if response.is_success:
            success.append(Answer(status, target))
        else:
            # An error body is parsed only into the vendor's error model; anything else stays raw.
            failures.append(Answer(status, target if target.needs == {Needs.MODELS} else types.NONE))
    return tuple(success), tuple(failures), types.union(a.target for a in success)


def _doc(op: Operation, has_body: bool) -> str:
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    parts.append(f"``{op.method} {op.path}``")
    if has_body:
        parts.append("Pass the body as ``body=`` (a model) or as keyword arguments, not both.")
    return "\n\n".join(parts)
