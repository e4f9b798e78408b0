"""The schema diff as a library: load both sides of each pair, diff them structurally, judge each change."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import manifest
from generator.config import Config, VendorConfig
from generator.ir.model import Api
from generator.load.problem import Diagnostics, Problem
from generator.render import model_package
from generator.render.model_store import ModelStore
from generator.specdiff.policy import NO_POLICY, DiffPolicy, apply, merged
from generator.specdiff.rules import Finding, Impact, judge
from generator.specdiff.sides import load_side
from generator.specdiff.structural import Change, diff_apis
from generator.specdiff.surface import diff_surfaces, surface


@dataclass(frozen=True)
class PairReport:
    """The findings of one pair of specs; ``spec`` is the new side, where findings point."""

    name: str
    spec: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class DiffResult:
    """Every pair's findings; ``failed`` when a side could not be read (``problems`` say why)."""

    pairs: tuple[PairReport, ...] = ()
    problems: tuple[Problem, ...] = ()
    failed: bool = False

    def worst(self) -> Impact | None:
        """The worst impact found, if any."""
        impacts = [f.severity for pair in self.pairs for f in pair.findings]
        return max(impacts, key=lambda i: i.rank) if impacts else None


def diff(
    old: str | None = None,
    new: str | None = None,
    *,
    base: str | None = None,
    config: Config | None = None,
    strict: bool = False,
    ignored: Collection[str] = (),
) -> DiffResult:
    """Judge the changes from ``old`` to ``new`` (files or ``git:REF:PATH``), or every configured spec against ``base``.

    A configured vendor's spec is read with its configuration on both sides, as
    ``generate`` reads it. ``ignored`` holds fingerprints of accepted findings;
    the configuration's ``diff:`` policy (top level, then the vendor's) then
    leaves out ignored findings and overrides severities.
    """
    vendors = config.vendors if config is not None else ()
    top = config.diff if config is not None else NO_POLICY
    pairs: list[tuple[str, str, str, VendorConfig | None]] = []
    if base is not None:
        pairs = [(v.name, f"git:{base}:{v.spec_display}", v.spec_display, v) for v in vendors]
    elif old is not None and new is not None:
        paths = {Path(side.rpartition(":")[2]).resolve() for side in (old, new)}
        configured = next((v for v in vendors if v.spec.resolve() in paths), None)
        pairs = [(Path(new).stem, old, new, configured)]
    else:
        raise ValueError("diff needs OLD and NEW, or a base revision")
    # What generation or an earlier diff made is reused: the rules' verdicts on unchanged specs or parts of
    # them, and the models (the source surface reads the classes they hold).
    store = ModelStore.for_user(manifest.store_salt())
    with model_package.reusing(store, beside=True):
        return _diffed(pairs, top, strict, ignored, store)


def _diffed(
    pairs: list[tuple[str, str, str, VendorConfig | None]],
    top: DiffPolicy,
    strict: bool,
    ignored: Collection[str],
    store: ModelStore | None,
) -> DiffResult:
    reports: list[PairReport] = []
    for name, before_spec, after_spec, vendor in pairs:
        diagnostics = Diagnostics(lenient=not strict)
        before = load_side(before_spec, name, diagnostics, vendor, verdicts=store)
        if before is not None:  # the worker makes the models the old side's surface needs while the new one loads
            model_package.start([model_package.plan_for(before.api)])
        after = load_side(after_spec, name, diagnostics, vendor, verdicts=store)
        if before is None or after is None:
            return DiffResult(tuple(reports), tuple(diagnostics.errors() or diagnostics.problems), failed=True)
        judged = [f for f in judge(changes(before.api, after.api)) if f.fingerprint not in ignored]
        # A removed operation is named by its old id, an added one by its new id.
        operation_ids = {
            f"{op.method.upper()} {op.path}": op.operation_id
            for api in (before.api, after.api)
            for op in api.operations
        }
        findings = apply(merged(top, vendor.diff if vendor is not None else None), judged, operation_ids)
        located = tuple(replace(f, line=after.files.root.line_of(f.pointer)) for f in findings)
        reports.append(PairReport(name, after_spec, located))
    return DiffResult(tuple(reports))


def changes(old: Api, new: Api, today: date | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``: on the wire (structural diff), then in the generated SDK's source."""
    return [*diff_apis(old, new, today), *diff_surfaces(surface(old), surface(new))]
