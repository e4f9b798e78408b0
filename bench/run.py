"""Benchmark: generation time and peak memory, side by side, medians of several runs.

    .venv/bin/python bench/run.py [--runs 5] [--skip-compare] [--skip-scale] [--against REV]

(a) full generation of all five vendors (clients, servers, unified layer);
(b) a no-op regeneration, next to the start-up of ``python -m generator --version``;
(c) openapi-python-client and fastapi-code-generator on the same five specs
    (installed into bench/.venv-compare on first use);
(d) scale: synthetic specs of 10, 100, 1000 and 5000 operations and the full vendor
    specs in ../shared/corpus, for this generator and openapi-python-client, the two
    tools timed in turns run by run;
(e) with ``--against REV``: (a) for the generator as it was at git revision REV,
    timed in turns with (a), to show a change did not make generation slower;
(f) incremental: ``skyvern-full.json`` changed in one operation (three kinds of
    change, tests/spec_changes.py), regenerated in place reusing the models a run
    of the old spec stored, against a ``--full`` run of the changed spec.

(a), (d) and the full runs of (f) use ``--full``: nothing is reused from the
model store, so every run does all the work, as the other tools do.

Besides wall time, each row has the CPU time (user + system) of the command and
everything it started: on a shared machine that figure moves far less than the
wall clock, so it is the one to compare two revisions by.

Writes bench/RESULTS.md. Not a test: timings on a shared machine vary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
COMPARE = BENCH / ".venv-compare"
VENDORS = ("cargo", "skyvern", "b3os", "langsmith", "agno")
CORPUS = ROOT.parent / "shared" / "corpus"

# Runs a command and prints its wall time and peak resident memory (KiB), as JSON.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
elapsed = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = used.ru_utime + used.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "kib": used.ru_maxrss, "code": code}))
"""


Job = tuple[list[str], Path, object]  # command, working directory, prepare() to call before each run


def measure(command: list[str], runs: int, cwd: Path, prepare: object = None) -> dict[str, float]:
    """Median wall time and peak memory of ``command`` over ``runs`` runs (``prepare()`` before each)."""
    return measure_interleaved([(command, cwd, prepare)], runs)[0]


def measure_interleaved(jobs: list[Job], runs: int) -> list[dict[str, float]]:
    """:func:`measure` for several commands, taking turns run by run.

    Commands compared with each other are timed in turns so that a slow patch of
    a shared machine falls on all of them alike.
    """
    samples: list[tuple[list[float], list[float], list[float], list[int]]] = [([], [], [], []) for _ in jobs]
    for _ in range(runs):
        for (command, cwd, prepare), (seconds, cpu, kib, codes) in zip(jobs, samples, strict=True):
            if callable(prepare):
                prepare()
            result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True)
            data = json.loads(result.stdout)
            seconds.append(data["seconds"])
            cpu.append(data["cpu"])
            kib.append(data["kib"])
            codes.append(data["code"])
    return [
        {
            "seconds": statistics.median(s),
            "cpu": statistics.median(c),
            "mib": statistics.median(k) / 1024,
            "failures": sum(code != 0 for code in codes),
        }
        for s, c, k, codes in samples
    ]


def project_copy(scratch: Path) -> Path:
    project = scratch / "project"
    shutil.copytree(ROOT / "specs", project / "specs")
    shutil.copy(ROOT / "generator.yaml", project / "generator.yaml")
    return project


