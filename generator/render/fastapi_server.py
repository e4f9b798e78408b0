"""Context builder for the ``fastapi_server`` target: a server stub that doubles as a mock vendor.

Every decision is made here; the templates in ``templates/fastapi_server`` only lay text out.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from generator import __version__
from generator.ir.model import (
    Api,
    ArraySchema,
    BooleanSchema,
    CancelBinding,
    CancelRole,
    InputLocation,
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
from generator.render.environment import render_template
from generator.render.formatting import Draft, finish
from generator.render.model_package import ModelPackage, model_package
from generator.render.naming import package_name, snake_name, unique
from generator.render.openapi_doc import to_openapi
from generator.render.python_types import body_properties, py_type, raw_answer_type

TEMPLATE_DIR = "fastapi_server"
_KIND = {ParameterLocation.PATH: "Path", ParameterLocation.QUERY: "Query", ParameterLocation.HEADER: "Header"}


def render(api: Api) -> dict[str, bytes]:
    """Every file of the server package for ``api``, under ``servers/<name>/``."""
    return finish(drafts(api))


def drafts(api: Api) -> list[Draft]:
    """The server package for ``api``, unformatted (see :func:`render`)."""
    slug = package_name(api.name)
    package = f"{slug}_server"
    models = model_package(api, package)
    context = _context(api, package, models)
    files: dict[str, str] = {
        **models.files,
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{package}/py.typed": "",
        f"{package}/openapi.json": json.dumps(to_openapi(api), indent=2, ensure_ascii=False) + "\n",
    }
    for module in ("__init__", "__main__", "app", "handler", "reference"):
        files[f"{package}/{module}.py"] = render_template(f"{TEMPLATE_DIR}/{module}.py.j2", context)
    return [Draft(f"servers/{slug}", files, (package,))]


def _context(api: Api, package: str, models: ModelPackage) -> dict[str, Any]:
    base_path = urlsplit(api.servers[0].url).path.rstrip("/") if api.servers else ""
    auth_headers = _auth_headers(api)
    names: set[str] = {"create_app", "openapi", "invalid", "problem"}
    operations = [_operation(api, op, models, base_path, auth_headers, names) for op in api.operations]
    validation_status = _validation_status(api)
    shapes = {int(r.status): _shape(api, r) for op in api.operations for r in op.responses if r.status.isdigit()}
    error_shapes = {status: shape for status, shape in sorted(shapes.items()) if status >= 400}
    documented = [s for s in error_shapes.values() if s != "none"]
    default_shape = max(sorted(set(documented)), key=documented.count) if documented else "detail"
    signatures = " ".join(a["annotation"] for op in operations for a in op["arguments"])
    signatures += " ".join(op["returns"] for op in operations) + " ".join(
        p["annotation"] for op in operations for p in op["params"]
    )
    cancel_scope = api.cancel.of_role(CancelRole.SCOPE) if api.cancel else ()
    return {
        "package": package,
        "distribution": f"{package_name(api.name).replace('_', '-')}-server",
        "version": __version__,
        "description": f"FastAPI server stub and mock of the {api.title} API (generated)",
        "title": api.title,
        "source": api.source,
        "operations": operations,
        "validation_status": validation_status,
        "error_shapes": error_shapes,
        "default_error_shape": default_shape,
        "uses_models": "models." in signatures,
        "uses_literal": "Literal[" in signatures,
        "typing_names": ["Any"] + (["Literal"] if "Literal[" in signatures else []),
        "outcome": api.cancel.outcome if api.cancel else None,
        "outcome_unknown": api.cancel.outcome.unknown if api.cancel and api.cancel.outcome else "ignore",
        "outcome_finished": api.cancel.outcome.finished if api.cancel and api.cancel.outcome else "ignore",
        "store_example": _store_example(api, cancel_scope),
        "uses_streams": any("AsyncIterator[" in op["returns"] for op in operations),
        "uses_form": any(op["body"] and op["body"]["kinds"] is not None for op in operations),
    }


def _store_example(api: Api, scope: tuple[Any, ...]) -> str:
    """A line of Python seeding one run, for the reference module's docstring (plain text)."""
    status = api.cancel.outcome.cancellable[0] if api.cancel and api.cancel.outcome else "running"
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


