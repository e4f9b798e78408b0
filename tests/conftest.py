"""Shared fixtures: the repository's paths and the configured vendors' IRs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from generator.cancel.model import CancelBinding
from generator.config import load_config
from generator.ir.model import Api
from generator.load.problem import Diagnostics
from generator.pipeline import Built, Target, build

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
VENDORS = ("cargo", "skyvern", "b3os", "langsmith", "agno")
# Package names differ from the configured vendors' (skyvern_server...), which tests import too.
CORPUS_SPECS = {
    "skyvernfull": "skyvern-full.json",
    "b3osfull": "b3os-full.json",
    "langgraphfull": "langgraph-full.json",
}

# Derandomised so CI runs the same examples every time; no example database on disk.
settings.register_profile("repo", derandomize=True, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repo"))


@pytest.fixture(autouse=True, scope="session")
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Models the tests' runs make are kept in a directory of this session's own, never the user's cache."""
    os.environ["RUNCANCEL_GENERATOR_CACHE"] = str(tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run from the repository root, as `make` runs them."""
    monkeypatch.chdir(ROOT)


def vendor_built(name: str) -> Built:
    """A configured vendor loaded, normalised and bound, the way the CLI does it."""
    diagnostics = Diagnostics()
    config = load_config(Path("generator.yaml"), diagnostics)
    assert config is not None, diagnostics.problems
    vendor = config.vendor(name)
    assert vendor is not None
    built = build(Target(vendor.name, vendor.spec, vendor.spec_display, vendor), None)
    assert built.api is not None, [str(p) for p in built.diagnostics.problems]
    return built


def vendor_api(name: str) -> Api:
    """The IR of a configured vendor, built the way the CLI builds it."""
    api = vendor_built(name).api
    assert api is not None
    return api


def vendor_cancel(name: str) -> CancelBinding | None:
    """The cancel binding of a configured vendor."""
    return vendor_built(name).cancel


GENERATED_CLIENTS = ROOT / "generated" / "clients"
GENERATED_SERVERS = ROOT / "generated" / "servers"
# The generated packages import as their users would install them.
for _package_dir in sorted([*GENERATED_CLIENTS.glob("*"), *GENERATED_SERVERS.glob("*")]):
    if _package_dir.is_dir() and str(_package_dir) not in sys.path:
        sys.path.insert(0, str(_package_dir))


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three corpus specs generated ad hoc and leniently, once per session (the output is not committed)."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("corpus")
    for name, spec in CORPUS_SPECS.items():
        command = ["generate", "--lenient", "--quiet", "--spec", str(CORPUS / spec), "--name", name]
        assert main([*command, "--out", str(out / name)]) == 0
    return out
