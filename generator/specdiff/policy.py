"""What a project decided about findings: a rule's severity overridden, findings ignored (``diff:`` in the config).

A policy is read from the configuration's ``diff:`` section, at the top level
and per vendor; :func:`merged` combines the two (the vendor's severity wins for
a rule both name, ignores add up) and :func:`apply` puts it to a pair's
findings. Fingerprints of single accepted findings stay in the ``--ignore``
file: the policy is for whole classes of findings.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from generator.specdiff.rules import RULES, Finding, Impact

RULE_IDS: frozenset[str] = frozenset(rule.id for rule in RULES.values())
"""Every rule id a policy may name."""


@dataclass(frozen=True)
class Ignore:
    """Findings to leave out: those matching every pattern given (shell-style globs; an absent one matches all).

    ``operation`` matches a finding's ``METHOD /path`` or the operation's ``operationId``;
    ``pointer`` matches the JSON pointer the finding points at (``/`` inside names is ``~1``).
    """

    rule: str | None = None
    operation: str | None = None
    pointer: str | None = None

    def matches(self, finding: Finding, operation_ids: Mapping[str, str]) -> bool:
        """Whether ``finding`` is one of those this entry leaves out."""
        if self.rule is not None and not fnmatch.fnmatchcase(finding.id, self.rule):
            return False
        if self.operation is not None:
            names = [finding.operation, operation_ids.get(finding.operation, "")]
            # A finding about a model class belongs to no operation: an operation pattern never takes it.
            if not finding.operation or not any(fnmatch.fnmatchcase(n, self.operation) for n in names if n):
                return False
        return self.pointer is None or fnmatch.fnmatchcase(finding.pointer, self.pointer)


@dataclass(frozen=True)
class DiffPolicy:
    """Severity overrides by rule id, and findings to ignore."""

    severity: tuple[tuple[str, Impact], ...] = ()
    ignore: tuple[Ignore, ...] = ()

    def severity_of(self, finding: Finding) -> Impact:
        """The severity ``finding`` is reported with: the override for its rule, else the rule's own."""
        return dict(self.severity).get(finding.id, finding.severity)


def merged(top: DiffPolicy, vendor: DiffPolicy | None) -> DiffPolicy:
    """The policy for one vendor: its own severities win over the top level's for the same rule; ignores add up."""
    if vendor is None:
        return top
    own = {rule for rule, _ in vendor.severity}
    severity = tuple((rule, impact) for rule, impact in top.severity if rule not in own) + vendor.severity
    return DiffPolicy(severity, top.ignore + vendor.ignore)


def apply(policy: DiffPolicy, findings: Iterable[Finding], operation_ids: Mapping[str, str]) -> list[Finding]:
    """``findings`` without the ignored ones, with overridden severities, worst first (otherwise in order).

    ``operation_ids`` maps an operation's ``METHOD /path`` to its ``operationId``.
    """
    kept = [
        replace(f, severity=policy.severity_of(f))
        for f in findings
        if not any(entry.matches(f, operation_ids) for entry in policy.ignore)
    ]
    return sorted(kept, key=lambda f: -f.severity.rank)


NO_POLICY = DiffPolicy()
"""Every rule as the table says, nothing ignored (frozen, so one instance serves every default)."""
