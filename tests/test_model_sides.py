"""The model parts of a large API: about half made in a forked worker, never forked beside other threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from generator import forking, pipeline
from generator.generation import Target
from generator.render import model_making, model_package
from tests.conftest import CORPUS


def _skyvern_api() -> Any:
    spec = CORPUS / "skyvern-full.json"
    built = pipeline.build(Target(spec.stem, spec, str(spec)), True, check_rules=False)
    assert built.api is not None
    return built.api


def test_a_large_api_makes_parts_in_a_forked_worker_and_gets_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _skyvern_api()
    model_package._MODELS.clear()
    model_package._CLASSES.clear()
    forked = model_package.model_package(api, "pkg")
    pools: list[object] = []
    real = model_making.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        pools.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(model_making, "ProcessPoolExecutor", counted)
    # Threads other tests leave behind (daemon servers) must not decide this one.
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    model_package._MODELS.clear()
    model_package._CLASSES.clear()
    again = model_package.model_package(api, "pkg")
    assert pools, "some of a large API's parts are made in a worker"
    monkeypatch.setattr(model_making, "_PARALLEL_FROM", 10**9)
    model_package._MODELS.clear()
    model_package._CLASSES.clear()
    alone = model_package.model_package(api, "pkg")
    assert forked.files == again.files == alone.files


def test_no_fork_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _skyvern_api()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("forked beside another thread")

    monkeypatch.setattr(model_making, "ProcessPoolExecutor", refuse)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        model_package._MODELS.clear()
        model_package._CLASSES.clear()
        made = model_package.model_package(api, "pkg")
    finally:
        stop.set()
        other.join(timeout=5)
    assert "pkg/_request_models.py" in made.files
