"""The committed client packages: ruff- and mypy-strict-clean, importable in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import GENERATED_CLIENTS, VENDORS

PACKAGES = [*VENDORS, "runcancel"]  # the vendor clients and the unified layer over them


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


def test_ruff_check_is_clean_on_every_client() -> None:
    result = _run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *(str(GENERATED_CLIENTS / p) for p in PACKAGES)]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean_on_every_client() -> None:
    packages = [arg for v in VENDORS for arg in ("-p", f"{v}_client")] + ["-p", "runcancel"]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(GENERATED_CLIENTS / p) for p in PACKAGES)}
    result = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, *packages],
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


@pytest.mark.parametrize("vendor", VENDORS)
def test_client_imports_in_a_fresh_interpreter(vendor: str) -> None:
    code = (
        f"import {vendor}_client as c; "
        "assert c.Client and c.AsyncClient and c.Retry and c.errors.ApiError and c.models.__all__ is not None; "
        "print(sorted(c.models.__all__))"
    )
    result = _run([sys.executable, "-c", code], cwd=GENERATED_CLIENTS / vendor, env={**os.environ, "PYTHONPATH": ""})
    assert result.returncode == 0, result.stderr
