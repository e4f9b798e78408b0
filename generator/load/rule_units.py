"""A spec cut into the units the OpenAPI rules judge apart, each with a key of everything its verdict reads.

The rules a document may break are local to the place they are broken, with
one exception: an operationId used twice (see :func:`repeats_operation_id`).
Every path item, every named component and every webhook is a *unit*; what is
left (``openapi``, ``info``, ``tags``, ...) is one more, the *frame*. A unit's
verdict reads its own content, the frame's version and dialect, and every unit
its ``$ref``\\ s reach, directly or not: its key is a digest of those. So a
document whose units all have keys an earlier run found clean breaks no rule
(but the exception): :mod:`generator.load.rule_memory` checks only the rest.

Where references cannot be followed by their text (other files, ``$id``,
anchors, a ``$ref`` that is not a string), :func:`plan` gives up: then the
whole document is checked.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import orjson

from generator.load import pointer as jp

FRAME = ""
# Sections whose entries are units: each entry is judged on its own.
_PATHS = (("paths",), ("webhooks",))
# A "$ref" as orjson writes it (no spaces): its string value, escapes and all.
_REF = re.compile(rb'"\$ref":"((?:[^"\\]|\\.)*)"')
# Keys that move where a "$ref" leads, or name a place by other means than a pointer.
_MOVERS = (b'"$id":', b'"$anchor":', b'"$dynamicAnchor":', b'"$dynamicRef":', b'"$recursiveRef":')
_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class RulePlan:
    """The units of one document (by JSON pointer, the frame ``""``), their keys and references."""

    document: dict[str, Any]
    keys: dict[str, str]
    refers: dict[str, frozenset[str]]

    def unknown(self, clean: set[str]) -> list[str]:
        """The units whose keys are not among ``clean``, in document order."""
        return [unit for unit, key in self.keys.items() if key not in clean]

    def part(self, units: Iterable[str]) -> dict[str, Any]:
        """The document with only ``units``, what they reach, and the frame: what checking ``units`` needs."""
        wanted = _reach(set(units) | {FRAME}, self.refers)
        part = _frame(self.document)
        for unit in self.keys:
            if unit in wanted and unit != FRAME:
                section, name = _place(unit)
                _section(part, section)[name] = _section(self.document, section)[name]
        return part


def plan(document: dict[str, Any]) -> RulePlan | None:
    """The units of ``document`` with their keys; None when its references cannot be followed by their text."""
    version = json.dumps([document.get("openapi"), document.get("jsonSchemaDialect")], default=repr)
    units = {FRAME: _frame(document)}
    for section in _sections(document):
        for name, value in _section(document, section).items():
            if not isinstance(name, str):
                return None
            units[jp.join("", *section, name)] = value
    texts: dict[str, bytes] = {}
    refers: dict[str, frozenset[str]] = {}
    for unit, value in units.items():
        try:
            text = orjson.dumps(value)
        except TypeError:  # keys that are not strings (YAML's unquoted numbers), or values JSON has not
            return None
        targets = _targets(text, units)
        if targets is None:
            return None
        texts[unit] = text
        refers[unit] = targets
    own = {unit: hashlib.blake2b(text, digest_size=20).hexdigest() for unit, text in texts.items()}
    keys = {}
    for unit in units:
        reached = sorted(f"{u}={own[u]}" for u in _reach({unit}, refers) - {unit})
        keys[unit] = _digest([version, unit, own[unit], *reached])
    return RulePlan(document, keys, refers)


def repeats_operation_id(document: dict[str, Any]) -> bool | None:
    """Whether two operations share an operationId; None when the paths are not plain enough to tell."""
    seen: set[str] = set()
    three_two = str(document.get("openapi", "")).startswith("3.2")
    for item in _section(document, ("paths",)).values():  # the validator counts ids under paths only
        if not isinstance(item, dict) or "$ref" in item:
            return None
        operations = [item.get(method) for method in _OPERATIONS if method in item]
        if three_two:
            operations += [item.get("query")] if "query" in item else []
            extra = item.get("additionalOperations", {})
            operations += list(extra.values()) if isinstance(extra, dict) else [None]
        for operation in operations:
            if not isinstance(operation, dict):
                return None
            found = operation.get("operationId")
            if found is None:
                continue
            if not isinstance(found, str):
                return None
            if found in seen:
                return True
            seen.add(found)
    return False


def _sections(document: dict[str, Any]) -> list[tuple[str, ...]]:
    sections: list[tuple[str, ...]] = [s for s in _PATHS if isinstance(document.get(s[0]), dict)]
    components = document.get("components")
    if isinstance(components, dict):
        sections += [("components", name) for name, value in components.items() if isinstance(value, dict)]
    return sections


def _section(document: dict[str, Any], section: tuple[str, ...]) -> dict[str, Any]:
    value: Any = document
    for token in section:
        value = value.get(token, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, dict) else {}


def _frame(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every unit's section emptied (the sections themselves stay, in their places)."""
    frame = dict(document)
    for (section,) in _PATHS:
        if isinstance(frame.get(section), dict):
            frame[section] = {}
    components = frame.get("components")
    if isinstance(components, dict):
        frame["components"] = {k: {} if isinstance(v, dict) else v for k, v in components.items()}
    return frame


def _place(unit: str) -> tuple[tuple[str, ...], str]:
    """The section and name of a unit's pointer."""
    tokens = jp.split(unit)
    return tuple(tokens[:-1]), tokens[-1]


def _targets(text: bytes, units: dict[str, Any]) -> frozenset[str] | None:
    """The units the references in ``text`` lead into; None when one cannot be followed by its text."""
    if any(mover in text for mover in _MOVERS):
        return None
    found = _REF.findall(text)
    if len(found) != text.count(b'"$ref":'):
        return None  # a "$ref" whose value is not a string
    targets = set()
    for raw in found:
        ref: str = json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode("utf-8")
        if ref != "#" and not ref.startswith("#/"):
            return None  # another file, or an anchor
        targets.add(_unit_of(unquote(ref[1:]), units))
    return frozenset(targets)


def _unit_of(pointer: str, units: dict[str, Any]) -> str:
    """The unit holding the node at ``pointer`` (the frame when no unit does)."""
    tokens = jp.split(pointer)
    for length in (2, 3):  # paths/<name>, components/<section>/<name>
        unit = jp.from_tokens(tokens[:length])
        if len(tokens) >= length and unit in units:
            return unit
    return FRAME


def _reach(start: set[str], refers: dict[str, frozenset[str]]) -> set[str]:
    reached = set(start)
    pending = list(start)
    while pending:
        for target in refers.get(pending.pop(), ()):
            if target not in reached:
                reached.add(target)
                pending.append(target)
    return reached


def _digest(pieces: list[str]) -> str:
    return hashlib.sha256("\0".join(pieces).encode("utf-8")).hexdigest()
