"""The problems a run prints, as a new user meets them: each fact once, repeats counted, a way out named."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.cli import main


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def without_ids(tmp_path: Path, count: int = 10) -> Path:
    operations = "".join(
        f"  /things{n}:\n    get:\n      responses:\n        '200': {{description: ok}}\n" for n in range(count)
    )
    return write(tmp_path, "anonymous.yaml", f"openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n{operations}")


UNDECLARED = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /runs/{run_id}:
    get:
      operationId: get_run
      responses:
        '200': {description: ok}
"""

# Two rule breaches (an undeclared path parameter, a response without a description) and nothing else.
BREACHES = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /runs/{run_id}:
    get:
      operationId: get_run
      responses:
        '200': {}
"""


def problem_lines(err: str, spec: Path) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(str(spec))]


@pytest.mark.parametrize("command", ["validate", "ir", "generate"])
def test_ten_operations_without_an_id_show_three_and_a_count(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = without_ids(tmp_path)
    args = {
        "validate": ["validate", str(spec)],
        "ir": ["ir", str(spec)],
        "generate": ["generate", "--spec", str(spec), "--out", str(tmp_path / "out")],
    }[command]
    assert main(args) == 0
    lines = problem_lines(capsys.readouterr().err, spec)
    assert len(lines) == 4
    assert all(": warning: operation has no operationId: named 'get_things" in line for line in lines[:3])
    assert all(line.startswith(f"{spec}:") and " [#/paths/" in line for line in lines[:3])
    assert lines[3] == f"{spec}: warning: ... and 7 more like 'operation has no operationId' (--verbose shows all)"

    assert main([*args, "--verbose"]) == 0
    lines = problem_lines(capsys.readouterr().err, spec)
    assert len(lines) == 10
    assert all("operation has no operationId" in line and " [#/paths/" in line for line in lines)
    assert main([*args, "-v"]) == 0
    assert len(problem_lines(capsys.readouterr().err, spec)) == 10


def test_validate_counts_what_it_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = without_ids(tmp_path)
    assert main(["validate", str(spec)]) == 0
    assert capsys.readouterr().out == f"{spec}: ok (0 errors, 10 warnings)\n"


@pytest.mark.parametrize("mode", ["--lenient", "--strict"])
def test_an_undeclared_path_parameter_is_reported_once(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path, "undeclared.yaml", UNDECLARED)
    severity = "warning" if mode == "--lenient" else "error"
    pointer = "#/paths/~1runs~1{run_id}/get"
    expected = [f"{spec}:5: {severity}: path parameter 'run_id' is in the path but not declared [{pointer}]"]
    main(["validate", mode, str(spec)])
    assert problem_lines(capsys.readouterr().err, spec) == expected
    # generate checks the rules apart (maybe in another process) and splices them in: still once.
    main(["generate", mode, "--spec", str(spec), "--out", str(tmp_path / "out")])
    assert problem_lines(capsys.readouterr().err, spec) == expected


def test_a_strict_refusal_ends_naming_lenient_with_the_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path, "breaches.yaml", BREACHES)
    hint = "hint: --lenient would report 2 OpenAPI rule breaches as warnings and carry on"

    assert main(["validate", str(spec)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(problem_lines("\n".join(err), spec)) == 2
    assert err[-1] == hint

    assert main(["ir", str(spec)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == hint

    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines()[-2:] == [hint, "generation failed: nothing was written"]
    assert not out.exists()

    # What the hint promises holds.
    assert main(["generate", "--lenient", "--spec", str(spec), "--out", str(out), "--quiet"]) == 0
    assert "hint:" not in capsys.readouterr().err


def test_the_hint_says_what_lenient_cannot_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(
        tmp_path,
        "cycle.yaml",
        BREACHES
        + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    )
    assert main(["validate", str(spec)]) == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("hint: --lenient would report ")
    assert last.endswith("; 1 other error would remain, which --lenient cannot fix")


def test_no_hint_when_lenient_cannot_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "syntax.yaml", "openapi: 3.1.0\ninfo: [unclosed\n")
    assert main(["validate", str(spec)]) == 2
    assert "--lenient" not in capsys.readouterr().err


def test_facts_the_validator_and_normalising_both_see_are_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(
        tmp_path,
        "pairs.yaml",
        """\
        openapi: 3.1.0
        info: {title: T, version: '1'}
        servers:
          - description: no url
        paths:
          /a:
            get:
              operationId: twice
              responses:
                '200': {}
          /b/{b_id}:
            parameters:
              - {name: b_id, in: path, schema: {type: string}}
            get:
              operationId: twice
              responses:
                '200':
                  description: ok
                  content:
                    application/zip:
                      schema: {type: file}
        """,
    )
    assert main(["validate", "--lenient", str(spec)]) == 0
    lines = problem_lines(capsys.readouterr().err, spec)
    assert not [line for line in lines if "not valid OpenAPI" in line]
    messages = [line.split(": warning: ")[1].split(" [#")[0] for line in lines]
    assert sorted(messages) == sorted(
        [
            "server has no 'url'",
            "response 200 has no 'description'",
            "operationId 'twice' is used twice: renamed 'twice_2'",
            "path parameter 'b_id' must be 'required: true'",
            "'type: file' is Swagger 2.0: read as a binary string",
        ]
    )
