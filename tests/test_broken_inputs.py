"""Bad input: one clear line per problem naming file, line and JSON pointer; exit 2; no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import CORPUS, ROOT

OK_OPERATION = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /runs/cancel:
    post:
      operationId: cancel
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        '204': {description: Done}
"""


# OK_OPERATION with the schema its body refers to.
OK_SPEC = OK_OPERATION + "components:\n  schemas:\n    Body: {type: object}\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = run(["validate", str(missing)], capsys)
    assert code == 2
    assert error_lines(err) == [f"{missing}: error: file not found"]


def test_yaml_syntax_error_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "bad.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: '1'\npaths: {}\n")
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    [line] = error_lines(err)
    assert line.startswith(f"{spec}:4: error: YAML syntax error:"), line


def test_json_syntax_error_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "bad.json", '{\n  "openapi": "3.1.0",\n  "info": {,\n}\n')
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    [line] = error_lines(err)
    assert line.startswith(f"{spec}:3: error: JSON syntax error:"), line


def test_dangling_ref_names_pointer_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "dangling.yaml", OK_OPERATION)
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    [line] = error_lines(err)
    pointer = "#/paths/~1runs~1cancel/post/requestBody/content/application~1json/schema/$ref"
    assert line == (
        f"{spec}:10: error: dangling $ref '#/components/schemas/Body': "
        f"{spec} has nothing at #/components/schemas/Body [{pointer}]"
    )


def test_ref_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path,
        "cycle.yaml",
        OK_OPERATION
        + "components:\n  schemas:\n    Body: {$ref: '#/components/schemas/Other'}\n"
        + "    Other: {$ref: '#/components/schemas/Body'}\n",
    )
    code, _, err = run(["validate", str(spec), "--lenient"], capsys)
    assert code == 2, "a cycle is an error even in lenient mode"
    lines = [line for line in error_lines(err) if "cycle" in line]
    assert lines == [
        f"{spec}:15: error: $ref cycle: #/components/schemas/Body -> #/components/schemas/Other "
        f"-> #/components/schemas/Body [#/components/schemas/Body]"
    ]


def test_recursive_schema_through_properties_is_not_a_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path,
        "tree.yaml",
        OK_OPERATION
        + "components:\n  schemas:\n    Body:\n      type: object\n      properties:\n"
        + "        children: {type: array, items: {$ref: '#/components/schemas/Body'}}\n",
    )
    code, out, err = run(["validate", str(spec)], capsys)
    assert (code, err) == (0, "")
    assert "ok (0 errors, 0 warnings)" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "not an OpenAPI document: the file is a list, not a mapping"),
        ("", "not an OpenAPI document: the file is empty, not a mapping"),
        ("info: {title: T}\n", "not an OpenAPI document: no 'openapi' version field at the top"),
        ("swagger: '2.0'\ninfo: {title: T}\n", "Swagger 2.0 is not supported: convert the spec to OpenAPI 3"),
        ("openapi: 2.5.0\n", "unsupported OpenAPI version '2.5.0': expected 3.0, 3.1 or 3.2"),
    ],
)
def test_not_openapi(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    spec = write(tmp_path, "x.yaml", text)
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    [line] = error_lines(err)
    assert line.startswith(f"{spec}:1: error: {message}"), line


def test_operation_without_responses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path,
        "noresp.yaml",
        """\
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /runs/{id}/cancel:
            post:
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
        """,
    )
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert f"{spec}:5: error: operation has no responses [#/paths/~1runs~1{{id}}~1cancel/post]" in error_lines(err)


def test_duplicate_keys_are_reported_with_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path, "dup.yaml", OK_OPERATION.replace("operationId: cancel", "operationId: a\n      operationId: b")
    )
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert (
        f"{spec}:7: error: duplicate key 'operationId': the last one wins [#/paths/~1runs~1cancel/post/operationId]"
        in error_lines(err)
    )


def test_cross_file_refs_resolve_and_report_in_the_right_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemas").mkdir()
    write(tmp_path, "schemas/body.yaml", "Body:\n  type: object\n  properties:\n    x: {$ref: '#/Missing'}\n")
    spec = write(tmp_path, "main.yaml", OK_OPERATION.replace("'#/components/schemas/Body'", "schemas/body.yaml#/Body"))
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    shown = tmp_path / "schemas" / "body.yaml"
    assert error_lines(err) == [
        f"{shown}:4: error: dangling $ref '#/Missing': {shown} has nothing at #/Missing [#/Body/properties/x/$ref]"
    ]


def test_cross_file_ref_to_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "main.yaml", OK_OPERATION.replace("'#/components/schemas/Body'", "gone.yaml#/Body"))
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert error_lines(err) == [f"{tmp_path / 'gone.yaml'}: error: file not found"]