def synthetic_spec(operations: int, path: Path) -> Path:
    """A spec of ``operations`` operations, each with a path parameter, a body and a typed answer."""
    paths, schemas = {}, {}
    for i in range(operations):
        schemas[f"Thing{i}"] = {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "count": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
        paths[f"/things{i}/{{id}}"] = {
            "post": {
                "operationId": f"update_thing_{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}},
                    }
                },
            }
        }
    document = {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic {operations}", "version": "1"},
        "servers": [{"url": "https://example.test"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path.write_text(json.dumps(document))
    return path


# The synthetic sizes of (d).
SIZES = (10, 100, 1000, 5000)
# Pinned, so that two runs of this script compare against the same thing.
COMPARE_TOOLS = ("openapi-python-client==0.29.1", "fastapi-code-generator==0.8.1")


def ensure_compare() -> Path | None:
    """A virtualenv with openapi-python-client and fastapi-code-generator, or None if they cannot be had."""
    python = COMPARE / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(COMPARE)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", *COMPARE_TOOLS], capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    return python


def revision_tree(revision: str, scratch: Path) -> Path:
    """A checkout of the generator at ``revision`` (its own templates and code), byte-compiled like ours."""
    tree = scratch / "revision"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), revision], cwd=ROOT, check=True)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(tree / "generator")], check=True, stdout=subprocess.DEVNULL)
    return tree


