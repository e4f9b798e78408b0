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
from generator.ir.model import Api, ArraySchema, ObjectSchema, ParameterLocation, RefSchema, Schema, UnionSchema
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
    confirms: Literal["lists", "status", "none"]
    cancelled_list: str | None
    failed_list: str | None
    nothing_status: int | None
    conflicts: tuple[tuple[str, str], ...]
    scope_required_with_ids: bool
    credential: str | None

    @property
    def refusals(self) -> tuple[str, ...]:
        """Combinations refused before anything is sent, beyond what the capabilities rule out, for people."""
        words = {"run_ids": "run ids", "scope": f"a {self.caps.scope}", "filter": "filters", "action": "an action"}
        found = [f"run ids without a {self.caps.scope}"] if self.scope_required_with_ids else []
        return (*found, *(f"{words.get(a, f'a {a}')} with {words.get(b, f'a {b}')}" for a, b in self.conflicts))

    @property
    def meaning(self) -> tuple[str, str]:
        """What ``cancelled`` and ``accepted`` mean for this vendor, for people."""
        if self.confirms == "lists":
            return "the runs the answer lists as cancelled", "never used: the answer says what happened to each run"
        if self.confirms == "status":
            return "each run whose own call succeeded (runs are sent one per call)", "never used"
        return "never used: the answer does not say", "every run sent in a call that succeeded (unknown runs too)"


@dataclass(frozen=True)
class UnifiedContext:
    """Everything the unified templates lay out."""

    version: str
    vendors: tuple[VendorBinding, ...]


def drafts(subjects: Sequence[Subject]) -> list[Draft]:
    """The ``runcancel`` package over the subjects with a cancel binding, and the README; empty when none has one."""
    vendors = tuple(_vendor(s, s.cancel) for s in subjects if s.cancel is not None)
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


def _vendor(subject: Subject, binding: CancelBinding) -> VendorBinding:
    api = subject.api
    slug = package_name(api.name)
    client = client_context(subject)
    method = client.operation(binding.operation_id)
    operation = api.operation(binding.operation_id)
    assert operation is not None  # the binding was checked against the spec
    body_properties = property_schemas(api, operation.body.schema) if operation.body is not None else {}
    body_variants = _forms(api, operation.body.schema) if operation.body is not None else []

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
        confirms=_confirms(binding),
        cancelled_list=outcome.cancelled_list if outcome else None,
        failed_list=outcome.failed_list if outcome else None,
        nothing_status=outcome.unknown if outcome and isinstance(outcome.unknown, int) else None,
        conflicts=tuple((_request_role(a), _request_role(b)) for a, b in binding.conflicts),
        scope_required_with_ids=_scope_required_with_ids(api, binding, body_variants),
        credential=client.auth[0].arg if client.auth else None,
    )


def _confirms(binding: CancelBinding) -> Literal["lists", "status", "none"]:
    """How the vendor's answers tell which runs were cancelled, read from the declared outcome.

    Lists in the answer say it outright. Where the vendor fails a call about a
    run it cannot cancel (an HTTP status for unknown and finished runs), a
    successful call about one run says that run was cancelled. Otherwise the
    answer says nothing.
    """
    outcome = binding.outcome
    if outcome is None:
        return "none"
    if outcome.cancelled_list is not None:
        return "lists"
    if isinstance(outcome.unknown, int) and isinstance(outcome.finished, int):
        return "status"
    return "none"


def _forms(api: Api, schema: Schema) -> list[Schema]:
    """The forms a body can take: each variant of a union (through references), or the one schema."""
    if isinstance(schema, RefSchema):
        return _forms(api, api.schema(schema.name))
    if isinstance(schema, UnionSchema):
        return [form for variant in schema.variants for form in _forms(api, variant.schema)]
    return [schema]


def _request_role(role: CancelRole) -> str:
    # A request names its runs by one list, whether the vendor takes one run or many.
    return "run_ids" if role is CancelRole.RUN_ID else role.value


def _scope_required_with_ids(api: Api, binding: CancelBinding, variants: Sequence[Schema]) -> bool:
    """Whether runs can be named only together with their scope: a path scope, or every body form with ids has one."""
    scope = binding.of_role(CancelRole.SCOPE)
    if not scope or not (binding.of_role(CancelRole.RUN_ID) or binding.of_role(CancelRole.RUN_IDS)):
        return False
    if any(i.location is InputLocation.PATH for i in scope):
        return True
    ids = {i.name for i in binding.of_role(CancelRole.RUN_IDS) if i.location is InputLocation.BODY}
    names = {i.name for i in scope if i.location is InputLocation.BODY}
    with_ids = [v for v in variants if isinstance(v, ObjectSchema) and ids & set(v.required)]
    return bool(with_ids) and all(names & set(v.required) for v in with_ids)


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


def vendor_binding(subject: Subject) -> VendorBinding | None:
    """What a unified layer in any language needs of one vendor; None for a vendor without a cancel operation."""
    return _vendor(subject, subject.cancel) if subject.cancel is not None else None
