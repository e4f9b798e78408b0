"""The one cancel engine: turns a :class:`CancelRequest` into calls of a vendor's generated client.

Part of runcancel-generator's unified runtime, copied unchanged into ``runcancel``; do not edit.
Each vendor module holds only a :class:`Binding`: what its cancel operation
can express and which client method and arguments carry each role.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, Self

import pydantic

from ._types import CancelRequest, CancelResult, Capabilities, UnsupportedCancel

# A 404 or 409 for one run is that run's failure; for a batch, each run is retried alone to tell which.
PER_RUN_FAILURES = frozenset({404, 409})


@dataclass(frozen=True)
class Input:
    """Where one cancel role travels: a keyword argument of the client method, or a body property (wire name)."""

    role: Literal["run_id", "run_ids", "scope", "filter", "status", "action"]
    source: Literal["parameter", "body"]
    name: str


Role = Literal["run_ids", "scope", "filter", "status", "action"]
# How a vendor's answers tell which runs were cancelled:
#   lists   the answer lists cancelled (and failed) run ids
#   status  a call about one run succeeds only if that run was cancelled (others get an error status),
#           so runs are sent one per call
#   none    the answer says nothing (the vendor takes unknown runs too): runs are only "accepted"
Confirms = Literal["lists", "status", "none"]


@dataclass(frozen=True)
class Binding:
    """What one vendor's cancel can express and how it is called.

    ``api_error`` is the vendor client's ``errors.ApiError`` (it carries ``status``
    and ``parsed``); ``cancelled_list``/``failed_list`` name the answer's lists
    of run ids, where the vendor reports them. ``nothing_status`` is the status
    the vendor answers when a cancel by status or filter finds nothing to
    cancel. ``conflicts`` are pairs of roles the vendor refuses together.
    ``credential`` is the client's argument for the vendor's credential.
    """

    capabilities: Capabilities
    method: str
    inputs: tuple[Input, ...]
    body_model: type[pydantic.BaseModel] | None
    api_error: type[Exception]
    confirms: Confirms = "none"
    cancelled_list: str | None = None
    failed_list: str | None = None
    nothing_status: int | None = None
    conflicts: tuple[tuple[Role, Role], ...] = ()
    scope_required_with_ids: bool = False
    credential: str | None = None

    @property
    def vendor(self) -> str:
        """The vendor's name."""
        return self.capabilities.vendor


class _Closeable(Protocol):
    def close(self) -> None: ...


class _AsyncCloseable(Protocol):
    async def aclose(self) -> None: ...


def _given_roles(request: CancelRequest) -> set[str]:
    present = {
        "run_ids": bool(request.run_ids),
        "scope": request.scope is not None,
        "filter": bool(request.filters),
        "status": request.status is not None,
        "action": request.action is not None,
    }
    return {role for role, given in present.items() if given}


def _words(role: str, caps: Capabilities) -> str:
    """A role in the unified vocabulary, as a request names it."""
    return {"run_ids": "run ids", "scope": f"a {caps.scope or 'scope'}", "filter": "filters"}.get(role, f"a {role}")


