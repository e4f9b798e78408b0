"""OpenAPI rule checks beside rendering: the same problems, in the same place, whoever checks."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from generator import rule_checks
from generator.cli import main
from generator.load import load_spec
from generator.load.problem import Diagnostics
from generator.rule_checks import RuleCheck, RuleChecks
from tests.conftest import ROOT

# Breaks the OpenAPI rules twice (a parameter without 'in', an operation without responses)
# and draws a normalising warning (no operationId) after them.
BROKEN = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /runs/{id}/cancel:
    post:
      parameters:
        - {name: id, required: true, schema: {type: string}}
  /runs/cancel:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {ids: {type: array, items: {type: string}}}}
      responses:
        '204': {description: Done}
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def _rule_problems_of_loading(path: Path, lenient: bool) -> list[str]:
    """What checking the rules adds to loading, found the plain way: load with and without the rules."""
    with_rules, without = Diagnostics(lenient=lenient), Diagnostics(lenient=lenient)
    load_spec(path, with_rules, str(path))
    load_spec(path, without, str(path), check_rules=False)
    assert with_rules.problems[: len(without.problems)] == without.problems
    return [str(p) for p in with_rules.problems[len(without.problems) :]]


@pytest.mark.parametrize("lenient", [False, True])
def test_background_and_in_process_checks_find_what_loading_finds(broken: Path, lenient: bool) -> None:
    expected = _rule_problems_of_loading(broken, lenient)
    assert len(expected) >= 2
    assert all((": warning: " if lenient else ": error: ") in line for line in expected)
    checks = [RuleCheck(broken, str(broken), lenient), RuleCheck(ROOT / "specs" / "cargo.yaml", "cargo.yaml", False)]
    for background in (True, False):
        with RuleChecks(checks, background=background) as found:
            # Asked out of order: the answers still belong to the right spec.
            assert found.problems(1) == []
            assert [str(p) for p in found.problems(0)] == expected


def test_a_child_that_dies_leaves_the_checks_to_this_process(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def die(*_: object) -> None:
        os._exit(3)

    monkeypatch.setattr(rule_checks, "_run_all", die)
    with RuleChecks([RuleCheck(broken, str(broken), False)], background=True) as found:
        assert [str(p) for p in found.problems(0)] == _rule_problems_of_loading(broken, False)


def test_the_rendering_process_never_imports_the_validator(broken: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from generator.rule_checks import RuleCheck, RuleChecks
        with RuleChecks([RuleCheck(Path({str(broken)!r}), "broken.yaml", False)], background=True) as checks:
            assert checks.problems(0)
        print("openapi_spec_validator" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


_EARLY = """
    import json, sys
    from pathlib import Path
    from generator import rule_checks
    from generator.render.environment import compile_templates
    rule_checks.start_early()
    early = rule_checks._early[1].pid
    warm_up = compile_templates if sys.argv[2] == "picklable" else (lambda: None)
    check = rule_checks.RuleCheck(Path(sys.argv[1]), "broken.yaml", False)
    with rule_checks.RuleChecks([check], warm_up=warm_up) as checks:
        child = checks._process.pid
        found = [str(p) for p in checks.problems(0)]
    imported = "openapi_spec_validator" in sys.modules
    print(json.dumps({"adopted": child == early, "problems": found, "imported_here": imported}))
