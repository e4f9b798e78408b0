"""The steps every command shares: configuration, loading and normalising a spec."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.config import DEFAULT_CONFIG, Config, OperationFilter, VendorConfig, load_config
from generator.ir.model import Api
from generator.ir.normalise import normalise
from generator.load import load_spec
from generator.load.problem import Diagnostics, Location, Problem
from generator.load.report import once


@dataclass(frozen=True)
class Target:
    """A spec to work on: a configured vendor, or a file named on the command line."""

    name: str
    spec: Path
    display: str
    vendor: VendorConfig | None = None


def config_or_none(path: Path | None, diagnostics: Diagnostics, *, required: bool) -> Config | None:
    """Load the configuration; when none was asked for and none exists, None without a problem."""
    chosen = path or DEFAULT_CONFIG
    if path is None and not chosen.exists() and not required:
        return None
    return load_config(chosen, diagnostics)


def resolve_targets(names: list[str], config: Config | None, diagnostics: Diagnostics) -> list[Target]:
    """Turn command-line names into targets: a vendor name, else a spec file path."""
    if not names:
        if config is None:
            diagnostics.error(Location(str(DEFAULT_CONFIG)), "no spec given and no configuration file found")
            return []
        return [Target(v.name, v.spec, v.spec_display, v) for v in config.vendors]
    targets = []
    for name in names:
        vendor = config.vendor(name) if config is not None else None
        if vendor is not None:
            targets.append(Target(vendor.name, vendor.spec, vendor.spec_display, vendor))
        else:
            path = Path(name)
            targets.append(Target(path.stem, path, name))
    return targets


@dataclass
class Built:
    """A target loaded and normalised.

    ``api`` is None when the problems include an error. When the OpenAPI rules
    were left out of loading, their problems belong at ``rules_at`` among the
    others: :meth:`add_rule_problems` puts them there.
    """

    api: Api | None
    diagnostics: Diagnostics
    rules_at: int
    rules_owed: bool

    def add_rule_problems(self, problems: list[Problem]) -> None:
        """Record the OpenAPI rule problems found apart (see :mod:`generator.rule_checks`), once."""
        if not self.rules_owed:
            return
        self.rules_owed = False
        self.diagnostics.problems[self.rules_at : self.rules_at] = problems
        # The validator and normalising report some facts alike: the list is whole only now.
        self.diagnostics.problems[:] = once(self.diagnostics.problems)
        if self.diagnostics.has_errors:
            self.api = None


def build(target: Target, lenient: bool | None, read: list[Path] | None = None, *, check_rules: bool = True) -> Built:
    """Load and normalise one target. ``lenient`` None means the vendor's configured mode.

    The paths of every file the spec spans are appended to ``read`` when given.
    With ``check_rules`` False the OpenAPI rules are left to the caller.
    """
    diagnostics = Diagnostics(lenient=rule_mode(target, lenient))
    files = load_spec(target.spec, diagnostics, target.display, check_rules=check_rules)
    rules_at = len(diagnostics.problems)
    if files is None:
        return Built(None, diagnostics, rules_at, rules_owed=False)
    if read is not None:
        read.extend(sorted(files.files))
    # Normalising goes on after rule breaches so that one run reports them all.
    cancel = target.vendor.cancel if target.vendor else None
    api_key_header = target.vendor.api_key_header if target.vendor else None
    # Generated code names its spec without machine-specific paths.
    source = target.vendor.spec_source if target.vendor else Path(target.display).name
    api = normalise(files, target.name, diagnostics, cancel, api_key_header, source)
    include = target.vendor.include if target.vendor else None
    if include is not None:
        api = _filtered(api, include, target, diagnostics)
    diagnostics.problems[:] = once(diagnostics.problems)  # see Built.add_rule_problems
    return Built(None if diagnostics.has_errors else api, diagnostics, rules_at, rules_owed=not check_rules)


def build_api(target: Target, lenient: bool | None, read: list[Path] | None = None) -> tuple[Api | None, Diagnostics]:
    """:func:`build` with the OpenAPI rules checked, as ``(api or None, problems)``."""
    built = build(target, lenient, read)
    return built.api, built.diagnostics


def rule_mode(target: Target, lenient: bool | None) -> bool:
    """Whether breaches of the OpenAPI rules are only warnings for ``target``."""
    return lenient if lenient is not None else (target.vendor.lenient if target.vendor else False)


def _filtered(api: Api, include: OperationFilter, target: Target, diagnostics: Diagnostics) -> Api:
    kept = tuple(op for op in api.operations if include.keeps(op.operation_id, op.tags, op.path))
    where = Location(target.display)
    if not kept:
        diagnostics.error(where, "the configuration's include keeps no operation of this spec")
    if api.cancel is not None and all(op.operation_id != api.cancel.operation_id for op in kept):
        diagnostics.error(where, f"the cancel operation {api.cancel.operation_id!r} is not among the included ones")
    return replace(api, operations=kept)
