"""OpenAPI rule checks that cost what changed give exactly the problems of a whole check.

A store keeps, per spec, the keys of the units of its last clean version
(:mod:`generator.load.rule_units`) and the problems of every spec text checked
(:mod:`generator.load.rule_memory`). These tests change Skyvern's full spec,
cleanly and in each way the rules can be broken, and compare what a check with
the store finds against a check of the whole document without one; they walk
the LangGraph history the same way, and show what is not checked again.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.load import rule_problems, rule_units, spec_validation
from generator.render.model_store import ModelStore
from tests.conftest import CORPUS, SHARED
from tests.spec_changes import CHANGES

SKYVERN = CORPUS / "skyvern-full.json"
Document = dict[str, Any]


class ValidatorCalls:
    """What the validator was asked to do: whole documents, and cut-down parts (their paths and schemas)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.wholes = 0
        self.parts: list[tuple[int, int]] = []
        whole, part = spec_validation.validate_openapi, spec_validation.breaks_rules

        def validate_openapi(*args: Any) -> None:
            self.wholes += 1
            whole(*args)

        def breaks_rules(document: Document, base_uri: str) -> bool:
            schemas = document.get("components", {}).get("schemas", {})
            self.parts.append((len(document.get("paths", {})), len(schemas)))
            return part(document, base_uri)

        monkeypatch.setattr(spec_validation, "validate_openapi", validate_openapi)
        monkeypatch.setattr(spec_validation, "breaks_rules", breaks_rules)


@pytest.fixture
def skyvern() -> Document:
    data: Document = json.loads(SKYVERN.read_text(encoding="utf-8"))
    return data


def _write(path: Path, document: Document) -> Path:
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def _checked_both_ways(spec: Path, store: ModelStore, lenient: bool = True) -> list[str]:
    """The problems found with the store, after asserting they are exactly those of a whole check."""
    remembered = rule_problems(spec, spec.name, lenient, store)
    whole = rule_problems(spec, spec.name, lenient)
    assert remembered == whole
    return [str(p) for p in remembered]


@pytest.fixture(scope="module")
def primed_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A spec path and a store that has seen Skyvern's full spec, clean, there (made once: a whole check)."""
    base = tmp_path_factory.mktemp("primed")
    spec = base / "skyvern-full.json"
    spec.write_bytes(SKYVERN.read_bytes())
    assert rule_problems(spec, spec.name, True, ModelStore(base / "store", "salt")) == []
    return spec, base / "store"