def revision_name(revision: str) -> str:
    """The commit ``revision`` names, short, with its subject."""
    shown = ["git", "log", "-1", "--format=%h %s", revision]
    return subprocess.run(shown, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def template_cache_files() -> list[Path]:
    """The compiled templates this generator keeps in Jinja's per-user temporary directory."""
    directory = Path(tempfile.gettempdir()) / f"_jinja2-cache-{os.getuid()}"
    return list(directory.glob("runcancel-generator-jinja-*")) if directory.is_dir() else []


def compare_script(scratch: Path, bin_dir: Path) -> tuple[Path, Path]:
    """One shell script generating clients and servers for all five vendors, as (a) does.

    A tool failing on a spec does not stop the script (the other specs still count),
    but the failure is written to the second path returned, for the results to show.
    """
    failures = scratch / "compare-failures.txt"
    # As opc_command: the tools' own scripts (ruff for openapi-python-client's hooks) on PATH.
    lines = [f'export PATH="{bin_dir}:$PATH"']
    for vendor in VENDORS:
        spec = ROOT / "specs" / f"{vendor}.yaml"
        out = scratch / "cmp" / vendor
        lines.append(
            f"{bin_dir}/openapi-python-client generate --path {spec} --output-path {out}/client "
            f"--overwrite >/dev/null 2>&1 || echo 'openapi-python-client on {vendor}' >> {failures}"
        )
        lines.append(
            f"{bin_dir}/fastapi-codegen --input {spec} --output {out}/server "
            f">/dev/null 2>&1 || echo 'fastapi-codegen on {vendor}' >> {failures}"
        )
    script = scratch / "compare.sh"
    script.write_text("\n".join(lines) + "\n")
    return script, failures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--skip-scale", action="store_true", help="leave out (d)")
    parser.add_argument("--against", metavar="REV", help="(e): also time (a) for the generator at this git revision")
    args = parser.parse_args()
    # As an installed package would be: PYTHONDONTWRITEBYTECODE (set on some machines) would
    # otherwise make every run compile the generator from source, the other tools being precompiled.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "generator")], check=True, stdout=subprocess.DEVNULL)
    rows: list[tuple[str, str, dict[str, float]]] = []
    notes: list[str] = [
        "(a) generates what the committed configuration lists, the opt-in TypeScript packages included; "
        "(c) makes Python clients and servers only, and (e) compares on an earlier configuration's work."
    ]
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = project_copy(scratch)
        config = str(project / "generator.yaml")
        generate = [PYTHON, "-m", "generator", "--config", config, "generate", "-q"]
        full_generation = [*generate, "--full"]

        def wipe() -> None:
            shutil.rmtree(project / "generated", ignore_errors=True)

        def wipe_all() -> None:
            wipe()
            for cached in template_cache_files():
                cached.unlink()

        env_cwd = ROOT
        compare = None if args.skip_compare else ensure_compare()
        jobs: list[tuple[str, str, Job]] = [
            ("(a) full generation, 5 vendors", "this generator", (full_generation, env_cwd, wipe)),
            (
                "(a) full generation, no compiled templates cached",
                "this generator",
                (full_generation, env_cwd, wipe_all),
            ),
        ]
        if args.against is not None:
            # The same work for both: the earlier revision's specs and configuration (newer targets are opt-in).
            tree = revision_tree(args.against, scratch)
            old_project = scratch / "earlier-project"
            shutil.copytree(tree / "specs", old_project / "specs")
            shutil.copy(tree / "generator.yaml", old_project / "generator.yaml")
            old_config = str(old_project / "generator.yaml")
            same = [PYTHON, "-m", "generator", "--config", old_config, "generate", "-q", "--full"]

            def wipe_earlier() -> None:
                shutil.rmtree(old_project / "generated", ignore_errors=True)

            earlier = ["env", f"PYTHONPATH={tree}", *same]
            jobs.append(("(e) full generation, the configuration at the earlier revision", "this generator",
                         (same, env_cwd, wipe_earlier)))  # fmt: skip
            jobs.append((f"(e) the same, at {args.against}", "this generator", (earlier, tree, wipe_earlier)))
            notes.append(
                f"(e) runs the generator at {args.against} ({revision_name(args.against)}) and this one on that "
                "revision's specs and configuration, in turns."
            )
        failures = scratch / "compare-failures.txt"
        if compare is not None:
            script, failures = compare_script(scratch, compare.parent)

            def both_tools() -> None:
                shutil.rmtree(scratch / "cmp", ignore_errors=True)
                failures.unlink(missing_ok=True)

            jobs.append(
                (
                    "(c) clients and servers, 5 vendors",
                    "openapi-python-client + fastapi-code-generator",
                    (["bash", str(script)], env_cwd, both_tools),
                )
            )
        # (a) and (c) take turns, run by run: their ratio is the target.
        results = measure_interleaved([job for _, _, job in jobs], args.runs)
        rows.extend((case, tool, result) for (case, tool, _), result in zip(jobs, results, strict=True))
        if compare is not None:
            notes.append(
                "openapi-python-client runs with its virtualenv's scripts first on PATH, as the installation its "
                "README recommends (`pipx install openapi-python-client --include-deps`) has it: its default "
                "post-generation hooks then format its output with ruff, as this generator formats its own. The rows "
                f"'{HOOKLESS}' run it as this script did until 2026-11-24: its hooks could not start, it warned that "
                "'some pieces may be missing', and its output stayed unformatted."
            )
            failed = sorted(set(failures.read_text().splitlines())) if failures.exists() else []
            notes.append(
                f"(c) runs {', '.join(COMPARE_TOOLS)}; commands that failed in the last run: "
                f"{', '.join(failed) if failed else 'none'}."
            )
        subprocess.run(generate, cwd=env_cwd, check=True)
        noop, startup = measure_interleaved(
            [(generate, env_cwd, None), ([PYTHON, "-m", "generator", "--version"], env_cwd, None)], args.runs
        )
        rows.append(("(b) no-op regeneration", "this generator", noop))
        rows.append(("(b) start-up: --version", "this generator", startup))

        if not args.skip_scale:
            rows.extend(scale_rows(scratch, args.runs, env_cwd, compare))
        rows.extend(incremental_rows(scratch, args.runs, env_cwd))
        if args.against is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(scratch / "revision")], cwd=ROOT, check=False)
    write_results(rows, args.runs, notes)


