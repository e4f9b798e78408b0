"""schemathesis against every live stub: no server errors, every answer as the served schema says.

One exception, with its reason: where a spec requires credentials but documents no 401
(B3OS, LangSmith), the stub still answers 401 to a request without them, as the vendor
does; schemathesis's status-code conformance check is left out there, and the e2e tests
pin that 401 instead.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from subprocess import run
from urllib.parse import urlsplit

import pytest

from generator.ir.model import SchemeKind
from tests.conftest import VENDORS, vendor_api
from tests.live_server import serve


@pytest.mark.parametrize("vendor", VENDORS)
def test_schemathesis_finds_nothing(vendor: str, tmp_path: Path) -> None:
    api = vendor_api(vendor)
    schemes = {s.name: s for s in api.security_schemes}
    used = {name for op in api.operations for alt in op.security.alternatives for name in alt}
    headers = []
    for name in sorted(used):
        scheme = schemes[name]
        header = "Authorization: Bearer t" if scheme.kind is SchemeKind.HTTP_BEARER else f"{scheme.parameter_name}: t"
        headers += ["-H", header]
    undocumented_401 = any(
        op.security.required and "401" not in {r.status for r in op.responses} for op in api.operations
    )
    excluded = ["--exclude-checks", "status_code_conformance"] if undocumented_401 else []
    base = urlsplit(api.servers[0].url).path.rstrip("/") if api.servers else ""
    app = importlib.import_module(f"{vendor}_server").create_app(credentials={"t"})
    with serve(app) as url:
        result = run(
            [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json", "--url", url + base,
             *headers, "--checks", "all", *excluded, "--max-examples", "25", "--seed", "7",
             "--generation-deterministic", "--no-color"],
            capture_output=True, text=True, check=False, timeout=300, cwd=tmp_path,  # its cache goes there
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
