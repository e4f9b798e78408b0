"""JSON Schema (2020-12) inside the served OpenAPI document: checking values, and making valid ones.

Part of runcancel-generator's server runtime, copied unchanged into each generated server; do not edit.

The document is the server's own ``openapi.json``, which writes every schema the
way the generator understood it; checking against it is what makes a mock
exact, and generating from it is how an operation without a handler answers.
"""

from __future__ import annotations

import calendar
import random
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_BASE = "urn:openapi"
Issue = dict[str, Any]
"""One problem with a value, as FastAPI reports them: ``loc`` (where), ``msg`` (what), ``type`` (the rule)."""


def _format_check(pattern: str) -> Callable[[object], bool]:
    compiled = re.compile(pattern)

    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True  # a format says nothing about other types
        match = compiled.fullmatch(instance)
        if match is None:
            return False
        groups = match.groups()
        # Dated formats start with year, month and day: the calendar must have that day, which a pattern cannot say.
        if len(groups) >= 3 and all(g is not None and g.isdigit() for g in groups[:3]):
            year, month, day = (int(g) for g in groups[:3])
            return year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
        return True

    return check


class Schemas:
    """Validators for the schemas of one OpenAPI document, by JSON pointer, with the given formats asserted.

    ``formats`` maps a format name to the pattern a whole string must match; any
    other format is an annotation only, as the generator reads specs.
    """

    def __init__(self, document: Mapping[str, Any], formats: Mapping[str, str]) -> None:
        self.document = document
        resource: Resource[Any] = Resource.from_contents(dict(document), default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_BASE, resource)
        self._formats = FormatChecker(formats=())
        for name, pattern in formats.items():
            self._formats.checks(name)(_format_check(pattern))
        self._validators: dict[str, Draft202012Validator] = {}
        # The whole document as a root schema: a schema taken out of it resolves its "#/..." $refs against it.
        self._root = Draft202012Validator(dict(document), registry=self._registry, format_checker=self._formats)

    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``pointer`` (``/paths/...``), made once."""
        found = self._validators.get(pointer)
        if found is None:
            found = Draft202012Validator(
                {"$ref": f"{_BASE}#{pointer}"}, registry=self._registry, format_checker=self._formats
            )
            self._validators[pointer] = found
        return found

    def issues(self, pointer: str, value: Any, where: tuple[str, ...]) -> list[Issue]:
        """What is wrong with ``value`` for the schema at ``pointer``, each located under ``where``; [] if valid."""
        errors = sorted(self.validator(pointer).iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
        return [
            {"loc": [*where, *(str(p) for p in e.absolute_path)], "msg": _short(e.message), "type": str(e.validator)}
            for e in errors
        ]

    def is_valid(self, pointer: str, value: Any) -> bool:
        """Whether ``value`` matches the schema at ``pointer``."""
        return bool(self.validator(pointer).is_valid(value))

    def matches(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` matches ``schema``, a schema found inside the document."""
        return bool(self._root.evolve(schema=schema).is_valid(value))

    def resolve(self, schema: Any) -> Any:
        """The schema a local ``$ref`` points at (followed until there is none), or the schema itself."""
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 64:
            schema = follow(self.document, schema["$ref"].removeprefix("#"))
            seen += 1
        return schema


def _short(message: str, limit: int = 300) -> str:
    # jsonschema quotes whole instances in messages; a huge body must not become a huge error answer.
    return message if len(message) <= limit else message[: limit - 3] + "..."


