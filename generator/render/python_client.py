"""Context builder for the ``python_client`` target: one installable client package per API.

Every decision is made here; the templates in ``templates/python_client`` only lay text out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

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
    Schema,
    SchemeKind,
    StringSchema,
    UnionSchema,
)
from generator.render.environment import render_template
from generator.render.formatting import format_python
from generator.render.model_bridge import ModelPlan, Side, plan_models
from generator.render.naming import package_name, python_literal, snake_name, unique
from generator.render.pydantic_models import generate_models

TEMPLATE_DIR = "python_client"
_ERROR_NAMES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "ValidationError",
    429: "RateLimitError",
}
_RESERVED = {"self", "body", "close", "_call"}


@dataclass(frozen=True)
class _Exports:
    """Public model names: generated class name -> name in ``models``."""

    requests: dict[str, str]
    responses: dict[str, str]
    named: dict[str, str]  # named schema -> generated class name


def render(api: Api) -> dict[str, bytes]:
    """Every file of the client package for ``api``, under ``clients/<name>/``."""
    slug = package_name(api.name)
    package = f"{slug}_client"
    plan = plan_models(api)
    request_code = generate_models(plan.requests, Side.REQUEST, package)
    response_code = generate_models(plan.responses, Side.RESPONSE, package)
    exports = _exports(request_code, response_code, plan.named_class)
    context = _context(api, package, plan, exports)
    files: dict[str, str] = {
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{package}/__init__.py": render_template(f"{TEMPLATE_DIR}/__init__.py.j2", context),
        f"{package}/py.typed": "",
        f"{package}/_base.py": render_template(f"{TEMPLATE_DIR}/_base.py.j2", context),
        f"{package}/_core.py": render_template(f"{TEMPLATE_DIR}/_core.py.j2", context),
        f"{package}/errors.py": render_template(f"{TEMPLATE_DIR}/errors.py.j2", context),
        f"{package}/models.py": render_template(f"{TEMPLATE_DIR}/models.py.j2", context),
        f"{package}/client.py": render_template(f"{TEMPLATE_DIR}/client.py.j2", context),
    }
    if request_code is not None:
        files[f"{package}/_request_models.py"] = request_code
    if response_code is not None:
        files[f"{package}/_response_models.py"] = response_code
    files = format_python(files, [package])
    return {f"clients/{slug}/{path}": text.encode("utf-8") for path, text in files.items()}


def _classes(code: str | None) -> list[str]:
    if code is None:
        return []
    return [n.name for n in ast.parse(code).body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")]


def _exports(request_code: str | None, response_code: str | None, named: dict[str, str]) -> _Exports:
    taken: set[str] = set()
    requests = {name: unique(name, taken) for name in _classes(request_code)}
    # A response class named like a request class is exported with a suffix.
    responses = {
        name: unique(name if name not in taken else f"{name}Response", taken) for name in _classes(response_code)
    }
    return _Exports(requests, responses, named)


def _context(api: Api, package: str, plan: ModelPlan, exports: _Exports) -> dict[str, Any]:
    auth = _auth(api)
    auth_params = {(ParameterLocation.HEADER, a["header"].lower()) for a in auth}
    method_names: set[str] = set(_RESERVED)
    operations = [_operation(api, op, plan, exports, auth_params, method_names) for op in api.operations]
    error_names = sorted({name for op in operations for _, name, _ in op["failures"]})
    uses_missing = any(op["body"] for op in operations)
    signatures = " ".join(a["annotation"] for op in operations for a in op["arguments"]) + " ".join(
        op["returns"] for op in operations
    )
    typing_names = sorted({"Any", "cast"} | ({"Literal"} if "Literal[" in signatures else set()))
    exports_list = [
        ("_request_models", sorted(exports.requests.items())),
        ("_response_models", sorted(exports.responses.items())),
    ]
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
        "error_names": error_names,
        "uses_missing": uses_missing,
        "uses_models": any("models." in s for op in operations for s in (op["returns"], *op["failure_models"]))
        or uses_missing,
        "typing_names": typing_names,
        "exports": exports_list,
        "all_names": sorted([*exports.requests.values(), *exports.responses.values()]),
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
    exports: _Exports,
    auth_params: set[tuple[ParameterLocation, str]],
    method_names: set[str],
) -> dict[str, Any]:
    taken: set[str] = {"self", "body"}
    arguments: list[dict[str, str]] = []
    grouped: dict[ParameterLocation, list[dict[str, str]]] = {loc: [] for loc in ParameterLocation}
    ordered = sorted(op.parameters, key=lambda p: not p.required)  # required first, reads better
    for parameter in ordered:
        if (parameter.location, parameter.name.lower()) in auth_params:
            continue  # supplied by the client's credentials
        name = unique(snake_name(parameter.name), taken)
        annotation = _py_type(api, parameter.schema, exports)
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
        for prop_name, schema in _body_properties(api, op.body.schema):
            name = unique(snake_name(prop_name), taken)
            annotation = f"{_py_type(api, schema, exports)} | MISSING"
            fields.append({"name": name, "wire": prop_name, "annotation": annotation})
        body = {"model": model, "fields": fields}
        arguments.append({"name": "body", "annotation": f"models.{model} | None", "default": "None"})
        arguments.extend({"name": f["name"], "annotation": f["annotation"], "default": "MISSING"} for f in fields)
    success, failures, returns = _answers(op, plan, exports)
    method_name = unique(snake_name(op.operation_id, "call"), method_names)
    return {
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
        "failure_models": [model for _, _, model in failures],
        "returns": returns,
    }


def _answers(
    op: Operation, plan: ModelPlan, exports: _Exports
) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]], str]:
    success: list[tuple[int, str]] = []
    failures: list[tuple[int, str, str]] = []
    returns: list[str] = []
    for response in op.responses:
        if not response.status.isdigit():
            continue  # ranges and 'default' fall back to the status's exception class
        status = int(response.status)
        cls = plan.response_class.get((op.operation_id, response.status))
        if response.schema is None:
            target = "None"
        elif cls is None:
            target = "Any"
        else:
            target = f"models.{exports.responses.get(cls) or exports.requests[cls]}"
        if response.is_success:
            success.append((status, target))
            if target not in returns:
                returns.append(target)
        else:
            name = _ERROR_NAMES.get(status, "ServerError" if status >= 500 else "ApiError")
            failures.append((status, name, target if target not in ("None", "Any") else "None"))
    annotation = "Any" if "Any" in returns else " | ".join(returns) if returns else "None"
    return success, failures, annotation


def _body_properties(api: Api, schema: Schema) -> list[tuple[str, Schema]]:
    """Every property any variant of the body declares, first declaration wins."""
    found: dict[str, Schema] = {}

    def visit(node: Schema) -> None:
        if isinstance(node, RefSchema):
            visit(api.schema(node.name))
        elif isinstance(node, ObjectSchema):
            for prop in node.properties:
                found.setdefault(prop.name, prop.schema)
        elif isinstance(node, UnionSchema):
            for variant in node.variants:
                visit(variant.schema)

    visit(schema)
    return list(found.items())


def _py_type(api: Api, schema: Schema, exports: _Exports) -> str:
    """A Python annotation for values of ``schema`` as a caller passes them."""
    core = _core_type(api, schema, exports)
    if schema.nullable and core not in ("Any", "None"):
        return f"{core} | None"
    return core


def _core_type(api: Api, schema: Schema, exports: _Exports) -> str:
    if schema.const is not None:
        return f"Literal[{python_literal(schema.const.value)}]"
    if schema.enum is not None and all(isinstance(v, (str, int, bool)) for v in schema.enum if v is not None):
        values = [python_literal(v) for v in schema.enum if v is not None]
        return f"Literal[{', '.join(values)}]" if values else "None"
    if isinstance(schema, RefSchema):
        cls = exports.named.get(schema.name, "")
        if cls in exports.requests:
            return f"models.{exports.requests[cls]}"
        return _py_type(api, api.schema(schema.name), exports)
    if isinstance(schema, StringSchema):
        return "str"
    if isinstance(schema, IntegerSchema):
        return "int"
    if isinstance(schema, NumberSchema):
        return "float"
    if isinstance(schema, BooleanSchema):
        return "bool"
    if isinstance(schema, NullSchema):
        return "None"
    if isinstance(schema, ArraySchema):
        return f"list[{_py_type(api, schema.items, exports)}]"
    if isinstance(schema, ObjectSchema):
        return "dict[str, Any]"
    if isinstance(schema, UnionSchema):
        parts: list[str] = []
        for variant in schema.variants:
            part = _py_type(api, variant.schema, exports)
            if part == "Any":
                return "Any"
            if part not in parts:
                parts.append(part)
        return " | ".join(parts)
    if isinstance(schema, (AnySchema, NeverSchema)):
        return "Any"
    return "Any"


def _doc(op: Operation, has_body: bool) -> str:
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    parts.append(f"``{op.method} {op.path}``")
    if has_body:
        parts.append("Pass the body as ``body=`` (a model) or as keyword arguments, not both.")
    return "\n\n".join(parts)
