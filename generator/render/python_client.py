"""Context builder for the ``python_client`` target: one installable client package per API.

Every decision is made here; the templates in ``templates/python_client`` only lay text out.
"""

from __future__ import annotations

from typing import Any

from generator import __version__
from generator.ir.model import (
    Api,
    Operation,
    ParameterLocation,
    SchemeKind,
)
from generator.render.environment import render_template
from generator.render.formatting import Draft, finish
from generator.render.model_bridge import ModelPlan
from generator.render.model_package import Exports, ModelPackage, model_package
from generator.render.naming import package_name, snake_name, unique
from generator.render.python_types import body_properties, py_type, raw_answer_type

TEMPLATE_DIR = "python_client"
_RESERVED = {"self", "body", "close", "_call"}


def client_package(api: Api) -> str:
    """The import name of the client package for ``api``."""
    return f"{package_name(api.name)}_client"


def client_context(api: Api, models: ModelPackage | None = None) -> dict[str, Any]:
    """What the client package is made of: method names, argument names, models (for other targets too)."""
    package = client_package(api)
    models = models or model_package(api, package)
    return _context(api, package, models.plan, models.exports)


def render(api: Api) -> dict[str, bytes]:
    """Every file of the client package for ``api``, under ``clients/<name>/``."""
    return finish(drafts(api))


def drafts(api: Api) -> list[Draft]:
    """The client package for ``api``, unformatted (see :func:`render`)."""
    slug = package_name(api.name)
    package = client_package(api)
    models = model_package(api, package)
    context = client_context(api, models)
    files: dict[str, str] = {
        **models.files,
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{package}/__init__.py": render_template(f"{TEMPLATE_DIR}/__init__.py.j2", context),
        f"{package}/py.typed": "",
        f"{package}/_core.py": render_template(f"{TEMPLATE_DIR}/_core.py.j2", context),
        f"{package}/errors.py": render_template(f"{TEMPLATE_DIR}/errors.py.j2", context),
        f"{package}/client.py": render_template(f"{TEMPLATE_DIR}/client.py.j2", context),
    }
    return [Draft(f"clients/{slug}", files, (package,))]


def _context(api: Api, package: str, plan: ModelPlan, exports: Exports) -> dict[str, Any]:
    auth = _auth(api)
    auth_params = {(ParameterLocation.HEADER, a["header"].lower()) for a in auth}
    method_names: set[str] = set(_RESERVED)
    operations = [_operation(api, op, plan, exports, auth_params, method_names) for op in api.operations]
    uses_missing = any(op["body"] for op in operations)
    signatures = " ".join(a["annotation"] for op in operations for a in op["arguments"]) + " ".join(
        op["returns"] for op in operations
    )
    typing_names = sorted({"Any", "cast"} | ({"Literal"} if "Literal[" in signatures else set()))
    return {
        "package": package,
        "distribution": f"{package_name(api.name).replace('_', '-')}-client",
        "version": __version__,
        "description": f"Typed client for the {api.title} API (generated)",
        "title": api.title,
        "source": api.source,
        "default_base_url": api.servers[0].url if api.servers else None,
        "auth": auth,
        "operations": operations,
        "uses_missing": uses_missing,
        "uses_streams": any(op["stream"] for op in operations),
        "uses_models": any("models." in s for op in operations for s in (op["returns"], *op["failure_models"]))
        or uses_missing,
        "typing_names": typing_names,
    }


def _auth(api: Api) -> list[dict[str, str]]:
    used = {name for op in api.operations for alternative in op.security.alternatives for name in alternative}
    result: list[dict[str, str]] = []
    taken: set[str] = set()
    for scheme in api.security_schemes:
        if scheme.name not in used:
            continue
        if scheme.kind is SchemeKind.HTTP_BEARER:
            arg = unique("token", taken)
            result.append(
                {"arg": arg, "header": "Authorization", "prefix": "Bearer ", "help": "bearer token (Authorization)"}
            )
        elif (
            scheme.kind is SchemeKind.API_KEY and scheme.location is ParameterLocation.HEADER and scheme.parameter_name
        ):
            arg = unique("api_key", taken)
            result.append(
                {
                    "arg": arg,
                    "header": scheme.parameter_name,
                    "prefix": "",
                    "help": f"API key ({scheme.parameter_name})",
                }
            )
    return result


