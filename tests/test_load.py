"""Reading specs: plain JSON data, and a way back from a JSON pointer to a line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.load import load_spec
from generator.load.problem import Diagnostics, Severity
from generator.load.source import read_source
from tests.conftest import CORPUS


def test_yaml_reads_as_json_data(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("when: 2024-01-01\nresponses:\n  200: {description: ok}\nflag: yes\n", encoding="utf-8")
    source = read_source(spec, "s.yaml", Diagnostics())
    assert source is not None
    # No YAML 1.1 date guessing; status codes written bare are still names.
    assert source.data == {"when": "2024-01-01", "responses": {"200": {"description": "ok"}}, "flag": True}
    assert source.line_of("/responses/200/description") == 3
    assert source.line_of("/responses/999") == 2, "an unknown pointer falls back to its nearest ancestor"


def test_json_lines_are_found_when_needed() -> None:
    path = CORPUS / "b3os-full.json"
    source = read_source(path, "b3os-full.json", Diagnostics())
    assert source is not None
    pointer = "/paths/~1v1~1runs~1{id}~1cancel/post"
    line = source.line_of(pointer)
    assert line is not None
    assert '"post"' in path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert source.data == json.loads(path.read_text(encoding="utf-8"))


_JSON_ONLY = """
import json, sys
from pathlib import Path
from generator.generation import generate_spec
result = generate_spec(sys.argv[1], sys.argv[2], lenient=True, reuse=False)
print(json.dumps({"failed": result.failed, "problems": len(result.problems), "yaml": "yaml" in sys.modules}))
"""


def test_a_json_spec_without_problems_is_generated_without_loading_yaml(tmp_path: Path) -> None:
    """YAML is imported for YAML files and for the lines of problems only: a clean JSON run never pays for it."""
    spec = tmp_path / "spec.json"
    text = json.dumps(_SMALL_SPEC, indent=2)
    spec.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _JSON_ONLY, str(spec), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {"failed": False, "problems": 0, "yaml": False}
    # A problem in the same kind of file needs its line: then YAML is read after all, and the line is right.
    source = read_source(spec, "spec.json", Diagnostics())
    assert source is not None
    get_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"get"' in line)
    assert source.line_of("/paths/~1runs~1{id}/get") == get_line


_SMALL_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "small", "version": "1"},
    "paths": {
        "/runs/{id}": {
            "get": {
                "operationId": "getRun",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_validator_findings_point_into_the_document() -> None:
    """openapi-spec-validator reports `type: file` relative to a schema; we show where it is."""
    path = CORPUS / "b3os-full.json"
    diagnostics = Diagnostics(lenient=True)
    assert load_spec(path, diagnostics, "b3os-full.json") is not None
    assert all(p.severity is Severity.WARNING for p in diagnostics.problems)
    [file_type] = [p for p in diagnostics.problems if "'file'" in p.message]
    pointer = "/paths/~1v1~1contract~1{id}~1download/get/responses/200/content/application~1zip/schema/type"
    assert file_type.location.pointer == pointer
    line = file_type.location.line
    assert line is not None and '"type": "file"' in path.read_text(encoding="utf-8").splitlines()[line - 1]
    unresolved = [p for p in diagnostics.problems if "Path parameter 'orgId'" in p.message]
    assert unresolved and all(p.location.pointer.startswith("/paths/~1v1~1organizations~1{orgId}") for p in unresolved)
