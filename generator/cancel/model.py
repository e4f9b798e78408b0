"""The cancel domain: what the inputs of a vendor's cancel operation mean, and what a cancel does.

The IR knows nothing of cancelling; this package binds the roles declared in
the configuration to one operation of an API's IR.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from generator.load.problem import Location


class CancelRole(StrEnum):
    """What an input of a cancel operation means, whatever the vendor calls it."""

    RUN_ID = "run_id"  # one run, usually in the path
    RUN_IDS = "run_ids"  # a list of runs
    SCOPE = "scope"  # the workflow, thread or similar the runs belong to
    FILTER = "filter"  # narrows which runs are cancelled
    STATUS = "status"  # cancels runs by their status
    ACTION = "action"  # how to cancel (e.g. interrupt or roll back)


class InputLocation(StrEnum):
    """Where a cancel input travels."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"


@dataclass(frozen=True, kw_only=True)
class CancelInput:
    """One input of the cancel operation and the role it plays."""

    role: CancelRole
    location: InputLocation
    name: str
    label: str | None = None


@dataclass(frozen=True, kw_only=True)
class CancelOutcome:
    """What the vendor does with each run a cancel names, as its docs describe.

    ``unknown`` and ``finished`` are an HTTP status (the whole call fails),
    ``"failed"`` (the run is listed in ``failed_list``) or ``"ignore"``.
    """

    cancellable: tuple[str, ...]
    cancelled_status: str
    unknown: int | Literal["failed", "ignore"] = "ignore"
    finished: int | Literal["failed", "ignore"] = "ignore"
    cancelled_list: str | None = None
    failed_list: str | None = None
    run_property: str | None = None


@dataclass(frozen=True, kw_only=True)
class CancelBinding:
    """Which operation cancels runs, what each of its inputs means, and what a cancel does."""

    operation_id: str
    inputs: tuple[CancelInput, ...]
    outcome: CancelOutcome | None = None
    conflicts: tuple[tuple[CancelRole, CancelRole], ...] = ()

    def of_role(self, role: CancelRole) -> tuple[CancelInput, ...]:
        """The inputs playing ``role``."""
        return tuple(i for i in self.inputs if i.role is role)


@dataclass(frozen=True)
class DeclaredInput:
    """One cancel input as the configuration declares it, with where it was declared."""

    role: CancelRole
    location: InputLocation
    name: str
    label: str | None
    declared_at: Location


@dataclass(frozen=True)
class CancelDeclaration:
    """Which operation cancels runs (an operationId or ``METHOD /path``), its inputs and outcome, as configured."""

    operation: str
    inputs: tuple[DeclaredInput, ...]
    declared_at: Location
    outcome: CancelOutcome | None = None
    # Pairs of roles the vendor refuses together although its spec lets them through.
    conflicts: tuple[tuple[CancelRole, CancelRole], ...] = ()
