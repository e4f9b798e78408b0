"""A hostile spec yields a client that compiles, imports, type-checks and runs nothing from the spec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.ir.normalise import normalise
from generator.load import load_spec
from generator.load.problem import Diagnostics
from generator.render import fastapi_server, python_client
from generator.render.formatting import finish
from generator.render.subject import Subject
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "specs" / "hostile.yaml"


def _render(out: Path, kind: str) -> Path:
    diagnostics = Diagnostics(lenient=True)
    files = load_spec(HOSTILE, diagnostics)
    assert files is not None
    renderer = python_client if kind == "clients" else fastapi_server
    rendered = finish(renderer.drafts(Subject(normalise(files, "hostile spec", diagnostics))))
    for relative, data in rendered.items():
        assert relative.startswith(f"{kind}/hostile_spec/"), relative
        assert ".." not in Path(relative).parts
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out / kind / "hostile_spec"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("hostile"), "clients")


@pytest.fixture(scope="module")
def server_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("hostile"), "servers")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd, env=env)


def test_compiles_lints_and_type_checks(package: Path) -> None:
    ruff = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], package)
    assert ruff.returncode == 0, ruff.stdout
    mypy = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "hostile_spec_client"], package)
    assert mypy.returncode == 0, mypy.stdout


def test_imports_and_runs_nothing_from_the_spec(package: Path) -> None:
    probe = """
import json, os
import hostile_spec_client as c
from hostile_spec_client import client, models
import httpx
seen = []
api = None
def handler(request):
    base = api._http.base_url.raw_path.decode().rstrip("/")
    path = request.url.raw_path.decode().split("?")[0]
    assert path.startswith(base), (path, base)
    seen.append([request.method, path[len(base):], dict(request.url.params)])
    return httpx.Response(200, json={}) if "import" in request.url.params else httpx.Response(204)
api = c.Client(transport=httpx.MockTransport(handler))
api.class_(id="../x", import_="c\\"d", from_="f", naive=1, models2="m", cast2="k", request="r")
api.class_2()
api.class_3()
print(json.dumps({
    "pwned": os.path.exists("PWNED"),
    "doc": c.Client.class_.__doc__,
    "base_url": str(api._http.base_url),
    "seen": seen,
    "fields": sorted(models.Def.model_fields),
}))
"""
    result = _run([sys.executable, "-c", probe], package)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pwned"] is False
    assert "os.system('touch PWNED')" in report["doc"], "spec text stays text, in the docstring"
    # The default base URL is the spec's, as data: httpx percent-encodes it, nothing executes it.
    assert report["base_url"].startswith("https://example.test/v1%22%22%22;%20raise%20SystemExit(")
    assert report["seen"] == [
        # The id "../x" is one encoded segment; the spec's own "/../" then removes it, as URLs do.
        ["POST", "/runs/cancel%22%22%22", {"import": 'c"d', "models": "m", "cast": "k", "request": "r"}],
        ["POST", "/runs/cancel", {}],
        ["POST", "/runs/cancel2", {}],
    ]
    # Names that differ only in case or punctuation, keywords and non-ASCII names stay distinct.
    assert {"from_", "naive", "naive_", "naïve", "self", "body"} <= set(report["fields"])


def test_server_stub_lints_type_checks_and_serves(server_package: Path) -> None:
    ruff = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], server_package)
    assert ruff.returncode == 0, ruff.stdout
    mypy = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "hostile_spec_server"], server_package
    )
    assert mypy.returncode == 0, mypy.stdout
    probe = """
import json, os
from fastapi.testclient import TestClient
import hostile_spec_server as s
app = s.create_app()
client = TestClient(app)
# The route lives under the path of the spec's (hostile) server URL.
path = next(r.path for r in app.routes if getattr(r, "path", "").endswith("/runs/cancel2"))
answer = client.post(path)
print(json.dumps({"pwned": os.path.exists("PWNED"), "status": answer.status_code, "path": path,
                  "title": app.openapi()["info"]["title"], "paths": sorted(app.openapi()["paths"])}))
"""
    result = _run([sys.executable, "-c", probe], server_package)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pwned"] is False
    assert report["status"] == 204, "without a handler, an operation answers its documented success (here 204)"
    assert report["path"] == '/v1"""; raise SystemExit(\'pwned\') /runs/cancel2'
    assert report["title"].startswith('Evil """ API')
    assert '/runs/{id}/../cancel"""' in report["paths"]
