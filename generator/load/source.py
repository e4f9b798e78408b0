"""Reading one YAML or JSON file into plain data, remembering the line of every node.

YAML (:mod:`generator.load.yaml_source`) is imported only for a YAML file, or when
a problem in a JSON file needs a line: a run over JSON specs that finds none never
pays for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.load import pointer as jp
from generator.load.problem import Diagnostics, Location


@dataclass
class SourceFile:
    """One parsed input file: its data and a way back from a JSON pointer to a line."""

    path: Path
    display: str
    text: str
    data: Any
    _lines: dict[str, int] | None = field(default=None, repr=False)

    def line_of(self, pointer: str) -> int | None:
        """The 1-based line of the node at ``pointer``, or of its nearest known ancestor."""
        lines = self._line_index
        tokens = jp.split(pointer) if pointer else []
        while True:
            found = lines.get(jp.from_tokens(tokens))
            if found is not None or not tokens:
                return found
            tokens.pop()

    def locate(self, pointer: str) -> Location:
        """A :class:`Location` for a pointer into this file."""
        return Location(self.display, pointer, self.line_of(pointer))

    @cached_property
    def _line_index(self) -> dict[str, int]:
        if self._lines is not None:
            return self._lines
        # JSON is parsed by the fast json module; lines are only worked out when a
        # problem needs one, by composing the same text as YAML (a superset of JSON).
        from generator.load.yaml_source import line_index

        return line_index(self.text, self.display)


def read_source(path: Path, display: str, diagnostics: Diagnostics) -> SourceFile | None:
    """Parse ``path`` as JSON (by suffix) or YAML; on failure record why and return None."""
    where = Location(display)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        diagnostics.error(where, "file not found")
        return None
    except IsADirectoryError:
        diagnostics.error(where, "is a directory, not a spec file")
        return None
    except OSError as exc:
        diagnostics.error(where, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(where, f"not UTF-8 text (byte {exc.start})")
        return None
    if path.suffix.lower() == ".json":
        return _read_json(path, display, text, diagnostics)
    from generator.load.yaml_source import read_yaml

    read = read_yaml(display, text, diagnostics)
    return None if read is None else SourceFile(path, display, text, *read)


def _read_json(path: Path, display: str, text: str, diagnostics: Diagnostics) -> SourceFile | None:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        diagnostics.error(Location(display, line=exc.lineno), f"JSON syntax error: {exc.msg} (column {exc.colno})")
        return None
    source = SourceFile(path, display, text, data)
    for key in sorted(set(duplicates)):
        diagnostics.invalid(Location(display), f"duplicate key {key!r}: the last one wins")
    return source