def scale_rows(scratch: Path, runs: int, cwd: Path, compare: Path | None) -> list[tuple[str, str, dict[str, float]]]:
    """(d): synthetic specs of growing size and the full vendor specs, for this generator and openapi-python-client."""
    rows = []
    for size in SIZES:
        spec = synthetic_spec(size, scratch / f"synthetic{size}.json")
        out = scratch / f"ours{size}"
        ours = [PYTHON, "-m", "generator", "generate", "--full", "--spec", str(spec), "--out", str(out), "-q"]
        # Three runs from 1,000 operations up: the growth target compares 5,000 with 1,000 within a fifth, and
        # one sample of a shared machine moves by as much.
        count = min(runs, 3) if size >= 1000 else runs
        mine: Job = (ours, cwd, lambda out=out: shutil.rmtree(out, ignore_errors=True))
        peer = (compare, spec, scratch / f"opc{size}", size < 5000) if compare is not None else None
        rows.extend(side_by_side(f"(d) synthetic, {size} operations", mine, peer, count))
    count = min(runs, 3)  # the corpus rows too: one sample decides nothing on a shared machine
    for name in ("skyvern-full.json", "b3os-full.json", "langgraph-full.json"):
        spec = CORPUS / name
        out = scratch / f"corpus-{name}"
        ours = [PYTHON, "-m", "generator", "generate", "--full", "--lenient", "--spec", str(spec), "--out", str(out)]
        ours.append("-q")
        peer = (compare, spec, scratch / f"opc-{name}", name == "skyvern-full.json") if compare is not None else None
        rows.extend(side_by_side(f"(d) corpus {name}", (ours, cwd, None), peer, count))
    return rows


def side_by_side(
    case: str, ours: Job, peer: tuple[Path, Path, Path, bool] | None, runs: int
) -> list[tuple[str, str, dict[str, float]]]:
    """Rows of ``case`` for this generator and (given ``peer``) openapi-python-client, timed in turns.

    ``peer`` is the peer's virtualenv scripts, the spec, its output directory, and whether to time it
    without its hooks too. Run by run in turns: a slow stretch of the shared machine falls on both alike.
    """
    jobs: list[tuple[str, Job]] = [("this generator", ours)]
    if peer is not None:
        compare, spec, out, hookless = peer
        cwd = ours[1]
        jobs.append(("openapi-python-client", (opc_command(compare, spec, out), cwd, None)))
        if hookless:
            jobs.append((HOOKLESS, (opc_command(compare, spec, out, hooks=False), cwd, None)))
    results = measure_interleaved([job for _, job in jobs], runs)
    return [(case, tool, result) for (tool, _), result in zip(jobs, results, strict=True)]


def incremental_rows(scratch: Path, runs: int, cwd: Path) -> list[tuple[str, str, dict[str, float]]]:
    """(f): each kind of one-operation change to skyvern-full, regenerated with the store and in full, in turns."""
    sys.path.insert(0, str(ROOT))
    from tests.spec_changes import CHANGES

    base = scratch / "incremental"
    before = json.loads((CORPUS / "skyvern-full.json").read_text(encoding="utf-8"))
    rows = []
    for change in CHANGES:
        shutil.rmtree(base, ignore_errors=True)
        spec, out, store = base / "skyvern-full.json", base / "out", base / "store"
        base.mkdir(parents=True)
        pairs = ((base / "out-before", out), (base / "store-before", store))
        spec.write_text(json.dumps(before), encoding="utf-8")
        command = [PYTHON, "-m", "generator", "generate", "--lenient", "--spec", str(spec), "--out", str(out), "-q"]
        with_store = ["env", f"RUNCANCEL_GENERATOR_CACHE={store}", *command]
        subprocess.run(with_store, cwd=cwd, check=True, capture_output=True)
        shutil.copytree(out, base / "out-before")
        shutil.copytree(store, base / "store-before")
        after = json.loads(json.dumps(before))
        change(after)
        spec.write_text(json.dumps(after), encoding="utf-8")

        def as_before(pairs: tuple[tuple[Path, Path], ...] = pairs) -> None:
            # The output and the store as the run of the old spec left them; the spec already changed.
            for kept, live in pairs:
                shutil.rmtree(live, ignore_errors=True)
                shutil.copytree(kept, live)

        full = [*command[:4], "--full", *command[4:]]
        full[full.index(str(out))] = str(base / "full")
        again, anew = measure_interleaved([(with_store, cwd, as_before), (full, cwd, None)], max(3, runs))
        label = change.__name__.strip("_").replace("_", " ")
        rows.append((f"(f) skyvern-full, one operation changed ({label}): regenerated", "this generator", again))
        rows.append((f"(f) skyvern-full, one operation changed ({label}): --full", "this generator", anew))
    return rows


