"""Generation as a library: ``generate`` (everything a configuration lists) and ``generate_spec`` (one spec, ad hoc).

Load, normalise and bind each spec (the pipeline), render every wanted target
from it, format the lot, then write or check the output tree. Problems are
values in the result; a :class:`Listener` hears them, and progress, as the run
goes. Nothing is written when any input is bad.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from generator import __version__, manifest
from generator import targets as registry
from generator.config import Config
from generator.load.problem import Diagnostics, Location, Problem
from generator.pipeline import Built, Target, build, config_or_none, resolve_targets, rule_mode
from generator.render.formatting import Draft

if TYPE_CHECKING:
    from generator.ir.model import Api
    from generator.render.subject import Subject


class Listener(Protocol):
    """Hears a run as it goes: each target's problems, and one line of progress per step."""

    def problems(self, found: Sequence[Problem]) -> None:
        """Problems of one spec (or of the configuration), as soon as they are known."""

    def progress(self, line: str) -> None:
        """One step done (a spec loaded, a target rendered, the output formatted)."""


class Silent:
    """A listener that ignores everything; the result still holds every problem."""

    def problems(self, found: Sequence[Problem]) -> None:
        """Ignore them."""

    def progress(self, line: str) -> None:
        """Ignore it."""


@dataclass(frozen=True)
class GenerateResult:
    """What a run did. ``failed``: bad input stopped it, and nothing was written.

    With ``check``, ``stale`` holds a unified diff per file that differs (nothing
    is written either way). ``fast`` says the output was confirmed up to date
    from its manifest alone, without rendering.
    """

    output: Path
    problems: tuple[Problem, ...] = ()
    failed: bool = False
    fast: bool = False
    files: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No bad input, and (for a check) nothing stale."""
        return not self.failed and not self.stale


@dataclass
class _Rendered:
    files: dict[str, bytes]
    read: list[Path] = field(default_factory=list)


def generate(
    config: Path | str | Config = "generator.yaml",
    *,
    check: bool = False,
    vendors: Sequence[str] | None = None,
    full: bool = False,
    lenient: bool | None = None,
    listener: Listener | None = None,
    reuse: bool = True,
) -> GenerateResult:
    """Generate everything ``config`` lists into its output directory (or, with ``check``, compare).

    ``vendors`` limits the run to some vendors (the unified layer is left as it
    is). Unless ``full``, an output whose manifest shows nothing changed is
    confirmed without rendering. ``lenient`` None keeps each vendor's mode.
    With ``reuse``, models an earlier run made of unchanged schemas are taken
    from the user's cache (see :mod:`generator.render.model_store`): the bytes are the same.
    """
    heard = listener or Silent()
    config_path = config.path if isinstance(config, Config) else Path(config)
    if not vendors and not full and manifest.unchanged_output(config_path, __version__):
        # Nothing the generator reads has changed: no rendering, no heavy imports.
        return GenerateResult(output=manifest.output_of(config_path), fast=True)
    diagnostics = Diagnostics()
    loaded = config if isinstance(config, Config) else config_or_none(config_path, diagnostics, required=True)
    if loaded is None:
        heard.problems(diagnostics.problems)
        return GenerateResult(config_path.parent, tuple(diagnostics.problems), failed=True)
    unknown = [name for name in vendors or () if loaded.vendor(name) is None]
    if unknown:
        known = ", ".join(v.name for v in loaded.vendors)
        diagnostics.error(Location(str(loaded.path)), f"unknown vendor {unknown[0]!r} (configured: {known})")
        heard.problems(diagnostics.problems)
        return GenerateResult(loaded.output, tuple(diagnostics.problems), failed=True)
    targets = resolve_targets(list(vendors or ()), loaded, diagnostics)
    problems: list[Problem] = []
    rendered = _render(targets, lenient, heard, problems, across=() if vendors else loaded.across, reuse=reuse)
    if rendered is None:
        return GenerateResult(loaded.output, tuple(problems), failed=True)
    inputs = manifest.input_hashes([loaded.path, *rendered.read], loaded.path.parent)
    if vendors:
        # A limited run read only some specs: the others keep the hashes they were generated from.
        inputs = {**manifest.recorded_inputs(loaded.output), **inputs}
    return _finish(loaded.output, rendered.files, inputs, problems, check=check, limited=bool(vendors))


def generate_spec(
    spec: Path | str,
    out: Path | str,
    *,
    name: str | None = None,
    check: bool = False,
    lenient: bool | None = None,
    listener: Listener | None = None,
    targets: Sequence[str] = (),
    reuse: bool = True,
) -> GenerateResult:
    """Generate a client, a server and the IR for one spec into ``out``, without a configuration.

    ``targets`` names the per-API targets to make instead (``typescript`` among them); unknown names raise.
    ``reuse`` is :func:`generate`'s.
    """
    spec, out = Path(spec), Path(out)
    unknown = [t for t in targets if t not in registry.PER_API]
    if unknown:
        raise ValueError(f"unknown target {unknown[0]!r} (one of {', '.join(registry.PER_API)})")
    target = Target(name or spec.stem, spec, str(spec))
    problems: list[Problem] = []
    wanted = tuple(t for t in registry.PER_API if t in targets) if targets else None
    rendered = _render([target], lenient, listener or Silent(), problems, across=(), wanted=wanted, reuse=reuse)
    if rendered is None:
        return GenerateResult(out, tuple(problems), failed=True)
    inputs = manifest.input_hashes(rendered.read, out)
    return _finish(out, rendered.files, inputs, problems, check=check, limited=False)


def _render(
    targets: Sequence[Target],
    lenient: bool | None,
    heard: Listener,
    problems: list[Problem],
    *,
    across: Sequence[str],
    wanted: Sequence[str] | None = None,
    reuse: bool = True,
) -> _Rendered | None:
    """Every file for ``targets``, formatted, and the spec files read; None when any input is bad.

    ``across`` names the layers across APIs to make; ``wanted`` the per-API targets of a spec
    named without a configuration (None: the default ones); ``reuse``: :func:`generate`'s.
    """
    from generator.config import DEFAULT_TARGETS
    from generator.render import model_package
    from generator.render.environment import compile_templates
    from generator.render.formatting import Formatting
    from generator.render.model_store import ModelStore
    from generator.rule_checks import RuleCheck, RuleChecks

    rendered = _Rendered({})
    subjects: list[Subject] = []
    failed = False
    # The OpenAPI rules are checked beside rendering (templates compiled first, while this process
    # imports the model generator); nothing is written before their verdict is in.
    rule_checks = [RuleCheck(t.spec, t.display, rule_mode(t, lenient)) for t in targets]
    # Both columns fit their longest entry: the API names and layers across APIs, then the per-API step labels
    # (target labels such as "typescript" are longer than "spec"), so every line's counts stay aligned.
    width = max([len(t.name) for t in targets] + [len(label) for label in across])
    steps = max(len(label) for label in ("spec", *registry.PER_API))
    store = ModelStore.for_user(manifest.store_salt()) if reuse else None
    with (
        # Python is formatted as the drafts come (ruff starts on the first while the rest are rendered).
        Formatting(store) as formatting,
        RuleChecks(rule_checks, warm_up=compile_templates, store=store) as checks,
        model_package.reusing(store, beside=True) as tally,
    ):
        for index, target in enumerate(targets):
            began = time.perf_counter()
            built = build(target, lenient, rendered.read, check_rules=False)
            loaded = time.perf_counter() - began
            chosen = target.vendor.targets if target.vendor else wanted
            if chosen is None:
                chosen = tuple(t for t in registry.PER_API if t in DEFAULT_TARGETS)
            produced = _target_drafts(target, built, chosen, functools.partial(checks.problems, index), formatting.add)
            built.add_rule_problems(checks.problems(index))
            problems.extend(built.diagnostics.problems)
            heard.problems(built.diagnostics.problems)
            if built.api is None:
                failed = True
                continue
            subjects.append(_subject(target, built.api, built))
            heard.progress(f"{target.name:<{width}}  {'spec':<{steps}} loaded in {loaded:.2f}s")
            for label, target_drafts, seconds in produced:
                heard.progress(_progress(target.name, (width, steps), label, target_drafts, seconds))
            if tally.parts:
                reused = f"{tally.parts - tally.made} reused" if store is not None else "none reused (--full)"
                counts = f"{tally.made} of {tally.parts} parts made, {reused}"
                heard.progress(f"{target.name:<{width}}  {'models':<{steps}} {counts}")
                tally.clear()
        if failed:
            return None  # nothing is written when any input is bad: the previous output stays whole
        # Within the block: the layers across APIs read the models' classes the APIs' packages have made.
        for label in across:
            began = time.perf_counter()
            layer = registry.across_apis(label)(subjects)
            formatting.add(layer)
            if layer:
                heard.progress(_progress(label, (width, steps), "", layer, time.perf_counter() - began))
        began = time.perf_counter()
        rendered.files = formatting.files()
    python = sum(p.endswith(".py") for p in rendered.files)
    heard.progress(f"formatted {python} Python files in {time.perf_counter() - began:.2f}s")
    return rendered


def _progress(name: str, widths: tuple[int, int], label: str, drafts: Sequence[Draft], seconds: float) -> str:
    """One progress line; ``widths`` are those of the name and label columns."""
    count = sum(len(d.files) for d in drafts)
    files = "file " if count == 1 else "files"
    return f"{name:<{widths[0]}}  {label:<{widths[1]}} {count:>3} {files} in {seconds:.2f}s"


def _subject(target: Target, api: Api, built: Built) -> Subject:
    """What the renderers of ``target`` receive: its API, cancel binding and client settings."""
    from generator.render.subject import Subject

    vendor = target.vendor
    if vendor is None:
        return Subject(api, built.cancel)
    return Subject(api, built.cancel, vendor.credential_env, vendor.idempotent, vendor.paging)


def _target_drafts(
    target: Target,
    built: Built,
    wanted: Sequence[str],
    rule_problems: Callable[[], list[Problem]],
    rendered: Callable[[list[Draft]], None],
) -> list[tuple[str, list[Draft], float]]:
    """The ``wanted`` drafts (ir, client, server) of a built target, by label, with the seconds each took.

    Each label's drafts are handed to ``rendered`` as soon as they are made.
    """
    from generator.render import model_package

    if built.api is None:
        return []
    subject = _subject(target, built.api, built)
    produced = []
    try:
        # The worker makes the models while this process renders what needs none (the IR first).
        model_package.start([model_package.plan_for(built.api)])
        for label in wanted:
            began = time.perf_counter()
            target_drafts = registry.per_api(label)(subject)
            produced.append((label, target_drafts, time.perf_counter() - began))
            rendered(target_drafts)
        return produced
    except Exception:
        # A spec that breaks the OpenAPI rules may trip a renderer: then the rules, not the crash, are the news.
        built.add_rule_problems(rule_problems())
        if built.api is None:
            return []
        raise


def _finish(
    output: Path,
    files: dict[str, bytes],
    inputs: dict[str, str],
    problems: list[Problem],
    *,
    check: bool,
    limited: bool,
) -> GenerateResult:
    from generator.output import areas_of, check_output, write_output

    provenance = manifest.current(__version__, inputs)
    areas = areas_of(files) if limited else None
    made = tuple(files)
    if check:
        stale = check_output(output, files, provenance, areas)
        return GenerateResult(output, tuple(problems), files=made, stale=tuple(stale))
    report = write_output(output, files, provenance, areas)
    return GenerateResult(
        output,
        tuple(problems),
        files=made,
        written=tuple(report.written),
        unchanged=tuple(report.unchanged),
        removed=tuple(report.removed),
    )
