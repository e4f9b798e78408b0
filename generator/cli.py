"""Command line: parses arguments, calls one function per command, maps problems to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator import targets as registry

if TYPE_CHECKING:
    # Types only: the modules behind them are imported by the commands that need them, keeping start-up light.
    from generator.load.problem import Problem
    from generator.render.model_store import ModelStore

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
    generate.add_argument(
        "--full", action="store_true", help="render everything anew: no fast path, no models reused from the cache"
    )
    generate.add_argument("--spec", type=Path, help="ad-hoc: generate for this spec file, without the configuration")
    generate.add_argument("--name", help="ad-hoc: the API's name (default: the spec file's name)")
    generate.add_argument("--out", type=Path, help="ad-hoc: the output directory")
    generate.add_argument(
        "--target",
        action="append",
        default=[],
        choices=registry.PER_API,
        help="ad-hoc: make this target (repeatable; default: ir, client and server)",
    )
    generate.set_defaults(run=_run_generate)

    diff = commands.add_parser(
        "diff",
        parents=[talk],
        help="judge the changes between two specs (OLD NEW), or every vendor's spec against --base REF",
    )
    diff.add_argument("sides", nargs="*", metavar="SPEC", help="OLD and NEW: a file, or git:REF:PATH")
    diff.add_argument("--base", metavar="REF", help="diff every configured vendor's spec against this git revision")
    diff.add_argument(
        "--format",
        choices=("text", "json", "markdown", "github", "changelog"),
        default="text",
        help="changelog: one Markdown release entry for the generated SDKs, across every pair",
    )
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


class _Printer:
    """Tells a person how a run goes: problems on stderr (grouped unless verbose), progress on stdout."""

    def __init__(self, *, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose

    def problems(self, found: Sequence[Problem]) -> None:
        from generator.load.problem import Severity

        _report([p for p in found if not self.quiet or p.severity is Severity.ERROR], self.verbose)

    def progress(self, line: str) -> None:
        if not self.quiet:
            print(line)


def _start_helpers(args: argparse.Namespace, config_path: Path) -> tuple[ModelStore | None, dict[str, object]]:
    """Fork the run's helpers before the generator is imported; the store, and these inputs as it names them.

    The model generator warms up in a worker while the rest is imported, unless an earlier run of the same
    inputs ended well (the store then likely holds their models): the worker then waits to be needed, and
    the OpenAPI rule checks take the free core at once instead.
    """
    from generator.render import model_worker

    # Forked before any other import: a worker started warm then begins the model generator's import at once.
    model_worker.start_early(warm=args.full)
    from generator import manifest, rule_checks
    from generator.render.model_store import ModelStore

    store = None if args.full else ModelStore.for_user(manifest.store_salt())
    run: dict[str, object] = {
        "spec": str(args.spec.resolve()) if args.spec else None,
        "config": str(config_path.resolve()),
        "vendors": args.vendor,
        "targets": args.target,
    }
    if store is not None and store.remembers(run):
        rule_checks.start_early()
    elif not args.full:
        model_worker.warm_up_early()
    return store, run


def _run_generate(args: argparse.Namespace) -> int:
    from generator import manifest

    started = time.perf_counter()
    config_path = args.config or Path("generator.yaml")
    ad_hoc = args.spec is not None or args.out is not None or bool(args.target)
    # Checked before the library is even imported: an unchanged tree costs no more than start-up.
    if not ad_hoc and not args.vendor and not args.full and manifest.unchanged_output(config_path, __version__):
        if not args.quiet:
            print("generated output is up to date (no input changed)")
        return EXIT_OK

    store, run = _start_helpers(args, config_path)
    from generator.generation import generate, generate_spec

    printer = _Printer(quiet=args.quiet, verbose=args.verbose)
    if ad_hoc:
        if args.spec is None or args.out is None or args.vendor:
            print("generate: the ad-hoc form is --spec FILE --out DIR [--name NAME] [--target T]", file=sys.stderr)
            return EXIT_INPUT
        result = generate_spec(
            args.spec,
            args.out,
            name=args.name,
            check=args.check,
            lenient=args.lenient,
            listener=printer,
            targets=args.target,
            reuse=not args.full,
        )
    else:
        result = generate(
            config_path,
            check=args.check,
            vendors=args.vendor,
            full=True,  # the no-op check above has run already: do not hash the whole tree twice
            lenient=args.lenient,
            listener=printer,
            reuse=not args.full,
        )
    if store is not None and not result.failed:
        store.remember(run)
    if result.fast:
        if not args.quiet:
            print("generated output is up to date (no input changed)")
        return EXIT_OK
    if result.failed:
        # Nothing is written when any input is bad: the previous output stays whole.
        _way_out(result.problems)  # just above the verdict, which scripts and tests read as the last line
        print("generation failed: nothing was written", file=sys.stderr)
        return EXIT_INPUT
    if args.check:
        for diff in result.stale:
            sys.stdout.write(diff)
        if result.stale:
            count = len(result.stale)
            print(f"{result.output} is stale: {count} file(s) differ; run 'make generate'", file=sys.stderr)
            return EXIT_STALE
        if not args.quiet:
            print(f"{result.output} is up to date")
        return EXIT_OK
    if not args.quiet:
        elapsed = time.perf_counter() - started
        line = (
            f"generated {len(result.files)} files into {result.output} in {elapsed:.2f}s: "
            f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed"
        )
        print(_green(line) if sys.stdout.isatty() and not os.environ.get("NO_COLOR") else line)
    return EXIT_OK


def _green(text: str) -> str:
    return f"\033[32m{text}\033[0m"


def _run_diff(args: argparse.Namespace) -> int:
    from generator.load.problem import Diagnostics
    from generator.pipeline import config_or_none
    from generator.specdiff.changelog import changelog
    from generator.specdiff.report import render
    from generator.specdiff.rules import Impact
    from generator.specdiff.run import diff

    if args.base is None and len(args.sides) != 2:
        print("diff: give OLD and NEW, or --base REF", file=sys.stderr)
        return EXIT_INPUT
    if args.base is not None and args.sides:
        print("diff: give either OLD and NEW, or --base REF, not both", file=sys.stderr)
        return EXIT_INPUT
    diagnostics = Diagnostics()
    config = config_or_none(args.config, diagnostics, required=args.base is not None)
    if diagnostics.has_errors:
        _report(diagnostics.problems, args.verbose)
        return EXIT_INPUT
    ignored = _ignored(args.ignore)
    if ignored is None:
        return EXIT_INPUT
    old, new = args.sides if args.base is None else (None, None)
    result = diff(old, new, base=args.base, config=config, strict=args.strict, ignored=ignored)
    if args.format == "changelog":
        # One entry for the release, whatever the number of pairs; none when a side could not be read.
        sys.stdout.write("" if result.failed else changelog(result.pairs))
    else:
        for pair in result.pairs:
            sys.stdout.write(render(list(pair.findings), args.format, pair.spec))
    if result.failed:
        _report(result.problems, args.verbose)
        if args.strict:
            _way_out(result.problems, "leaving out --strict")
        return EXIT_INPUT
    worst = result.worst()
    return EXIT_STALE if worst is not None and worst.rank >= Impact(args.fail_on).rank else EXIT_OK


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