def opc_command(compare: Path, spec: Path, out: Path, *, hooks: bool = True) -> list[str]:
    """openapi-python-client generating a client for ``spec`` into ``out``.

    With ``hooks``, its virtualenv's scripts come first on PATH, as in the installation its README
    recommends (``pipx install openapi-python-client --include-deps``), so its default post-generation
    hooks (``ruff check --fix-only``, ``ruff format``) find ruff and format its output, as ours is.
    Without, they fail to start, and it warns that "some pieces may be missing".
    """
    path = f"{compare.parent}:{os.environ.get('PATH', '')}" if hooks else os.environ.get("PATH", "")
    return ["env", f"PATH={path}", str(compare.parent / "openapi-python-client"), "generate", "--path", str(spec),
            "--output-path", str(out), "--overwrite"]  # fmt: skip


# The tool name of the rows that show the peer as earlier versions of this script ran it.
HOOKLESS = "openapi-python-client, hooks not run (ruff not on PATH)"


def targets(rows: list[tuple[str, str, dict[str, float]]]) -> list[str]:
    """The issue's targets, judged from the rows."""
    seconds = {(case, tool): result["seconds"] for case, tool, result in rows}
    ours = "this generator"
    lines = []
    full = seconds.get(("(a) full generation, 5 vendors", ours))
    cold = seconds.get(("(a) full generation, no compiled templates cached", ours))
    other = seconds.get(("(c) clients and servers, 5 vendors", "openapi-python-client + fastapi-code-generator"))
    if full is not None and cold is not None and other is not None:
        verdict = "met" if max(full, cold) <= other / 5 else "NOT met"
        lines.append(
            f"- (a) at most one fifth of (c): {full / other:.2f}x, no templates cached {cold / other:.2f}x: {verdict}."
        )
    against = next((r for case, _, r in rows if case.startswith("(e) the same")), None)
    now = next((r for case, _, r in rows if case.startswith("(e) full generation")), None)
    if against is not None and now is not None:
        verdict = "met" if now["cpu"] <= against["cpu"] * 1.05 else "NOT met"
        lines.append(
            f"- (e) no slower than the earlier revision: CPU {now['cpu']:.2f} s against {against['cpu']:.2f} s, "
            f"wall {now['seconds']:.2f} s against {against['seconds']:.2f} s: {verdict} (within 5 % of its CPU time)."
        )
    noop = seconds.get(("(b) no-op regeneration", ours))
    start = seconds.get(("(b) start-up: --version", ours))
    if noop is not None and start is not None:
        verdict = "met" if noop < 2 * start else "NOT met"
        lines.append(
            f"- (b) no-op under twice the start-up: {noop:.2f} s against {start:.2f} s "
            f"({noop / start:.1f}x): {verdict}."
        )
    sizes = [seconds.get((f"(d) synthetic, {n} operations", ours)) for n in (100, 1000, 5000)]
    if all(s is not None for s in sizes):
        small, middle, large = sizes  # type: ignore[misc]
        per_op_low = (middle - small) / 900
        per_op_high = (large - middle) / 4000
        verdict = "met" if per_op_high <= per_op_low * 1.2 else "NOT met"
        lines.append(
            f"- (d) linear growth: {per_op_low * 1000:.1f} ms per operation from 100 to 1000, "
            f"{per_op_high * 1000:.1f} ms from 1000 to 5000 ({per_op_high / per_op_low:.2f}x; within 1.2x): {verdict}."
        )
    for case, tool, result in rows:
        if case.startswith("(f)") and case.endswith("regenerated"):
            full_run = seconds[(case.replace(": regenerated", ": --full"), tool)]
            verdict = "met" if result["seconds"] <= full_run / 4 else "NOT met"
            kind = case.split("(")[2].split(")")[0]
            lines.append(
                f"- (f) {kind}: regenerated in {result['seconds']:.2f} s against {full_run:.2f} s in full "
                f"({result['seconds'] / full_run:.2f}; at most 0.25): {verdict}."
            )
    memory = {(case, tool): result["mib"] for case, tool, result in rows}
    mine_mib = memory.get(("(d) synthetic, 1000 operations", ours))
    peer_mib = memory.get(("(d) synthetic, 1000 operations", "openapi-python-client"))
    if mine_mib is not None and peer_mib is not None:
        verdict = "met" if mine_mib <= peer_mib else "NOT met"
        lines.append(f"- (d) peak memory at 1000 operations: {mine_mib:.0f} MiB against {peer_mib:.0f} MiB: {verdict}.")
    failed = {(case, tool): result["failures"] for case, tool, result in rows}
    cases = [f"(d) synthetic, {size} operations" for size in SIZES]
    cases += sorted({case for case, _, _ in rows if case.startswith("(d) corpus")})
    for case in cases:
        mine = seconds.get((case, ours))
        peer = seconds.get((case, "openapi-python-client"))
        if mine is None or peer is None:
            continue
        if failed.get((case, "openapi-python-client")):
            lines.append(f"- {case}: openapi-python-client fails on it; ours takes {mine:.2f} s.")
            continue
        verdict = "met" if mine <= peer else "NOT met"
        hookless = seconds.get((case, HOOKLESS))
        aside = "" if hookless is None else f" (against it with its hooks not run: {hookless:.2f} s)"
        lines.append(
            f"- {case}, clients and servers against its clients only: {mine:.2f} s against {peer:.2f} s: "
            f"{verdict}{aside}."
        )
    return lines