@pytest.fixture
def primed(primed_once: tuple[Path, Path], tmp_path: Path) -> Iterator[tuple[Path, ModelStore]]:
    """The spec path the store has seen, and a copy of that store; the spec is put back afterwards."""
    spec, kept = primed_once
    shutil.copytree(kept, tmp_path / "store")
    yield spec, ModelStore(tmp_path / "store", "salt")
    spec.write_bytes(SKYVERN.read_bytes())


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_a_clean_change_checks_only_the_units_it_touched(
    primed: tuple[Path, ModelStore],
    skyvern: Document,
    change: Callable[[Document], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec, store = primed
    change(skyvern)
    _write(spec, skyvern)
    seen = ValidatorCalls(monkeypatch)
    assert rule_problems(spec, spec.name, True, store) == []
    assert seen.wholes == 0
    [(paths, schemas)] = seen.parts
    # Far less than the document: the changed unit, what reaches it, and what it reaches.
    assert paths < len(skyvern["paths"]) // 2
    assert schemas < len(skyvern["components"]["schemas"]) * 3 // 4
    assert rule_problems(spec, spec.name, True) == []  # and a whole check agrees


def _schema_type_unknown(document: Document) -> None:
    document["components"]["schemas"]["BulkCancelRunsRequest"]["type"] = "file"


def _knot_property_invalid(document: Document) -> None:
    document["components"]["schemas"]["Workflow"]["properties"]["broken"] = {"type": "wat"}


def _default_of_the_wrong_type(document: Document) -> None:
    properties = document["components"]["schemas"]["BulkCancelRunsRequest"]["properties"]
    properties["limit"] = {"type": "integer", "default": "ten"}


def _required_but_not_defined(document: Document) -> None:
    document["components"]["schemas"]["Orphan"] = {
        "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
        "required": ["a", "b"],
    }


def _path_parameter_undeclared(document: Document) -> None:
    operation = {"operationId": "extra_thing", "responses": {"200": {"description": "OK"}}}
    document["paths"]["/v1/extra/{thing}"] = {"get": operation}


def _parameter_without_in(document: Document) -> None:
    operation = document["paths"]["/v1/runs/{run_id}"]["get"]
    operation.setdefault("parameters", []).append({"name": "verbose", "schema": {"type": "boolean"}})


def _operation_id_twice(document: Document) -> None:
    first, second = [op for item in document["paths"].values() for op in item.values() if "operationId" in op][:2]
    second["operationId"] = first["operationId"]


def _tag_twice(document: Document) -> None:
    document["tags"] = [{"name": "runs"}, {"name": "runs"}]


BREAKS = (
    _schema_type_unknown,
    _knot_property_invalid,
    _default_of_the_wrong_type,
    _required_but_not_defined,
    _path_parameter_undeclared,
    _parameter_without_in,
    _operation_id_twice,
    _tag_twice,
)


@pytest.mark.parametrize("breach", BREAKS, ids=lambda c: c.__name__.strip("_"))
def test_a_breaking_change_gets_the_problems_of_a_whole_check(
    primed: tuple[Path, ModelStore],
    skyvern: Document,
    breach: Callable[[Document], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec, store = primed
    breach(skyvern)
    _write(spec, skyvern)
    seen = ValidatorCalls(monkeypatch)
    remembered = rule_problems(spec, spec.name, True, store)
    # The changed units broke a rule (an operationId used twice is seen without the validator): then the whole.
    assert len(seen.parts) == (0 if breach is _operation_id_twice else 1)
    assert seen.wholes == 1
    assert remembered == rule_problems(spec, spec.name, True)
    assert remembered, "the change breaks a rule"
    # The spec, put back as it was, is clean from the store again: a breach is not remembered as clean.
    _write(spec, json.loads(SKYVERN.read_text(encoding="utf-8")))
    assert rule_problems(spec, spec.name, True, store) == []
    assert seen.wholes == 2


def test_in_strict_mode_a_breach_is_an_error_as_in_a_whole_check(
    primed: tuple[Path, ModelStore], skyvern: Document
) -> None:
    spec, store = primed
    _knot_property_invalid(skyvern)
    _write(spec, skyvern)
    found = _checked_both_ways(spec, store, lenient=False)
    assert found and all(": error: " in line for line in found)


def test_a_spec_checked_before_is_not_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ModelStore(tmp_path / "store", "salt")
    spec = CORPUS / "b3os-full.json"
    first = rule_problems(spec, "b3os-full.json", True, store)
    assert first, "b3os-full breaks some rules: their problems are what is kept"
    seen = ValidatorCalls(monkeypatch)
    assert rule_problems(spec, "b3os-full.json", True, store) == first
    assert (seen.wholes, seen.parts) == (0, [])
    # Shown under another name, or in the other mode, the problems read differently: checked anew.
    strict = rule_problems(spec, "b3os-full.json", False, store)
    assert [p.severity for p in strict] != [p.severity for p in first]
    assert seen.wholes == 1


def test_entries_that_are_not_whole_are_checked_anew(primed: tuple[Path, ModelStore], skyvern: Document) -> None:
    spec, store = primed
    for entry in store.directory.glob("??/*"):
        entry.write_text("not what was kept", encoding="utf-8")
    _schema_type_unknown(skyvern)
    _write(spec, skyvern)
    assert _checked_both_ways(spec, store)


def test_the_langgraph_history_gets_the_problems_of_whole_checks(tmp_path: Path) -> None:
    """Thirty published versions in order, one store: every version's problems are those of a whole check."""
    store = ModelStore(tmp_path / "store", "salt")
    versions = sorted((SHARED / "history" / "langgraph").glob("*.json"))
    assert len(versions) == 30
    spec = tmp_path / "langgraph.json"
    found = set()
    for version in versions:
        spec.write_bytes(version.read_bytes())
        found.add(len(_checked_both_ways(spec, store)))
    assert len(found) > 1, "the history's versions break the rules in different numbers"


def test_keys_follow_references_and_nothing_else(skyvern: Document) -> None:
    before = rule_units.plan(skyvern)
    assert before is not None
    changed = copy.deepcopy(skyvern)
    CHANGES[0](changed)  # a property of BulkCancelRunsRequest
    after = rule_units.plan(changed)
    assert after is not None
    moved = {unit for unit in before.keys if before.keys[unit] != after.keys[unit]}
    assert "/components/schemas/BulkCancelRunsRequest" in moved
    assert "/paths/~1v1~1runs~1cancel" in moved  # whose body is that schema
    assert "/paths/~1v1~1runs~1{run_id}" not in moved
    assert "" not in moved  # the frame: info, tags, servers...


@pytest.mark.parametrize(
    "reference",
    [
        {"$ref": "other.yaml#/components/schemas/A"},
        {"$ref": "#anchor"},
        {"$id": "https://example.com/a", "type": "object"},
        {"$ref": 3},
    ],
)
def test_references_not_followed_by_their_text_mean_a_whole_check(reference: Document) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": {"A": {"type": "object", "properties": {"b": reference}}}}
    assert rule_units.plan(document) is None
    assert rule_units.plan({**document, "components": {"schemas": {"A": {"type": "string"}}}}) is not None


_ROOT_SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /runs:
    get:
      operationId: list_runs
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/Run'}
"""


def test_a_spec_of_several_files_is_checked_again_when_any_of_them_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ModelStore(tmp_path / "store", "salt")
    spec = tmp_path / "api.yaml"
    spec.write_text(_ROOT_SPEC, encoding="utf-8")
    (tmp_path / "schemas.yaml").write_text("Run: {type: object, default: {}}\n", encoding="utf-8")
    assert rule_problems(spec, "api.yaml", True, store) == []
    seen = ValidatorCalls(monkeypatch)
    assert rule_problems(spec, "api.yaml", True, store) == []
    assert seen.wholes == 0  # neither file changed
    # Only the referenced file changes, and breaks a rule there: the kept verdict is not used.
    (tmp_path / "schemas.yaml").write_text("Run: {type: object, default: 3}\n", encoding="utf-8")
    found = rule_problems(spec, "api.yaml", True, store)
    assert seen.wholes == 1
    assert found == rule_problems(spec, "api.yaml", True) != []


def test_kept_verdicts_depend_on_the_checking_libraries() -> None:
    """A new validator may judge differently: the store's salt names the versions of every checking library."""
    from generator import manifest

    salt = manifest.store_salt()
    assert all(f"{name}=" in salt for name in manifest.CHECKING)
    assert "openapi-spec-validator=missing" not in salt
