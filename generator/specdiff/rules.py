"""The rule table: which change breaks code written against yesterday's generated SDK.

Two kinds of breakage are judged. *Wire*: what traffic from the old SDK meets
on the new server (area ``request``, ``response``, ``operation``, ``api``).
*Source*: what code written against the old generated SDK meets in the new
one (area ``sdk``: methods, classes, fields, keyword arguments, enum members).

Direction matters. In a request, narrowing what is accepted breaks callers and
widening does not; in an answer it is the other way round, except where the
generated clients are lenient on purpose (unknown fields and enum values,
constraints they do not re-check).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from generator.specdiff.structural import Change


class Impact(StrEnum):
    """How bad a finding is for users of the generated SDKs (a problem's severity is another thing: see load)."""

    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return {"info": 0, "warning": 1, "breaking": 2}[self.value]


class Breakage(StrEnum):
    """Which users a finding is about: old SDK traffic on the wire, or code compiled against the old SDK."""

    WIRE = "wire"
    SOURCE = "source"


@dataclass(frozen=True)
class Rule:
    """One row of the table: a stable id, a severity, a one-line message template and the kind it judges."""

    id: str
    severity: Impact
    message: str
    kind: Breakage = Breakage.WIRE


class UncoveredChange(LookupError):
    """The structural diff emitted a change no rule judges: a gap in the table, never a silent verdict."""


BRK, WRN, INF = Impact.BREAKING, Impact.WARNING, Impact.INFO

_REQUEST: dict[str, tuple[Impact, str]] = {
    "parameter-removed": (BRK, "{subject} was removed"),
    "parameter-added": (INF, "optional {subject} was added"),
    "required-parameter-added": (BRK, "required {subject} was added"),
    "parameter-became-required": (BRK, "{subject} became required"),
    "parameter-became-optional": (INF, "{subject} became optional"),
    "body-removed": (BRK, "the request body was removed"),
    "body-added": (INF, "an optional request body was added"),
    "required-body-added": (BRK, "a required request body was added"),
    "body-became-required": (BRK, "the request body became required"),
    "body-became-optional": (INF, "the request body became optional"),
    "property-removed": (BRK, "request property {subject!r} was removed"),
    "property-added": (INF, "optional request property {subject!r} was added"),
    "required-property-added": (BRK, "required request property {subject!r} was added"),
    "property-became-required": (BRK, "request property {subject!r} became required"),
    "property-became-optional": (INF, "request property {subject!r} became optional"),
    "variant-removed": (BRK, "{subject} was removed: payloads it accepted are refused"),
    "variant-added": (INF, "{subject} was added"),
    "combinator-narrowed": (
        BRK,
        "{subject} changed from anyOf to oneOf: payloads matching several are refused",
    ),
    "combinator-widened": (INF, "{subject} changed from oneOf to anyOf"),
    "type-changed": (BRK, "the type of {subject} changed from {before} to {after}"),
    "became-not-nullable": (BRK, "{subject} no longer accepts null"),
    "became-nullable": (INF, "{subject} now accepts null"),
    "enum-value-removed": (BRK, "{subject} is no longer accepted"),
    "enum-value-added": (INF, "{subject} is now accepted"),
    "enum-added": (BRK, "{subject} is now limited to {after}"),
    "enum-removed": (INF, "{subject} is no longer limited to {before}"),
    "const-changed": (BRK, "the constant of {subject} changed from {before!r} to {after!r}"),
    "pattern-added": (BRK, "{subject} must now match {after!r}"),
    "pattern-changed": (BRK, "the pattern of {subject} changed from {before!r} to {after!r}"),
    "pattern-removed": (INF, "{subject} no longer has to match {before!r}"),
    "format-changed": (WRN, "the format of {subject} changed from {before!r} to {after!r}"),
    "additional-properties-closed": (BRK, "{subject} no longer accepts properties it does not declare"),
    "additional-properties-opened": (INF, "{subject} now accepts properties it does not declare"),
    "description-changed": (INF, "the description of {subject} changed"),
    "parameter-renamed": (BRK, "{before} was renamed to {after}"),
    "property-renamed": (BRK, "request property {before!r} was renamed to {after!r}"),
    "enum-value-renamed": (BRK, "{subject}: value {before} was renamed to {after}"),
    # integer -> number accepts more; number -> integer refuses fractions.
    "type-widened": (INF, "{subject} now accepts {after} (was {before})"),
    "type-narrowed": (BRK, "{subject} now accepts only {after} (was {before})"),
    "media-type-changed": (BRK, "the media type of {subject} changed from {before} to {after}"),
    "unique-items-added": (BRK, "{subject} must now hold distinct items"),
    "unique-items-removed": (INF, "{subject} may now hold repeated items"),
    "multiple-of-added": (BRK, "{subject} must now be a multiple of {after}"),
    "multiple-of-changed": (BRK, "{subject} must now be a multiple of {after} (was {before})"),
    "multiple-of-removed": (INF, "{subject} no longer has to be a multiple of {before}"),
    # A read-only property is the server's to set: callers never send it, so requiring it breaks nobody.
    "read-only-property-became-required": (INF, "read-only request property {subject!r} became required"),
    "required-read-only-property-added": (INF, "read-only request property {subject!r} was added"),
    "became-read-only": (BRK, "{subject} became read-only: callers that send it are refused or ignored"),
    "no-longer-read-only": (INF, "{subject} is no longer read-only"),
    "became-write-only": (INF, "{subject} became write-only"),
    "no-longer-write-only": (INF, "{subject} is no longer write-only"),
    "default-added": (INF, "{subject} now defaults to {after}"),
    "default-changed": (
        WRN,
        "the default of {subject} changed from {before} to {after}: callers that omit it get another behaviour",
    ),
    "default-removed": (WRN, "{subject} no longer defaults to {before}"),
    "became-deprecated": (INF, "{subject} is deprecated"),
    "no-longer-deprecated": (INF, "{subject} is no longer deprecated"),
    "deprecated-parameter-removed": (WRN, "deprecated {subject} was removed"),
    "deprecated-property-removed": (WRN, "deprecated request property {subject!r} was removed"),
    "sunset-parameter-removed": (BRK, "deprecated {subject} was removed before its sunset date {before}"),
    "sunset-property-removed": (
        BRK,
        "deprecated request property {subject!r} was removed before its sunset date {before}",
    ),
}
# Upper and lower bounds: tightening breaks a request, loosening does not.
_BOUNDS = (("max-items", True), ("max-length", True), ("maximum", True), ("exclusive-maximum", True),
           ("max-properties", True), ("min-items", False), ("min-length", False), ("minimum", False),
           ("exclusive-minimum", False), ("min-properties", False))  # fmt: skip
for _bound, _upper in _BOUNDS:
    _tighter, _looser = ("decreased", "increased") if _upper else ("increased", "decreased")
    _REQUEST[f"{_bound}-{_tighter}"] = (BRK, f"{_bound} of {{subject}} went from {{before}} to {{after}}")
    _REQUEST[f"{_bound}-{_looser}"] = (INF, f"{_bound} of {{subject}} went from {{before}} to {{after}}")
    _REQUEST[f"{_bound}-added"] = (BRK, f"{{subject}} now has a {_bound} of {{after}}")
    _REQUEST[f"{_bound}-removed"] = (INF, f"{{subject}} no longer has a {_bound} (was {{before}})")

_RESPONSE: dict[str, tuple[Impact, str]] = {
    # The server no longer sends it; the old client still knows every status that remains.
    "success-status-removed": (INF, "{subject} is no longer answered"),
    "success-status-added": (WRN, "{subject} was added: older clients treat it as an undocumented answer"),
    "error-status-removed": (INF, "{subject} is no longer documented"),
    "error-status-added": (INF, "{subject} is now documented"),
    "body-removed": (BRK, "the body of the {subject} was removed"),
    "body-added": (WRN, "the {subject} now has a body"),
    "property-removed": (BRK, "required answer property {subject!r} was removed: old models refuse answers without it"),
    # Old response models take an absent optional property: a source change only (see sdk-*-field-removed).
    "optional-property-removed": (INF, "optional answer property {subject!r} was removed"),
    "property-renamed": (BRK, "required answer property {before!r} was renamed to {after!r}"),
    "optional-property-renamed": (INF, "optional answer property {before!r} was renamed to {after!r}"),
    "enum-value-renamed": (INF, "{subject}: value {before} was renamed to {after}"),
    # Old response models parse an integer field: a fraction breaks them.
    "type-widened": (BRK, "{subject} may now be {after} (was {before})"),
    "type-narrowed": (INF, "{subject} is now only {after} (was {before})"),
    "media-type-changed": (BRK, "the media type of {subject} changed from {before} to {after}"),
    "default-added": (INF, "{subject} now defaults to {after}"),
    "default-changed": (INF, "the default of {subject} changed from {before} to {after}"),
    "default-removed": (INF, "{subject} no longer defaults to {before}"),
    "became-deprecated": (INF, "{subject} is deprecated"),
    "no-longer-deprecated": (INF, "{subject} is no longer deprecated"),
    "deprecated-property-removed": (INF, "deprecated answer property {subject!r} was removed"),
    "sunset-property-removed": (INF, "deprecated answer property {subject!r} was removed (sunset {before})"),
    "property-added": (INF, "answer property {subject!r} was added"),
    "required-property-added": (INF, "answer property {subject!r} was added"),
    "property-became-optional": (BRK, "answer property {subject!r} may now be absent"),
    "property-became-required": (INF, "answer property {subject!r} is now always present"),
    "became-nullable": (BRK, "{subject} may now be null"),
    "became-not-nullable": (INF, "{subject} is no longer null"),
    "type-changed": (BRK, "the type of {subject} changed from {before} to {after}"),
    "enum-value-added": (WRN, "{subject} may now be answered: code that handles every value needs a new case"),
    "enum-value-removed": (INF, "{subject} is no longer answered"),
    "enum-added": (INF, "{subject} is now limited to {after}"),
    "enum-removed": (WRN, "{subject} is no longer limited to {before}"),
    "const-changed": (BRK, "the constant of {subject} changed from {before!r} to {after!r}"),
    "variant-removed": (INF, "{subject} is no longer answered"),
    "variant-added": (WRN, "{subject} may now be answered"),
    "combinator-narrowed": (INF, "{subject} changed from anyOf to oneOf"),
    "combinator-widened": (INF, "{subject} changed from oneOf to anyOf"),
    "format-changed": (WRN, "the format of {subject} changed from {before!r} to {after!r}"),
    "description-changed": (INF, "the description of {subject} changed"),
}
# Answers are parsed leniently: patterns, bounds and closed objects are not re-checked by the clients.
_LENIENT = ("pattern-", "additional-properties-", "unique-items-", "multiple-of-", "became-read-only",
            "became-write-only", "no-longer-read-only", "no-longer-write-only",
            *(f"{bound}-" for bound, _ in _BOUNDS))  # fmt: skip
for _kind in [k for k in _REQUEST if k.startswith(_LENIENT)]:
    _RESPONSE[_kind] = (INF, _REQUEST[_kind][1])

_OTHER: dict[str, tuple[Impact, str]] = {
    "operation-removed": (BRK, "operation {subject} was removed"),
    "operation-added": (INF, "operation {subject} was added"),
    "operation-deprecated": (INF, "operation {subject} is deprecated"),
    "operation-no-longer-deprecated": (INF, "operation {subject} is no longer deprecated"),
    # Deprecation was the notice: removing it afterwards is expected, unless its announced sunset is ahead.
    "deprecated-operation-removed": (WRN, "deprecated operation {subject} was removed"),
    "sunset-operation-removed": (BRK, "deprecated operation {subject} was removed before its sunset date {before}"),
    "security-changed": (BRK, "the credentials it requires changed from {before} to {after}"),
    "servers-changed": (WRN, "the servers changed from {before} to {after}"),
}

_SOURCE: dict[str, tuple[Impact, str]] = {
    "method-removed": (BRK, "client method {before} was removed"),
    "method-renamed": (BRK, "client method renamed: {before} -> {after}"),
    "method-added": (INF, "client method {after} was added"),
    "class-removed": (BRK, "model class {before} was removed"),
    "class-renamed": (BRK, "model class renamed: {before} -> {after}"),
    "class-added": (INF, "model class {after} was added"),
    "argument-removed": (BRK, "keyword argument {before} was removed"),
    "argument-renamed": (BRK, "keyword argument renamed: {before} -> {after}"),
    "argument-added": (INF, "optional keyword argument {after} was added"),
    "argument-added-required": (BRK, "required keyword argument {after} was added"),
    "argument-became-required": (BRK, "keyword argument {subject} became required"),
    "argument-type-changed": (WRN, "the type of keyword argument {subject} changed from {before} to {after}"),
    "request-field-removed": (BRK, "field {before} was removed"),
    "request-field-renamed": (BRK, "field renamed: {before} -> {after}"),
    "request-field-added": (INF, "field {after} was added"),
    "response-field-removed": (BRK, "field {before} was removed: code that reads it breaks"),
    "response-field-renamed": (BRK, "field renamed: {before} -> {after}"),
    "response-field-added": (INF, "field {after} was added"),
    "request-enum-member-removed": (BRK, "enum member {before} was removed"),
    "request-enum-member-renamed": (BRK, "enum member renamed: {before} -> {after}"),
    "response-enum-member-removed": (INF, "enum member {before} is no longer answered"),
    "response-enum-member-renamed": (BRK, "enum member renamed: {before} -> {after}: code that tests for it misses it"),
}

RULES: dict[tuple[str, str], Rule] = {
    **{("sdk", k): Rule(f"sdk-{k}", s, m, Breakage.SOURCE) for k, (s, m) in _SOURCE.items()},
    **{("request", k): Rule(f"request-{k}", s, m) for k, (s, m) in _REQUEST.items()},
    **{("response", k): Rule(f"response-{k}", s, m) for k, (s, m) in _RESPONSE.items()},
    **{(area, k): Rule(k, s, m) for k, (s, m) in _OTHER.items() for area in ("operation", "api")},
}
"""(area, change kind) -> rule."""


@dataclass(frozen=True)
class Finding:
    """A change judged by a rule."""

    id: str
    severity: Impact
    operation: str
    pointer: str
    message: str
    fingerprint: str
    line: int | None = None
    kind: Breakage = Breakage.WIRE
    before: str = ""  # source findings: the old public name (or type); wire findings: the old value
    after: str = ""
    subject: str = ""  # what the change is about (a property, a parameter, a method's keyword argument)


def rule_for(change: Change) -> Rule:
    """The rule that judges ``change``; raises :class:`UncoveredChange` when the table has none."""
    rule = RULES.get((change.area, change.kind))
    if rule is None:
        raise UncoveredChange(f"no rule judges a {change.area} change of kind {change.kind!r} ({change.subject})")
    return rule


def judge(changes: list[Change]) -> list[Finding]:
    """One finding per change, worst first, then in the order the changes came.

    A change that no rule covers is refused (:class:`UncoveredChange`), never given a generic verdict.
    """
    findings = []
    for change in changes:
        rule = rule_for(change)
        message = rule.message.format(subject=change.subject, before=change.before, after=change.after)
        where = f"{change.operation}: " if change.operation else ""
        key = "\0".join((rule.id, change.operation, change.pointer, change.subject, change.before, change.after))
        fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        findings.append(
            Finding(
                rule.id,
                rule.severity,
                change.operation,
                change.pointer,
                where + message,
                fingerprint,
                kind=rule.kind,
                before=change.before,
                after=change.after,
                subject=change.subject,
            )
        )
    return sorted(findings, key=lambda f: -f.severity.rank)
