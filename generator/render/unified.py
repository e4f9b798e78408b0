"""Context builder for the ``unified`` target: one cancel API over every vendor's generated client.

What each vendor can express comes from its IR and cancel roles; the templates
in ``templates/unified`` hold the logic that is the same for all.
"""

from __future__ import annotations

from typing import Any

from generator import __version__
from generator.ir.model import (
    Api,
    ArraySchema,
    CancelBinding,
    CancelRole,
    InputLocation,
    ParameterLocation,
    Schema,
)
from generator.ir.schema_ops import property_schemas
from generator.render.environment import render_template
from generator.render.formatting import Draft, finish
from generator.render.naming import package_name
from generator.render.python_client import client_context, client_package

TEMPLATE_DIR = "unified"
PACKAGE = "runcancel"


def render(apis: list[Api]) -> dict[str, bytes]:
    """The ``runcancel`` package over the vendors of ``apis`` that declare cancel roles, and the README."""
    return finish(drafts(apis))


def drafts(apis: list[Api]) -> list[Draft]:
    """The unified layer, unformatted (see :func:`render`); empty when no vendor declares a cancel operation."""
    vendors = [_vendor(api, api.cancel) for api in apis if api.cancel is not None]
    if not vendors:
        return []  # nothing to unify
    context = {"vendors": vendors, "version": __version__}
    files: dict[str, str] = {
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{PACKAGE}/__init__.py": render_template(f"{TEMPLATE_DIR}/__init__.py.j2", context),
        f"{PACKAGE}/_types.py": render_template(f"{TEMPLATE_DIR}/_types.py.j2", context),
        f"{PACKAGE}/py.typed": "",
    }
    for vendor in vendors:
        files[f"{PACKAGE}/{vendor['module']}.py"] = render_template(f"{TEMPLATE_DIR}/vendor.py.j2", vendor)
    readme = {"README.md": render_template(f"{TEMPLATE_DIR}/README.md.j2", context)}
    # The vendor clients are distributions of their own: third-party to this package.
    return [Draft(f"clients/{PACKAGE}", files, (PACKAGE,)), Draft("", readme)]


def _vendor(api: Api, binding: CancelBinding) -> dict[str, Any]:
    slug = package_name(api.name)
    context = client_context(api)
    operation = next(op for op in context["operations"] if op["operation_id"] == binding.operation_id)
    ir_operation = api.operation(binding.operation_id)
    assert ir_operation is not None  # the binding was checked against the spec
    python_names = {
        (location, p["wire"]): p["name"]
        for location, key in (
            (ParameterLocation.PATH, "path_params"),
            (ParameterLocation.QUERY, "query_params"),
            (ParameterLocation.HEADER, "header_params"),
        )
        for p in operation[key]
    }
    params = [
        {"name": python_names[(ParameterLocation(i.location.value), i.name)], "role": i.role.value}
        for i in binding.inputs
        if i.location is not InputLocation.BODY and (ParameterLocation(i.location.value), i.name) in python_names
    ]
    body_inputs = [{"wire": i.name, "role": i.role.value} for i in binding.inputs if i.location is InputLocation.BODY]
    body_schema = ir_operation.body.schema if ir_operation.body is not None else None

    body_properties = property_schemas(api, body_schema) if body_schema is not None else {}

    def parameter_schema(role: CancelRole) -> Schema | None:
        for item in binding.of_role(role):
            if item.location is InputLocation.BODY:
                found = body_properties.get(item.name, [])
                return found[0] if found else None
            parameter = ir_operation.parameter(ParameterLocation(item.location.value), item.name)
            return parameter.schema if parameter is not None else None
        return None

    def enum_of(role: CancelRole) -> tuple[str, ...]:
        schema = parameter_schema(role)
        if schema is None or schema.enum is None:
            return ()
        return tuple(str(v) for v in schema.enum if isinstance(v, str))

    limits = [
        s.max_items
        for i in binding.of_role(CancelRole.RUN_IDS)
        for s in body_properties.get(i.name, [])
        if isinstance(s, ArraySchema) and s.max_items is not None
    ]
    scope = binding.of_role(CancelRole.SCOPE)
    per_run = bool(binding.of_role(CancelRole.RUN_ID)) and not binding.of_role(CancelRole.RUN_IDS)
    outcome = binding.outcome
    return {
        "name": api.name,
        "vendor": api.name,
        "module": f"_{slug}",
        "client_package": client_package(api),
        "distribution": f"{slug.replace('_', '-')}-client",
        "caps": {
            "by_ids": bool(binding.of_role(CancelRole.RUN_IDS) or binding.of_role(CancelRole.RUN_ID)),
            "per_run": per_run,
            "statuses": enum_of(CancelRole.STATUS),
            "filters": tuple(i.name for i in binding.of_role(CancelRole.FILTER)),
            "scope": (scope[0].label or scope[0].name) if scope else None,
            "scope_required_per_run": per_run and any(i.location is InputLocation.PATH for i in scope),
            "batch_limit": min(limits) if limits else None,
            "actions": enum_of(CancelRole.ACTION),
        },
        "call": {
            "method": operation["method_name"],
            "returns_none": operation["returns"] == "None",
            "params": params,
            "body_model": operation["body"]["model"] if operation["body"] else None,
            "body": body_inputs,
            "cancelled_list": outcome.cancelled_list if outcome else None,
            "failed_list": outcome.failed_list if outcome else None,
        },
    }
