"""Binding the configured cancel roles to one operation of an API's IR, checked against the spec."""

from __future__ import annotations

from generator.cancel.model import CancelBinding, CancelDeclaration, CancelInput, InputLocation
from generator.ir.model import Api, Operation, ParameterLocation
from generator.ir.schema_ops import property_schemas
from generator.load.problem import Diagnostics


def bind_cancel(api: Api, declaration: CancelDeclaration, diagnostics: Diagnostics) -> CancelBinding | None:
    """The binding ``declaration`` describes, or None (with an error recorded) when its operation is missing.

    Inputs the operation does not have are errors and left out of the binding.
    """
    operation = find_operation(api, declaration.operation)
    if operation is None:
        diagnostics.error(
            declaration.declared_at,
            f"cancel operation {declaration.operation!r} is not in {api.source}: name an operationId or 'METHOD /path'",
        )
        return None
    inputs = []
    for declared in declaration.inputs:
        if not _input_exists(api, operation, declared.location, declared.name):
            diagnostics.error(
                declared.declared_at,
                f"cancel input {declared.name!r} ({declared.location.value}) is not an input of "
                f"{operation.method} {operation.path}",
            )
            continue
        inputs.append(
            CancelInput(role=declared.role, location=declared.location, name=declared.name, label=declared.label)
        )
    if declaration.outcome is not None:
        _check_outcome(api, operation, declaration, diagnostics)
    return CancelBinding(
        operation_id=operation.operation_id,
        inputs=tuple(inputs),
        outcome=declaration.outcome,
        conflicts=declaration.conflicts,
    )


def find_operation(api: Api, key: str) -> Operation | None:
    """The operation ``key`` names: an operationId, or ``METHOD /path``."""
    found = api.operation(key)
    if found is not None:
        return found
    method, _, path = key.partition(" ")
    return next((o for o in api.operations if o.method == method.upper() and o.path == path.strip()), None)


def _check_outcome(api: Api, operation: Operation, declaration: CancelDeclaration, diagnostics: Diagnostics) -> None:
    """The statuses and response properties an outcome names must be in the spec."""
    outcome = declaration.outcome
    assert outcome is not None
    documented = {r.status for r in operation.responses}
    for case in (outcome.unknown, outcome.finished):
        if isinstance(case, int) and str(case) not in documented:
            diagnostics.error(declaration.declared_at, f"cancel outcome status {case} is not a documented response")
    answered: set[str] = set()
    for response in operation.responses:
        if response.is_success and response.schema is not None:
            answered |= set(property_schemas(api, response.schema))
    for name in (outcome.cancelled_list, outcome.failed_list, outcome.run_property):
        if name is not None and name not in answered:
            diagnostics.error(declaration.declared_at, f"cancel outcome property {name!r} is not in the 2xx answer")


def _input_exists(api: Api, operation: Operation, location: InputLocation, name: str) -> bool:
    if location is not InputLocation.BODY:
        return operation.parameter(ParameterLocation(location.value), name) is not None
    if operation.body is None:
        return False
    return name in set(property_schemas(api, operation.body.schema))
