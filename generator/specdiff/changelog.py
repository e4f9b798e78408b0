"""``diff --format changelog``: a Markdown entry for the generated SDKs that a pipeline pastes into a release.

Each finding is one line in plain words, naming the SDK name (method, model,
keyword argument, field) for source findings and the operation for wire ones,
under one of five sections. A finding reported as breaking (after the
configuration's overrides) is under *Breaking*; every other finding goes where
:data:`SECTION_OF_KIND` puts its rule's change kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from generator.specdiff.report import bump
from generator.specdiff.rules import RULES, Breakage, Finding, Impact
from generator.specdiff.run import PairReport


class Section(StrEnum):
    """The sections of an entry, in the order they are written."""

    BREAKING = "Breaking"
    DEPRECATED = "Deprecated"
    ADDED = "Added"
    CHANGED = "Changed"
    FIXED = "Fixed"


_ADDED = (
    "argument-added", "argument-added-required", "body-added", "class-added", "enum-value-added", "method-added",
    "operation-added", "parameter-added", "property-added", "request-field-added", "required-body-added",
    "required-parameter-added", "required-property-added", "required-read-only-property-added",
    "response-field-added", "variant-added",
)  # fmt: skip
_DEPRECATED = (
    "became-deprecated", "operation-deprecated", "deprecated-operation-removed", "deprecated-parameter-removed",
    "deprecated-property-removed", "sunset-operation-removed", "sunset-parameter-removed", "sunset-property-removed",
)  # fmt: skip
# What the new spec documents better without changing what is sent or answered.
_FIXED = ("description-changed", "error-status-added", "error-status-removed")
_BOUNDS = ("max-items", "max-length", "maximum", "exclusive-maximum", "max-properties",
           "min-items", "min-length", "minimum", "exclusive-minimum", "min-properties")  # fmt: skip
_CHANGED = (
    "additional-properties-closed", "additional-properties-opened", "argument-became-required", "argument-removed",
    "argument-renamed", "argument-type-changed", "became-not-nullable", "became-nullable", "became-read-only",
    "became-write-only", "body-became-optional", "body-became-required", "body-removed", "class-removed",
    "class-renamed", "combinator-narrowed", "combinator-widened", "const-changed", "default-added",
    "default-changed", "default-removed", "enum-added", "enum-removed", "enum-value-removed", "enum-value-renamed",
    "format-changed", "media-type-changed", "method-removed", "method-renamed", "multiple-of-added",
    "multiple-of-changed", "multiple-of-removed", "no-longer-deprecated", "no-longer-read-only",
    "no-longer-write-only", "operation-no-longer-deprecated", "operation-removed", "optional-property-removed",
    "optional-property-renamed", "parameter-became-optional", "parameter-became-required", "parameter-removed",
    "parameter-renamed", "pattern-added", "pattern-changed", "pattern-removed", "property-became-optional",
    "property-became-required", "property-removed", "property-renamed", "read-only-property-became-required",
    "request-enum-member-removed", "request-enum-member-renamed", "request-field-removed", "request-field-renamed",
    "response-enum-member-removed", "response-enum-member-renamed", "response-field-removed",
    "response-field-renamed", "security-changed", "servers-changed", "success-status-added",
    "success-status-removed", "type-changed", "type-narrowed", "type-widened", "unique-items-added",
    "unique-items-removed", "variant-removed",
    *(f"{bound}-{how}" for bound in _BOUNDS for how in ("added", "removed", "increased", "decreased")),
)  # fmt: skip

SECTION_OF_KIND: dict[str, Section] = {
    **dict.fromkeys(_ADDED, Section.ADDED),
    **dict.fromkeys(_DEPRECATED, Section.DEPRECATED),
    **dict.fromkeys(_FIXED, Section.FIXED),
    **dict.fromkeys(_CHANGED, Section.CHANGED),
}
"""Change kind -> the section a finding of it goes to when it is not breaking (a breaking one is under Breaking)."""

_KIND_OF_RULE = {rule.id: kind for (_, kind), rule in RULES.items()}


def section_of(finding: Finding) -> Section:
    """The section ``finding`` is listed under; raises ``KeyError`` for a rule the table does not place."""
    placed = SECTION_OF_KIND[_KIND_OF_RULE[finding.id]]
    return Section.BREAKING if finding.severity is Impact.BREAKING else placed


def changelog(pairs: Sequence[PairReport]) -> str:
    """The Markdown entry for every pair: the version bump first, then the sections (per vendor when several)."""
    findings = [f for pair in pairs for f in pair.findings]
    level = bump(findings)
    why = {
        "major": "it breaks code or traffic written against the previous SDK",
        "minor": "it adds to the SDK without breaking what exists",
        "patch": "nothing is added and nothing breaks",
    }[level]
    lines = ["## Changes to the generated SDKs", "", f"This release calls for a **{level}** version bump: {why}."]
    several = len(pairs) > 1
    for pair in pairs:
        if several:
            lines += ["", f"### {pair.name}"]
        lines += _sections(pair.findings, "####" if several else "###")
    return "\n".join(lines) + "\n"


def _sections(findings: Sequence[Finding], heading: str) -> list[str]:
    if not findings:
        return ["", "No change for users of the generated SDK."]
    out: list[str] = []
    for section in Section:
        # SDK names first: they are what code written against the SDK spells.
        chosen = [f for f in findings if section_of(f) is section]
        chosen.sort(key=lambda f: f.kind is not Breakage.SOURCE)
        entries = list(dict.fromkeys(line(f) for f in chosen))
        if entries:
            out += ["", f"{heading} {section.value}", "", *(f"- {entry}" for entry in entries)]
    return out


_QUOTED = re.compile(r"'([^'\n]*)'")


def line(finding: Finding) -> str:
    """One finding in plain words (without the list marker)."""
    kind = _KIND_OF_RULE[finding.id]
    if finding.kind is Breakage.SOURCE:
        return _source(kind, finding)
    op = f"`{finding.operation}`" if finding.operation else ""
    operation_level = {
        "operation-removed": f"Operation {op} removed",
        "operation-added": f"Operation {op} added",
        "operation-deprecated": f"Operation {op} deprecated",
        "operation-no-longer-deprecated": f"Operation {op} no longer deprecated",
        "deprecated-operation-removed": f"Deprecated operation {op} removed",
        "sunset-operation-removed": f"Deprecated operation {op} removed before its sunset date {finding.before}",
    }
    if kind in operation_level:
        return operation_level[kind]
    prefix = f"{finding.operation}: "
    said = finding.message.removeprefix(prefix) if finding.operation else finding.message
    # Names and values in code font; an empty value (a format that was not set) reads as "none".
    said = _QUOTED.sub(lambda m: f"`{m[1]}`" if m[1] else "none", said)
    return f"{op}: {said}" if op else said[:1].upper() + said[1:]


def _source(kind: str, f: Finding) -> str:
    """A source finding: ``before`` and ``after`` are public names (``method(argument)``, ``Class.field``)."""
    what, _, how = kind.rpartition("-") if kind.endswith(("-added", "-removed", "-renamed")) else (kind, "", "")
    where = f" (`{f.operation}`)" if f.operation and what == "method" else ""
    if what in ("method", "class"):
        noun = "Method" if what == "method" else "Model"
        if how == "renamed":
            return f"{noun} `{f.before}` renamed to `{f.after}`{where}"
        return f"{noun} `{f.before or f.after}` {how}{where}"
    if what.endswith("enum-member"):
        old_owner, _, old_value = f.before.rpartition(" ")
        if how == "renamed":
            return f"Value `{_bare(old_value)}` of `{old_owner}` renamed to `{_bare(f.after.rpartition(' ')[2])}`"
        answered = "is no longer answered" if what.startswith("response") else "removed"
        return f"Value `{_bare(old_value)}` of `{old_owner}` {answered}"
    if kind.startswith("argument-"):
        method, argument = _split_argument(f.subject)
        if kind == "argument-renamed":
            return f"Keyword argument `{argument}` of `{method}` renamed to `{_split_argument(f.after)[1]}`"
        if kind == "argument-removed":
            return f"Keyword argument `{argument}` removed from `{method}`"
        if kind in ("argument-added", "argument-added-required"):
            which = "Required" if kind == "argument-added-required" else "Optional"
            return f"{which} keyword argument `{argument}` added to `{method}`"
        if kind == "argument-became-required":
            return f"Keyword argument `{argument}` of `{method}` is now required"
        return f"Keyword argument `{argument}` of `{method}` now takes `{f.after}` (was `{f.before}`)"
    # A field of a model class (request side: callers build it; response side: callers read it).
    owner, _, field = f.subject.rpartition(".")
    if how == "renamed":
        return f"Field `{field}` of `{owner}` renamed to `{f.after.rpartition('.')[2]}`"
    return f"Field `{field}` {'added to' if how == 'added' else 'removed from'} `{owner}`"


def _bare(value: str) -> str:
    """An enum value as written in the spec: the code font already sets it apart from the words."""
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"" else value


def _split_argument(qualified: str) -> tuple[str, str]:
    """``method(argument)`` -> (method, argument)."""
    method, _, rest = qualified.partition("(")
    return method, rest.removesuffix(")")
