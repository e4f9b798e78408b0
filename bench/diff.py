"""Time the schema diff on the largest specs at hand (not a test; results in bench/RESULTS.md).

Two consecutive versions of the LangGraph history, and Skyvern's full spec against a
mutated copy (one operation removed). The diff (both sides loaded, structural diff, surface
diff, judging) is timed twice: once with an empty store, as on a fresh CI machine (the rules
are checked whole and the source surface runs the model generator), and as the best of five
runs once the store holds the rules' verdicts and the models, as after a ``generate`` of the
same specs. One generation of the newer spec is timed for comparison.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from generator import diff
from generator.generation import generate_spec

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def best(run: object, times: int = 5) -> float:
    """The fastest of ``times`` calls of ``run``, in seconds."""
    assert callable(run)
    results = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        results.append(time.perf_counter() - started)
    return min(results)


def main() -> None:
    """Print one line per measured pair."""
    history = sorted((SHARED / "history" / "langgraph").glob("*.json"))
    skyvern = SHARED / "corpus" / "skyvern-full.json"
    with tempfile.TemporaryDirectory() as scratch:
        document = json.loads(skyvern.read_text(encoding="utf-8"))
        mutated = copy.deepcopy(document)
        first_path = next(iter(mutated["paths"]))
        mutated["paths"].pop(first_path)
        mutated_path = Path(scratch) / "skyvern-mutated.json"
        mutated_path.write_text(json.dumps(mutated), encoding="utf-8")
        pairs = [("langgraph 029 -> 030", history[-2], history[-1]), ("skyvern-full vs mutated", skyvern, mutated_path)]
        for index, (name, old, new) in enumerate(pairs):
            os.environ["RUNCANCEL_GENERATOR_CACHE"] = str(Path(scratch) / f"store-{index}")
            cold = best(lambda old=old, new=new: diff(str(old), str(new)), times=1)
            stored = best(lambda old=old, new=new: diff(str(old), str(new)))
            out = Path(scratch) / "out"
            generation = best(lambda new=new, out=out: generate_spec(str(new), out, lenient=True, reuse=False), times=1)
            size = new.stat().st_size // 1024
            timings = f"diff {cold:.2f} s (models stored: {stored:.2f} s), generation {generation:.2f} s"
            print(f"{name}: {size} KB, {timings}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
