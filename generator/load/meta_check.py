"""The check of each schema against its dialect's meta-schema, in jsonschema-rs first.

openapi-spec-validator checks every schema object of a spec against the meta-schema
of its JSON Schema dialect with the pure-Python ``jsonschema``: four fifths of its
time on a large spec (1.7 ms for a bare ``$ref`` under the OpenAPI 3.1 dialect).
Here the same meta-schema, with the same registry of OpenAPI resources and the same
format checks, is compiled once into jsonschema-rs. A schema it finds valid is
valid; one it does not goes on to the library's own check, so a problem is found
and worded exactly as before. jsonschema-rs asserts some formats the library only
annotates (``uri-reference``, say): stricter, so such a schema just takes the slow
way. ``tests/test_meta_check.py`` holds the two to agreement on every schema of the
corpus and history and on broken ones.

The library keeps the schemas it has seen in lists; their membership tests made
its walk quadratic in the number of schemas. :class:`SeenIds` answers them from a set.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, SupportsIndex

import jsonschema_rs
from jsonschema import FormatChecker
from openapi_schema_validator import validators as oas_validators
from openapi_schema_validator._specifications import REGISTRY

_Checker = Callable[[Any], None]


class SeenIds(list[int]):
    """The library's list of schema ids, with membership answered from a set."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        super().__init__(ids)
        self._members = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def append(self, item: int) -> None:
        """Add ``item`` (the library only appends)."""
        super().append(item)
        self._members.add(item)

    def insert(self, index: SupportsIndex, item: int) -> None:  # pragma: no cover - the library never inserts
        """Refused: only appending keeps the set right."""
        raise NotImplementedError("SeenIds only appends")


def faster(checker: _Checker) -> _Checker:
    """``checker`` (the library's meta-schema check of one schema), answered by jsonschema-rs when it can."""
    valid = mirror(checker)
    if valid is None:
        return checker

    def check(schema: Any) -> None:
        if not valid(schema):
            checker(schema)  # the library finds (and words) the problem

    return check


def mirror(checker: _Checker) -> Callable[[Any], bool] | None:
    """Whether a schema passes ``checker``'s meta-schema, asked of jsonschema-rs; None when it cannot be mirrored.

    Only the OpenAPI validators' own check (one meta-schema, the library's registry, a format checker) is.
    """
    keywords: dict[str, Any] = {}
    function: Any = checker
    if isinstance(checker, functools.partial):
        keywords, function = dict(checker.keywords), checker.func
    cls = getattr(function, "__self__", None)
    if not isinstance(cls, type) or getattr(function, "__func__", None) is not oas_validators.check_openapi_schema:
        return None
    formats = keywords.pop("format_checker", getattr(cls, "FORMAT_CHECKER", None))
    if keywords or (isinstance(checker, functools.partial) and checker.args) or not isinstance(formats, FormatChecker):
        return None
    valid: Callable[[Any], bool] = _compile(cls, formats).is_valid
    return valid


@functools.cache
def _compile(cls: type[Any], formats: FormatChecker) -> Any:
    checks: dict[str, Callable[..., bool]] = {
        name: functools.partial(formats.conforms, format=name) for name in formats.checkers
    }
    return jsonschema_rs.validator_for(
        cls.META_SCHEMA,
        registry=_registry(),
        validate_formats=True,
        formats=checks,
    )


@functools.cache
def _registry() -> Any:
    # The OpenAPI dialects and vocabularies; jsonschema-rs has the JSON Schema drafts' own built in.
    resources = [(uri, REGISTRY.contents(uri)) for uri in REGISTRY if "openapis.org" in uri]
    return jsonschema_rs.Registry(resources=resources)
