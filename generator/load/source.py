"""Reading one YAML or JSON file into plain data, remembering the line of every node."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.load import pointer as jp
from generator.load.problem import Diagnostics, Location

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loading without YAML 1.1's date guessing: specs are JSON data."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


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
        try:
            node = yaml.compose(self.text, Loader=_SpecLoader)
        except yaml.YAMLError:
            return {}
        lines: dict[str, int] = {}
        if node is not None:
            _build(node, "", lines, None, self.display)
        return lines


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
    return _read_yaml(path, display, text, diagnostics)


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


def _read_yaml(path: Path, display: str, text: str, diagnostics: Diagnostics) -> SourceFile | None:
    try:
        node = yaml.compose(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = f" (column {mark.column + 1})" if mark is not None else ""
        detail = exc.problem or exc.context or "invalid YAML"
        diagnostics.error(Location(display, line=line), f"YAML syntax error: {detail}{column}")
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(Location(display), f"YAML error: {exc}")
        return None
    lines: dict[str, int] = {}
    data = None if node is None else _build(node, "", lines, diagnostics, display)
    return SourceFile(path, display, text, data, lines)


def _build(
    node: yaml.Node,
    pointer: str,
    lines: dict[str, int],
    diagnostics: Diagnostics | None,
    display: str,
) -> Any:
    """Turn a composed YAML node into plain data, recording the line of each node."""
    lines.setdefault(pointer, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # Mapping keys are names in OpenAPI; `200:` unquoted is still the key "200".
            key = str(key_node.value)
            child = jp.join(pointer, key)
            if key in result and diagnostics is not None:
                diagnostics.invalid(
                    Location(display, child, key_node.start_mark.line + 1),
                    f"duplicate key {key!r}: the last one wins",
                )
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, lines, diagnostics, display)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, jp.join(pointer, i), lines, diagnostics, display) for i, item in enumerate(node.value)]
    return _CONSTRUCTOR.construct_object(node, deep=True)
