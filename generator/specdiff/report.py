"""Writing findings for people (text, markdown) and machines (json, GitHub annotations)."""

from __future__ import annotations

import json
from collections import Counter

from generator.specdiff.rules import Finding, Impact

FORMATS = (
    "text",
    "json",
    "markdown",
    "github",
)  # per pair; "changelog" (generator/specdiff/changelog.py) spans every pair


def summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    counts = Counter(f.severity.value for f in findings)
    return {s.value: counts.get(s.value, 0) for s in (Impact.BREAKING, Impact.WARNING, Impact.INFO)}


def bump(findings: list[Finding]) -> str:
    """The semver bump the generated SDKs need: ``major`` for anything breaking, ``minor`` for additions."""
    if any(f.severity is Impact.BREAKING for f in findings):
        return "major"
    if any(f.id.endswith("-added") for f in findings):
        return "minor"
    return "patch"


def render(findings: list[Finding], fmt: str, spec: str) -> str:
    """The report in ``fmt``; ``spec`` is the file annotations point at."""
    totals = summary(findings)
    if fmt == "json":
        data = {
            "findings": [
                {
                    "id": f.id,
                    "kind": f.kind.value,
                    "severity": f.severity.value,
                    "operation": f.operation,
                    "pointer": f.pointer,
                    "message": f.message,
                    "fingerprint": f.fingerprint,
                    **({"before": f.before, "after": f.after} if f.kind.value == "source" else {}),
                    **({"line": f.line} if f.line is not None else {}),
                }
                for f in findings
            ],
            "summary": {**totals, "bump": bump(findings)},
        }
        return json.dumps(data, indent=2) + "\n"
    if fmt == "markdown":
        lines = [f"**Schema diff of `{spec}`**: {_totals(totals)}", ""]
        if findings:
            lines += ["| severity | rule | operation | change |", "| --- | --- | --- | --- |"]
            lines += [
                f"| {f.severity.value} | `{f.id}` | {_cell(f.operation or '-')} | {_cell(f.message)} |"
                for f in findings
            ]
        return "\n".join(lines) + "\n"
    if fmt == "github":
        level = {Impact.BREAKING: "error", Impact.WARNING: "warning", Impact.INFO: "notice"}
        out = []
        for f in findings:
            line = f",line={f.line}" if f.line is not None else ""
            out.append(f"::{level[f.severity]} file={_prop(spec)}{line},title={_prop(f.id)}::{_data(f.message)}")
        return "".join(line + "\n" for line in out)
    lines = [f"{f.severity.value.upper():8} {f.id}: {f.message} [#{f.pointer}] ({f.fingerprint})" for f in findings]
    lines.append(f"{spec}: {_totals(totals)}")
    return "\n".join(lines) + "\n"


def _totals(totals: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in totals.items())


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _data(text: str) -> str:
    # Workflow-command escaping for the message part.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