def test_unknown_security_scheme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path, "sec.yaml", OK_OPERATION.replace("responses:", "security: [{nope: []}]\n      responses:") + ""
    )
    spec.write_text(spec.read_text() + "components:\n  schemas:\n    Body: {type: object}\n")
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert any("unknown security scheme 'nope'" in line and ":11:" in line for line in error_lines(err)), err


def test_lenient_mode_turns_rule_breaches_into_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "nodesc.yaml", OK_OPERATION.replace("{description: Done}", "{}"))
    spec.write_text(spec.read_text() + "components:\n  schemas:\n    Body: {type: object}\n")
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert any("response 204 has no 'description'" in line for line in error_lines(err))
    code, out, err = run(["validate", "--lenient", str(spec)], capsys)
    assert code == 0
    assert not error_lines(err)
    assert f"{spec}:12: warning: response 204 has no 'description'" in err
    assert "ok (0 errors," in out


def test_real_langgraph_spec_strict_fails_lenient_carries_on(capsys: pytest.CaptureFixture[str]) -> None:
    spec = str(CORPUS / "langgraph-full.json")
    code, _, err = run(["validate", spec], capsys)
    assert code == 2
    # The published spec points at a schema that lives under components/responses.
    dangling = [line for line in error_lines(err) if "dangling $ref '#/components/schemas/Interrupt'" in line]
    assert dangling and all(line.startswith(f"{spec}:") for line in dangling)
    code, _out, err = run(["validate", "--lenient", spec], capsys)
    assert code == 0, err
    assert not error_lines(err)
    assert "OpenAPI validation stopped early" in err, "the validator's crash is reported, not raised"
    assert all(len(line) < 400 for line in err.splitlines())


def test_config_errors_name_the_config_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(
        tmp_path,
        "gen.yaml",
        """\
        vendors:
          acme:
            spec: specs/acme.yaml
            colour: blue
        """,
    )
    code, _, err = run(["--config", str(config), "validate"], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"{config}:2: error: invalid configuration: Additional properties are not allowed "
        f"('colour' was unexpected) [#/vendors/acme]"
    ]


def test_a_cancel_vendor_without_a_client_cannot_join_the_unified_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "spec.yaml", OK_SPEC)
    config = write(
        tmp_path,
        "gen.yaml",
        """\
        vendors:
          acme:
            spec: spec.yaml
            targets: [server]
            cancel:
              operation: cancel
              inputs: []
        """,
    )
    code, _, err = run(["--config", str(config), "generate"], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"{config}:4: error: vendor 'acme' declares a cancel operation but no client target: the unified layer "
        "is built on its client (add 'client', or leave 'unified' out of the top-level targets) "
        "[#/vendors/acme/targets]"
    ]
    config.write_text(config.read_text().replace("vendors:", "targets: [server]\nvendors:"))
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == [".manifest.json", "servers"]


def test_cancel_role_naming_a_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "spec.yaml", OK_SPEC)
    config = write(
        tmp_path,
        "gen.yaml",
        """\
        vendors:
          acme:
            spec: spec.yaml
            cancel:
              operation: cancel
              inputs:
                - {role: run_ids, in: body, name: ids}
        """,
    )
    code, _, err = run(["--config", str(config), "validate"], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"{config}:7: error: cancel input 'ids' (body) is not an input of POST /runs/cancel "
        "[#/vendors/acme/cancel/inputs/0]"
    ]


def test_generate_with_a_broken_spec_leaves_previous_output_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "good.yaml", OK_SPEC)
    config = write(tmp_path, "gen.yaml", "output: out\nvendors:\n  good: {spec: good.yaml}\n")
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert before
    (tmp_path / "out" / "mine.txt").write_text("user file")
    (tmp_path / "good.yaml").write_text(OK_OPERATION)  # now dangling
    code, _out, err = run(["--config", str(config), "generate"], capsys)
    assert code == 2
    assert "nothing was written" in err
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != "mine.txt"}
    assert after == before
    assert (tmp_path / "out" / "mine.txt").read_text() == "user file"


def test_bad_input_never_shows_a_traceback(tmp_path: Path) -> None:
    spec = write(tmp_path, "x.yaml", "openapi: 3.1.0\npaths: [\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(spec)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{spec}:3: error: YAML syntax error: did not find expected node content (column 1)"
    ]


def test_cancel_outcome_must_match_the_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "spec.yaml", OK_SPEC)
    config = write(
        tmp_path,
        "gen.yaml",
        """\
        vendors:
          acme:
            spec: spec.yaml
            cancel:
              operation: cancel
              inputs: []
              outcome: {cancellable: [running], cancelled_status: cancelled, unknown: 404, failed_list: failed}
        """,
    )
    code, _, err = run(["--config", str(config), "validate"], capsys)
    assert code == 2
    where = "[#/vendors/acme/cancel/operation]"
    assert error_lines(err) == [
        f"{config}:5: error: cancel outcome status 404 is not a documented response {where}",
        f"{config}:5: error: cancel outcome property 'failed' is not in the 2xx answer {where}",
    ]
