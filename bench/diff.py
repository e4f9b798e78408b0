"""Time the schema diff on the largest specs at hand (not a test; results in bench/RESULTS.md).

Two consecutive versions of the LangGraph history, and Skyvern's full spec against a
mutated copy (one property renamed, one operation removed). Each figure is the best of
five runs of ``generator.diff`` (both sides loaded, structural diff, surface diff, judging),
next to one generation of the newer spec for comparison.
"""

from __future__ import annotations

import copy
import json
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
        for name, old, new in pairs:
            seconds = best(lambda old=old, new=new: diff(str(old), str(new)))
            out = Path(scratch) / "out"
            generation = best(lambda new=new, out=out: generate_spec(str(new), out, lenient=True), times=1)
            size = new.stat().st_size // 1024
            print(f"{name}: {size} KB, diff {seconds:.2f} s, generation {generation:.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
