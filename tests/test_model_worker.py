"""The model worker: forked as a run starts, it makes the models; the run's own process never imports the generator.

Each case runs in a fresh interpreter: forking this test process, which may hold
other tests' server threads, is what the worker itself refuses to do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator import rule_checks
from generator.generation import generate_spec
from generator.render import model_worker
from tests.conftest import CORPUS, ROOT

SPEC = CORPUS / "langgraph-full.json"


def _run(script: str, *args: str) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter (one thread, so it may fork) and return the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_worker_makes_every_model_and_the_output_is_what_this_process_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = _run(
        """
        import json, sys
        from generator.render import model_making, model_worker
        model_worker.start_early()
        here = []
        real = model_making.made_parts
        model_making.made_parts = lambda parts: here.append(len(parts)) or real(parts)
        from generator.generation import generate_spec
        result = generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
        print(json.dumps({
            "failed": result.failed,
            "made_here": here,
            "imported_here": sorted(m for m in sys.modules if m.startswith("datamodel_code_generator"))[:3],
        }))
        """,
        str(SPEC),
        str(tmp_path / "beside"),
    )
    assert answer == {"failed": False, "made_here": [], "imported_here": []}
    # The same spec made in this process alone (no worker) gives the same bytes.
    monkeypatch.setattr(model_worker, "can_fork_beside", lambda: False)
    alone = generate_spec(SPEC, tmp_path / "alone", lenient=True, reuse=False)
    assert not alone.failed
    assert _files(tmp_path / "beside") == _files(tmp_path / "alone")


def test_a_worker_that_dies_leaves_its_batch_to_the_run(tmp_path: Path) -> None:
    answer = _run(
        """
        import json, os, sys
        from generator.render import model_making, model_worker
        # The worker dies as it starts: the run finds its end closed and makes the parts itself.
        model_worker._serve = lambda *ends_and_warmth: os._exit(3)
        model_worker.start_early()
        here = []
        real = model_making.made_parts
        model_making.made_parts = lambda parts: here.append(len(parts)) or real(parts)
        from generator.generation import generate_spec
        result = generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
        print(json.dumps({"failed": result.failed, "made_here": len(here)}))
        """,
        str(SPEC),
        str(tmp_path / "out"),
    )
    assert answer == {"failed": False, "made_here": 1}
    assert (tmp_path / "out" / "clients").is_dir()


def test_a_batch_the_worker_fails_on_is_made_again_here_and_fails_first_hand(tmp_path: Path) -> None:
    answer = _run(
        """
        import json, sys
        from generator.render import model_making, model_worker
        calls = []
        def broken(parts):
            calls.append(len(parts))
            raise RuntimeError("the model generator broke")
        model_making.made_parts = broken  # in the worker (it imports the module after the fork) and here
        model_worker.start_early()
        from generator.generation import generate_spec
        try:
            generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
        except RuntimeError as error:
            print(json.dumps({"error": str(error), "tried_here": len(calls)}))
        """,
        str(SPEC),
        str(tmp_path / "out"),
    )
    assert answer == {"error": "the model generator broke", "tried_here": 1}
    assert not (tmp_path / "out").exists(), "nothing is written"


_COLD_WORKER = """
    import json, sys
    from pathlib import Path
    from generator.render import model_making, model_worker
    marker = Path(sys.argv[3])
    # Seen in the worker too: it is forked from this process after the change. Warming up begins with the
    # model generator's import (a batch that comes first pays for it instead).
    model_making.import_generator = lambda: marker.write_text("warmed up")
    model_worker.start_early(warm=False)
    if sys.argv[4] == "told":
        model_worker.warm_up_early()
    here = []
    real = model_making.made_parts
    model_making.made_parts = lambda parts: here.append(len(parts)) or real(parts)
    from generator.generation import generate_spec
    result = generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
    print(json.dumps({"failed": result.failed, "made_here": here, "warmed_up": marker.exists()}))
