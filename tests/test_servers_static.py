"""The committed server packages: lint- and type-clean, importable, and self-describing like their specs."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.ir.dump import to_data
from generator.ir.normalise import normalise
from generator.load import load_spec
from generator.load.problem import Diagnostics
from tests.conftest import GENERATED_SERVERS, VENDORS, vendor_api


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def test_ruff_check_is_clean_on_every_server() -> None:
    result = _run([sys.executable, "-m", "ruff", "check", "--no-cache", *(str(GENERATED_SERVERS / v) for v in VENDORS)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean_on_every_server() -> None:
    packages = [arg for v in VENDORS for arg in ("-p", f"{v}_server")]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(GENERATED_SERVERS / v) for v in VENDORS)}
    result = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, *packages], env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _comparable(data: Any) -> Any:
    """IR data without what only says where it came from."""
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if k not in ("pointer", "source", "declared_by", "cancel")}
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


@pytest.mark.parametrize("vendor", VENDORS)
def test_app_openapi_reads_back_as_the_same_ir(vendor: str, tmp_path: Path) -> None:
    """Operations, parameters, statuses, schemas and security: the same IR as the vendor spec's."""
    app = importlib.import_module(f"{vendor}_server").create_app()
    document = tmp_path / "served.json"
    document.write_text(json.dumps(app.openapi()), encoding="utf-8")
    diagnostics = Diagnostics()
    files = load_spec(document, diagnostics)
    assert files is not None and not diagnostics.problems, [str(p) for p in diagnostics.problems]
    served = normalise(files, vendor, diagnostics)
    assert _comparable(to_data(served)) == _comparable(to_data(vendor_api(vendor)))


@pytest.mark.parametrize("vendor", VENDORS)
def test_python_m_server_says_where_it_listens_and_serves(vendor: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(GENERATED_SERVERS / vendor)}
    args = [sys.executable, "-m", f"{vendor}_server", "--host", "127.0.0.1", "--port", "0"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line.startswith(f"{vendor}_server listening on http://127.0.0.1:"), line
            url = line.rsplit(" ", 1)[-1]
            deadline = time.monotonic() + 15
            while True:
                try:
                    answer = httpx.get(f"{url}/openapi.json", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            assert answer.status_code == 200 and answer.json()["info"]["title"] == vendor_api(vendor).title
        finally:
            process.terminate()
            process.wait(timeout=10)
