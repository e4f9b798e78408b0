"""The unified cancel engine (``generator/runtime/unified``) where it lives, over a small client of our own.

The engine only needs a client object with the bound method and the client's
``ApiError``; the generated clients are exercised against servers elsewhere.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pydantic
import pytest

from generator.runtime.unified._engine import AsyncCanceller, Binding, Canceller, Input, arguments, check, chunks
from generator.runtime.unified._types import CancelRequest, Capabilities, UnsupportedCancel


class ApiError(Exception):
    def __init__(self, status: int, parsed: Any = None) -> None:
        super().__init__(status)
        self.status = status
        self.parsed = parsed


class Detail(pydantic.BaseModel):
    detail: str


class Batch(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    ids: list[str] | None = None
    group: str | None = None
    owner: str | None = None


class Answer(pydantic.BaseModel):
    done: list[str]
    missed: list[str]


def caps(**changes: Any) -> Capabilities:
    base: dict[str, Any] = {
        "vendor": "acme",
        "by_ids": True,
        "per_run": False,
        "statuses": (),
        "filters": ("owner",),
        "scope": "group",
        "batch_limit": 2,
        "actions": ("soft",),
    }
    return Capabilities(**{**base, **changes})


BATCH = Binding(
    capabilities=caps(),
    method="cancel",
    inputs=(Input("run_ids", "body", "ids"), Input("scope", "body", "group"), Input("action", "parameter", "how")),
    body_model=Batch,
    api_error=ApiError,
)
PER_RUN = Binding(
    capabilities=caps(per_run=True, batch_limit=None, filters=(), actions=(), statuses=("running",)),
    method="cancel_one",
    inputs=(Input("run_id", "parameter", "run"), Input("scope", "parameter", "group")),
    body_model=None,
    api_error=ApiError,
    confirms="lists",
    cancelled_list="done",
    failed_list="missed",
    scope_required_with_ids=True,
)
# A batch endpoint that refuses a run alone when it cannot cancel it: runs go one per call.
CONFIRMING = Binding(
    capabilities=caps(filters=(), actions=(), statuses=("running", "all")),
    method="cancel",
    inputs=(Input("run_ids", "body", "ids"), Input("scope", "body", "group"), Input("status", "body", "owner")),
    body_model=Batch,
    api_error=ApiError,
    confirms="status",
    nothing_status=404,
    conflicts=(("status", "scope"), ("status", "run_ids")),
    scope_required_with_ids=True,
    credential="api_key",
)


class Client:
    """Remembers each call; refuses the ids in ``unknown`` with 404 (a batch holding one fails whole)."""

    def __init__(self, unknown: frozenset[str] = frozenset()) -> None:
        self.unknown = unknown
        self.calls: list[dict[str, Any]] = []
        self.closed = False

    def cancel(self, **given: Any) -> None:
        self.calls.append(given)
        body: Batch = given["body"]
        if set(body.ids or ()) & self.unknown:
            raise ApiError(404, Detail(detail="no such run"))

    def cancel_one(self, *, run: str, group: str) -> Answer:
        self.calls.append({"run": run, "group": group})
        if run in self.unknown:
            raise ApiError(500)
        return Answer(done=[run], missed=[])

    def close(self) -> None:
        self.closed = True


def test_what_the_vendor_cannot_express_is_refused_before_sending() -> None:
    refused = [
        (BATCH, CancelRequest(status="running")),
        (BATCH, CancelRequest(run_ids=["a"], filters={"owner": "x"})),
        (BATCH, CancelRequest(filters={"colour": "red"})),
        (BATCH, CancelRequest(run_ids=["a"], action="hard")),
        (BATCH, CancelRequest()),
        (PER_RUN, CancelRequest(run_ids=["a"])),
        (PER_RUN, CancelRequest(status="paused")),
        (PER_RUN, CancelRequest(run_ids=["a"], status="running", scope="g")),
        (CONFIRMING, CancelRequest(status="running", scope="g")),
        (CONFIRMING, CancelRequest(run_ids=["a"])),
    ]
    for binding, request in refused:
        with pytest.raises(UnsupportedCancel) as caught:
            check(binding, request)
        assert str(caught.value).startswith("acme cannot ")
    with pytest.raises(UnsupportedCancel, match="cannot cancel a run without its group"):
        check(PER_RUN, CancelRequest(run_ids=["a"]))
    with pytest.raises(UnsupportedCancel, match="cannot combine a status with a group"):
        check(CONFIRMING, CancelRequest(status="running", scope="g"))
    check(BATCH, CancelRequest(run_ids=["a"], scope="g", action="soft"))
    check(CONFIRMING, CancelRequest(run_ids=["a"], scope="g"))


def test_ids_are_deduplicated_then_batched_or_sent_one_per_call() -> None:
    request = CancelRequest(run_ids=["a", "b", "a", "c"], scope="g")
    assert chunks(BATCH, request) == [["a", "b"], ["c"]]
    assert chunks(PER_RUN, request) == [["a"], ["b"], ["c"]]
    assert chunks(CONFIRMING, request) == [["a"], ["b"], ["c"]]  # only a call about one run tells
    assert chunks(BATCH, CancelRequest(filters={"owner": "x"})) == [[]]


def test_roles_become_keyword_arguments_and_body_properties_and_the_body_is_checked() -> None:
    given = arguments(BATCH, CancelRequest(run_ids=["a"], scope="g", action="soft"), ["a"])
    assert given == {"how": "soft", "body": Batch(ids=["a"], group="g")}
    assert arguments(PER_RUN, CancelRequest(run_ids=["a"], scope="g"), ["a"]) == {"run": "a", "group": "g"}
    assert arguments(BATCH, CancelRequest(filters={"owner": "me"}), [])["body"] == Batch(owner="me")
    strict = Binding(caps(filters=("bogus",)), "cancel", (), Batch, ApiError)
    with pytest.raises(UnsupportedCancel, match=r"send this request \(bogus: Extra inputs are not permitted\)"):
        arguments(strict, CancelRequest(filters={"bogus": 1}), [])


def test_a_refused_batch_is_retried_run_by_run_and_an_empty_answer_only_accepts() -> None:
    client = Client(unknown=frozenset({"b"}))
    with Canceller(BATCH, client, concurrency=2) as canceller:
        result = canceller.cancel(CancelRequest(run_ids=["a", "b", "c"]))
    assert result.cancelled == [] and sorted(result.accepted) == ["a", "c"]
    assert result.failed == {"b": "404: no such run"}
    sent = sorted(tuple(call["body"].ids) for call in client.calls)
    assert sent == [("a",), ("a", "b"), ("b",), ("c",)]
    assert client.closed


def test_where_a_call_s_status_tells_runs_go_alone_and_only_successes_count_as_cancelled() -> None:
    client = Client(unknown=frozenset({"b"}))
    result = Canceller(CONFIRMING, client).cancel(CancelRequest(run_ids=["a", "b", "c"], scope="g"))
    assert sorted(result.cancelled) == ["a", "c"] and result.accepted == []
    assert result.failed == {"b": "404: no such run"}
    assert sorted(tuple(call["body"].ids) for call in client.calls) == [("a",), ("b",), ("c",)]


def test_a_status_cancel_that_finds_nothing_is_an_empty_result() -> None:
    class Nothing(Client):
        def cancel(self, **given: Any) -> None:
            raise ApiError(404, Detail(detail="No runs found to cancel"))

    result = Canceller(CONFIRMING, Nothing()).cancel(CancelRequest(status="running"))
    assert (result.cancelled, result.accepted, result.failed) == ([], [], {})
    with pytest.raises(ApiError):  # a 404 on a batch without that meaning still surfaces
        Canceller(BATCH, Nothing()).cancel(CancelRequest(filters={"owner": "x"}))


def test_answers_with_lists_are_read_and_other_errors_propagate() -> None:
    client = Client(unknown=frozenset({"x"}))
    canceller = Canceller(PER_RUN, client)
    result = canceller.cancel(CancelRequest(run_ids=["a", "b"], scope="g"))
    assert (result.cancelled, result.failed) == (["a", "b"], {})
    assert result.responses == [Answer(done=["a"], missed=[]), Answer(done=["b"], missed=[])]
    with pytest.raises(ApiError):
        canceller.cancel(CancelRequest(run_ids=["x"], scope="g"))  # a 500 is not one run's failure


def test_the_async_canceller_does_the_same_and_closes_with_aclose() -> None:
    class AsyncClient:
        def __init__(self) -> None:
            self.sync = Client(unknown=frozenset({"b"}))
            self.closed = False

        async def cancel(self, **given: Any) -> None:
            self.sync.cancel(**given)

        async def aclose(self) -> None:
            self.closed = True

    async def run() -> tuple[Any, bool]:
        client = AsyncClient()
        async with AsyncCanceller(BATCH, client, concurrency=1) as canceller:
            result = await canceller.cancel(CancelRequest(run_ids=["a", "b", "c"]))
        return result, client.closed

    result, closed = asyncio.run(run())
    assert sorted(result.accepted) == ["a", "c"] and result.failed == {"b": "404: no such run"} and closed