"""


@pytest.mark.parametrize("told", [False, True])
def test_a_worker_started_cold_warms_up_only_when_told_and_makes_its_batch(tmp_path: Path, told: bool) -> None:
    """A run that expects its models stored starts the worker cold: its first batch pays for the imports."""
    marker = tmp_path / "warmed-up"
    arguments = (str(SPEC), str(tmp_path / "out"), str(marker), "told" if told else "not told")
    answer = _run(_COLD_WORKER, *arguments)
    assert answer == {"failed": False, "made_here": [], "warmed_up": told}


def test_the_command_line_starts_the_worker_cold_for_inputs_it_ran_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.cli import main

    monkeypatch.setenv("RUNCANCEL_GENERATOR_CACHE", str(tmp_path / "store"))
    calls: list[str] = []
    # Recorded, not forked: this test process may hold other tests' threads.
    monkeypatch.setattr(model_worker, "start_early", lambda *, warm: calls.append(f"start warm={warm}"))
    monkeypatch.setattr(model_worker, "warm_up_early", lambda: calls.append("warm up"))
    monkeypatch.setattr(rule_checks, "start_early", lambda: calls.append("rule checks"))
    command = ["generate", "--spec", str(ROOT / "specs" / "cargo.yaml"), "--out", str(tmp_path / "out"), "-q"]
    assert main(command) == 0
    assert calls == ["start warm=False", "warm up"]  # a first run: its models are not stored yet
    calls.clear()
    assert main(command) == 0
    # The same inputs again: the worker waits until a model is wanted, and the rule checks take the free core.
    assert calls == ["start warm=False", "rule checks"]
    calls.clear()
    assert main([*command[:-1], "--full", "-q"]) == 0
    assert calls == ["start warm=True"]  # nothing is reused under --full: it warms up at once


def test_an_early_worker_no_run_takes_ends_with_the_process() -> None:
    answer = _run(
        """
        import json
        from generator.render import model_worker
        model_worker.start_early()
        print(json.dumps({"pid": model_worker._early._process.pid}))
        """
    )
    pid = answer["pid"]
    assert isinstance(pid, int)
    gone = False
    for _ in range(100):  # bounded: up to 5 s for the kernel to reap it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            gone = True
            break
        time.sleep(0.05)
    assert gone, "the worker outlived the process that started it"


def test_no_worker_is_forked_beside_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_worker, "can_fork_beside", lambda: False)
    assert model_worker.ModelWorker.start() is None
    model_worker.start_early()
    assert model_worker._early is None


_WAITING_BATCH = """
    import json, sys, time
    from pathlib import Path
    from generator.render import model_making, model_worker
    sent, ran = Path(sys.argv[3]), Path(sys.argv[4])
    real_import = model_making.import_generator

    def slow_import():
        # The import ends only once this run's batch waits for the worker (bounded: 30 s).
        for _ in range(300):
            if sent.exists():
                break
            time.sleep(0.1)
        real_import()

    model_making.import_generator = slow_import
    model_making.warm_up = lambda: ran.write_text("warm-up run")
    model_worker.start_early(warm=True)
    real_send = model_worker.ModelWorker.send

    def send(self, batch):
        done = real_send(self, batch)
        sent.write_text("sent")
        return done

    model_worker.ModelWorker.send = send
    here = []
    real = model_making.made_parts
    model_making.made_parts = lambda parts: here.append(len(parts)) or real(parts)
    from generator.generation import generate_spec
    result = generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
    print(json.dumps({"failed": result.failed, "made_here": here, "warm_up_run": ran.exists()}))
"""


def test_a_warm_worker_skips_its_warm_up_run_when_a_batch_already_waits(tmp_path: Path) -> None:
    """The warm-up run on a tiny document only delays a batch that is already there: the batch goes first."""
    arguments = (str(SPEC), str(tmp_path / "out"), str(tmp_path / "sent"), str(tmp_path / "ran"))
    answer = _run(_WAITING_BATCH, *arguments)
    assert answer == {"failed": False, "made_here": [], "warm_up_run": False}
    assert (tmp_path / "out" / "ir").is_dir(), "the worker's models made a whole output"
