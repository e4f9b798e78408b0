"""Context builder for the ``unified`` target: one cancel API over every vendor's generated client.

What each vendor can express comes from its IR and cancel binding, into a
:class:`UnifiedContext`; the engine that is the same for all lives in
``generator/runtime/unified`` and is copied in unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator import __version__
from generator.cancel.model import CancelBinding, CancelInput, CancelRole, InputLocation
from generator.ir.model import Api, ArraySchema, ParameterLocation, Schema
from generator.ir.schema_ops import property_schemas
from generator.render.environment import render_template
from generator.render.formatting import Draft
from generator.render.naming import package_name
from generator.render.python_client import ClientOperation, client_context, client_package
from generator.render.subject import Subject
from generator.runtime import source

TEMPLATE_DIR = "unified"
PACKAGE = "runcancel"


@dataclass(frozen=True)
class Capabilities:
    """What one vendor's cancel can express (mirrors ``runcancel.Capabilities``)."""

    by_ids: bool
    per_run: bool
    statuses: tuple[str, ...]
    filters: tuple[str, ...]
    scope: str | None
    batch_limit: int | None
    actions: tuple[str, ...]


@dataclass(frozen=True)
class RoleInput:
    """Where one role travels in the client call: a keyword argument, or a body property by wire name."""

    role: str
    source: Literal["parameter", "body"]
    name: str


@dataclass(frozen=True)
class VendorBinding:
    """One vendor's module in ``runcancel``: its capabilities and how its client is called."""

    name: str
    module: str
    client_package: str
    distribution: str
    caps: Capabilities
    method: str
    inputs: tuple[RoleInput, ...]
    body_model: str | None
    cancelled_list: str | None
    failed_list: str | None
    scope_required_per_run: bool


@dataclass(frozen=True)
class UnifiedContext:
    """Everything the unified templates lay out."""

    version: str
    vendors: tuple[VendorBinding, ...]


def drafts(subjects: Sequence[Subject]) -> list[Draft]:
    """The ``runcancel`` package over the subjects with a cancel binding, and the README; empty when none has one."""
    vendors = tuple(_vendor(s.api, s.cancel) for s in subjects if s.cancel is not None)
    if not vendors:
        return []  # nothing to unify
    context = UnifiedContext(version=__version__, vendors=vendors)
    files: dict[str, str] = {
        "pyproject.toml": render_template(f"{TEMPLATE_DIR}/pyproject.toml.j2", context),
        f"{PACKAGE}/__init__.py": render_template(f"{TEMPLATE_DIR}/__init__.py.j2", context),
        f"{PACKAGE}/_types.py": source("unified/_types.py"),
        f"{PACKAGE}/_engine.py": source("unified/_engine.py"),
        f"{PACKAGE}/py.typed": "",
    }
    for vendor in vendors:
        files[f"{PACKAGE}/{vendor.module}.py"] = render_template(f"{TEMPLATE_DIR}/vendor.py.j2", vendor)
    readme = {"README.md": render_template(f"{TEMPLATE_DIR}/README.md.j2", context)}
    # The vendor clients are distributions of their own: third-party to this package.
    return [Draft(f"clients/{PACKAGE}", files, (PACKAGE,)), Draft("", readme)]


def _vendor(api: Api, binding: CancelBinding) -> VendorBinding:
    slug = package_name(api.name)
    method = client_context(api).operation(binding.operation_id)
    operation = api.operation(binding.operation_id)
    assert operation is not None  # the binding was checked against the spec
    body_properties = property_schemas(api, operation.body.schema) if operation.body is not None else {}

    def schema_of(item: CancelInput) -> Schema | None:
        if item.location is InputLocation.BODY:
            found = body_properties.get(item.name, [])
            return found[0] if found else None
        parameter = operation.parameter(ParameterLocation(item.location.value), item.name)
        return parameter.schema if parameter is not None else None

    def enum_of(role: CancelRole) -> tuple[str, ...]:
        schemas = [schema_of(item) for item in binding.of_role(role)]
        schema = schemas[0] if schemas else None
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
    return VendorBinding(
        name=api.name,
        module=f"_{slug}",
        client_package=client_package(api),
        distribution=f"{slug.replace('_', '-')}-client",
        caps=Capabilities(
            by_ids=bool(binding.of_role(CancelRole.RUN_IDS) or binding.of_role(CancelRole.RUN_ID)),
            per_run=per_run,
            statuses=enum_of(CancelRole.STATUS),
            filters=tuple(i.name for i in binding.of_role(CancelRole.FILTER)),
            scope=(scope[0].label or scope[0].name) if scope else None,
            batch_limit=min(limits) if limits else None,
            actions=enum_of(CancelRole.ACTION),
        ),
        method=method.method_name,
        inputs=_inputs(binding, method),
        body_model=method.body.model if method.body else None,
        cancelled_list=outcome.cancelled_list if outcome else None,
        failed_list=outcome.failed_list if outcome else None,
        scope_required_per_run=per_run and any(i.location is InputLocation.PATH for i in scope),
    )


def _inputs(binding: CancelBinding, method: ClientOperation) -> tuple[RoleInput, ...]:
    """The roles the engine fills in: parameters by the method's argument names, body properties by wire name."""
    result: list[RoleInput] = []
    for item in binding.inputs:
        if item.location is InputLocation.BODY:
            if item.role in (CancelRole.RUN_IDS, CancelRole.SCOPE, CancelRole.STATUS):
                result.append(RoleInput(item.role.value, "body", item.name))
            continue  # filters travel by their wire names, straight from the request
        name = method.python_name(ParameterLocation(item.location.value), item.name)
        if name is not None and item.role in (CancelRole.RUN_ID, CancelRole.SCOPE, CancelRole.ACTION):
            result.append(RoleInput(item.role.value, "parameter", name))
    return tuple(result)
