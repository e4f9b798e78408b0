"""The adapter around datamodel-code-generator: its shortcut past the library's uniqueItems search."""

from __future__ import annotations

from typing import Any

import pytest
from datamodel_code_generator.parser.jsonschema import JsonSchemaParser

from generator import pipeline
from generator.generation import Target
from generator.render import model_parts, pydantic_models
from generator.render.model_bridge import Side, plan_models
from tests.conftest import CORPUS


def _parts(spec_name: str) -> list[tuple[dict[str, Any], Side]]:
    spec = CORPUS / spec_name
    built = pipeline.build(Target(spec.stem, spec, str(spec)), True, check_rules=False)
    assert built.api is not None
    plan = plan_models(built.api)
    return [
        (part, side)
        for document, side in ((plan.requests, Side.REQUEST), (plan.responses, Side.RESPONSE))
        for part in model_parts.split(document)
    ]


@pytest.mark.parametrize("spec_name", ["skyvern-full.json", "langgraph-full.json", "b3os-full.json"])
def test_skipping_the_unique_items_search_changes_no_part_of_a_corpus_spec(
    spec_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = [(part, side) for part, side in _parts(spec_name) if not pydantic_models.says_unique_items(part)]
    assert parts, "some parts of every corpus spec say nothing of uniqueItems"
    quick = [pydantic_models.generate_models(part, side, "pkg") for part, side in parts]
    monkeypatch.setattr(pydantic_models, "says_unique_items", lambda document: True)
    searched = [pydantic_models.generate_models(part, side, "pkg") for part, side in parts]
    assert quick == searched


def _document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "0"}, "paths": {}, "components": {"schemas": schemas}}


UNIQUE_IN_A_BRANCH = _document(
    {
        "Tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "Holder": {
            "type": "object",
            "properties": {"tags": {"anyOf": [{"$ref": "#/components/schemas/Tags"}, {"type": "null"}]}},
        },
    }
)


def test_a_document_that_says_unique_items_is_searched_and_keeps_its_check(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[object] = []
    original = JsonSchemaParser._iter_unique_items_rules

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        searched.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(JsonSchemaParser, "_iter_unique_items_rules", spy)
    code = pydantic_models.generate_models(UNIQUE_IN_A_BRANCH, Side.RESPONSE, "pkg")
    assert searched, "the library searched for uniqueItems rules"
    assert JsonSchemaParser._iter_unique_items_rules is spy, "the library's search is left as it was"
    # The search matters here: skipping it would lose the holder's check that its tags are unique.
    monkeypatch.setattr(pydantic_models, "says_unique_items", lambda document: False)
    skipped = pydantic_models.generate_models(UNIQUE_IN_A_BRANCH, Side.RESPONSE, "pkg")
    assert code is not None and skipped is not None
    holder = code[code.index("class Holder") :]
    assert "__json_schema_unique_items__" in holder
    assert "__json_schema_unique_items__" not in skipped[skipped.index("class Holder") :]


def test_a_document_without_unique_items_never_runs_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    # Also fails when a new release of the library renames the search: the shortcut would silently stop.
    assert "_iter_unique_items_rules" in vars(JsonSchemaParser)
    searched: list[object] = []

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        searched.append(args)
        return iter(())

    monkeypatch.setattr(JsonSchemaParser, "_iter_unique_items_rules", spy)
    plain = _document({"Holder": {"type": "object", "properties": {"n": {"anyOf": [{"type": "integer"}]}}}})
    assert pydantic_models.generate_models(plain, Side.RESPONSE, "pkg") is not None
    assert not searched
    assert JsonSchemaParser._iter_unique_items_rules is spy


def test_says_unique_items_looks_at_every_depth() -> None:
    assert pydantic_models.says_unique_items(UNIQUE_IN_A_BRANCH)
    assert pydantic_models.says_unique_items({"a": [{"b": {"uniqueItems": False}}]})
    assert not pydantic_models.says_unique_items({"a": [{"b": {"unique": True}}], "c": "uniqueItems"})