def _operation(
    api: Api,
    op: Operation,
    plan: ModelPlan,
    exports: Exports,
    auth_params: set[tuple[ParameterLocation, str]],
    method_names: set[str],
) -> dict[str, Any]:
    # Names a method's body uses: an argument called so would hide them.
    taken: set[str] = {"self", "body", "models", "cast", "_core"}
    arguments: list[dict[str, str]] = []
    grouped: dict[ParameterLocation, list[dict[str, str]]] = {loc: [] for loc in ParameterLocation}
    ordered = sorted(op.parameters, key=lambda p: not p.required)  # required first, reads better
    for parameter in ordered:
        if (parameter.location, parameter.name.lower()) in auth_params:
            continue  # supplied by the client's credentials
        name = unique(snake_name(parameter.name), taken)
        annotation = py_type(api, parameter.schema, exports)
        default = ""
        if not parameter.required:
            annotation = f"{annotation} | None" if "None" not in annotation.split(" | ") else annotation
            default = "None"
        arguments.append({"name": name, "annotation": annotation, "default": default})
        grouped[parameter.location].append({"name": name, "wire": parameter.name})
    body = None
    if op.body is not None:
        model_class = plan.body_class[op.operation_id]
        model = exports.requests[model_class]
        fields = []
        for prop_name, schema in body_properties(api, op.body.schema):
            name = unique(snake_name(prop_name), taken)
            annotation = f"{py_type(api, schema, exports)} | MISSING"
            fields.append({"name": name, "wire": prop_name, "annotation": annotation})
        body = {"model": model, "fields": fields, "media": op.body.media_type, "encoding": op.body.encoding}
        arguments.append({"name": "body", "annotation": f"models.{model} | None", "default": "None"})
        arguments.extend({"name": f["name"], "annotation": f["annotation"], "default": "MISSING"} for f in fields)
    success, failures, returns = _answers(op, plan, exports)
    method_name = unique(snake_name(op.operation_id, "call"), method_names)
    return {
        "operation_id": op.operation_id,
        "method_name": method_name,
        "constant": method_name.upper(),
        "http_method": op.method,
        "path": op.path,
        "doc": _doc(op, body is not None),
        "arguments": arguments,
        "path_params": grouped[ParameterLocation.PATH],
        "query_params": grouped[ParameterLocation.QUERY],
        "header_params": grouped[ParameterLocation.HEADER],
        "body": body,
        "success": success,
        "failures": failures,
        "failure_models": [model for _, model in failures],
        "returns": returns,
        # Server-sent events are read as they arrive, not as one answer.
        "stream": any(r.is_success and r.is_event_stream for r in op.responses),
    }


def _answers(
    op: Operation, plan: ModelPlan, exports: Exports
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], str]:
    success: list[tuple[int, str]] = []
    failures: list[tuple[int, str]] = []
    returns: list[str] = []
    for response in op.responses:
        if not response.status.isdigit():
            continue  # ranges and 'default' fall back to the status's exception class
        status = int(response.status)
        cls = plan.response_class.get((op.operation_id, response.status))
        if response.schema is None:
            target = "None"
        elif response.is_raw:
            target = raw_answer_type(response) if response.is_success else "None"
        elif cls is None:
            target = "Any"
        else:
            target = f"models.{exports.response_name(cls)}"
        if response.is_success:
            success.append((status, target))
            if target not in returns:
                returns.append(target)
        else:
            failures.append((status, target if target not in ("None", "Any") else "None"))
    annotation = "Any" if "Any" in returns else " | ".join(returns) if returns else "None"
    return success, failures, annotation


def _doc(op: Operation, has_body: bool) -> str:
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    parts.append(f"``{op.method} {op.path}``")
    if has_body:
        parts.append("Pass the body as ``body=`` (a model) or as keyword arguments, not both.")
    return "\n\n".join(parts)
