"""Generating a fixture spec ad hoc into a temporary folder, and using what came out."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from generator.cli import main


def generate(spec: Path, out: Path) -> Path:
    """``generate --spec SPEC --out OUT``; OUT."""
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--quiet"]) == 0
    return out


def import_packages(out: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    """The generated ``<name>_client`` and ``<name>_server`` packages, importable for this test."""
    monkeypatch.syspath_prepend(str(out / "clients" / name))
    monkeypatch.syspath_prepend(str(out / "servers" / name))
    return importlib.import_module(f"{name}_client"), importlib.import_module(f"{name}_server")


def assert_strictly_typed(out: Path, name: str) -> None:
    """Both generated packages pass ``mypy --strict``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(out / kind / name) for kind in ("clients", "servers"))}
    for package in (f"{name}_client", f"{name}_server"):
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
            capture_output=True, text=True, check=False, cwd=out, env=env,
        )  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout
