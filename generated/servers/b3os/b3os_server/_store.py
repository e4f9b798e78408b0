"""The reference implementation's state: an in-memory store of runs and the cancel semantics a spec's outcome declares.

Part of runcancel-generator's server runtime, copied unchanged into each generated server; do not edit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._http import Problem

# What happens to a run a cancel names that is unknown or already finished:
# an HTTP status (the whole call fails), listed as failed, or ignored.
Rule = int | Literal["failed", "ignore"]


class RunStore:
    """Runs by id: each a dict with ``id``, ``status`` and any attributes (scope, filter fields)."""

    def __init__(self) -> None:
        self._runs: dict[str, dict[str, Any]] = {}

    def add(self, run_id: str, status: str, **attributes: Any) -> None:
        """Add or replace a run. Attribute names are the API's wire names (``workflowUuid``, ``thread_id``...)."""
        self._runs[run_id] = {**attributes, "id": run_id, "status": status}

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The run with this id, if any."""
        return self._runs.get(run_id)

    def all(self) -> list[dict[str, Any]]:
        """Every run, in the order added."""
        return list(self._runs.values())

    def status(self, run_id: str) -> str | None:
        """The status of a run, if it exists."""
        run = self._runs.get(run_id)
        return None if run is None else str(run["status"])


@dataclass
class Outcome:
    """What one cancel did: runs cancelled, runs listed as failed, and the cancelled runs themselves."""

    cancelled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Semantics:
    """The vendor's cancel semantics: which statuses a cancel acts on, what they become, unknown and finished runs."""

    cancellable: frozenset[str]
    cancelled_status: str
    unknown: Rule = "ignore"
    finished: Rule = "ignore"


@dataclass(frozen=True)
class Input:
    """Where a cancel input is read: a body property or a parameter, by its wire name."""

    source: Literal["body", "parameter"]
    name: str


@dataclass(frozen=True)
class AnswerField:
    """One property of the cancel's 2xx answer and what it holds.

    ``cancelled``/``failed``: the run ids; ``run``: the cancelled run, showing ``fields``
    (left out when none was cancelled); ``status``: the answer's HTTP status;
    ``success``: the word ``success``; ``request_id``: a fresh UUID.
    """

    name: str
    holds: Literal["cancelled", "failed", "run", "status", "success", "request_id"]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CancelCall:
    """How one operation's inputs and answer map onto the store's cancel."""

    status: int
    run_ids: Input | None = None
    single_run: bool = False  # the ids input is one run id, not a list
    scope: tuple[Input, ...] = ()
    filters: tuple[str, ...] = ()  # body properties
    by_status: Input | None = None
    answer: tuple[AnswerField, ...] = ()


def cancel(
    store: RunStore,
    semantics: Semantics,
    ids: list[str] | None,
    scope: Mapping[str, Any],
    filters: Mapping[str, Any],
    status: str | None,
) -> Outcome:
    """Cancel the runs ``ids`` names (within ``scope``), or every cancellable run matching the rest.

    Where the vendor answers unknown or finished runs with an error status, a
    call fails with it only when nothing it names could be cancelled; the runs
    that could are cancelled and the rest left alone. A cancel by status or
    filter that finds nothing fails with the status for unknown runs.
    """
    outcome = Outcome()
    if ids is not None:
        # Decide every run first: a call that fails changes nothing.
        chosen: list[dict[str, Any]] = []
        refusal: Problem | None = None
        for run_id in ids:
            run = store.get(run_id)
            if run is None or any(run.get(k) != v for k, v in scope.items()):
                refused = _settle(outcome, run_id, semantics.unknown, f"run {run_id!r} not found")
            elif run["status"] not in semantics.cancellable:
                refused = _settle(outcome, run_id, semantics.finished, f"run {run_id!r} is {run['status']}")
            else:
                chosen.append(run)
                continue
            refusal = refusal or refused
        if refusal is not None and not chosen:
            raise refusal
        for run in chosen:
            _cancel_run(outcome, run, semantics)
        return outcome
    wanted = semantics.cancellable if status in (None, "all") else {status} & semantics.cancellable
    for run in store.all():
        if run["status"] in wanted and all(run.get(k) == v for k, v in {**scope, **filters}.items()):
            _cancel_run(outcome, run, semantics)
    if not outcome.cancelled and isinstance(semantics.unknown, int):
        raise Problem(semantics.unknown, "no runs found to cancel")
    return outcome


def _cancel_run(outcome: Outcome, run: dict[str, Any], semantics: Semantics) -> None:
    run["status"] = semantics.cancelled_status
    outcome.cancelled.append(str(run["id"]))
    outcome.runs.append(run)


def _settle(outcome: Outcome, run_id: str, rule: Rule, message: str) -> Problem | None:
    """Apply ``rule`` to a run that cannot be cancelled; the error to answer with, where the rule is a status."""
    if isinstance(rule, int):
        return Problem(rule, message)
    if rule == "failed":
        outcome.failed.append(run_id)
    return None


class CancelHandler:
    """The reference handler's cancel: reads a call's inputs, cancels in the store, writes the answer."""

    semantics: Semantics

    def __init__(self, store: RunStore | None = None) -> None:
        self.store = store if store is not None else RunStore()
        self.last = Outcome()  # what the latest cancel did, for tests and debugging

    def _cancel(self, call: CancelCall, payload: Mapping[str, Any], parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Carry out ``call`` with the request's body ``payload`` and ``parameters`` (by wire name); the answer."""

        def read(item: Input) -> Any:
            return (payload if item.source == "body" else parameters).get(item.name)

        ids = None if call.run_ids is None else read(call.run_ids)
        if ids is not None and call.single_run:
            ids = [ids]
        scope = {item.name: read(item) for item in call.scope if read(item) is not None}
        filters = {name: payload[name] for name in call.filters if name in payload}
        status = None if call.by_status is None else read(call.by_status)
        self.last = cancel(self.store, self.semantics, ids, scope, filters, status)
        return _answer(call, self.last)


def _answer(call: CancelCall, outcome: Outcome) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for item in call.answer:
        if item.holds == "cancelled":
            answer[item.name] = outcome.cancelled
        elif item.holds == "failed":
            answer[item.name] = outcome.failed
        elif item.holds == "run":
            if outcome.runs:
                # The run as the answer's schema shows it: only the properties it declares.
                answer[item.name] = {k: v for k, v in outcome.runs[0].items() if k in item.fields}
        elif item.holds == "status":
            answer[item.name] = call.status
        elif item.holds == "success":
            answer[item.name] = "success"
        else:
            answer[item.name] = str(uuid.uuid4())
    return answer
