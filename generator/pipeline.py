"""The steps every command shares: configuration, loading and normalising a spec."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.cancel.bind import bind_cancel
from generator.cancel.model import CancelBinding
from generator.config import DEFAULT_CONFIG, Config, OperationFilter, VendorConfig, load_config
from generator.ir.model import Api
from generator.ir.normalise import normalise, require_api_key_header
from generator.load import SpecFiles, load_spec
from generator.load.problem import Diagnostics, Location, Problem, Severity
from generator.load.report import once
from generator.load.rule_memory import TextStore


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
    """A target loaded, normalised and, for a vendor that declares one, with its cancel operation bound.

    ``api`` is None when the problems include an error. When the OpenAPI rules
    were left out of loading, their problems belong at ``rules_at`` among the
    others: :meth:`add_rule_problems` puts them there.
    """

    api: Api | None
    diagnostics: Diagnostics
    rules_at: int
    rules_owed: bool
    cancel: CancelBinding | None = None
    files: SpecFiles | None = None

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
    return build_into(target, Diagnostics(lenient=rule_mode(target, lenient)), read, check_rules=check_rules)


def build_into(
    target: Target,
    diagnostics: Diagnostics,
    read: list[Path] | None = None,
    *,
    check_rules: bool = True,
    bind: bool = True,
    verdicts: TextStore | None = None,
) -> Built:
    """:func:`build`, recording problems in ``diagnostics`` (whose mode decides what a rule breach is).

    The one load -> normalise -> bind -> filter path every command takes. With
    ``bind`` False the cancel operation is not bound (a diff judges the spec, not
    the configuration's roles, which may name what an older spec lacks).
    ``verdicts`` keeps the rules' verdicts between runs (see :func:`load_spec`).
    """
    before = len(diagnostics.problems)
    files = load_spec(target.spec, diagnostics, target.display, check_rules=check_rules, verdicts=verdicts)
    rules_at = len(diagnostics.problems)
    if files is None:
        return Built(None, diagnostics, rules_at, rules_owed=False)
    if read is not None:
        read.extend(sorted(files.files))
    # Normalising goes on after rule breaches so that one run reports them all.
    vendor = target.vendor
    # Generated code names its spec without machine-specific paths.
    source = vendor.spec_source if vendor else Path(target.display).name
    api = normalise(files, target.name, diagnostics, source=source)
    if vendor is not None and vendor.api_key_header:
        api = require_api_key_header(api, vendor.api_key_header)
    cancel = None
    if bind and vendor is not None and vendor.cancel is not None:
        cancel = bind_cancel(api, vendor.cancel, diagnostics)
    if vendor is not None and vendor.include is not None:
        api = _filtered(api, vendor.include, cancel, target, diagnostics)
    diagnostics.problems[:] = once(diagnostics.problems)  # see Built.add_rule_problems
    failed = any(p.severity is Severity.ERROR for p in diagnostics.problems[before:])
    return Built(None if failed else api, diagnostics, rules_at, rules_owed=not check_rules, cancel=cancel, files=files)


def build_api(target: Target, lenient: bool | None, read: list[Path] | None = None) -> tuple[Api | None, Diagnostics]:
    """:func:`build` with the OpenAPI rules checked, as ``(api or None, problems)``."""
    built = build(target, lenient, read)
    return built.api, built.diagnostics


def rule_mode(target: Target, lenient: bool | None) -> bool:
    """Whether breaches of the OpenAPI rules are only warnings for ``target``."""
    return lenient if lenient is not None else (target.vendor.lenient if target.vendor else False)


def _filtered(
    api: Api, include: OperationFilter, cancel: CancelBinding | None, target: Target, diagnostics: Diagnostics
) -> Api:
    kept = tuple(op for op in api.operations if include.keeps(op.operation_id, op.tags, op.path))
    where = Location(target.display)
    if not kept:
        diagnostics.error(where, "the configuration's include keeps no operation of this spec")
    if cancel is not None and all(op.operation_id != cancel.operation_id for op in kept):
        diagnostics.error(where, f"the cancel operation {cancel.operation_id!r} is not among the included ones")
    return replace(api, operations=kept)