def follow(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (``/a/b~1c``) inside ``document``; None where there is none."""
    value = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def pointer_to(*tokens: str | int) -> str:
    """A JSON pointer from its tokens, escaped."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


# --- making values ----------------------------------------------------------------

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_DEPTH = 6  # below this, objects hold only what they require and arrays nothing they need not
_ATTEMPTS = 8


class ValueMaker:
    """Plausible values valid against a schema of the document, the same for the same seed.

    Each value is built from the schema (examples, enums, formats, bounds,
    required properties, ``minItems``), then checked; a value the schema refuses
    (a ``oneOf`` matched twice, an odd pattern) is built again with other choices.
    """

    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas

    def value(self, pointer: str, seed: int) -> Any:
        """A value for the schema at ``pointer``; raises ``ValueError`` when none valid was found."""
        schema = follow(self.schemas.document, pointer)
        for attempt in range(_ATTEMPTS):
            candidate = _Build(self.schemas, random.Random(seed * 7919 + attempt), attempt).make(schema, 0, "")  # noqa: S311 - mock data, not secrets
            if self.schemas.is_valid(pointer, candidate):
                return candidate
        raise ValueError(f"no value valid against the schema at {pointer} was found")


class _Build:
    def __init__(self, schemas: Schemas, rng: random.Random, attempt: int) -> None:
        self.schemas = schemas
        self.rng = rng
        self.attempt = attempt

    def make(self, schema: Any, depth: int, hint: str) -> Any:
        schema = self.schemas.resolve(schema)
        if schema is True or not isinstance(schema, dict):
            return hint or "value"
        examples = schema.get("examples")
        if isinstance(examples, list) and examples and self.attempt == 0:
            return examples[0]
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            choices = [v for v in schema["enum"] if v is not None] or schema["enum"]
            return self.rng.choice(choices)
        if "default" in schema and self.attempt == 0 and schema["default"] is not None:
            return schema["default"]
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                return self._union(schema, keyword, branches, depth, hint)
        if isinstance(schema.get("allOf"), list):
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for branch in schema["allOf"]:
                branch = self.schemas.resolve(branch)
                if isinstance(branch, dict):
                    merged = {
                        **merged,
                        **branch,
                        "properties": {**merged.get("properties", {}), **branch.get("properties", {})},
                        "required": [*merged.get("required", []), *branch.get("required", [])],
                    }
            return self.make(merged, depth, hint)
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
        kinds = [k for k in kinds if k != "null"] or kinds
        chosen = kinds[0] if kinds else "object" if "properties" in schema else "array" if "items" in schema else ""
        if chosen == "object":
            return self._object(schema, depth)
        if chosen == "array":
            return self._array(schema, depth, hint)
        if chosen == "string":
            return self._string(schema, hint)
        if chosen == "integer":
            return int(self._number(schema, integer=True))
        if chosen == "number":
            return self._number(schema, integer=False)
        if chosen == "boolean":
            return self.rng.random() < 0.5
        if chosen == "null":
            return None
        return hint or "value"

    def _union(self, schema: dict[str, Any], keyword: str, branches: list[Any], depth: int, hint: str) -> Any:
        """A value of one branch; for ``oneOf``, one that no other branch matches (a property made odd if need be)."""
        # Branches that are not null first, in order on the first attempts, then drawn.
        ordered = sorted(branches, key=lambda b: self.schemas.resolve(b) == {"type": "null"})
        index = self.attempt if self.attempt < len(ordered) else self.rng.randrange(len(ordered))
        rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        branch = self.schemas.resolve(ordered[index])
        merged = {**rest, **branch} if isinstance(branch, dict) else branch
        value = self.make(merged, depth, hint)
        others = [b for i, b in enumerate(ordered) if i != index]
        if keyword != "oneOf" or not any(self.schemas.matches(b, value) for b in others) or not isinstance(value, dict):
            return value
        # Another branch takes the value too: give it a property that branch refuses and this one allows.
        for other in others:
            declared = self.schemas.resolve(other)
            names = list(declared.get("properties", {})) if isinstance(declared, dict) else []
            for name in names:
                odd: Any
                for odd in ({"unexpected": True}, [], 0, "x", False):
                    trial = {**value, name: odd}
                    if self.schemas.matches(merged, trial) and not any(self.schemas.matches(b, trial) for b in others):
                        return trial
        return value

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        declared = schema.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        required = [n for n in schema.get("required", []) if isinstance(n, str)]
        result: dict[str, Any] = {}
        for name in [*required, *(n for n in properties if n not in required)]:
            if name not in required and (depth >= _DEPTH or (self.attempt > 2 and self.rng.random() < 0.5)):
                continue
            result[name] = self.make(properties.get(name, {}), depth + 1, name)
        extra = schema.get("additionalProperties", True)
        wanted = _count(schema, "minProperties") or 0
        if (not properties and isinstance(extra, dict) and depth < _DEPTH) or len(result) < wanted:
            while len(result) < max(wanted, 1) and extra is not False:
                key = f"key{len(result) + 1}"
                result[key] = self.make(extra if isinstance(extra, dict) else {}, depth + 1, key)
        return result

    def _array(self, schema: dict[str, Any], depth: int, hint: str) -> list[Any]:
        low = _count(schema, "minItems") or 0
        high = _count(schema, "maxItems")
        count = max(low, 1 if depth < _DEPTH - 2 else 0)
        count = min(count, high) if high is not None else count
        items = schema.get("items", {})
        made: list[Any] = []
        for _ in range(count * 4):
            if len(made) >= count:
                break
            item = self.make(items, depth + 1, hint.rstrip("s") if hint.endswith("s") else hint)
            if schema.get("uniqueItems") is True and item in made:
                continue
            made.append(item)
        return made

    def _string(self, schema: dict[str, Any], hint: str) -> str:
        fmt = schema.get("format")
        stamp = _EPOCH + timedelta(minutes=self.rng.randrange(0, 60 * 24 * 365))
        token = f"{self.rng.getrandbits(32):08x}"
        text: str
        if fmt == "date-time":
            text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif fmt == "date":
            text = stamp.date().isoformat()
        elif fmt == "time":
            text = stamp.strftime("%H:%M:%SZ")
        elif fmt == "uuid":
            text = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        elif fmt == "email":
            text = f"user.{token}@example.com"
        elif fmt in ("uri", "url", "uri-reference", "iri"):
            text = f"https://example.com/{hint or 'resource'}/{token}"
        elif fmt == "hostname":
            text = f"host-{token}.example.com"
        elif fmt == "ipv4":
            text = f"192.0.2.{self.rng.randrange(1, 255)}"
        elif fmt == "ipv6":
            text = f"2001:db8::{self.rng.randrange(1, 65535):x}"
        else:
            text = f"{hint or 'string'}-{token}" if self.attempt < 2 else token
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and re.search(pattern, text) is None:
            text = _literal_prefix(pattern) + text
        low = _count(schema, "minLength") or 0
        high = _count(schema, "maxLength")
        if len(text) < low:
            text += "x" * (low - len(text))
        if high is not None and len(text) > high:
            text = text[:high]
        return text

    def _number(self, schema: dict[str, Any], *, integer: bool) -> float:
        def bound(name: str) -> float | None:
            value = schema.get(name)
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

        low, high = bound("minimum"), bound("maximum")
        exclusive_low, exclusive_high = bound("exclusiveMinimum"), bound("exclusiveMaximum")
        step = bound("multipleOf")
        if exclusive_low is not None:
            low = max(low if low is not None else exclusive_low, exclusive_low + (1 if integer else 0.5))
        if exclusive_high is not None:
            high = min(high if high is not None else exclusive_high, exclusive_high - (1 if integer else 0.5))
        start = low if low is not None else (high - 100 if high is not None else 1)
        end = high if high is not None else start + 100
        value = start + (end - start) * self.rng.random() if end > start else start
        if step:
            value = (value // step) * step
            value = value + step if low is not None and value < low else value
        return float(round(value)) if integer else round(value, 2)


def _count(schema: Mapping[str, Any], name: str) -> int | None:
    """A whole-number keyword (``minItems``, ``maxLength``...), when the schema gives one."""
    value = schema.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _literal_prefix(pattern: str) -> str:
    """The literal characters a pattern starts with (``^bp_`` gives ``bp_``): enough for prefix patterns."""
    prefix = ""
    for char in pattern.removeprefix("^"):
        if char in r".^$*+?{}[]\|()":
            break
        prefix += char
    return prefix
