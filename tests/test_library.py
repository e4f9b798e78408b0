"""Generation and the schema diff called from Python, and the typed contract between builders and templates."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

import generator
from generator.render.environment import render_template
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copy(ROOT / "generator.yaml", tmp_path / "generator.yaml")
    return tmp_path


def test_generate_writes_checks_and_reports_problems_as_values(project: Path) -> None:
    config = project / "generator.yaml"
    heard: list[str] = []

    class Listener:
        def problems(self, found: object) -> None:
            pass

        def progress(self, line: str) -> None:
            heard.append(line)

    first = generator.generate(config, vendors=["agno"], listener=Listener())
    assert first.ok and not first.problems and "clients/agno/agno_client/client.py" in first.files
    assert (project / "generated" / "clients" / "agno" / "agno_client" / "client.py").is_file()
    assert any(line.startswith("agno") and "client" in line for line in heard)
    assert generator.generate(config, vendors=["agno"], check=True).stale == ()
    spec = project / "specs" / "agno.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("Cancel Workflow Run", "Stop Workflow Run"))
    stale = generator.generate(config, vendors=["agno"], check=True)
    assert not stale.ok and any("Stop Workflow Run" in diff for diff in stale.stale)
    spec.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {$ref: '#/nowhere'}\n", encoding="utf-8")
    broken = generator.generate(config, vendors=["agno"])
    assert broken.failed and broken.problems and not broken.written


def test_generate_spec_needs_no_configuration(tmp_path: Path) -> None:
    result = generator.generate_spec(ROOT / "specs" / "skyvern.yaml", tmp_path / "out", name="sky")
    assert result.ok and (tmp_path / "out" / "clients" / "sky" / "sky_client" / "_core.py").is_file()
    manifest = json.loads((tmp_path / "out" / ".manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(result.files)


def test_diff_returns_findings_per_pair(tmp_path: Path) -> None:
    old = ROOT / "specs" / "skyvern.yaml"
    new = tmp_path / "skyvern.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("maxItems: 100", "maxItems: 50"), encoding="utf-8")
    result = generator.diff(str(old), str(new))
    [pair] = result.pairs
    assert not result.failed and pair.spec == str(new)
    assert [f.id for f in pair.findings] == ["request-max-items-decreased"]
    assert result.worst() is not None and result.worst().value == "breaking"  # type: ignore[union-attr]


def test_templates_receive_only_frozen_dataclasses() -> None:
    with pytest.raises(TypeError, match="frozen dataclass"):
        render_template("python_client/__init__.py.j2", {"package": "x"})  # type: ignore[arg-type]


def test_context_builders_hand_no_untyped_dict_to_templates() -> None:
    # JSON documents are dict[str, Any] by nature; what reaches a template is not.
    for module in ("python_client", "fastapi_server", "unified", "ir_json", "python_types", "subject"):
        source = (ROOT / "generator" / "render" / f"{module}.py").read_text(encoding="utf-8")
        annotations = [ast.unparse(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Subscript)]
        assert not [a for a in annotations if a.startswith("dict[str, Any]")], module