def _operation(
    api: Api,
    op: Operation,
    models: ModelPackage,
    base_path: str,
    auth_headers: dict[str, tuple[str, str]],
    names: set[str],
) -> dict[str, Any]:
    name = unique(snake_name(op.operation_id, "call"), names)
    required_schemes = [s for alternative in op.security.alternatives for s in alternative if s in auth_headers]
    auth = tuple(auth_headers[s] for s in dict.fromkeys(required_schemes)) if op.security.required else ()
    consumed = {(ParameterLocation.HEADER, header) for _, header in auth}
    # Names the route function uses itself: a parameter called so would hide them.
    taken: set[str] = {"request", "body", "self", "models", "result", "implementation", "credentials"}
    params: list[dict[str, str]] = []
    route = base_path + op.path
    python_names: dict[tuple[ParameterLocation, str], str] = {}
    for parameter in sorted(op.parameters, key=lambda p: not p.required):
        if parameter.location not in _KIND or (parameter.location, parameter.name.lower()) in consumed:
            continue
        python = unique(snake_name(parameter.name), taken)
        python_names[(parameter.location, parameter.name)] = python
        annotation = py_type(api, parameter.schema, models.exports)
        default = ""
        if not parameter.required:
            annotation = annotation if "None" in annotation.split(" | ") else f"{annotation} | None"
            default = "None"
        if parameter.location is ParameterLocation.PATH:
            # FastAPI matches path parameters by name: use the Python name in the route.
            route = route.replace("{" + parameter.name + "}", "{" + python + "}")
        params.append(
            {
                "name": python,
                "wire": parameter.name,
                "annotation": annotation,
                "default": default,
                "kind": _KIND[parameter.location],
            }
        )
    arguments = [{"name": p["name"], "annotation": p["annotation"]} for p in params]
    body = None
    if op.body is not None:
        model = models.exports.requests[models.plan.body_class[op.operation_id]]
        # Form and multipart fields arrive as text (files as bytes): their schema kinds say how to read them.
        kinds = None
        if op.body.encoding in ("form", "multipart"):
            kinds = {name: _form_kind(api, schema) for name, schema in body_properties(api, op.body.schema)} or None
        body = {"model": model, "required": op.body.required, "encoding": op.body.encoding, "kinds": kinds}
        annotation = f"models.{model}" if op.body.required else f"models.{model} | None"
        arguments.append({"name": "body", "annotation": annotation})
    success = [r for r in op.responses if r.is_success and r.status.isdigit()]
    status = int(success[0].status) if success else 200
    returns = _returns(success[0], op, models) if success else "None"
    call = [a["name"] for a in arguments]
    cancel = None
    if api.cancel is not None and api.cancel.operation_id == op.operation_id:
        cancel = _cancel(api, api.cancel, python_names, success[0] if success else None, returns, status)
    return {
        "name": name,
        "route": route,
        "http_method": op.method,
        "params": params,
        "arguments": arguments,
        "call": call,
        "body": body,
        "status": status,
        "returns": returns,
        "raw_media": success[0].media_type if success and success[0].is_raw else None,
        "auth": auth,
        "doc": "\n\n".join(x for x in (op.summary, op.description, f"``{op.method} {op.path}``") if x),
        "cancel": cancel,
    }


def _form_kind(api: Api, schema: Schema) -> str:
    """How a form field's text becomes its value: integer, number, boolean, binary, json, array:<kind> or string."""
    if isinstance(schema, RefSchema):
        return _form_kind(api, api.schema(schema.name))
    if isinstance(schema, UnionSchema):
        kinds = [_form_kind(api, v.schema) for v in schema.variants if not isinstance(v.schema, NullSchema)]
        return kinds[0] if len(set(kinds)) == 1 else "string"
    if isinstance(schema, StringSchema):
        return "binary" if schema.is_binary else "string"
    if isinstance(schema, ArraySchema):
        return "array:" + _form_kind(api, schema.items)
    simple = {IntegerSchema: "integer", NumberSchema: "number", BooleanSchema: "boolean"}
    return next((kind for cls, kind in simple.items() if isinstance(schema, cls)), "json")


