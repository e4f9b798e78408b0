"""Benchmark: generation time and peak memory, side by side, medians of several runs.

    .venv/bin/python bench/run.py [--runs 5] [--skip-compare]

(a) full generation of all five vendors (clients, servers, unified layer);
(b) a no-op regeneration, next to the start-up of ``python -m generator --version``;
(c) openapi-python-client and fastapi-code-generator on the same five specs
    (installed into bench/.venv-compare on first use);
(d) scale: synthetic specs of 10, 100 and 1000 operations and the full vendor
    specs in ../shared/corpus, for this generator and openapi-python-client.

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
print(json.dumps({"seconds": elapsed, "kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "code": code}))
"""


def measure(command: list[str], runs: int, cwd: Path, prepare: object = None) -> dict[str, float]:
    """Median wall time and peak memory of ``command`` over ``runs`` runs (``prepare()`` before each)."""
    seconds, kib, failures = [], [], 0
    for _ in range(runs):
        if callable(prepare):
            prepare()
        result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True)
        data = json.loads(result.stdout)
        seconds.append(data["seconds"])
        kib.append(data["kib"])
        failures += data["code"] != 0
    return {"seconds": statistics.median(seconds), "mib": statistics.median(kib) / 1024, "failures": failures}


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
            "properties": {"id": {"type": "string"}, "count": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
        }
        paths[f"/things{i}/{{id}}"] = {
            "post": {
                "operationId": f"update_thing_{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}}}},
            }
        }
    document = {"openapi": "3.1.0", "info": {"title": f"Synthetic {operations}", "version": "1"},
                "servers": [{"url": "https://example.test"}], "paths": paths, "components": {"schemas": schemas}}  # fmt: skip
    path.write_text(json.dumps(document))
    return path


def ensure_compare() -> Path | None:
    """A virtualenv with openapi-python-client and fastapi-code-generator, or None if they cannot be had."""
    python = COMPARE / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(COMPARE)], check=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "openapi-python-client", "fastapi-code-generator"],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            return None
    return python


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-compare", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = project_copy(scratch)
        config = str(project / "generator.yaml")
        generate = [PYTHON, "-m", "generator", "--config", config, "generate", "-q"]

        def wipe() -> None:
            shutil.rmtree(project / "generated", ignore_errors=True)

        env_cwd = ROOT
        rows.append(("(a) full generation, 5 vendors", "this generator", measure(generate, args.runs, env_cwd, wipe)))
        subprocess.run(generate, cwd=env_cwd, check=True)
        rows.append(("(b) no-op regeneration", "this generator", measure(generate, args.runs, env_cwd)))
        rows.append(("(b) start-up: --version", "this generator", measure([PYTHON, "-m", "generator", "--version"], args.runs, env_cwd)))

        compare = None if args.skip_compare else ensure_compare()
        if compare is not None:
            bin_dir = compare.parent

            def both_tools() -> None:
                for vendor in VENDORS:
                    out = scratch / "cmp" / vendor
                    shutil.rmtree(out, ignore_errors=True)

            # One shell command generating clients and servers for all five, as (a) does.
            script = scratch / "compare.sh"
            lines = ["set -e"]
            for vendor in VENDORS:
                spec = ROOT / "specs" / f"{vendor}.yaml"
                out = scratch / "cmp" / vendor
                lines.append(f"{bin_dir}/openapi-python-client generate --path {spec} --output-path {out}/client --overwrite >/dev/null 2>&1 || true")
                lines.append(f"{bin_dir}/fastapi-codegen --input {spec} --output {out}/server >/dev/null 2>&1 || true")
            script.write_text("\n".join(lines) + "\n")
            rows.append(("(c) clients and servers, 5 vendors", "openapi-python-client + fastapi-code-generator",
                         measure(["bash", str(script)], args.runs, env_cwd, both_tools)))  # fmt: skip

        for size in (10, 100, 1000):
            spec = synthetic_spec(size, scratch / f"synthetic{size}.json")
            out = scratch / f"ours{size}"
            ours = [PYTHON, "-m", "generator", "generate", "--spec", str(spec), "--out", str(out), "-q"]
            runs = max(1, args.runs // (2 if size >= 1000 else 1))
            rows.append((f"(d) synthetic, {size} operations", "this generator",
                         measure(ours, runs, env_cwd, lambda out=out: shutil.rmtree(out, ignore_errors=True))))  # fmt: skip
            if compare is not None:
                theirs = [str(compare.parent / "openapi-python-client"), "generate", "--path", str(spec),
                          "--output-path", str(scratch / f"opc{size}"), "--overwrite"]  # fmt: skip
                rows.append((f"(d) synthetic, {size} operations", "openapi-python-client", measure(theirs, runs, env_cwd)))
        for name in ("skyvern-full.json", "b3os-full.json", "langgraph-full.json"):
            spec = CORPUS / name
            out = scratch / f"corpus-{name}"
            ours = [PYTHON, "-m", "generator", "generate", "--lenient", "--spec", str(spec), "--out", str(out), "-q"]
            rows.append((f"(d) corpus {name}", "this generator", measure(ours, 1, env_cwd)))
            if compare is not None:
                theirs = [str(compare.parent / "openapi-python-client"), "generate", "--path", str(spec),
                          "--output-path", str(scratch / f"opc-{name}"), "--overwrite"]  # fmt: skip
                rows.append((f"(d) corpus {name}", "openapi-python-client", measure(theirs, 1, env_cwd)))
    write_results(rows, args.runs)


def write_results(rows: list[tuple[str, str, dict[str, float]]], runs: int) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d')}; machine: {machine}.",
        f"Medians of {runs} runs (the 1000-operation and corpus rows: fewer). Wall time of the whole command,",
        "peak resident memory of its process tree. A non-zero 'failed' means that many runs exited non-zero.",
        "",
        "| case | tool | seconds | peak MiB | failed |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for case, tool, result in rows:
        lines.append(f"| {case} | {tool} | {result['seconds']:.2f} | {result['mib']:.0f} | {result['failures']} |")
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
