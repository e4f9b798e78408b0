"""The meta-schema check in jsonschema-rs says what openapi-spec-validator's own says.

:mod:`generator.load.meta_check` trusts jsonschema-rs when it finds a schema valid
and otherwise lets the library check (and word) it. That is only right if
jsonschema-rs never passes a schema the library refuses: checked here on every
schema the library checks in the corpus, on the same schemas broken in many ways,
and, end to end, on the problems of every spec of the history.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import SchemaError, ValidationError

from generator.load import meta_check, rule_problems
from tests.conftest import CORPUS, ROOT

HISTORY = ROOT.parent / "shared" / "history" / "langgraph"
_Checker = Callable[[Any], None]


def _checked(spec: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[_Checker, Any]]:
    """Every (library check, schema) pair that checking ``spec``'s rules meta-checks."""
    seen: list[tuple[_Checker, Any]] = []

    def recording(checker: _Checker) -> _Checker:
        def check(schema: Any) -> None:
            seen.append((checker, schema))
            checker(schema)

        return check

    with monkeypatch.context() as patch:
        patch.setattr(meta_check, "faster", recording)
        rule_problems(spec, spec.name, True)
    return seen


def _library_passes(checker: _Checker, schema: Any) -> bool:
    try:
        checker(schema)
    except (SchemaError, ValidationError):
        return False
    return True


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """``schema`` and every schema object nested in it."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("items", "not", "additionalProperties", "contains", "propertyNames"):
        yield from _subschemas(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for branch in schema.get(key) or []:
            yield from _subschemas(branch)
    for key in ("properties", "$defs", "patternProperties"):
        for sub in (schema.get(key) or {}).values():
            yield from _subschemas(sub)


# Ways to break one schema object: the keyword and a value the OpenAPI 3.1 dialect refuses
# (or, for the regular expressions, one that only one regex dialect accepts).
_BREAKS: tuple[tuple[str, Any], ...] = (
    ("type", "strin"),
    ("type", 5),
    ("type", ["string", "nope"]),
    ("required", "id"),
    ("required", [1]),
    ("properties", 5),
    ("properties", {"a": 5}),
    ("items", [{"type": "string"}]),
    ("minimum", "x"),
    ("maxLength", -1),
    ("enum", {}),
    ("$ref", 5),
    ("additionalProperties", "no"),
    ("format", 5),
    ("discriminator", {"propertyName": 5}),
    ("discriminator", {"mapping": {}}),
    ("xml", {"name": 5}),
    ("externalDocs", {"description": "no url"}),
    ("pattern", "("),
    ("pattern", "(?<name>x)"),
    ("pattern", "\\p{L}+"),
    ("pattern", "^[a-z]{2,}$"),
    ("allOf", []),
    ("anyOf", {"type": "string"}),
    ("oneOf", [5]),
    ("uniqueItems", "yes"),
    ("const", None),
    ("$defs", {"x": "y"}),
    ("dependentRequired", {"a": "b"}),
    ("unevaluatedProperties", 3),
)


def _broken_copies(schema: Any, rng: random.Random) -> Iterator[Any]:
    """Copies of ``schema``, each with one of its schema objects broken one way."""
    places = len(list(_subschemas(schema)))
    for keyword, value in _BREAKS:
        if not places:
            return
        broken = copy.deepcopy(schema)
        target = list(_subschemas(broken))[rng.randrange(places)]
        target[keyword] = copy.deepcopy(value)
        yield broken


@pytest.mark.parametrize("name", ["skyvern-full.json", "b3os-full.json", "langgraph-full.json"])
def test_jsonschema_rs_passes_no_schema_the_library_refuses(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = _checked(CORPUS / name, monkeypatch)
    assert len(checked) > 20
    rng = random.Random(name)  # noqa: S311 - a repeatable choice of places to break, not a secret
    for checker, schema in checked:
        mirrored = meta_check.mirror(checker)
        assert mirrored is not None, "the library's OpenAPI 3.1 check is mirrored"
        # The spec as published: any schema sent to the slow check costs time, and none should be.
        assert mirrored(schema) == _library_passes(checker, schema), json.dumps(schema)[:300]
    # Each break in a sample of the schemas (the library's check of a broken schema is the slow one).
    sample = rng.sample(checked, min(len(checked), 40))
    agreed = refused = 0
    for checker, schema in sample:
        mirrored = meta_check.mirror(checker)
        assert mirrored is not None
        for broken in _broken_copies(schema, rng):
            library = _library_passes(checker, broken)
            assert not (mirrored(broken) and not library), f"jsonschema-rs passes {json.dumps(broken)[:300]}"
            refused += not library
            agreed += mirrored(broken) == library
    # Most breaks are refused, and jsonschema-rs (stricter only on formats the library does not assert) agrees.
    assert refused > len(sample) * len(_BREAKS) // 2
    assert agreed == len(sample) * len(_BREAKS) - _fewer_places(sample)


def _fewer_places(checked: list[tuple[_Checker, Any]]) -> int:
    # A schema that is not an object (true, false) has no place to break.
    return sum(len(_BREAKS) for _, schema in checked if not isinstance(schema, dict))


@pytest.mark.parametrize("spec", sorted(HISTORY.glob("*.json")), ids=lambda p: p.name[:3])
def test_the_problems_of_each_history_spec_are_the_libraries_own(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = [str(p) for p in rule_problems(spec, spec.name, True)]
    with monkeypatch.context() as patch:
        patch.setattr(meta_check, "faster", lambda checker: checker)
        slow = [str(p) for p in rule_problems(spec, spec.name, True)]
    assert fast == slow


def test_broken_schemas_are_still_reported_in_the_libraries_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "broken.json"
    schemas = {
        "Run": {"type": "object", "properties": {"when": {"type": "date"}}},
        # Valid in the ECMA-262 dialect jsonschema-rs knows, not in Python's, which the library asserts.
        "Code": {"type": "string", "pattern": "(?<n>x)"},
    }
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": schemas}
    spec.write_text(json.dumps(document), encoding="utf-8")
    fast = [str(p) for p in rule_problems(spec, "broken.json", True)]
    with monkeypatch.context() as patch:
        patch.setattr(meta_check, "faster", lambda checker: checker)
        assert [str(p) for p in rule_problems(spec, "broken.json", True)] == fast
    assert len(fast) == 2, fast
    assert "#/components/schemas/Run/properties/when/type" in fast[0], fast
    assert "'(?<n>x)' is not a 'regex' [#/components/schemas/Code/pattern]" in fast[1], fast


def test_seen_ids_answer_membership_like_a_list() -> None:
    seen = meta_check.SeenIds([3])
    seen.append(7)
    assert 7 in seen and 3 in seen and 5 not in seen
    assert list(seen) == [3, 7]
