"""The schema diff's source surface is the generated client's: on every corpus spec and configured vendor.

The history tests check this on the LangGraph versions; these specs add what those lack: enums the
model generator writes as ``Literal`` types (no class), and classes it makes of constrained inline
schemas that no definition names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.load.problem import Diagnostics
from generator.specdiff.rules import Breakage, Finding, judge
from generator.specdiff.run import changes
from generator.specdiff.sides import load_side
from generator.specdiff.surface import surface
from tests.conftest import CORPUS, CORPUS_SPECS, VENDORS, vendor_api
from tests.surface_names import emitted_names, surface_names


@pytest.mark.parametrize("spec", sorted(CORPUS_SPECS.values()))
def test_the_surface_of_a_corpus_spec_is_what_generation_emits(spec: str) -> None:
    loaded = load_side(str(CORPUS / spec), spec.removesuffix(".json"), Diagnostics(lenient=True))
    assert loaded is not None
    assert surface_names(loaded.api) == emitted_names(loaded.api)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_surface_of_a_configured_vendor_is_what_generation_emits(vendor: str) -> None:
    api = vendor_api(vendor)
    assert surface_names(api) == emitted_names(api)


def test_an_enum_written_as_a_literal_is_no_class_and_its_values_are_the_arguments() -> None:
    loaded = load_side(str(CORPUS / "skyvern-full.json"), "skyvern", Diagnostics(lenient=True))
    assert loaded is not None
    found = surface(loaded.api)
    # RunEngine is an enum definition: the model generator writes it into each annotation as a Literal.
    assert "RunEngine" not in {cls.name for cls in found.classes}
    run_task = next(m for m in found.methods if m.name == "run_task_v1_run_tasks_post")
    engine = next(m for m in run_task.members if m.name == "engine")
    assert "'skyvern-2.0'" in engine.values


# --- what the diff now sees, and no longer invents, on Skyvern's spec ------------------------------------


def _source_findings(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> list[Finding]:
    old = CORPUS / "skyvern-full.json"
    document = json.loads(old.read_text(encoding="utf-8"))
    change(document)
    new = tmp_path / "skyvern-full.json"
    new.write_text(json.dumps(document), encoding="utf-8")
    sides = [load_side(str(path), "skyvern", Diagnostics(lenient=True)) for path in (old, new)]
    assert sides[0] is not None and sides[1] is not None
    return [f for f in judge(changes(sides[0].api, sides[1].api)) if f.kind is Breakage.SOURCE]


def test_an_enum_value_removed_breaks_the_arguments_typed_with_its_literal(tmp_path: Path) -> None:
    def drop_engine(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["RunEngine"]["enum"].remove("skyvern-1.0")

    removed = {f.before for f in _source_findings(tmp_path, drop_engine) if f.id.endswith("enum-member-removed")}
    assert "run_task_v1_run_tasks_post(engine) 'skyvern-1.0'" in removed


def test_a_renamed_enum_definition_is_no_renamed_class(tmp_path: Path) -> None:
    def rename_engine(document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        schemas["EngineKind"] = schemas.pop("RunEngine")
        text = json.dumps(document).replace('"#/components/schemas/RunEngine"', '"#/components/schemas/EngineKind"')
        document.clear()
        document.update(json.loads(text))

    # The annotations spell the same Literal: code written against the client does not change.
    assert _source_findings(tmp_path, rename_engine) == []


def test_a_class_made_of_an_inline_schema_is_followed_through_a_rename(tmp_path: Path) -> None:
    # The model generator names the class of the constrained inline schema of "timeout" after the property.
    def rename_timeout(document: dict[str, Any]) -> None:
        schema = document["components"]["schemas"]["CreateBrowserSessionRequest"]
        schema["properties"] = {
            ("session_timeout" if k == "timeout" else k): v for k, v in schema["properties"].items()
        }

    renamed = [(f.before, f.after) for f in _source_findings(tmp_path, rename_timeout) if f.id == "sdk-class-renamed"]
    assert renamed == [("Timeout", "SessionTimeout")]