def _returns(response: Response, op: Operation, models: ModelPackage) -> str:
    if response.schema is None:
        return "None"
    if response.is_event_stream:
        return "str | AsyncIterator[str]"  # the whole stream at once, or its chunks as they come
    if response.is_raw:
        return raw_answer_type(response)
    cls = models.plan.response_class.get((op.operation_id, response.status))
    return "Any" if cls is None else f"models.{models.exports.response_name(cls)}"


def _cancel(
    api: Api,
    binding: CancelBinding,
    python_names: dict[tuple[ParameterLocation, str], str],
    success: Response | None,
    returns: str,
    status: int,
) -> dict[str, Any]:
    def expr(location: InputLocation, wire: str) -> str:
        if location is InputLocation.BODY:
            return f"payload.get({wire!r})"
        return python_names[(ParameterLocation(location.value), wire)]

    ids_expr = None
    for item in binding.of_role(CancelRole.RUN_IDS):
        ids_expr = expr(item.location, item.name)
    for item in binding.of_role(CancelRole.RUN_ID):
        ids_expr = f"[{expr(item.location, item.name)}]"
    status_inputs = binding.of_role(CancelRole.STATUS)
    answer: list[tuple[str, str, str | None]] = []
    outcome = binding.outcome
    properties = _answer_properties(api, success.schema) if success and success.schema is not None else {}
    if outcome is not None:
        if outcome.cancelled_list:
            answer.append((outcome.cancelled_list, "self.last.cancelled", None))
        if outcome.failed_list:
            answer.append((outcome.failed_list, "self.last.failed", None))
        if outcome.run_property:
            fields = tuple(_answer_properties(api, properties[outcome.run_property]))
            answer.append((outcome.run_property, f"_run_view(self.last.runs[0], {fields!r})", "self.last.runs"))
    # Envelope conventions: a status code, a message and a request id, when the answer declares them.
    conventions = {
        "code": ("integer", str(status)),
        "message": ("string", "'success'"),
        "requestId": ("string", "_request_id()"),
    }
    for prop, (kind, value) in conventions.items():
        if prop in properties and getattr(properties[prop], "kind", None) == kind:
            answer.append((prop, value, None))
    kind = "none" if returns == "None" else "json" if returns == "Any" else "model"
    return {
        "ids_expr": ids_expr,
        "scope": [{"wire": s.name, "expr": expr(s.location, s.name)} for s in binding.of_role(CancelRole.SCOPE)],
        "filters": tuple(f.name for f in binding.of_role(CancelRole.FILTER) if f.location is InputLocation.BODY),
        "status_expr": expr(status_inputs[0].location, status_inputs[0].name) if status_inputs else "None",
        "answer": answer,
        "answer_kind": kind,
    }


def _answer_properties(api: Api, schema: Schema) -> dict[str, Schema]:
    return {name: schemas[0] for name, schemas in property_schemas(api, schema).items()}


def _validation_status(api: Api) -> int:
    documented = {r.status for op in api.operations for r in op.responses}
    if "422" in documented:
        return 422
    if "400" in documented:
        return 400
    return 422


def _shape(api: Api, response: Response) -> str:
    """Which error format a documented error body has (see ``error_response`` in the app template)."""
    if response.schema is None:
        return "none"
    properties = _answer_properties(api, response.schema)
    detail = properties.get("detail")
    if detail is not None:
        resolved = api.schema(detail.name) if isinstance(detail, RefSchema) else detail
        if resolved.kind == "array":
            return "detail-list"
        return "detail-code" if "error_code" in properties else "detail"
    if "code" in properties and "message" in properties:
        return "envelope"
    return "empty"
