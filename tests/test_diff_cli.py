"""`python -m generator diff`: formats, exit codes, ignore file, git revisions, the real corpus."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import diff
from generator.cli import main
from generator.config import load_config
from generator.load.problem import Diagnostics
from tests.conftest import CORPUS, ROOT, VENDORS
from tests.spec_changes import CHANGES
from tests.test_diff_rules import BASE, body
from tests.test_rule_memory import ValidatorCalls


def write(path: Path, spec: dict[str, Any]) -> str:
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    new = copy.deepcopy(BASE)
    body(new)["properties"]["run_ids"]["maxItems"] = 50  # breaking
    body(new)["properties"]["reason"] = {"type": "string"}  # info
    return write(tmp_path / "old.json", BASE), write(tmp_path / "new.json", new)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_report_and_exit_code(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", *pair, "--format", "json"], capsys)
    assert code == 1, "a breaking finding fails the default --fail-on breaking"
    report = json.loads(out)
    # The optional property added is one wire finding and two source ones (a keyword argument, a field).
    assert report["summary"] == {"breaking": 1, "warning": 0, "info": 3, "bump": "major"}
    first = report["findings"][0]
    assert first["id"] == "request-max-items-decreased" and first["severity"] == "breaking"
    assert first["operation"] == "POST /runs/cancel"
    assert (
        first["pointer"] == "/paths/~1runs~1cancel/post/requestBody/content/application~1json/schema/properties/run_ids"
    )
    assert first["message"] == "POST /runs/cancel: max-items of run_ids went from 100 to 50"
    assert len(first["fingerprint"]) == 16


def test_fail_on_levels(pair: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = pair
    assert run(["diff", old, new, "--fail-on", "info"], capsys)[0] == 1
    only_info = copy.deepcopy(BASE)
    body(only_info)["properties"]["reason"] = {"type": "string"}
    info_path = write(tmp_path / "info.json", only_info)
    assert run(["diff", old, info_path], capsys)[0] == 0
    assert run(["diff", old, info_path, "--fail-on", "warning"], capsys)[0] == 0
    assert run(["diff", old, info_path, "--fail-on", "info"], capsys)[0] == 1


def test_ignore_file_accepts_a_known_change(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out, _ = run(["diff", *pair, "--format", "json"], capsys)
    breaking = json.loads(out)["findings"][0]["fingerprint"]
    ignore = tmp_path / "ignore.txt"
    ignore.write_text(f"# accepted: the vendor lowered the limit\n{breaking}  # ticket 12\n")
    code, out, _ = run(["diff", *pair, "--format", "json", "--ignore", str(ignore)], capsys)
    assert code == 0 and json.loads(out)["summary"]["breaking"] == 0


def test_text_markdown_and_github_formats(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = run(["diff", *pair], capsys)
    assert text.splitlines()[0].startswith("BREAKING request-max-items-decreased: POST /runs/cancel: max-items")
    assert text.splitlines()[-1].endswith("1 breaking, 0 warning, 3 info")
    _, markdown, _ = run(["diff", *pair, "--format", "markdown"], capsys)
    assert "| breaking | `request-max-items-decreased` | POST /runs/cancel |" in markdown
    _, github, _ = run(["diff", *pair, "--format", "github"], capsys)
    first = github.splitlines()[0]
    # The fixture is one line of JSON: every finding is on line 1.
    assert first.startswith(f"::error file={pair[1]},line=1,title=request-max-items-decreased::POST /runs/cancel")


def test_usage_and_spec_errors_exit_2(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(["diff", pair[0]], capsys)[0] == 2
    assert run(["diff", pair[0], str(tmp_path / "missing.yaml")], capsys)[0] == 2
    code, _, err = run(["diff", pair[0], "git:no-such-ref:specs/cargo.yaml"], capsys)
    assert code == 2 and "cannot read it from git" in err


def _repository(tmp_path: Path, spec: dict[str, Any], working: dict[str, Any]) -> Path:
    """A throwaway repository configuring one vendor: ``spec`` committed on main, ``working`` in the tree."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.test")
    git("config", "user.name", "t")
    write(repo / "specs" / "acme.json", spec)
    (repo / "generator.yaml").write_text("vendors:\n  acme: {spec: specs/acme.json}\n")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    write(repo / "specs" / "acme.json", working)
    return repo


