"""Hypothesis strategies for JSON payloads near a JSON Schema: valid and invalid, mixed.

They read the original (raw) schema, not the IR, so the fidelity tests compare
the IR's validator with a reference validator on payloads neither one chose.
Each payload is built from the schema with a drawn level of noise: at level 0
values follow the schema (including its boundaries: ``maxItems`` exactly, v4
UUIDs in either case, enum members, const); the higher the level, the more
often a value is replaced by a near miss (one item too many, a non-v4 UUID, a
dropped required property, a stray key) or by arbitrary JSON.
"""

from __future__ import annotations

import datetime
import string
from typing import Any

from hypothesis import strategies as st

from generator.load import pointer as jp

_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
)
WILD = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)
_MAX_DEPTH = 6
NOISE_LEVELS = (0, 0, 3, 10, 40)
"""Percent chance, per value, of a near miss or arbitrary JSON; drawn once per payload."""


def payloads(schema: Any, document: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Payloads for ``schema`` (a raw schema inside ``document``), valid and invalid mixed."""
    return st.one_of([_Builder(document, noise).near(schema, 0) for noise in NOISE_LEVELS])


class _Builder:
    def __init__(self, document: dict[str, Any], noise: int) -> None:
        self.document = document
        self.noise = noise

    def pick(self, good: list[st.SearchStrategy[Any]], bad: list[st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
        """One of ``good``, or of ``bad`` with the payload's chance of noise."""
        if not bad or self.noise == 0:
            return st.one_of(good)
        good_one, bad_one = st.one_of(good), st.one_of(bad)
        return st.integers(0, 99).flatmap(lambda roll: bad_one if roll < self.noise else good_one)

    def noisy(self) -> st.SearchStrategy[bool]:
        return st.integers(0, 99).map(lambda roll: roll < self.noise)

    def near(self, schema: Any, depth: int) -> st.SearchStrategy[Any]:
        if depth >= _MAX_DEPTH:
            return WILD
        return self.pick([self._built(schema, depth)], [WILD])

    def _deref(self, schema: Any) -> Any:
        while isinstance(schema, dict) and "$ref" in schema:
            target = jp.follow(self.document, schema["$ref"][1:])
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def _built(self, schema: Any, depth: int) -> st.SearchStrategy[Any]:
        schema = self._deref(schema)
        if not isinstance(schema, dict) or not schema:
            return WILD
        options: list[st.SearchStrategy[Any]] = []
        if "const" in schema:
            options.append(st.just(schema["const"]))
        if isinstance(schema.get("enum"), list):
            options.append(st.sampled_from(schema["enum"]))
        combined = False
        for keyword in ("anyOf", "oneOf", "allOf"):
            branches = [self._deref(b) for b in schema.get(keyword, [])]
            combined = combined or bool(branches)
            # Properties of every branch, so payloads also mix what different branches declare.
            siblings: dict[str, Any] = {}
            for branch in branches:
                if isinstance(branch, dict):
                    siblings.update(branch.get("properties", {}))
            if keyword == "allOf":
                merged = {k: v for k, v in schema.items() if k != "allOf"}
                for branch in branches:
                    merged = _merge(merged, branch) if isinstance(branch, dict) else merged
                options.append(self._typed(merged, depth, siblings))
                continue
            for branch in branches:
                merged = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")}
                if isinstance(branch, dict):
                    merged = _merge(merged, branch)
                options.append(self._typed(merged, depth, siblings))
        if not combined:
            options.append(self._typed(schema, depth, {}))
        return st.one_of(options)

    def _typed(self, schema: dict[str, Any], depth: int, siblings: dict[str, Any]) -> st.SearchStrategy[Any]:
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared] if declared else []
        if not types:
            if "properties" in schema or "required" in schema:
                types = ["object"]
            elif "items" in schema:
                types = ["array"]
            else:
                return WILD
        return st.one_of([self._of_type(t, schema, depth, siblings) for t in types])

    def _of_type(
        self, kind: str, schema: dict[str, Any], depth: int, siblings: dict[str, Any]
    ) -> st.SearchStrategy[Any]:
        if kind == "null":
            return st.none()
        if kind == "boolean":
            return self.pick([st.booleans()], [st.sampled_from([0, 1, "true"])])
        if kind == "integer":
            return self.pick([st.integers(-12, 12), st.just(2.0)], [st.floats(-3, 3), st.integers()])
        if kind == "number":
            return self.pick([st.integers(-12, 12), st.floats(-20, 20)], [st.floats(allow_nan=False), st.text()])
        if kind == "string":
            return self._strings(schema)
        if kind == "array":
            return self._arrays(schema, depth)
        if kind == "object":
            return self._objects(schema, depth, siblings)
        return WILD

    def _strings(self, schema: dict[str, Any]) -> st.SearchStrategy[str]:
        fmt = schema.get("format")
        good: list[st.SearchStrategy[str]] = []
        bad: list[st.SearchStrategy[str]] = [st.text(max_size=10)]
        if fmt == "uuid" or "pattern" in schema:
            good += [st.uuids(version=4).map(str), st.uuids(version=4).map(lambda u: str(u).upper())]
            bad += [
                st.uuids(version=1).map(str),
                st.uuids(version=4).map(lambda u: str(u)[:-1]),
                st.uuids(version=4).map(lambda u: str(u).replace("-", "")),
                st.uuids(version=4).map(lambda u: str(u) + "\n"),
                st.uuids(version=4).map(lambda u: "{" + str(u) + "}"),
            ]
        if "pattern" in schema and fmt is None:
            good.append(st.from_regex(schema["pattern"], fullmatch=True))
        if fmt in ("date-time", "date"):
            moments = st.datetimes(timezones=st.just(datetime.UTC))
            if fmt == "date-time":
                good += [moments.map(lambda d: d.isoformat()), moments.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))]
                bad += [
                    moments.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
                    moments.map(lambda d: d.isoformat()[:19]),
                ]
            else:
                good.append(moments.map(lambda d: d.date().isoformat()))
                bad.append(moments.map(lambda d: d.strftime("%Y/%m/%d")))
            bad.append(st.sampled_from(["2024-02-30T00:00:00Z", "2023-02-29", "2024-13-01T00:00:00Z", "2024-02-29"]))
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int) or isinstance(high, int):
            lo, hi = low if isinstance(low, int) else 0, high if isinstance(high, int) else (low or 0) + 5
            good.append(st.integers(lo, hi).map(lambda k: "y" * k))
            bad.append(st.sampled_from([lo - 1, hi + 1]).filter(lambda k: k >= 0).map(lambda k: "y" * k))
        if not good:
            good = [st.text(max_size=10), st.text(string.ascii_letters, max_size=4)]
        return self.pick(good, bad)

    def _arrays(self, schema: dict[str, Any], depth: int) -> st.SearchStrategy[list[Any]]:
        items = self.near(schema.get("items", {}), depth + 1)
        low = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
        high = schema.get("maxItems") if isinstance(schema.get("maxItems"), int) else None
        good = [st.lists(items, min_size=low, max_size=min(high if high is not None else low + 3, low + 3))]
        bad: list[st.SearchStrategy[list[Any]]] = []
        if high is not None:
            # Build boundary-sized lists from one drawn item: 100 items stay cheap.
            good.append(items.map(lambda item: [item] * high))
            bad.append(items.map(lambda item: [item] * (high + 1)))
        if low:
            bad.append(st.lists(items, max_size=low - 1))
        if schema.get("uniqueItems") is True:
            good = [st.lists(items, min_size=low, max_size=high or low + 3, unique_by=repr)]
            bad.append(items.map(lambda item: [item, item]))
        return self.pick(good, bad)

    def _objects(self, schema: dict[str, Any], depth: int, siblings: dict[str, Any]) -> st.SearchStrategy[Any]:
        properties = schema.get("properties") or {}
        required = [n for n in schema.get("required", []) if isinstance(n, str)]
        names = list(dict.fromkeys([*properties, *required]))
        others = sorted(set(siblings) - set(names))
        extra = schema.get("additionalProperties", True)
        builder = self

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            chosen = [n for n in names if (n in required and not draw(builder.noisy())) or draw(st.booleans())]
            result: dict[str, Any] = {}
            for name in chosen:
                sub = properties.get(name, extra if isinstance(extra, dict) else {})
                result[name] = draw(builder.near(sub, depth + 1))
            if others and draw(builder.noisy()):
                name = draw(st.sampled_from(others))
                result[name] = draw(builder.near(siblings[name], depth + 1))
            if isinstance(extra, dict) and draw(st.booleans()):
                result["more"] = draw(builder.near(extra, depth + 1))
            if draw(builder.noisy()):
                # Stray keys, including Python spellings of wire names that a model must not take.
                result[draw(st.sampled_from(["extra", "Status", "run_id", "workflow_uuid", "record_id"]))] = draw(WILD)
            return result

        return build()


def _merge(base: dict[str, Any], branch: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **branch}
    merged["properties"] = {**base.get("properties", {}), **branch.get("properties", {})}
    merged["required"] = list(dict.fromkeys([*base.get("required", []), *branch.get("required", [])]))
    return merged
