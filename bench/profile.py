"""Where a generation's time goes, stage by stage, at 100, 1,000 and 5,000 synthetic operations.

Runs the stages of ``generate --spec`` one after the other in this process, each timed on
its own (CPU seconds of this process), so the shares add up; the real command overlaps
the OpenAPI rule checks with rendering in a second process and makes the models' parts
on two cores on large specs. Appends (or replaces) its section of bench/RESULTS.md.

    .venv/bin/python bench/profile.py [--sizes 100 1000 5000]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import synthetic_spec  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.generation import Target  # noqa: E402
from generator.load import rule_problems  # noqa: E402
from generator.output import write_output  # noqa: E402
from generator.render import fastapi_server, ir_json, model_package, python_client  # noqa: E402
from generator.render.formatting import finish  # noqa: E402
from generator.render.model_bridge import Side, plan_models  # noqa: E402
from generator.render.subject import Subject  # noqa: E402

T = TypeVar("T")
HEADING = "## Where the time goes (bench/profile.py)"
STAGES = (
    "OpenAPI rule checks (openapi-spec-validator)",
    "load and normalise (read, $refs, IR, cancel binding)",
    "model plan (the JSON Schema the model generator reads)",
    "models: requests (datamodel-code-generator)",
    "models: responses (datamodel-code-generator)",
    "client package, models excluded",
    "server package, models excluded",
    "IR dump",
    "format (ruff check --fix, ruff format)",
    "write (staged, swapped in)",
)


def timed(seconds: dict[str, float], stage: str, work: Callable[[], T]) -> T:
    """Run ``work``, adding the CPU seconds it took to ``seconds[stage]``."""
    gc.collect()
    began = _cpu()
    result = work()
    seconds[stage] = seconds.get(stage, 0.0) + _cpu() - began
    return result


def _cpu() -> float:
    # This process's CPU time and that of the children it waited for (ruff runs as one).
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def profile(size: int, scratch: Path) -> dict[str, float]:
    """CPU seconds per stage for a synthetic spec of ``size`` operations."""
    spec = synthetic_spec(size, scratch / f"synthetic{size}.json")
    seconds: dict[str, float] = {}
    timed(seconds, STAGES[0], lambda: rule_problems(spec, spec.name, True))
    target = Target(spec.stem, spec, str(spec))
    built = timed(seconds, STAGES[1], lambda: pipeline.build(target, True, check_rules=False))
    assert built.api is not None
    api = built.api
    plan = timed(seconds, STAGES[2], lambda: plan_models(api))
    model_package._MODELS.clear()
    model_package._CLASSES.clear()
    timed(seconds, STAGES[3], lambda: model_package._models_for(plan.requests, Side.REQUEST, "p"))
    timed(seconds, STAGES[4], lambda: model_package._models_for(plan.responses, Side.RESPONSE, "p"))
    subject = Subject(api, built.cancel)
    # The models are made now (cached above): what remains is the packages' own rendering.
    drafts = timed(seconds, STAGES[5], lambda: python_client.drafts(subject))
    drafts += timed(seconds, STAGES[6], lambda: fastapi_server.drafts(subject))
    drafts += timed(seconds, STAGES[7], lambda: ir_json.drafts(subject))
    files = timed(seconds, STAGES[8], lambda: finish(drafts))
    out = scratch / f"out{size}"
    shutil.rmtree(out, ignore_errors=True)
    timed(seconds, STAGES[9], lambda: write_output(out, files, _provenance(), None))
    return seconds


def _provenance() -> object:
    from generator import __version__, manifest

    return manifest.current(__version__, {})


def table(results: dict[int, dict[str, float]]) -> list[str]:
    """The section of RESULTS.md: seconds and share per stage, per size."""
    sizes = sorted(results)
    head = "| stage | " + " | ".join(f"{n} ops: s | share" for n in sizes) + " |"
    rule = "| --- | " + " | ".join("---: | ---:" for _ in sizes) + " |"
    lines = [head, rule]
    totals = {n: sum(results[n].values()) for n in sizes}
    for stage in STAGES:
        cells = " | ".join(f"{results[n][stage]:.2f} | {results[n][stage] / totals[n]:.0%}" for n in sizes)
        lines.append(f"| {stage} | {cells} |")
    lines.append("| **total** | " + " | ".join(f"**{totals[n]:.2f}** | 100%" for n in sizes) + " |")
    per_op = {n: totals[n] / n * 1000 for n in sizes}
    lines += ["", "CPU milliseconds per operation: " + ", ".join(f"{per_op[n]:.1f} at {n}" for n in sizes) + "."]
    return lines


def main() -> None:
    """Profile each size and write the section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    gc.disable()  # as `python -m generator` runs (generator/__main__.py); collected between stages, untimed
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as scratch:
        for size in args.sizes:
            results[size] = profile(size, Path(scratch))
            print(f"{size}: {sum(results[size].values()):.2f} CPU s", flush=True)
    lines = [
        "",
        HEADING,
        "",
        "CPU seconds (ruff's included) of each stage of `generate --spec` on the synthetic specs of (d), run one",
        "stage after the other in one process. The command itself checks the rules in a second process while it",
        "renders, and has the models made by a worker forked as it starts (which warms the model generator up",
        "meanwhile) and, on large specs, by a sibling of that worker, on two cores. The client stage includes a",
        "second, cached, pass over the plan. The cyclic garbage collector is off, as in the command.",
        "",
        *table(results),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text(encoding="utf-8")
    before, _, after = current.partition("\n" + HEADING + "\n")
    rest = after.partition("\n## ")[2] if after else ""
    kept = before.rstrip("\n") + "\n" + ("\n## " + rest if rest else "")
    path.write_text(kept.rstrip("\n") + "\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