"""


@pytest.mark.parametrize("warm_up", ["picklable", "not picklable"])
def test_a_child_forked_early_is_handed_the_checks_and_finds_what_loading_finds(broken: Path, warm_up: str) -> None:
    script = textwrap.dedent(_EARLY)
    done = subprocess.run(
        [sys.executable, "-c", script, str(broken), warm_up], capture_output=True, text=True, cwd=ROOT, check=True
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    expected = [line.replace(str(broken), "broken.yaml") for line in _rule_problems_of_loading(broken, False)]
    # A warm-up that cannot be sent to it leaves the early child out: a child is forked anew, to the same effect.
    assert answer == {"adopted": warm_up == "picklable", "problems": expected, "imported_here": False}


def test_an_early_child_no_run_takes_ends_with_the_process() -> None:
    script = "from generator import rule_checks; rule_checks.start_early(); print(rule_checks._early[1].pid)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    pid = int(done.stdout.strip())
    for _ in range(100):  # bounded: up to 5 s for the kernel to reap it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("the early child outlived the process that started it")


def test_generate_reports_what_validate_reports_in_the_same_order(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(broken)]) == 2
    validated = [line for line in capsys.readouterr().err.splitlines() if str(broken) in line]
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(broken), "--out", str(out)]) == 2
    generated = capsys.readouterr().err.splitlines()
    assert [line for line in generated if str(broken) in line] == validated
    # Rule breaches first, then what normalising noticed, as loading would have put them.
    assert ": error: " in validated[0] and ": warning: " in validated[-1]
    assert generated[-1] == "generation failed: nothing was written"
    assert not out.exists()


def test_warm_up_work_runs_in_the_child_first_and_its_failure_changes_nothing(broken: Path, tmp_path: Path) -> None:
    marker = tmp_path / "warmed"

    def warm_up() -> None:
        marker.write_text(str(os.getpid()))

    def failing_warm_up() -> None:
        raise RuntimeError("no cache today")

    expected = _rule_problems_of_loading(broken, False)
    with RuleChecks([RuleCheck(broken, str(broken), False)], background=True, warm_up=warm_up) as found:
        assert [str(p) for p in found.problems(0)] == expected
    assert marker.read_text() != str(os.getpid()), "the warm-up ran in the child, not here"
    with RuleChecks([RuleCheck(broken, str(broken), False)], background=True, warm_up=failing_warm_up) as found:
        assert [str(p) for p in found.problems(0)] == expected


def test_a_process_with_other_threads_checks_in_process_rather_than_fork(broken: Path) -> None:
    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    try:
        with RuleChecks([RuleCheck(broken, str(broken), False)]) as found:
            assert multiprocessing.active_children() == []
            assert [str(p) for p in found.problems(0)] == _rule_problems_of_loading(broken, False)
    finally:
        release.set()
        waiter.join()


def test_the_json_schema_engine_is_named_so_problems_read_the_same_on_every_machine() -> None:
    """openapi-spec-validator picks its engine by what is installed; the two word some problems differently.

    LangGraph's full spec has such problems (the pure-Python engine quotes a missing
    property with ' and lists unexpected ones in another order). Whatever the setting
    says, the generator names jsonschema-rs. The library makes its engine once per
    process, so each reading is a fresh interpreter.
    """
    from tests.conftest import CORPUS

    setting = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
    code = (
        "import sys; from pathlib import Path; from generator.load import rule_problems; "
        "print('\\n'.join(map(str, rule_problems(Path(sys.argv[1]), 'spec', True))))"
    )

    def problems(engine: str | None) -> str:
        env = {k: v for k, v in os.environ.items() if k != setting}
        env.update({setting: engine} if engine else {})
        spec = str(CORPUS / "langgraph-full.json")
        done = subprocess.run([sys.executable, "-c", code, spec], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    unset = problems(None)
    assert '"description" is a required property' in unset, unset
    assert problems("jsonschema") == unset


# Breaks the OpenAPI rules (no info.version, a default of the wrong type) yet normalises: so it is rendered.
RENDERABLE_BUT_BROKEN = """\
openapi: 3.1.0
info: {title: T}
paths:
  /runs/cancel:
    post:
      operationId: cancel
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: "many"}}
      responses:
        '204': {description: Done}
"""


def test_a_renderer_a_rule_breach_trips_reports_the_breach_not_the_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.generation import generate_spec
    from generator.render import model_package

    spec = tmp_path / "broken.yaml"
    spec.write_text(RENDERABLE_BUT_BROKEN, encoding="utf-8")
    planned: list[object] = []

    def tripped(api: object) -> object:
        planned.append(api)
        raise KeyError("the default is not an integer")

    # The first thing rendering does with a spec is plan its models; here that crashes, as a renderer
    # might on a spec that breaks the rules. A strict run reports the breaches, and writes nothing.
    monkeypatch.setattr(model_package, "plan_for", tripped)
    result = generate_spec(spec, tmp_path / "out", lenient=False)
    assert planned, "the spec was rendered"
    assert result.failed
    assert any('"version" is a required property' in str(p) for p in result.problems), result.problems
    assert not (tmp_path / "out").exists()
