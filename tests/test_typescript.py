"""The TypeScript target: every package compiles under ``tsc --strict``, the type-level tests refuse what the
specs forbid, and the clients and ``runcancel`` behave against the generated mock servers (``node --test``).

The pinned TypeScript is installed by ``make`` into ``.tools/node_modules`` (never globally).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from generator.render.subject import Subject
from generator.render.typescript import ts_context
from tests.conftest import ROOT, VENDORS, vendor_built
from tests.live_server import serve
from tests.test_unified import THREAD, WORKFLOW, add, ids
from tests.test_unified import VENDORS as UNIFIED_VENDORS

TSC = ROOT / ".tools" / "node_modules" / ".bin" / "tsc"
GENERATED_TS = ROOT / "generated" / "ts"
RUNTIME_TS = ROOT / "generator" / "runtime" / "typescript"
NODE_TEST = ROOT / "tests" / "ts" / "clients.test.mjs"
# What the strict check adds to each package's own settings: nothing is emitted, every file is read from its place.
_CHECK = {"noEmit": True, "rootDir": "/"}


def _tsc() -> Path:
    if not TSC.exists():
        pytest.fail(f"{TSC} is missing: `make test` installs the pinned TypeScript (or run `make tools`)")
    return TSC


def check_config(root: Path, packages: list[Path], out: Path, *, emit: bool = False) -> Path:
    """A tsconfig over several generated packages: one compiler run for all, cross-package imports mapped."""
    paths = {json.loads((p / "package.json").read_text())["name"]: [str(p / "src" / "index.ts")] for p in packages}
    include = [str(p / "src" / "*.ts") for p in packages]
    options: dict[str, Any] = {"paths": paths}
    if emit:
        options.update({"noCheck": True, "outDir": str(out / "js"), "rootDir": str(root), "declaration": False})
    else:
        options.update(_CHECK)
        include += [str(p / "type-tests" / "*.ts") for p in packages if (p / "type-tests").is_dir()]
    config = {"extends": str(packages[0] / "tsconfig.json"), "compilerOptions": options, "include": include}
    path = out / ("tsconfig.emit.json" if emit else "tsconfig.check.json")
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def run_tsc(config: Path) -> tuple[int, str, float]:
    began = time.perf_counter()
    result = subprocess.run([str(_tsc()), "-p", str(config)], capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr, time.perf_counter() - began


def packages() -> list[Path]:
    return sorted(p for p in GENERATED_TS.iterdir() if (p / "package.json").exists())


def test_the_runtime_type_checks_in_place(tmp_path: Path) -> None:
    config = {
        "extends": str(GENERATED_TS / "cargo" / "tsconfig.json"),
        "compilerOptions": _CHECK,
        "include": [str(RUNTIME_TS / "**" / "*.ts")],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    code, output, _ = run_tsc(tmp_path / "tsconfig.json")
    assert code == 0, output


def test_every_generated_package_compiles_strict_with_its_type_tests(tmp_path: Path) -> None:
    found = packages()
    assert {p.name for p in found} == {*VENDORS, "runcancel"}
    code, output, seconds = run_tsc(check_config(ROOT, found, tmp_path))
    assert code == 0, output
    print(f"tsc --strict --noEmit over {len(found)} packages: {seconds:.1f}s")


def test_the_type_tests_refuse_what_the_specs_forbid() -> None:
    cases = (GENERATED_TS / "langsmith" / "type-tests" / "requests.ts").read_text(encoding="utf-8")
    both = 'models.RunsCancel = { status: "pending", thread_id: "x", run_ids: [] }'
    assert f"// @ts-expect-error: the spec forbids this shape\nexport const case1: {both};" in cases
    for name in VENDORS:
        text = (GENERATED_TS / name / "type-tests" / "requests.ts").read_text(encoding="utf-8")
        assert text.count("\n// @ts-expect-error") >= 1, name


def test_a_type_test_that_stops_failing_fails_the_check(tmp_path: Path) -> None:
    # Proof that the directives are checked: with the forbidden shape made legal, tsc reports the unused directive.
    copy = tmp_path / "langsmith"
    shutil.copytree(GENERATED_TS / "langsmith", copy)
    models = copy / "src" / "models.ts"
    models.write_text(models.read_text().replace(" & ({ status?: never })", ""), encoding="utf-8")
    code, output, _ = run_tsc(check_config(tmp_path, [copy], tmp_path))
    assert code != 0 and "Unused '@ts-expect-error' directive" in output


def _compile(work: Path) -> float:
    """The generated packages as JavaScript under ``work``, each importable by its package name."""
    found = packages()
    code, output, seconds = run_tsc(check_config(ROOT / "generated" / "ts", found, work, emit=True))
    assert code == 0, output
    for package in found:
        name = json.loads((package / "package.json").read_text())["name"]
        shim = work / "node_modules" / name
        shim.mkdir(parents=True)
        manifest = {"name": name, "type": "module", "exports": "./index.js"}
        (shim / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
        target = (work / "js" / package.name / "src" / "index.js").as_uri()
        (shim / "index.js").write_text(f"export * from {json.dumps(target)};\n", encoding="utf-8")
    return seconds


# How each vendor's cancel is called directly, for the error and timeout cases.
PARAMS = {
    "cargo": {"body": {"workflowUuid": WORKFLOW, "uuids": ["r"]}},
    "skyvern": {"body": {"run_ids": ["r"]}},
    "b3os": {"id": "r"},
    "langsmith": {"body": {"thread_id": THREAD, "run_ids": [THREAD]}},
    "agno": {"workflowId": "wf-1", "runId": "r"},
}
UNSUPPORTED = {
    "cargo": ({"status": "running", "scope": WORKFLOW}, "cargo cannot cancel runs by status"),
    "skyvern": ({"runIds": ["a"], "action": "rollback"}, "skyvern cannot cancel with action 'rollback'"),
    "b3os": ({"runIds": ["a"], "scope": "wf"}, "b3os cannot limit a cancel to a scope"),
    "langsmith": (
        {"runIds": [WORKFLOW], "scope": THREAD, "action": "stop"},
        "langsmith cannot cancel with action 'stop' (only interrupt, rollback)",
    ),
    "agno": ({"runIds": ["a"]}, "agno cannot cancel a run without its workflow"),
}
MANY = 150
CALLS_FOR_MANY = {"cargo": 1, "skyvern": 2, "b3os": MANY, "langsmith": MANY, "agno": MANY}


def _mix_failed(name: str, finished: str, unknown: str) -> dict[str, str]:
    if name == "skyvern":
        return {finished: "the vendor could not cancel it", unknown: "the vendor could not cancel it"}
    if name == "b3os":
        return {finished: f"409: run {finished!r} is success", unknown: f"404: run {unknown!r} not found"}
    if name == "langsmith":
        return {finished: f"404: run {finished!r} is success", unknown: f"404: run {unknown!r} not found"}
    return {}


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every vendor's mock server on loopback, its store seeded per case; the fixture the Node tests read."""
    fixture: dict[str, Any] = {"vendors": {}}
    stores: dict[str, Any] = {}
    with ExitStack() as stack:
        for name in VENDORS:
            vendor = UNIFIED_VENDORS[name]
            store = vendor.server.RunStore()
            one, *many = ids(1 + MANY, vendor.uuid_ids)
            running, finished, unknown = ids(MANY + 4, vendor.uuid_ids)[-3:]
            add(store, vendor, [one, *many, running], vendor.running)
            add(store, vendor, [finished], vendor.finished)
            if name == "cargo":
                store.add("by-filter", "running", workflowUuid=WORKFLOW, recordId="rec")
            if name == "langsmith":
                store.add(str(ids(MANY + 5, True)[-1]), "pending", thread_id=THREAD)
            url = stack.enter_context(serve(vendor.server.create_app(store=store, credentials={"secret"})))
            built = vendor_built(name)
            assert built.api is not None and built.cancel is not None
            context = ts_context(Subject(built.api, built.cancel))
            cancel = built.cancel
            op = context.operation(cancel.operation_id)
            stores[name] = (store, [one], many, running, finished)
            fixture["vendors"][name] = {
                "package": context.package,
                "url": url + vendor.base_path,
                "scope": vendor.scope,
                "one": [one],
                "many": many,
                "expected_calls_for_many": CALLS_FOR_MANY[name],
                "mix": [running, finished, unknown],
                "mix_failed": _mix_failed(name, finished, unknown),
                "unsupported": list(UNSUPPORTED[name]),
                "method": op.method,
                "params": PARAMS[name],
                "credential": context.auth[0].option,
                "failures": [[f.status, f.error_class] for f in op.failures],
                "success_status": op.success[0].status,
            }
        empty = UNIFIED_VENDORS["langsmith"].server.RunStore()
        add(empty, UNIFIED_VENDORS["langsmith"], ids(1, True), "success")
        fixture["langsmith_empty"] = stack.enter_context(
            serve(UNIFIED_VENDORS["langsmith"].server.create_app(store=empty, credentials={"secret"}))
        )
        yield fixture, stores


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_node_clients_against_the_mock_servers(
    servers: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture, stores = servers
    compiled = _compile(tmp_path)
    shutil.copy(NODE_TEST, tmp_path / NODE_TEST.name)
    began = time.perf_counter()
    result = subprocess.run(
        ["node", "--test", "--test-reporter=dot", NODE_TEST.name],
        cwd=tmp_path,
        env={**os.environ, "RUNCANCEL_TS_FIXTURE": json.dumps(fixture)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    with capsys.disabled():
        print(f"\n  TypeScript: emitted JS in {compiled:.1f}s, node --test in {time.perf_counter() - began:.1f}s")
    # What the clients reported is what the servers' stores show.
    for name, (store, one, many, running, finished) in stores.items():
        vendor = UNIFIED_VENDORS[name]
        assert {store.status(r) for r in [*one, *many, running]} <= {vendor.cancelled}, name
        assert store.status(finished) == vendor.finished, name


CORPUS_SPECS = {"skyvern": "skyvern-full.json", "b3os": "b3os-full.json", "langgraph": "langgraph-full.json"}


@pytest.mark.slow
def test_every_corpus_spec_generates_and_compiles_strict(tmp_path: Path) -> None:
    from generator.cli import main
    from tests.conftest import CORPUS

    began = time.perf_counter()
    for name, spec in CORPUS_SPECS.items():
        argv = ["generate", "--lenient", "--quiet", "--spec", str(CORPUS / spec), "--name", name]
        assert main([*argv, "--out", str(tmp_path / name), "--target", "typescript"]) == 0
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == [".manifest.json", "ts"]
        operations = sum(
            1
            for item in json.loads((CORPUS / spec).read_text(encoding="utf-8"))["paths"].values()
            for method in item
            if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
        )
        client = (tmp_path / name / "ts" / name / "src" / "client.ts").read_text(encoding="utf-8")
        assert client.count("Endpoint = {") == operations, name
    generated = time.perf_counter() - began
    found = [tmp_path / name / "ts" / name for name in CORPUS_SPECS]
    code, output, seconds = run_tsc(check_config(tmp_path, found, tmp_path))
    assert code == 0, output[:5000]
    print(f"corpus: generated in {generated:.1f}s, tsc --strict --noEmit in {seconds:.1f}s")


def test_a_hostile_spec_yields_a_package_that_compiles_and_runs_nothing(tmp_path: Path) -> None:
    from generator.ir.normalise import normalise
    from generator.load import load_spec
    from generator.load.problem import Diagnostics
    from generator.render import typescript
    from generator.render.formatting import finish

    diagnostics = Diagnostics(lenient=True)
    files = load_spec(ROOT / "tests" / "fixtures" / "specs" / "hostile.yaml", diagnostics)
    assert files is not None
    rendered = finish(typescript.drafts(Subject(normalise(files, "hostile spec", diagnostics))))
    for relative, data in rendered.items():
        assert relative.startswith("ts/hostile_spec/") and ".." not in Path(relative).parts, relative
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(data)
    package = tmp_path / "ts" / "hostile_spec"
    code, output, _ = run_tsc(check_config(tmp_path, [package], tmp_path))
    assert code == 0, output
    # Compiled and imported, the package runs nothing the spec says: its strings stay strings.
    code, output, _ = run_tsc(check_config(tmp_path / "ts", [package], tmp_path, emit=True))
    assert code == 0, output
    script = f"await import({json.dumps((tmp_path / 'js' / 'hostile_spec' / 'src' / 'index.js').as_uri())});"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("PWNED*")) and not result.stdout


def test_spec_strings_stay_inert_in_typescript() -> None:
    from generator.render.naming import jsdoc, ts_camel_name, ts_literal, ts_property_key

    block = jsdoc("evil */ require('child_process').exec('x') /*\n@param x\u2028y", 2)
    assert block.count("*/") == 1 and block.rstrip().endswith("*/") and "\\@param" in block
    assert ts_literal('a"b\u2028${x}`') == '"a\\"b\\u2028${x}`"'
    assert ts_property_key("__proto__") == '"__proto__"' and ts_property_key("a-b") == '"a-b"'
    assert ts_camel_name("delete") == "delete_" and ts_camel_name("1st run") == "value1stRun"


VALIDATION_TEST = ROOT / "tests" / "ts" / "validation.test.mjs"
AGREEMENT_EXAMPLES = 40  # per schema: about 1 500 payloads over the fixtures' and the vendors' request schemas


def _fixture_api(name: str, label: str) -> Any:
    from generator.ir.normalise import normalise
    from generator.load import load_spec
    from generator.load.problem import Diagnostics

    diagnostics = Diagnostics()
    files = load_spec(ROOT / "tests" / "fixtures" / "specs" / name, diagnostics)
    assert files is not None
    api = normalise(files, label, diagnostics)
    assert not diagnostics.problems, [str(p) for p in diagnostics.problems]
    return api


def _agreement_suites() -> tuple[list[dict[str, Any]], int, Counter[bool]]:
    """Payloads near every request schema (and named schema) of the fixtures and vendors, with the IR's verdicts."""
    import yaml

    from generator.render.ts_shapes import ShapeWriter
    from tests.conftest import vendor_api
    from tests.test_fidelity import schemas_of

    apis = [_fixture_api("validation.yaml", "validation rules"), _fixture_api("kitchen_sink.yaml", "kitchen")]
    apis += [vendor_api(name) for name in VENDORS]
    suites: list[dict[str, Any]] = []
    verdicts: Counter[bool] = Counter()
    total = 0
    for api in apis:
        document = yaml.safe_load((ROOT / api.source).read_text(encoding="utf-8"))
        writer = ShapeWriter(api)
        shapes: list[Any] = []
        cases: list[Any] = []
        for label, pointer, schema in schemas_of(api):
            if " 2" in label or " 4" in label or " 5" in label or " default" in label:
                continue  # answers: the validator checks requests
            shapes.append(writer.shape(schema))
            _collect(api, document, pointer, schema, len(shapes) - 1, cases, verdicts)
        suites.append({"name": api.name, "defs": writer.defs, "shapes": shapes, "cases": cases})
        total += len(cases)
    return suites, total, verdicts


def _collect(
    api: Any, document: Any, pointer: str, schema: Any, index: int, cases: list[Any], verdicts: Counter[bool]
) -> None:
    """Append ``[index, payload, the IR validator's verdict]`` for payloads near the raw schema at ``pointer``."""
    from hypothesis import HealthCheck, given, settings

    from generator.ir.validate import accepts
    from generator.load import pointer as jp
    from tests.payloads import payloads

    @settings(max_examples=AGREEMENT_EXAMPLES, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(payload=payloads(jp.follow(document, pointer), document))
    def collect(payload: Any) -> None:
        verdict = accepts(schema, payload, api.schema)
        verdicts[verdict] += 1
        cases.append([index, payload, verdict])

    collect()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_request_validation_rule_by_rule_and_in_agreement_with_the_ir_validator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.render import typescript
    from generator.render.formatting import finish

    began = time.perf_counter()
    rendered = finish(typescript.drafts(Subject(_fixture_api("validation.yaml", "validation rules"))))
    for relative, data in rendered.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(data)
    package = tmp_path / "ts" / "validation_rules"
    code, output, _ = run_tsc(check_config(tmp_path / "ts", [package], tmp_path, emit=True))
    assert code == 0, output
    suites, total, verdicts = _agreement_suites()
    # Both verdicts well represented, or agreement would prove little.
    assert total >= 500 and min(verdicts.values()) >= 0.1 * total, verdicts
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(suites), encoding="utf-8")
    prepared = time.perf_counter() - began
    shutil.copy(VALIDATION_TEST, tmp_path / VALIDATION_TEST.name)
    setup = {
        "client": (tmp_path / "js" / "validation_rules" / "src" / "index.js").as_uri(),
        "cases": str(cases),
        "expected_cases": total,
    }
    result = subprocess.run(
        ["node", "--test", "--test-reporter=dot", VALIDATION_TEST.name],
        cwd=tmp_path,
        env={**os.environ, "RUNCANCEL_TS_VALIDATION": json.dumps(setup)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    with capsys.disabled():
        print(
            f"\n  validation: {total} payloads ({dict(verdicts)}) prepared in {prepared:.1f}s, node in "
            f"{time.perf_counter() - began - prepared:.1f}s"
        )