def check(binding: Binding, request: CancelRequest) -> None:
    """Refuse what the vendor cannot express, or refuses, before anything is sent."""
    caps, vendor = binding.capabilities, binding.vendor
    if request.run_ids and not caps.by_ids:
        raise UnsupportedCancel(vendor, "cancel runs by id")
    if request.status is not None:
        if not caps.statuses:
            raise UnsupportedCancel(vendor, "cancel runs by status")
        if request.status not in caps.statuses:
            only = ", ".join(caps.statuses)
            raise UnsupportedCancel(vendor, f"cancel runs with status {request.status!r} (only {only})")
        if request.run_ids:
            raise UnsupportedCancel(vendor, "combine run ids with a status")
    unknown = sorted(set(request.filters) - set(caps.filters))
    if unknown:
        raise UnsupportedCancel(vendor, f"filter runs by {', '.join(unknown)}")
    if request.filters and request.run_ids:
        raise UnsupportedCancel(vendor, "combine run ids with filters")
    if request.scope is not None and caps.scope is None:
        raise UnsupportedCancel(vendor, "limit a cancel to a scope")
    if request.action is not None and request.action not in caps.actions:
        choice = f" (only {', '.join(caps.actions)})" if caps.actions else ""
        raise UnsupportedCancel(vendor, f"cancel with action {request.action!r}{choice}")
    if not (request.run_ids or request.status or request.filters or request.scope):
        raise UnsupportedCancel(vendor, "cancel without saying which runs")
    if binding.scope_required_with_ids and request.run_ids and request.scope is None:
        raise UnsupportedCancel(vendor, f"cancel a run without its {caps.scope}")
    given = _given_roles(request)
    for first, second in binding.conflicts:
        if first in given and second in given:
            raise UnsupportedCancel(vendor, f"combine {_words(first, caps)} with {_words(second, caps)}")


