"""The generator's configuration: which vendors, where their specs are, what their cancel inputs mean."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from generator import targets
from generator.cancel.model import CancelDeclaration, CancelOutcome, CancelRole, DeclaredInput, InputLocation
from generator.load import pointer as jp
from generator.load.problem import Diagnostics
from generator.load.source import SourceFile, read_source
from generator.render.paging import DeclaredPaging
from generator.specdiff.policy import NO_POLICY, RULE_IDS, DiffPolicy, Ignore
from generator.specdiff.rules import Impact

DEFAULT_CONFIG = Path("generator.yaml")

_NAME = r"^[a-z][a-z0-9_]*$"
# What can be generated per vendor, and across vendors.
VENDOR_TARGETS = targets.PER_API
UNIFIED = "unified"  # the layer across vendors, built on their clients
# What is made when the configuration does not say: everything but the opt-in targets.
DEFAULT_TARGETS = tuple(t for t in (*VENDOR_TARGETS, *targets.ACROSS_APIS) if t not in targets.OPT_IN)


def _targets_schema(names: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "array", "items": {"enum": list(names)}, "uniqueItems": True, "minItems": 1}


_STATUS = {"type": "integer", "minimum": 400, "maximum": 599}
# What a project decided about the schema diff's findings (see generator/specdiff/policy.py).
_GLOB = {"type": "string", "minLength": 1}
_DIFF = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "severity": {"type": "object", "additionalProperties": {"enum": [i.value for i in Impact]}},
        "ignore": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {"rule": _GLOB, "operation": _GLOB, "pointer": _GLOB},
            },
        },
    },
}
_CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["vendors"],
    "additionalProperties": False,
    "properties": {
        "output": {"type": "string", "minLength": 1},
        "targets": _targets_schema((*VENDOR_TARGETS, *targets.ACROSS_APIS)),
        "diff": _DIFF,
        "vendors": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _NAME},
            "additionalProperties": {
                "type": "object",
                "required": ["spec"],
                "additionalProperties": False,
                "properties": {
                    "spec": {"type": "string", "minLength": 1},
                    "targets": _targets_schema(VENDOR_TARGETS),
                    "lenient": {"type": "boolean"},
                    "diff": _DIFF,
                    "api_key_header": {"type": "string", "pattern": "^[A-Za-z0-9-]+$"},
                    "idempotent": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "paging": {
                        "type": "object",
                        "additionalProperties": {
                            "oneOf": [
                                {"const": False},
                                {
                                    "type": "object",
                                    "required": ["style", "start"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "style": {"enum": ["offset", "page", "cursor"]},
                                        "start": {"type": "string", "minLength": 1},
                                        "size": {"type": "string", "minLength": 1},
                                        "items": {"type": "string"},
                                        "next": {"type": "string"},
                                    },
                                },
                            ]
                        },
                    },
                    "credential_env": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                        "minItems": 1,
                    },
                    "include": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            "operations": {"type": "array", "items": {"type": "string"}},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "paths": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "cancel": {
                        "type": "object",
                        "required": ["operation", "inputs"],
                        "additionalProperties": False,
                        "properties": {
                            "operation": {"type": "string", "minLength": 1},
                            "outcome": {
                                "type": "object",
                                "required": ["cancellable", "cancelled_status"],
                                "additionalProperties": False,
                                "properties": {
                                    "cancellable": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                                    "cancelled_status": {"type": "string"},
                                    "unknown": {"oneOf": [{"enum": ["failed", "ignore"]}, _STATUS]},
                                    "finished": {"oneOf": [{"enum": ["failed", "ignore"]}, _STATUS]},
                                    "cancelled_list": {"type": "string"},
                                    "failed_list": {"type": "string"},
                                    "run_property": {"type": "string"},
                                },
                            },
                            "conflicts": {
                                "type": "array",
                                "items": {
                                    "type": "array",
                                    "items": {"enum": [r.value for r in CancelRole]},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                            "inputs": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["role", "in", "name"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "role": {"enum": [r.value for r in CancelRole]},
                                        "in": {"enum": [loc.value for loc in InputLocation]},
                                        "name": {"type": "string", "minLength": 1},
                                        "label": {"type": "string", "minLength": 1},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class OperationFilter:
    """Which operations of a spec to generate: those matching any of the lists."""

    operations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # shell-style patterns, e.g. /v1/runs/*

    def keeps(self, operation_id: str, tags: tuple[str, ...], path: str) -> bool:
        """Whether an operation with this id, these tags and this path is generated."""
        return (
            operation_id in self.operations
            or any(t in self.tags for t in tags)
            or any(fnmatch.fnmatchcase(path, pattern) for pattern in self.paths)
        )


@dataclass(frozen=True)
class VendorConfig:
    """One vendor: its spec and how to read it."""

    name: str
    spec: Path
    spec_display: str
    spec_source: str  # as written in the configuration: how generated code names its origin
    lenient: bool
    cancel: CancelDeclaration | None
    api_key_header: str | None = None
    # Environment variables the vendor's own SDK reads its credential from, in order.
    credential_env: tuple[str, ...] = ()
    # Operations safe to send twice though their method is not, which the spec does not mark.
    idempotent: tuple[str, ...] = ()
    # Paging declared per operation where detection cannot see it (False: the operation does not page).
    paging: tuple[tuple[str, DeclaredPaging | Literal[False]], ...] = ()
    include: OperationFilter | None = None
    # What to generate for it, in VENDOR_TARGETS order.
    targets: tuple[str, ...] = tuple(t for t in VENDOR_TARGETS if t in DEFAULT_TARGETS)
    # The schema diff's policy for this vendor alone (merged over the top level's).
    diff: DiffPolicy = NO_POLICY


@dataclass(frozen=True)
class Config:
    """The whole configuration file."""

    path: Path
    output: Path
    vendors: tuple[VendorConfig, ...]
    across: tuple[str, ...] = (UNIFIED,)  # the layers across vendors that are generated, in ACROSS_APIS order
    diff: DiffPolicy = NO_POLICY  # the schema diff's policy for every vendor

    @property
    def unified(self) -> bool:
        """Whether the Python layer across vendors is generated."""
        return UNIFIED in self.across

    def vendor(self, name: str) -> VendorConfig | None:
        """The vendor called ``name``, if configured."""
        return next((v for v in self.vendors if v.name == name), None)


def load_config(path: Path, diagnostics: Diagnostics) -> Config | None:
    """Read and check the configuration file; None (with problems recorded) if it is unusable."""
    source = read_source(path, str(path), diagnostics)
    if source is None:
        return None
    # Imported here: a run given a spec without a configuration never needs it, and it costs 40 ms.
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(_CONFIG_SCHEMA).iter_errors(source.data), key=lambda e: list(e.absolute_path))
    for error in errors:
        pointer = jp.from_tokens(str(p) for p in error.absolute_path)
        diagnostics.error(source.locate(pointer), f"invalid configuration: {error.message}")
    if errors:
        return None
    # Checked after the schema so that each unknown rule id is one problem at its own line.
    if not _rule_ids_known(source, diagnostics):
        return None
    base = path.parent
    chosen = source.data.get("targets", DEFAULT_TARGETS)
    defaults = tuple(t for t in VENDOR_TARGETS if t in chosen)
    vendors = tuple(_vendor(source, name, raw, base, defaults) for name, raw in source.data["vendors"].items())
    across = tuple(t for t in targets.ACROSS_APIS if t in chosen)
    # Every layer is checked, so one run reports every missing target.
    checked = [_built_on(source, vendors, layer, diagnostics) for layer in across]
    if not all(checked):
        return None
    output = base / source.data.get("output", "generated")
    return Config(path=path, output=output, vendors=vendors, across=across, diff=_policy(source.data.get("diff")))


def _diff_sections(source: SourceFile) -> list[tuple[str, dict[str, Any]]]:
    """Each ``diff:`` section of the file with its JSON pointer: the top level's, then each vendor's."""
    sections = [("/diff", source.data["diff"])] if "diff" in source.data else []
    for name, raw in source.data["vendors"].items():
        if "diff" in raw:
            sections.append((jp.join("", "vendors", name, "diff"), raw["diff"]))
    return sections


def _rule_ids_known(source: SourceFile, diagnostics: Diagnostics) -> bool:
    """Whether every rule a ``diff:`` section names exists; each one that does not is an error at its line."""
    fine = True
    for at, raw in _diff_sections(source):
        for rule in raw.get("severity", {}):
            if rule not in RULE_IDS:
                diagnostics.error(
                    source.locate(jp.join(at, "severity", rule)),
                    f"unknown diff rule {rule!r}: a severity override must name a rule id (see "
                    "generator/specdiff/rules.py, or the ids in `diff --format json`)",
                )
                fine = False
        for index, entry in enumerate(raw.get("ignore", ())):
            pattern = entry.get("rule")
            # A pattern that matches no rule is a typo that would silently ignore nothing.
            if pattern is not None and not any(fnmatch.fnmatchcase(rule, pattern) for rule in RULE_IDS):
                diagnostics.error(
                    source.locate(jp.join(at, "ignore", index, "rule")),
                    f"unknown diff rule {pattern!r}: an ignore's rule must name a rule id or match some",
                )
                fine = False
    return fine


def _policy(raw: dict[str, Any] | None) -> DiffPolicy:
    if raw is None:
        return NO_POLICY
    return DiffPolicy(
        severity=tuple((rule, Impact(level)) for rule, level in raw.get("severity", {}).items()),
        ignore=tuple(Ignore(e.get("rule"), e.get("operation"), e.get("pointer")) for e in raw.get("ignore", ())),
    )


def _built_on(source: SourceFile, vendors: tuple[VendorConfig, ...], layer: str, diagnostics: Diagnostics) -> bool:
    """Whether every vendor with a cancel operation has the per-vendor target the layer ``layer`` is built on."""
    base = targets.BUILT_ON[layer]
    fine = True
    for vendor in vendors:
        if vendor.cancel is None or base in vendor.targets:
            continue
        own = "targets" in source.data["vendors"][vendor.name]
        at = jp.join("", "vendors", vendor.name, "targets") if own else "/targets"
        diagnostics.error(
            source.locate(at),
            f"vendor {vendor.name!r} declares a cancel operation but no {base} target: the {layer} "
            f"layer is built on its {base} (add {base!r}, or leave {layer!r} out of the top-level targets)",
        )
        fine = False
    return fine


def _paging(raw: Any) -> DeclaredPaging | Literal[False]:
    if raw is False:
        return False

    def path(text: str | None) -> tuple[str, ...]:
        return tuple(part for part in (text or "").split(".") if part)

    return DeclaredPaging(raw["style"], raw["start"], raw.get("size"), path(raw.get("items")), path(raw.get("next")))


def _vendor(source: SourceFile, name: str, raw: dict[str, Any], base: Path, targets: tuple[str, ...]) -> VendorConfig:
    spec_display = str(base / raw["spec"]) if str(base) != "." else raw["spec"]
    cancel = None
    if "cancel" in raw:
        at = jp.join("", "vendors", name, "cancel")
        inputs = tuple(
            DeclaredInput(
                role=CancelRole(item["role"]),
                location=InputLocation(item["in"]),
                name=item["name"],
                label=item.get("label"),
                declared_at=source.locate(jp.join(at, "inputs", index)),
            )
            for index, item in enumerate(raw["cancel"]["inputs"])
        )
        outcome = raw["cancel"].get("outcome")
        cancel = CancelDeclaration(
            operation=raw["cancel"]["operation"],
            inputs=inputs,
            declared_at=source.locate(jp.join(at, "operation")),
            outcome=None
            if outcome is None
            else CancelOutcome(
                cancellable=tuple(outcome["cancellable"]),
                cancelled_status=outcome["cancelled_status"],
                unknown=outcome.get("unknown", "ignore"),
                finished=outcome.get("finished", "ignore"),
                cancelled_list=outcome.get("cancelled_list"),
                failed_list=outcome.get("failed_list"),
                run_property=outcome.get("run_property"),
            ),
            conflicts=tuple((CancelRole(a), CancelRole(b)) for a, b in raw["cancel"].get("conflicts", ())),
        )
    return VendorConfig(
        name=name,
        spec=base / raw["spec"],
        spec_display=spec_display,
        spec_source=PurePosixPath(raw["spec"]).as_posix(),
        lenient=raw.get("lenient", False),
        cancel=cancel,
        api_key_header=raw.get("api_key_header"),
        credential_env=tuple(raw.get("credential_env", ())),
        idempotent=tuple(raw.get("idempotent", ())),
        paging=tuple((name, _paging(item)) for name, item in raw.get("paging", {}).items()),
        targets=tuple(t for t in VENDOR_TARGETS if t in raw.get("targets", targets)),
        diff=_policy(raw.get("diff")),
        include=None
        if "include" not in raw
        else OperationFilter(
            operations=tuple(raw["include"].get("operations", ())),
            tags=tuple(raw["include"].get("tags", ())),
            paths=tuple(raw["include"].get("paths", ())),
        ),
    )
