"""The rule table: which change breaks code written against yesterday's generated SDK.

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


@dataclass(frozen=True)
class Rule:
    """One row of the table: a stable id, a severity and a one-line message template."""

    id: str
    severity: Impact
    message: str


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
}
# Upper and lower bounds: tightening breaks a request, loosening does not.
for _bound, _upper in (("max-items", True), ("max-length", True), ("maximum", True),
                       ("min-items", False), ("min-length", False), ("minimum", False)):  # fmt: skip
    _tighter, _looser = ("decreased", "increased") if _upper else ("increased", "decreased")
    _REQUEST[f"{_bound}-{_tighter}"] = (BRK, f"{_bound} of {{subject}} went from {{before}} to {{after}}")
    _REQUEST[f"{_bound}-{_looser}"] = (INF, f"{_bound} of {{subject}} went from {{before}} to {{after}}")
    _REQUEST[f"{_bound}-added"] = (BRK, f"{{subject}} now has a {_bound} of {{after}}")
    _REQUEST[f"{_bound}-removed"] = (INF, f"{{subject}} no longer has a {_bound} (was {{before}})")

_RESPONSE: dict[str, tuple[Impact, str]] = {
    "success-status-removed": (BRK, "{subject} is no longer answered: calls that returned it now fail"),
    "success-status-added": (WRN, "{subject} was added: older clients treat it as an undocumented answer"),
    "error-status-removed": (INF, "{subject} is no longer documented"),
    "error-status-added": (INF, "{subject} is now documented"),
    "body-removed": (BRK, "the body of the {subject} was removed"),
    "body-added": (WRN, "the {subject} now has a body"),
    "property-removed": (BRK, "answer property {subject!r} was removed"),
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
for _kind in [k for k in _REQUEST if k.startswith(("pattern-", "additional-properties-", "max-", "min-"))]:
    _RESPONSE[_kind] = (INF, _REQUEST[_kind][1])

_OTHER: dict[str, tuple[Impact, str]] = {
    "operation-removed": (BRK, "operation {subject} was removed"),
    "operation-added": (INF, "operation {subject} was added"),
    "security-changed": (BRK, "the credentials it requires changed from {before} to {after}"),
    "servers-changed": (WRN, "the servers changed from {before} to {after}"),
}

RULES: dict[tuple[str, str], Rule] = {
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


def judge(changes: list[Change]) -> list[Finding]:
    """One finding per change, worst first, then in the order the changes came."""
    findings = []
    for change in changes:
        rule = RULES.get((change.area, change.kind))
        if rule is None:
            rule = Rule(f"{change.area}-{change.kind}", Impact.WARNING, "{subject} changed")
        message = rule.message.format(subject=change.subject, before=change.before, after=change.after)
        where = f"{change.operation}: " if change.operation else ""
        key = "\0".join((rule.id, change.operation, change.pointer, change.subject, change.before, change.after))
        fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        findings.append(Finding(rule.id, rule.severity, change.operation, change.pointer, where + message, fingerprint))
    return sorted(findings, key=lambda f: -f.severity.rank)
