"""Context builder for the ``typescript-unified`` target: the ``runcancel`` npm package over every vendor's TS client.

What each vendor can express is the Python unified layer's :class:`VendorBinding`,
computed once in :mod:`generator.render.unified` and reused here; only how the
TypeScript client is called (its method, its parameter and option names) comes
from the TypeScript builder. The engine is real TypeScript under
``generator/runtime/typescript/unified``, copied in unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from generator import __version__
from generator.cancel.model import CancelBinding, CancelRole, InputLocation
from generator.ir.model import ParameterLocation
from generator.render.environment import render_template
from generator.render.formatting import Draft
from generator.render.naming import package_name
from generator.render.subject import Subject
from generator.render.typescript import TEMPLATE_DIR, TYPESCRIPT_VERSION, TsOperation, ts_context
from generator.render.unified import VendorBinding, vendor_binding
from generator.runtime import source

PACKAGE = "runcancel"


@dataclass(frozen=True)
class TsInput:
    """Where one role travels in the TypeScript call: a member of the parameters object, or a body property."""

    role: str
    source: Literal["parameter", "body"]
    name: str


@dataclass(frozen=True)
class TsVendor:
    """One vendor's module in the TypeScript ``runcancel``: the shared binding, and its client's names."""

    binding: VendorBinding
    package: str
    directory: str
    module: str
    client_alias: str
    method: str
    inputs: tuple[TsInput, ...]
    has_body: bool
    credential: str | None
    base_url_required: bool


@dataclass(frozen=True)
class TsUnifiedContext:
    """Everything the unified TypeScript templates lay out."""

    version: str
    typescript: str
    vendors: tuple[TsVendor, ...]


def drafts(subjects: Sequence[Subject]) -> list[Draft]:
    """The ``runcancel`` npm package over the subjects with a cancel binding; nothing when none has one."""
    vendors = tuple(_vendor(s, s.cancel) for s in subjects if s.cancel is not None)
    if not vendors:
        return []
    context = TsUnifiedContext(version=__version__, typescript=TYPESCRIPT_VERSION, vendors=vendors)
    files = {
        "package.json": render_template(f"{TEMPLATE_DIR}/unified/package.json.j2", context),
        "tsconfig.json": render_template(f"{TEMPLATE_DIR}/tsconfig.json.j2", context),
        "README.md": render_template(f"{TEMPLATE_DIR}/unified/README.md.j2", context),
        "src/engine.ts": source("typescript/unified/engine.ts"),
        "src/types.ts": source("typescript/unified/types.ts"),
        "src/index.ts": render_template(f"{TEMPLATE_DIR}/unified/index.ts.j2", context),
    }
    for vendor in vendors:
        files[f"src/{vendor.module}.ts"] = render_template(f"{TEMPLATE_DIR}/unified/vendor.ts.j2", vendor)
    return [Draft(f"ts/{PACKAGE}", files)]


def _vendor(subject: Subject, cancel: CancelBinding) -> TsVendor:
    binding = vendor_binding(subject)
    assert binding is not None  # the subject has a cancel binding
    context = ts_context(subject)
    method = context.operation(cancel.operation_id)
    slug = package_name(subject.api.name)
    return TsVendor(
        binding=binding,
        package=context.package,
        directory=slug,
        module=f"vendor_{slug}",
        client_alias=f"{''.join(w.capitalize() for w in slug.split('_'))}Client",
        method=method.method,
        inputs=_inputs(cancel, method),
        has_body=method.body_type is not None,
        credential=context.auth[0].option if context.auth else None,
        base_url_required=context.default_base_url is None,
    )


def _inputs(cancel: CancelBinding, method: TsOperation) -> tuple[TsInput, ...]:
    """The roles the engine fills in, by the TypeScript method's member names (the same rules as the Python layer)."""
    result: list[TsInput] = []
    for item in cancel.inputs:
        if item.location is InputLocation.BODY:
            if item.role in (CancelRole.RUN_IDS, CancelRole.SCOPE, CancelRole.STATUS):
                result.append(TsInput(item.role.value, "body", item.name))
            continue  # filters travel by their wire names, straight from the request
        name = method.param_named(ParameterLocation(item.location.value), item.name)
        if name is not None and item.role in (CancelRole.RUN_ID, CancelRole.SCOPE, CancelRole.ACTION):
            result.append(TsInput(item.role.value, "parameter", name))
    return tuple(result)
