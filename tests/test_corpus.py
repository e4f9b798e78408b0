"""The vendors' real, full, imperfect specs: every operation generated, typed and importable.

Ad-hoc and lenient, into a temporary directory (the corpus output is not committed).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CORPUS, CORPUS_SPECS

SPECS = CORPUS_SPECS
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_count(spec: Path) -> int:
    paths = json.loads(spec.read_text(encoding="utf-8"))["paths"]
    return sum(1 for item in paths.values() for method in item if method in METHODS)


def client_methods(client_py: Path) -> list[str]:
    """The client's methods, one per operation: not ``close`` nor the ``iter_`` twins of paged operations."""
    tree = ast.parse(client_py.read_text(encoding="utf-8"))
    [client] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client"]
    names = [n.name for n in client.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    return [n for n in names if n != "close" and not (n.startswith("iter_") and n[len("iter_") :] in names)]


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_every_operation_is_generated(name: str, corpus_out: Path) -> None:
    expected = operation_count(CORPUS / SPECS[name])
    client = corpus_out / name / "clients" / name / f"{name}_client" / "client.py"
    assert len(client_methods(client)) == expected
    app = corpus_out / name / "servers" / name / f"{name}_server" / "app.py"
    routes = app.read_text(encoding="utf-8").count("@app.api_route(")
    assert routes == expected


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_generated_packages_type_check_and_import(name: str, corpus_out: Path) -> None:
    for kind in ("clients", "servers"):
        package_dir = corpus_out / name / kind / name
        package = f"{name}_{kind[:-1] if kind == 'clients' else 'server'}"
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
            cwd=package_dir, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout[-3000:]
        env = {**os.environ, "PYTHONPATH": str(package_dir)}
        probe = f"import {package}; print('ok')"
        imported = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
        assert imported.stdout.strip() == "ok", imported.stderr[-2000:]


def test_operation_filter_generates_only_the_cancel_operations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "b3os-full.json"
    spec.write_text((CORPUS / SPECS["b3osfull"]).read_text(encoding="utf-8"))
    config = tmp_path / "generator.yaml"
    config.write_text(
        "output: out\nvendors:\n  b3os:\n    spec: b3os-full.json\n    lenient: true\n"
        "    include: {paths: ['/v1/runs/*/cancel'], operations: [getRun]}\n"
    )
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    client = tmp_path / "out" / "clients" / "b3os" / "b3os_client" / "client.py"
    assert sorted(client_methods(client)) == ["post_v1_runs_id_cancel"]


def test_names_do_not_churn_when_an_unrelated_schema_is_added(tmp_path: Path) -> None:
    document = json.loads((CORPUS / SPECS["skyvernfull"]).read_text(encoding="utf-8"))
    names = []
    for extra in (False, True):
        if extra:
            document["components"]["schemas"]["AaaUnrelated"] = {
                "type": "object",
                "properties": {"x": {"type": "string"}},
            }
        spec = tmp_path / f"spec{int(extra)}.json"
        spec.write_text(json.dumps(document))
        out = tmp_path / f"out{int(extra)}"
        assert main(["generate", "--lenient", "--quiet", "--spec", str(spec), "--name", "sky", "--out", str(out)]) == 0
        models = (out / "clients" / "sky" / "sky_client" / "models.py").read_text(encoding="utf-8")
        names.append(models)
    assert names[0] == names[1], "an unused schema adds nothing and renames nothing"
