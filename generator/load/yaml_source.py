"""YAML text into plain data, with the line of every node: for YAML specs, and for lines in JSON ones."""

from __future__ import annotations

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


def read_yaml(display: str, text: str, diagnostics: Diagnostics) -> tuple[Any, dict[str, int]] | None:
    """The data of ``text`` and the line of each of its nodes by JSON pointer; None (and why) if it is no YAML."""
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
    return data, lines


def line_index(text: str, display: str) -> dict[str, int]:
    """The line of each node of ``text`` (JSON, read as the YAML it also is) by JSON pointer; none if unreadable."""
    try:
        node = yaml.compose(text, Loader=_SpecLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    if node is not None:
        _build(node, "", lines, None, display)
    return lines


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
