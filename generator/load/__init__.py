"""Loading a spec: read its files, resolve references, check the OpenAPI rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.load.problem import Diagnostics, Location, Problem
from generator.load.refs import Node, SpecFiles
from generator.load.rule_memory import TextStore, remembered_problems
from generator.load.source import read_source

__all__ = ["Node", "SpecFiles", "load_spec", "rule_problems"]


def load_spec(
    path: Path,
    diagnostics: Diagnostics,
    display: str | None = None,
    *,
    check_rules: bool = True,
    verdicts: TextStore | None = None,
) -> SpecFiles | None:
    """Load the spec at ``path`` and every file it references.

    Problems go to ``diagnostics``; None is returned when the input is too
    broken to build anything from (the reasons are in ``diagnostics``).
    With ``check_rules`` False the OpenAPI rules are left to the caller
    (see :func:`rule_problems`), and the validator is not even imported.
    With ``verdicts``, the rules are checked only where earlier runs did not
    (see :mod:`generator.load.rule_memory`); the problems are the same.
    """
    shown = display if display is not None else str(path)
    source = read_source(path.resolve(), shown, diagnostics)
    if source is None:
        return None
    document = source.data
    where = Location(shown, "", 1)
    if not isinstance(document, dict):
        kind = "empty" if document is None else f"a {type(document).__name__}"
        diagnostics.error(where, f"not an OpenAPI document: the file is {kind}, not a mapping")
        return None
    version = document.get("openapi")
    if version is None:
        if "swagger" in document:
            diagnostics.error(source.locate("/swagger"), "Swagger 2.0 is not supported: convert the spec to OpenAPI 3")
        else:
            diagnostics.error(where, "not an OpenAPI document: no 'openapi' version field at the top")
        return None
    if not isinstance(version, str) or not version.startswith("3."):
        diagnostics.error(
            source.locate("/openapi"), f"unsupported OpenAPI version {version!r}: expected 3.0, 3.1 or 3.2"
        )
        return None
    errors_before = len(diagnostics.errors())
    files = SpecFiles(source, diagnostics)
    if check_rules and (len(diagnostics.errors()) == errors_before or diagnostics.lenient):
        diagnostics.problems.extend(_rule_problems_of(files, diagnostics.lenient, verdicts))
    return files


def rule_problems(path: Path, display: str, lenient: bool, store: TextStore | None = None) -> list[Problem]:
    """The problems checking the OpenAPI rules adds to loading the spec at ``path``, and only those.

    ``load_spec(..., check_rules=False)`` plus these is ``load_spec(...)``. With a ``store``, what
    earlier runs found is used where the spec did not change (see :mod:`generator.load.rule_memory`).
    """
    loading = Diagnostics(lenient=lenient)
    files = load_spec(path, loading, display, check_rules=False)
    if files is None or (loading.has_errors and not lenient):
        return []
    return _rule_problems_of(files, lenient, store)


def _rule_problems_of(files: SpecFiles, lenient: bool, store: TextStore | None) -> list[Problem]:
    if store is None:
        return _checked(files, lenient)
    return remembered_problems(
        files, lenient, store, lambda: _checked(files, lenient), lambda part: _breaks_rules(files, part)
    )


def _checked(files: SpecFiles, lenient: bool) -> list[Problem]:
    from generator.load.spec_validation import validate_openapi  # the validator is slow to import

    checking = Diagnostics(lenient=lenient)
    validate_openapi(files, checking)
    return checking.problems


def _breaks_rules(files: SpecFiles, part: dict[str, Any]) -> bool:
    from generator.load.spec_validation import breaks_rules

    return breaks_rules(part, files.root.path.as_uri())
