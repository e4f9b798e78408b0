"""Checking a document against the OpenAPI rules with openapi-spec-validator.

The library reports many problems relative to the schema it was checking, not to
the document; the keyword validators are wrapped here so each problem carries
the path it was found at, which :class:`SpecFiles` turns into a file and line.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError, UnresolvableParameterError

from generator.load import meta_check
from generator.load import pointer as jp
from generator.load.problem import Diagnostics, Kind
from generator.load.refs import SpecFiles

_MAX_MESSAGE = 240
_LOCATED_KEYWORDS = ("schema", "operation", "parameters", "parameter", "default", "tags", "response", "mediaType")
# The library says which name these are about only in its message.
_PATH_PARAMETER = re.compile(r"Path parameter '([^']*)'")
_OPERATION_ID = re.compile(r"Operation ID '([^']*)'")
_REQUIRED = re.compile(r"""^(['"])(.*)\1 is a required property""")
# The library picks its JSON Schema engine by what is installed unless told: jsonschema-rs (a dependency
# of ours) is three times faster on large specs, and naming it keeps the problems' wording the same on
# every machine (the pure-Python engine quotes and orders some messages differently).
_BACKEND_SETTING = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
_BACKEND = "jsonschema-rs"


def validate_openapi(files: SpecFiles, diagnostics: Diagnostics) -> None:
    """Record every OpenAPI rule the root document breaks (as ``invalid`` problems)."""
    document = files.root.data
    version = str(document.get("openapi", ""))
    validator_class = _validator_for(version)
    if validator_class is None:
        return
    validator = validator_class(document, base_uri=files.root.path.as_uri())
    with _backend_chosen():
        _record(validator.iter_errors(), files, diagnostics, version)


def breaks_rules(document: dict[str, Any], base_uri: str) -> bool:
    """Whether ``document`` breaks any OpenAPI rule :func:`validate_openapi` would report (stops at the first)."""
    validator_class = _validator_for(str(document.get("openapi", "")))
    if validator_class is None:
        return False
    with _backend_chosen():
        try:
            return next(validator_class(document, base_uri=base_uri).iter_errors(), None) is not None
        except Exception:  # noqa: BLE001 - where the library fails, the whole check says how
            return True


@contextlib.contextmanager
def _backend_chosen() -> Iterator[None]:
    chosen = os.environ.get(_BACKEND_SETTING)
    # The library reads the setting when it first makes its schema validator, on the first check in a
    # process (the rule checks' own child, as a rule): set for as long as that may take.
    os.environ[_BACKEND_SETTING] = _BACKEND
    try:
        yield
    finally:
        if chosen is None:
            del os.environ[_BACKEND_SETTING]
        else:
            os.environ[_BACKEND_SETTING] = chosen


def _record(errors: Iterator[ValidationError], files: SpecFiles, diagnostics: Diagnostics, version: str) -> None:
    while True:
        try:
            error = next(errors)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - the library fails on some broken specs; say so and go on
            diagnostics.invalid(files.root.locate(""), f"OpenAPI validation stopped early: {_shorten(str(exc))}")
            return
        node = files.follow_logical(_error_path(error))
        kind, subject = _fact(error)
        message = f"not valid OpenAPI {version}: {_describe(error)}"
        diagnostics.invalid(node.location, message, kind=kind, subject=subject, echo=bool(kind))


def _fact(error: ValidationError) -> tuple[str, str]:
    """The kind and subject of a finding that normalising reports too, in its own words; else empty.

    With them, :func:`generator.load.report.once` keeps one report of the fact.
    """
    message = _first_line(error.message)
    if isinstance(error, UnresolvableParameterError) and (found := _PATH_PARAMETER.match(message)):
        return Kind.UNDECLARED_PATH_PARAMETER, found.group(1)
    if isinstance(error, DuplicateOperationIDError) and (found := _OPERATION_ID.match(message)):
        return Kind.DUPLICATE_OPERATION_ID, found.group(1)
    deepest = max(error.context, key=lambda e: len(e.absolute_path)) if error.context else error
    # The library re-raises some schema errors without their keyword: the wording is what is left.
    if found := _REQUIRED.match(_first_line(deepest.message)):
        return Kind.MISSING_FIELD, found.group(2)
    path = list(deepest.absolute_path)
    if deepest.validator == "enum" and path and path[-1] == "type" and isinstance(deepest.instance, str):
        return Kind.UNKNOWN_TYPE, deepest.instance
    return "", ""


def _validator_for(version: str) -> type[Any] | None:
    if version.startswith("3.0"):
        base: type[Any] = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        base = OpenAPIV31SpecValidator
    elif version.startswith("3.2"):
        base = OpenAPIV32SpecValidator
    else:
        return None
    keywords = dict(base.keyword_validators)
    keywords["schema"] = _checking_faster(keywords["schema"])
    for keyword in _LOCATED_KEYWORDS:
        if keyword in keywords:
            keywords[keyword] = _locating(keywords[keyword])
    return type(f"Locating{base.__name__}", (base,), {"keyword_validators": keywords})


def _checking_faster(keyword_class: type[Any]) -> type[Any]:
    """The schema keyword validator with the faster meta-schema check and seen-lists of :mod:`meta_check`."""
    original_init: Callable[..., None] = keyword_class.__init__
    original_checker: Callable[..., Callable[[Any], None]] = keyword_class._get_schema_checker

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.visited_schema_ids = meta_check.SeenIds()
        self.meta_checked_schema_ids = meta_check.SeenIds()

    def _get_schema_checker(self: Any, *args: Any, **kwargs: Any) -> Callable[[Any], None]:
        return meta_check.faster(original_checker(self, *args, **kwargs))

    members = {"__init__": __init__, "_get_schema_checker": _get_schema_checker}
    return type(keyword_class.__name__, (keyword_class,), members)


def _locating(keyword_class: type[Any]) -> type[Any]:
    """Wrap a keyword validator so its errors remember the document path it was checking."""
    original: Callable[..., Iterator[ValidationError]] = keyword_class.__call__

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        parts = next((tuple(a.parts) for a in args if hasattr(a, "parts")), None)
        for error in original(self, *args, **kwargs):
            if parts is not None and not hasattr(error, "spec_parts"):
                error.spec_parts = parts  # type: ignore[attr-defined]  # remembered for locating the error
            yield error

    return type(keyword_class.__name__, (keyword_class,), {"__call__": __call__})


def _error_path(error: ValidationError) -> list[str]:
    base = [str(p) for p in getattr(error, "spec_parts", ())]
    return base + [str(p) for p in error.absolute_path]


def _describe(error: ValidationError) -> str:
    """A short message: the deepest sub-error for 'any of'/'one of' failures, no huge reprs."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        where = jp.from_tokens(str(p) for p in deepest.relative_path)
        suffix = f" (at #{where} in the failing branch)" if where else ""
        return _shorten(f"{_first_line(error.message).split(' is not ')[0]} is not valid: {deepest.message}{suffix}")
    return _shorten(_first_line(error.message))


def _first_line(message: str) -> str:
    # Some findings carry the failing schema and instance after the first line: the location says enough.
    return message.strip().splitlines()[0] if message.strip() else message


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."
