"""Loading a spec: read its files, resolve references, check the OpenAPI rules."""

from __future__ import annotations

from pathlib import Path

from generator.load.problem import Diagnostics, Location
from generator.load.refs import Node, SpecFiles
from generator.load.source import read_source
from generator.load.spec_validation import validate_openapi

__all__ = ["Node", "SpecFiles", "load_spec"]


def load_spec(path: Path, diagnostics: Diagnostics, display: str | None = None) -> SpecFiles | None:
    """Load the spec at ``path`` and every file it references.

    Problems go to ``diagnostics``; None is returned when the input is too
    broken to build anything from (the reasons are in ``diagnostics``).
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
    if len(diagnostics.errors()) == errors_before or diagnostics.lenient:
        validate_openapi(files, diagnostics)
    return files