def chunks(binding: Binding, request: CancelRequest) -> list[list[str]]:
    """The run ids of each call: one per run, or batches of at most the vendor's limit.

    Runs go one per call, too, where only such a call's status tells whether the run was cancelled.
    """
    ids = list(dict.fromkeys(request.run_ids))
    if not ids:
        return [[]]
    if binding.capabilities.per_run or binding.confirms == "status":
        return [[run_id] for run_id in ids]
    size = binding.capabilities.batch_limit or len(ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def arguments(binding: Binding, request: CancelRequest, ids: list[str]) -> dict[str, Any]:
    """Keyword arguments of the client method for one call."""
    values: dict[str, Any] = {
        "run_id": ids[0] if ids else None,
        "run_ids": ids or None,
        "scope": request.scope,
        "status": request.status,
        "action": request.action,
    }
    given: dict[str, Any] = {}
    body: dict[str, Any] = dict(request.filters)
    for item in binding.inputs:
        value = values.get(item.role)
        if value is None:
            continue
        (given if item.source == "parameter" else body)[item.name] = value
    if binding.body_model is not None:
        try:
            given["body"] = binding.body_model.model_validate(body)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the body"
            raise UnsupportedCancel(binding.vendor, f"send this request ({where}: {first['msg']})") from exc
    return given


def fold(binding: Binding, result: CancelResult, ids: list[str], answer: Any) -> None:
    """Add one answer to the result."""
    result.responses.append(answer)
    if binding.confirms == "status":
        result.cancelled.extend(ids)
        return
    if binding.confirms == "none":
        result.accepted.extend(ids)
        return
    data = answer.model_dump(mode="json", by_alias=True) if isinstance(answer, pydantic.BaseModel) else {}
    if binding.cancelled_list is not None:
        result.cancelled.extend(str(i) for i in data.get(binding.cancelled_list) or [])
    if binding.failed_list is not None:
        for run_id in data.get(binding.failed_list) or []:
            result.failed[str(run_id)] = "the vendor could not cancel it"


def reason(exc: Exception) -> str:
    """A run's failure as one line: the status and the vendor's own detail or message, where it gives one."""
    parsed = getattr(exc, "parsed", None)
    detail = None
    if isinstance(parsed, pydantic.BaseModel):
        data = parsed.model_dump()
        detail = data.get("detail") or data.get("message")
    status = getattr(exc, "status", "?")
    return f"{status}: {detail}" if detail else f"{status}"


def _per_run_failure(binding: Binding, exc: Exception) -> bool:
    return isinstance(exc, binding.api_error) and getattr(exc, "status", None) in PER_RUN_FAILURES


def _found_nothing(binding: Binding, ids: list[str], exc: Exception) -> bool:
    """Whether ``exc`` is the vendor saying a cancel by status or filter found nothing to cancel."""
    status = getattr(exc, "status", None)
    return not ids and isinstance(exc, binding.api_error) and status is not None and status == binding.nothing_status


Attempt = list[tuple[list[str], Any, str | None]]  # (ids, answer, failure) per call that settled


def _collect(binding: Binding, outcomes: list[Attempt]) -> CancelResult:
    result = CancelResult()
    for outcome in outcomes:
        for ids, answer, failure in outcome:
            if failure is not None:
                result.failed[ids[0]] = failure
            else:
                fold(binding, result, ids, answer)
    return result


class Canceller:
    """Cancels one vendor's runs through its blocking client; per-run calls go out ``concurrency`` at a time.

    Closing it (``close()`` or a ``with`` block) closes the client.
    """

    def __init__(self, binding: Binding, client: Any, *, concurrency: int = 8) -> None:
        self.binding = binding
        self.client = client
        self.concurrency = concurrency

    @property
    def capabilities(self) -> Capabilities:
        """What the vendor's cancel can express."""
        return self.binding.capabilities

    def cancel(self, request: CancelRequest) -> CancelResult:
        """Cancel what ``request`` says; raises :class:`UnsupportedCancel` before sending anything it cannot."""
        check(self.binding, request)
        calls = [(ids, arguments(self.binding, request, ids)) for ids in chunks(self.binding, request)]
        with ThreadPoolExecutor(max_workers=max(1, self.concurrency)) as pool:
            outcomes = list(pool.map(lambda call: self._attempt(request, *call), calls))
        return _collect(self.binding, outcomes)

    def _attempt(self, request: CancelRequest, ids: list[str], given: dict[str, Any]) -> Attempt:
        try:
            return [(ids, getattr(self.client, self.binding.method)(**given), None)]
        except Exception as exc:
            if _found_nothing(self.binding, ids, exc):
                return []  # an empty result, not an error: there was nothing to cancel
            if not _per_run_failure(self.binding, exc) or not ids:
                raise  # not about one run, or a cancel by status or filter with no run to pin it on
            if len(ids) == 1:
                return [(ids, None, reason(exc))]
        return [
            item
            for run_id in ids
            for item in self._attempt(request, [run_id], arguments(self.binding, request, [run_id]))
        ]

    def close(self) -> None:
        """Close the client."""
        client: _Closeable = self.client
        client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class AsyncCanceller:
    """:class:`Canceller` for asyncio clients; close with ``aclose()`` or ``async with``."""

    def __init__(self, binding: Binding, client: Any, *, concurrency: int = 8) -> None:
        self.binding = binding
        self.client = client
        self.concurrency = concurrency

    @property
    def capabilities(self) -> Capabilities:
        """What the vendor's cancel can express."""
        return self.binding.capabilities

    async def cancel(self, request: CancelRequest) -> CancelResult:
        """Cancel what ``request`` says; raises :class:`UnsupportedCancel` before sending anything it cannot."""
        check(self.binding, request)
        calls = [(ids, arguments(self.binding, request, ids)) for ids in chunks(self.binding, request)]
        gate = asyncio.Semaphore(max(1, self.concurrency))
        outcomes = await asyncio.gather(*(self._attempt(gate, request, ids, given) for ids, given in calls))
        return _collect(self.binding, list(outcomes))

    async def _attempt(
        self, gate: asyncio.Semaphore, request: CancelRequest, ids: list[str], given: dict[str, Any]
    ) -> Attempt:
        try:
            async with gate:
                return [(ids, await getattr(self.client, self.binding.method)(**given), None)]
        except Exception as exc:
            if _found_nothing(self.binding, ids, exc):
                return []
            if not _per_run_failure(self.binding, exc) or not ids:
                raise
            if len(ids) == 1:
                return [(ids, None, reason(exc))]
        retried: Attempt = []
        for run_id in ids:
            retried.extend(await self._attempt(gate, request, [run_id], arguments(self.binding, request, [run_id])))
        return retried

    async def aclose(self) -> None:
        """Close the client."""
        client: _AsyncCloseable = self.client
        await client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()