def write_results(rows: list[tuple[str, str, dict[str, float]]], runs: int, notes: list[str]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d')}; machine: {machine}.",
        f"Medians of {runs} runs (rows from 1000 operations up and corpus rows: {min(runs, 3)}). Wall time of the"
        " whole command;",
        "memory is the largest resident set of any one process of the command. A non-zero 'failed' means that",
        "many runs exited non-zero. The machine is shared: expect runs of the same command to differ by 10-20 %.",
        "The tools compared in one case (d) are timed in turns, run by run, so a slow stretch falls on all alike.",
        "",
        "| case | tool | seconds | CPU seconds | peak MiB | failed |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for case, tool, result in rows:
        lines.append(
            f"| {case} | {tool} | {result['seconds']:.2f} | {result['cpu']:.2f} | {result['mib']:.0f} "
            f"| {result['failures']} |"
        )
    verdicts = targets(rows)
    if verdicts:
        lines += ["", "## Targets", "", *verdicts]
    if notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    lines += kept_sections(BENCH / "RESULTS.md")
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


OWN_SECTIONS = ("## Targets", "## Notes")


def kept_sections(results: Path) -> list[str]:
    """The sections other scripts wrote into the results (the schema diff, the mock servers), to carry over."""
    if not results.exists():
        return []
    kept: list[str] = []
    keeping = False
    for line in results.read_text().splitlines():
        if line.startswith("## "):
            keeping = line.strip() not in OWN_SECTIONS
            if keeping:
                _drop_trailing_blanks(kept)  # one blank line between sections, however many runs carry them over
                kept.append("")
        if keeping:
            kept.append(line)
    _drop_trailing_blanks(kept)
    return kept


def _drop_trailing_blanks(lines: list[str]) -> None:
    while lines and not lines[-1].strip():
        lines.pop()


if __name__ == "__main__":
    main()