def test_git_revisions(tmp_path: Path) -> None:
    """Diff the working spec against git:HEAD and with --base."""
    changed = copy.deepcopy(BASE)
    changed["paths"].pop("/runs/{id}")
    repo = _repository(tmp_path, BASE, changed)
    env_cmd = [sys.executable, "-m", "generator"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "RUNCANCEL_GENERATOR_CACHE": str(tmp_path / "store")}
    one = subprocess.run(
        [*env_cmd, "diff", "git:HEAD:specs/acme.json", "specs/acme.json", "--format", "json"],
        cwd=repo, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert one.returncode == 1, one.stderr
    assert [f["id"] for f in json.loads(one.stdout)["findings"]] == ["operation-removed", "sdk-method-removed"]
    base = subprocess.run(
        [*env_cmd, "diff", "--base", "main"], cwd=repo, capture_output=True, text=True, check=False, env=env
    )
    assert base.returncode == 1 and "BREAKING operation-removed: GET /runs/{id}" in base.stdout, base.stderr


def test_a_gate_run_again_checks_no_rule_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pre-commit hook diffs against the same base on every commit; the base's spec comes from git,
    # into a new temporary file each time.
    changed = copy.deepcopy(BASE)
    body(changed)["properties"]["reason"] = {"type": "string"}
    repo = _repository(tmp_path, BASE, changed)
    monkeypatch.setenv("RUNCANCEL_GENERATOR_CACHE", str(tmp_path / "store"))
    monkeypatch.chdir(repo)
    config = load_config(Path("generator.yaml"), Diagnostics())
    first = diff(base="main", config=config)
    seen = ValidatorCalls(monkeypatch)
    again = diff(base="main", config=config)
    assert (seen.wholes, seen.parts) == (0, [])
    assert again == first
    assert [f.id for f in again.pairs[0].findings] == [
        "request-property-added",
        "sdk-argument-added",
        "sdk-request-field-added",
    ]


@pytest.mark.parametrize("spec", ["skyvern-full.json", "b3os-full.json", "langgraph-full.json"])
def test_real_corpus_against_itself_finds_nothing(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CORPUS / spec)
    code, out, _ = run(["diff", path, path, "--format", "json", "--fail-on", "info"], capsys)
    assert code == 0 and json.loads(out)["findings"] == []


def _revise(spec: str) -> tuple[dict[str, Any], list[str]]:
    """A hand-made revision of a corpus spec, and exactly what the diff must say about it."""
    document = json.loads((CORPUS / spec).read_text(encoding="utf-8"))
    paths = document["paths"]
    if spec == "skyvern-full.json":
        schema = document["components"]["schemas"]["BulkCancelRunsRequest"]
        schema["properties"]["run_ids"]["maxItems"] = 50
        return document, ["request-max-items-decreased"]
    if spec == "b3os-full.json":
        paths.pop("/v1/runs/{id}/cancel")
        return document, ["operation-removed", "sdk-method-removed"]
    schema = document["components"]["schemas"]["RunsCancel"]
    schema["oneOf"].pop()  # no more cancelling by thread and run ids
    # The union of one collapses to its branch, whose description the schema now carries.
    return document, ["request-variant-removed", "request-description-changed"]


@pytest.mark.parametrize("spec", ["skyvern-full.json", "b3os-full.json", "langgraph-full.json"])
def test_real_corpus_with_known_changes(spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    revised, expected = _revise(spec)
    new = write(tmp_path / spec, revised)
    code, out, _ = run(["diff", str(CORPUS / spec), new, "--format", "json"], capsys)
    assert code == 1
    assert [f["id"] for f in json.loads(out)["findings"]] == expected


@pytest.mark.parametrize("vendor", VENDORS)
def test_served_openapi_against_the_vendor_spec_has_nothing_breaking(
    vendor: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = importlib.import_module(f"{vendor}_server").create_app()
    served = write(tmp_path / "served.json", app.openapi())
    code, out, _ = run(["diff", str(ROOT / "specs" / f"{vendor}.yaml"), served, "--format", "json"], capsys)
    assert code == 0, out
    assert json.loads(out)["summary"]["breaking"] == 0


def test_a_diff_checks_the_rules_only_where_no_earlier_run_did(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a pipeline: the vendor's spec is diffed against what it was, once per new publication.
    monkeypatch.setenv("RUNCANCEL_GENERATOR_CACHE", str(tmp_path / "store"))
    skyvern = json.loads((CORPUS / "skyvern-full.json").read_text(encoding="utf-8"))
    work = write(tmp_path / "skyvern.json", skyvern)
    assert diff(str(CORPUS / "skyvern-full.json"), work).pairs[0].findings == ()
    CHANGES[0](skyvern)  # a new optional body property
    write(tmp_path / "skyvern.json", skyvern)
    seen = ValidatorCalls(monkeypatch)
    remembered = diff(str(CORPUS / "skyvern-full.json"), work)
    # The old side was checked before; the new one only in the units the change touched.
    assert seen.wholes == 0
    assert len(seen.parts) == 1
    monkeypatch.setenv("RUNCANCEL_GENERATOR_CACHE", str(tmp_path / "empty-store"))
    checked_whole = diff(str(CORPUS / "skyvern-full.json"), work)
    assert seen.wholes == 2
    assert remembered == checked_whole
    found = [f.id for f in remembered.pairs[0].findings]
    assert found == ["request-property-added", "sdk-argument-added", "sdk-request-field-added"]
