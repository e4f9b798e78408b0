"""Command line: parses arguments, calls one function per command, maps problems to exit codes."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__

if TYPE_CHECKING:
    # Types only: the modules behind them are imported by the commands that need them, keeping start-up light.
    from generator.config import VendorConfig
    from generator.load.problem import Problem
    from generator.pipeline import Built
    from generator.render.formatting import Draft

EXIT_OK = 0
EXIT_STALE = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 70


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GENERATOR_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set GENERATOR_DEBUG=1 for a traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--config", type=Path, help="configuration file (default: generator.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)

    mode = argparse.ArgumentParser(add_help=False)
    group = mode.add_mutually_exclusive_group()
    group.add_argument(
        "--lenient",
        dest="lenient",
        action="store_true",
        default=None,
        help="report OpenAPI rule breaches as warnings and carry on",
    )
    group.add_argument(
        "--strict",
        dest="lenient",
        action="store_false",
        help="fail on OpenAPI rule breaches (the default unless the config says lenient)",
    )

    talk = argparse.ArgumentParser(add_help=False)
    talk.add_argument("-v", "--verbose", action="store_true", help="show every problem, not a few of each kind")

    validate = commands.add_parser(
        "validate", parents=[mode, talk], help="check specs; no SPEC means every configured vendor"
    )
    validate.add_argument("specs", nargs="*", metavar="SPEC", help="a configured vendor name or a spec file")
    validate.set_defaults(run=_run_validate)

    ir = commands.add_parser("ir", parents=[mode, talk], help="print the intermediate model of one spec")
    ir.add_argument("spec", metavar="VENDOR|SPEC")
    ir.add_argument("--format", choices=("json", "yaml"), default="yaml")
    ir.set_defaults(run=_run_ir)

    generate = commands.add_parser("generate", parents=[mode, talk], help="generate everything the configuration lists")
    generate.add_argument("--vendor", action="append", default=[], help="only this vendor (repeatable)")
    generate.add_argument("--check", action="store_true", help="exit 1 if the output directory is stale")
    generate.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    generate.add_argument("--full", action="store_true", help="render even when no input changed (no fast path)")
    generate.add_argument("--spec", type=Path, help="ad-hoc: generate for this spec file, without the configuration")
    generate.add_argument("--name", help="ad-hoc: the API's name (default: the spec file's name)")
    generate.add_argument("--out", type=Path, help="ad-hoc: the output directory")
    generate.set_defaults(run=_run_generate)

    diff = commands.add_parser(
        "diff",
        parents=[talk],
        help="judge the changes between two specs (OLD NEW), or every vendor's spec against --base REF",
    )
    diff.add_argument("sides", nargs="*", metavar="SPEC", help="OLD and NEW: a file, or git:REF:PATH")
    diff.add_argument("--base", metavar="REF", help="diff every configured vendor's spec against this git revision")
    diff.add_argument("--format", choices=("text", "json", "markdown", "github"), default="text")
    diff.add_argument("--fail-on", choices=("breaking", "warning", "info"), default="breaking")
    diff.add_argument("--ignore", type=Path, metavar="FILE", help="fingerprints of accepted changes, one a line")
    diff.add_argument("--strict", action="store_true", help="fail on OpenAPI rule breaches in either spec")
    diff.set_defaults(run=_run_diff)
    return parser  # fmt: skip


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report(problems: Sequence[Problem], verbose: bool = False) -> None:
    from generator.load.report import lines_for_people

    for line in lines_for_people(problems, verbose):
        print(line, file=sys.stderr)


def _way_out(problems: Sequence[Problem], switch: str = "--lenient") -> None:
    """After a refusal: say what ``switch`` would make of the errors, when they are OpenAPI rule breaches."""
    from generator.load.report import lenient_hint

    hint = lenient_hint(problems, switch)
    if hint is not None:
        print(hint, file=sys.stderr)


def _run_validate(args: argparse.Namespace) -> int:
    from generator.load.problem import Diagnostics
    from generator.pipeline import build_api, config_or_none, resolve_targets

    diagnostics = Diagnostics()
    config = config_or_none(args.config, diagnostics, required=not args.specs)
    if diagnostics.has_errors:
        _report(diagnostics.problems, args.verbose)
        return EXIT_INPUT
    targets = resolve_targets(args.specs, config, diagnostics)
    _report(diagnostics.problems, args.verbose)
    failed: bool = diagnostics.has_errors
    refused: list[Problem] = []
    for target in targets:
        api, found = build_api(target, args.lenient)
        _report(found.problems, args.verbose)
        errors, warnings = len(found.errors()), len(found.warnings())
        verdict = "ok" if api is not None else "FAILED"
        print(f"{target.display}: {verdict} ({_count(errors, 'error')}, {_count(warnings, 'warning')})")
        failed = failed or api is None
        refused.extend(found.problems if api is None else ())
    _way_out(refused)
    return EXIT_INPUT if failed else EXIT_OK


def _run_ir(args: argparse.Namespace) -> int:
    from generator.ir.dump import dump
    from generator.load.problem import Diagnostics
    from generator.pipeline import build, config_or_none, resolve_targets

    diagnostics = Diagnostics()
    config = config_or_none(args.config, diagnostics, required=False)
    targets = resolve_targets([args.spec], config, diagnostics) if not diagnostics.has_errors else []
    if diagnostics.has_errors or not targets:
        _report(diagnostics.problems, args.verbose)
        return EXIT_INPUT
    built = build(targets[0], args.lenient)
    _report(built.diagnostics.problems, args.verbose)
    if built.api is None:
        _way_out(built.diagnostics.problems)
        return EXIT_INPUT
    sys.stdout.write(dump(built.api, args.format, cancel=built.cancel))
    return EXIT_OK


def _run_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.spec is not None or args.out is not None:
        return _run_generate_adhoc(args, started)
    config_path = args.config or Path("generator.yaml")
    if not args.vendor and not args.full and _fast_unchanged(config_path):
        # Nothing the generator reads has changed: no rendering, no heavy imports.
        if not args.quiet:
            print("generated output is up to date (no input changed)")
        return EXIT_OK

    from generator.load.problem import Diagnostics
    from generator.pipeline import config_or_none, resolve_targets

    diagnostics = Diagnostics()
    config = config_or_none(args.config, diagnostics, required=True)
    if config is None:
        _report(diagnostics.problems, args.verbose)
        return EXIT_INPUT
    unknown = [name for name in args.vendor if config.vendor(name) is None]
    if unknown:
        known = ", ".join(v.name for v in config.vendors)
        print(f"{config.path}: error: unknown vendor {unknown[0]!r} (configured: {known})", file=sys.stderr)
        return EXIT_INPUT
    targets = resolve_targets(args.vendor, config, diagnostics)
    rendered = _render_targets(targets, args, unify=config.unified and not args.vendor)
    if rendered is None:
        return EXIT_INPUT
    files, read = rendered
    return _finish(
        args, config.output, files, [config.path, *read], config.path.parent, started, limited=bool(args.vendor)
    )


def _run_generate_adhoc(args: argparse.Namespace, started: float) -> int:
    from generator.pipeline import Target

    if args.spec is None or args.out is None or args.vendor:
        print("generate: the ad-hoc form is --spec FILE --out DIR [--name NAME]", file=sys.stderr)
        return EXIT_INPUT
    name = args.name or args.spec.stem
    target = Target(name, args.spec, str(args.spec))
    rendered = _render_targets([target], args, unify=False)
    if rendered is None:
        return EXIT_INPUT
    files, read = rendered
    return _finish(args, args.out, files, read, args.out, started, limited=False)


def _render_targets(
    targets: list[Any], args: argparse.Namespace, *, unify: bool
) -> tuple[dict[str, bytes], list[Path]] | None:
    """Every file for ``targets``, and the spec files read; None (problems reported) on bad input."""
    from generator.config import VENDOR_TARGETS
    from generator.pipeline import build, rule_mode
    from generator.render import unified
    from generator.render.environment import compile_templates
    from generator.render.formatting import finish
    from generator.render.subject import Subject
    from generator.rule_checks import RuleCheck, RuleChecks

    drafts: list[Draft] = []
    read: list[Path] = []
    apis = []
    failed = False
    refused: list[Problem] = []
    # The OpenAPI rules are checked beside rendering (templates compiled first, while this process
    # imports the model generator); nothing is written before their verdict is in.
    rule_checks = [RuleCheck(t.spec, t.display, rule_mode(t, args.lenient)) for t in targets]
    width = max([len(t.name) for t in targets] + [len("unified")])
    with RuleChecks(rule_checks, warm_up=compile_templates) as checks:
        for index, target in enumerate(targets):
            began = time.perf_counter()
            built = build(target, args.lenient, read, check_rules=False)
            loaded = time.perf_counter() - began
            wanted = target.vendor.targets if target.vendor else VENDOR_TARGETS
            produced = _target_drafts(built, wanted, functools.partial(checks.problems, index))
            built.add_rule_problems(checks.problems(index))
            _report(built.diagnostics.problems if not args.quiet else built.diagnostics.errors(), args.verbose)
            if built.api is None:
                failed = True
                refused.extend(built.diagnostics.problems)
                continue
            apis.append(Subject(built.api, built.cancel))
            if not args.quiet:
                print(f"{target.name:<{width}}  {'spec':<7} loaded in {loaded:.2f}s")
            for label, target_drafts, seconds in produced:
                drafts.extend(target_drafts)
                if not args.quiet:
                    print(_progress(target.name, width, label, target_drafts, seconds))
    if failed:
        # Nothing is written when any input is bad: the previous output stays whole.
        _way_out(refused)  # just above the verdict, which scripts and tests read as the last line
        print("generation failed: nothing was written", file=sys.stderr)
        return None
    if unify:
        # The unified layer spans every vendor: a run limited to some leaves it as it is.
        began = time.perf_counter()
        unified_drafts = unified.drafts(apis)
        drafts.extend(unified_drafts)
        if unified_drafts and not args.quiet:
            print(_progress("unified", width, "", unified_drafts, time.perf_counter() - began))
    began = time.perf_counter()
    files = finish(drafts)
    if not args.quiet:
        print(f"formatted {sum(p.endswith('.py') for p in files)} Python files in {time.perf_counter() - began:.2f}s")
    return files, read


def _progress(name: str, width: int, label: str, drafts: Sequence[Draft], seconds: float) -> str:
    count = sum(len(d.files) for d in drafts)
    return f"{name:<{width}}  {label:<7} {count:>3} {'file ' if count == 1 else 'files'} in {seconds:.2f}s"


def _target_drafts(
    built: Built, wanted: Sequence[str], rule_problems: Callable[[], list[Problem]]
) -> list[tuple[str, list[Draft], float]]:
    """The ``wanted`` drafts (ir, client, server) of a built target, by label, with the seconds each took.

    None when the target's problems stop it.
    """
    from generator.render import fastapi_server, ir_json, python_client
    from generator.render.subject import Subject

    if built.api is None:
        return []
    renderers = {"ir": ir_json, "client": python_client, "server": fastapi_server}
    produced = []
    try:
        for label in wanted:
            began = time.perf_counter()
            target_drafts = renderers[label].drafts(Subject(built.api, built.cancel))
            produced.append((label, target_drafts, time.perf_counter() - began))
        return produced
    except Exception:
        # A spec that breaks the OpenAPI rules may trip a renderer: then the rules, not the crash, are the news.
        built.add_rule_problems(rule_problems())
        if built.api is None:
            return []
        raise


def _finish(
    args: argparse.Namespace,
    output: Path,
    files: dict[str, bytes],
    read: list[Path],
    root: Path,
    started: float,
    *,
    limited: bool,
) -> int:
    from generator.fastpath import dependency_versions, input_hashes, tool_digest
    from generator.output import areas_of, check_output, write_output

    meta: dict[str, object] = {"generator": __version__}
    inputs = input_hashes(read, root)
    if limited:
        # A limited run read only some specs: the others keep the hashes they were generated from.
        inputs = {**_previous_inputs(output), **inputs}
    # What the output was made from, for the no-op check.
    meta["inputs"] = dict(sorted(inputs.items()))
    meta["dependencies"] = dependency_versions()
    meta["tool"] = tool_digest()
    areas = areas_of(files) if limited else None
    if args.check:
        diffs = check_output(output, files, meta, areas)
        for diff in diffs:
            sys.stdout.write(diff)
        if diffs:
            print(f"{output} is stale: {len(diffs)} file(s) differ; run 'make generate'", file=sys.stderr)
            return EXIT_STALE
        if not args.quiet:
            print(f"{output} is up to date")
        return EXIT_OK
    report = write_output(output, files, meta, areas)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        line = (
            f"generated {len(files)} files into {output} in {elapsed:.2f}s: "
            f"{len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed"
        )
        print(_green(line) if sys.stdout.isatty() and not os.environ.get("NO_COLOR") else line)
    return EXIT_OK


def _previous_inputs(output: Path) -> dict[str, str]:
    import json

    try:
        inputs = json.loads((output / ".manifest.json").read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in inputs.items()} if isinstance(inputs, dict) else {}


def _green(text: str) -> str:
    return f"\033[32m{text}\033[0m"


def _fast_unchanged(config_path: Path) -> bool:
    from generator.fastpath import unchanged_output

    return unchanged_output(config_path, __version__)


def _run_diff(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from generator.load.problem import Diagnostics
    from generator.pipeline import config_or_none
    from generator.specdiff.report import render
    from generator.specdiff.rules import Severity, judge
    from generator.specdiff.sides import load_side
    from generator.specdiff.structural import diff_apis

    if args.base is None and len(args.sides) != 2:
        print("diff: give OLD and NEW, or --base REF", file=sys.stderr)
        return EXIT_INPUT
    if args.base is not None and args.sides:
        print("diff: give either OLD and NEW, or --base REF, not both", file=sys.stderr)
        return EXIT_INPUT
    pairs: list[tuple[str, str, str, VendorConfig | None]] = []
    diagnostics = Diagnostics()
    config = config_or_none(args.config, diagnostics, required=args.base is not None)
    if diagnostics.has_errors:
        _report(diagnostics.problems, args.verbose)
        return EXIT_INPUT
    vendors = config.vendors if config is not None else ()
    if args.base is not None:
        for vendor in vendors:
            pairs.append((vendor.name, f"git:{args.base}:{vendor.spec_display}", vendor.spec_display, vendor))
    else:
        old, new = args.sides
        # A configured vendor's spec is read with its configuration, as `generate` reads it.
        paths = {Path(side.rpartition(":")[2]).resolve() for side in (old, new)}
        configured = next((v for v in vendors if v.spec.resolve() in paths), None)
        pairs.append((Path(new).stem, old, new, configured))
    ignored = _ignored(args.ignore)
    if ignored is None:
        return EXIT_INPUT
    threshold = Severity(args.fail_on).rank
    failed = False
    for name, old, new, configured in pairs:
        diagnostics = Diagnostics(lenient=not args.strict)
        before = load_side(old, name, diagnostics, configured)
        after = load_side(new, name, diagnostics, configured)
        errors = diagnostics.errors()
        if before is None or after is None:
            _report(errors or diagnostics.problems, args.verbose)
            if args.strict:
                _way_out(errors, "leaving out --strict")
            return EXIT_INPUT
        findings = [f for f in judge(diff_apis(before.api, after.api)) if f.fingerprint not in ignored]
        findings = [replace(f, line=after.files.root.line_of(f.pointer)) for f in findings]
        sys.stdout.write(render(findings, args.format, new))
        failed = failed or any(f.severity.rank >= threshold for f in findings)
    return EXIT_STALE if failed else EXIT_OK


def _ignored(path: Path | None) -> set[str] | None:
    """Fingerprints to leave out; None (reported) when the file cannot be read."""
    if path is None:
        return set()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"{path}: error: cannot read the ignore file: {exc.strerror}", file=sys.stderr)
        return None
    return {line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()}
