"""The unified cancel API against the generated mock servers, over real HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import agno_server
import b3os_server
import cargo_server
import httpx
import langsmith_server
import pytest
import runcancel
import skyvern_server
from runcancel import CancelRequest, CancelResult, UnsupportedCancel

from tests.live_server import serve

WORKFLOW = "0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b"
THREAD = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99"


def ids(n: int, uuids: bool) -> list[str]:
    return [str(uuid.UUID(int=i + 1, version=4)) if uuids else f"run-{i}" for i in range(n)]


@dataclass(frozen=True)
class Vendor:
    """How to stand up one vendor's mock and what its runs look like."""

    server: Any
    base_path: str
    auth: dict[str, str]
    running: str
    finished: str
    cancelled: str
    scope_attribute: str | None
    scope: str | None
    uuid_ids: bool


VENDORS = {
    "cargo": Vendor(
        cargo_server, "/v1", {"token": "t"}, "running", "success", "cancelled", "workflowUuid", WORKFLOW, False
    ),
    "skyvern": Vendor(skyvern_server, "", {"api_key": "t"}, "running", "completed", "canceled", None, None, False),
    "b3os": Vendor(b3os_server, "", {"token": "t"}, "running", "success", "cancelled", None, None, False),
    "langsmith": Vendor(
        langsmith_server, "", {"api_key": "t"}, "running", "success", "interrupted", "thread_id", THREAD, True
    ),
    "agno": Vendor(agno_server, "", {"token": "t"}, "RUNNING", "COMPLETED", "CANCELLED", "workflow_id", "wf-1", False),
}


class Counting(httpx.HTTPTransport):
    """A real transport that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return super().handle_request(request)


def run_case(name: str, seed: Callable[[Any, Vendor], None], request: CancelRequest) -> tuple[CancelResult, Any, int]:
    vendor = VENDORS[name]
    store = vendor.server.RunStore()
    seed(store, vendor)
    transport = Counting()
    with serve(vendor.server.create_app(store=store)) as url:
        canceller = runcancel.for_vendor(name, base_url=url + vendor.base_path, transport=transport, **vendor.auth)
        result = canceller.cancel(request)
    return result, store, transport.sent


def add(store: Any, vendor: Vendor, run_ids: list[str], status: str) -> None:
    extra = {vendor.scope_attribute: vendor.scope} if vendor.scope_attribute else {}
    for run_id in run_ids:
        store.add(run_id, status, **extra)


# What each vendor reports, per case: 1 id, 250 ids, a mix of running, finished and unknown ids.
# Cargo and Agno answer {} whatever became of a run (Agno even for unknown ones): their runs are
# only ever "accepted". The others confirm each run, by a list in the answer or by a call's status.
CONFIRMED = {"cargo": False, "skyvern": True, "b3os": True, "langsmith": True, "agno": False}


def reported(name: str, result: CancelResult) -> list[str]:
    """The runs reported done, in the list that vendor's answers allow; the other list must be empty."""
    confirmed, accepted = result.cancelled, result.accepted
    assert (accepted if CONFIRMED[name] else confirmed) == [], (name, result)
    return confirmed if CONFIRMED[name] else accepted


@pytest.mark.parametrize("name", VENDORS)
def test_cancel_one_id(name: str) -> None:
    vendor = VENDORS[name]
    [run_id] = ids(1, vendor.uuid_ids)
    result, store, sent = run_case(
        name, lambda s, v: add(s, v, [run_id], v.running), CancelRequest(run_ids=[run_id], scope=vendor.scope)
    )
    assert (reported(name, result), result.failed, sent) == ([run_id], {}, 1)
    assert store.status(run_id) == vendor.cancelled


# LangSmith answers a batch with one 204 whatever it cancelled: only a call per run tells.
EXPECTED_CALLS_FOR_250 = {"cargo": 1, "skyvern": 3, "b3os": 250, "langsmith": 250, "agno": 250}


@pytest.mark.parametrize("name", VENDORS)
def test_cancel_250_ids_batches_or_fans_out(name: str) -> None:
    vendor = VENDORS[name]
    many = ids(250, vendor.uuid_ids)
    result, store, sent = run_case(
        name, lambda s, v: add(s, v, many, v.running), CancelRequest(run_ids=many, scope=vendor.scope)
    )
    assert sorted(reported(name, result)) == sorted(many) and result.failed == {}
    assert sent == EXPECTED_CALLS_FOR_250[name], "Skyvern takes 100 ids a call; the others one run a call"
    assert {store.status(r) for r in many} == {vendor.cancelled}


def _mix(name: str) -> tuple[CancelResult, Any, list[str]]:
    vendor = VENDORS[name]
    running, finished, unknown = ids(3, vendor.uuid_ids)

    def seed(store: Any, v: Vendor) -> None:
        add(store, v, [running], v.running)
        add(store, v, [finished], v.finished)

    result, store, _ = run_case(name, seed, CancelRequest(run_ids=[running, finished, unknown], scope=vendor.scope))
    return result, store, [running, finished, unknown]


def test_mix_skyvern_reports_failed_runs() -> None:
    result, store, (running, finished, unknown) = _mix("skyvern")
    assert result.cancelled == [running]
    assert result.failed == {finished: "the vendor could not cancel it", unknown: "the vendor could not cancel it"}
    assert store.status(finished) == "completed"


def test_mix_b3os_folds_404_and_409_into_failed() -> None:
    result, store, (running, finished, unknown) = _mix("b3os")
    assert result.cancelled == [running] and store.status(running) == "cancelled"
    assert result.failed == {finished: f"409: run {finished!r} is success", unknown: f"404: run {unknown!r} not found"}


def test_mix_langsmith_sends_each_run_alone_so_its_status_tells() -> None:
    result, store, (running, finished, unknown) = _mix("langsmith")
    # Each run alone: 204 for the running one, 404 for the finished and the unknown one.
    assert result.cancelled == [running] and result.accepted == []
    assert result.failed == {finished: f"404: run {finished!r} is success", unknown: f"404: run {unknown!r} not found"}
    assert (store.status(running), store.status(finished)) == ("interrupted", "success")


@pytest.mark.parametrize("name", ["cargo", "agno"])
def test_mix_vendors_that_accept_without_detail(name: str) -> None:
    result, store, (running, finished, unknown) = _mix(name)
    # Cargo and Agno answer {} whatever became of each run: accepted is all one can know.
    assert result.accepted == [running, finished, unknown] and result.cancelled == [] and result.failed == {}
    vendor = VENDORS[name]
    assert (store.status(running), store.status(finished)) == (vendor.cancelled, vendor.finished)


UNSUPPORTED = {
    "cargo": (CancelRequest(status="running", scope=WORKFLOW), "cargo cannot cancel runs by status"),
    "skyvern": (CancelRequest(run_ids=["a"], action="rollback"), "skyvern cannot cancel with action 'rollback'"),
    "b3os": (CancelRequest(run_ids=["a"], scope="wf"), "b3os cannot limit a cancel to a scope"),
    "langsmith": (
        CancelRequest(run_ids=[WORKFLOW], scope=THREAD, action="stop"),
        "langsmith cannot cancel with action 'stop' (only interrupt, rollback)",
    ),
    "agno": (CancelRequest(run_ids=["a"]), "agno cannot cancel a run without its workflow"),
}


@pytest.mark.parametrize("name", VENDORS)
def test_unsupported_request_is_refused_before_sending(name: str) -> None:
    request, message = UNSUPPORTED[name]
    with pytest.raises(UnsupportedCancel, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        run_case(name, lambda s, v: None, request)
    assert caught.value.vendor == name


def test_scope_the_schema_requires_is_refused_before_sending() -> None:
    with pytest.raises(UnsupportedCancel, match="cargo cannot cancel a run without its workflow"):
        run_case("cargo", lambda s, v: None, CancelRequest(run_ids=["a"]))
    with pytest.raises(UnsupportedCancel, match="langsmith cannot cancel a run without its thread"):
        run_case("langsmith", lambda s, v: None, CancelRequest(run_ids=[WORKFLOW]))


@pytest.mark.parametrize(
    "request_",
    [CancelRequest(status="running", scope=THREAD), CancelRequest(status="running", run_ids=[WORKFLOW], scope=THREAD)],
)
def test_what_the_agent_server_refuses_is_refused_before_sending(request_: CancelRequest) -> None:
    # The real server answers 422 for a status with a thread or run ids; the spec lets both through.
    with pytest.raises(UnsupportedCancel, match="langsmith cannot combine"):
        run_case("langsmith", lambda s, v: None, request_)


def test_a_status_cancel_with_nothing_to_cancel_is_an_empty_result() -> None:
    result, _, sent = run_case(
        "langsmith", lambda s, v: add(s, v, ids(1, True), "success"), CancelRequest(status="running")
    )
    assert (result.cancelled, result.accepted, result.failed, sent) == ([], [], {}, 1)


def test_langsmith_by_status_and_cargo_by_filter() -> None:
    vendor = VENDORS["langsmith"]
    a, b = ids(2, True)
    result, store, sent = run_case(
        "langsmith",
        lambda s, v: (add(s, v, [a], "running"), add(s, v, [b], "pending")),
        CancelRequest(status="pending"),
    )
    assert (result.cancelled, result.failed, sent) == ([], {}, 1)
    assert (store.status(a), store.status(b)) == ("running", vendor.cancelled)

    def seed(store: Any, v: Vendor) -> None:
        store.add("r1", "running", workflowUuid=WORKFLOW, recordId="rec")
        store.add("r2", "running", workflowUuid=WORKFLOW, recordId="other")

    result, store, _ = run_case("cargo", seed, CancelRequest(scope=WORKFLOW, filters={"recordId": "rec"}))
    assert (store.status("r1"), store.status("r2")) == ("cancelled", "running")


def test_capabilities_come_from_the_specs() -> None:
    caps = runcancel.CAPABILITIES
    assert caps["skyvern"].batch_limit == 100 and not caps["skyvern"].per_run
    assert caps["b3os"].per_run and caps["agno"].per_run and caps["agno"].scope == "workflow"
    assert caps["langsmith"].statuses == ("pending", "running", "all")
    assert caps["langsmith"].actions == ("interrupt", "rollback") and caps["langsmith"].scope == "thread"
    assert "recordId" in caps["cargo"].filters and caps["cargo"].scope == "workflow"
    with pytest.raises(ValueError, match="unknown vendor 'nope'"):
        runcancel.for_vendor("nope")


@pytest.mark.parametrize("name", VENDORS)
def test_async_canceller_gives_the_same_result(name: str) -> None:
    vendor = VENDORS[name]
    running, finished, unknown = ids(3, vendor.uuid_ids)
    request = CancelRequest(run_ids=[running, finished, unknown], scope=vendor.scope)

    def seed(store: Any) -> None:
        add(store, vendor, [running], vendor.running)
        add(store, vendor, [finished], vendor.finished)

    sync_store = vendor.server.RunStore()
    seed(sync_store)
    async_store = vendor.server.RunStore()
    seed(async_store)
    with serve(vendor.server.create_app(store=sync_store)) as url:
        expected = runcancel.for_vendor(name, base_url=url + vendor.base_path, **vendor.auth).cancel(request)
    with serve(vendor.server.create_app(store=async_store)) as url:

        async def go() -> CancelResult:
            canceller = runcancel.async_for_vendor(name, base_url=url + vendor.base_path, concurrency=2, **vendor.auth)
            return await canceller.cancel(request)

        got = asyncio.run(go())
    assert (got.cancelled, got.failed) == (expected.cancelled, expected.failed)
    assert len(got.responses) == len(expected.responses)


@pytest.mark.parametrize("name", VENDORS)
def test_one_credential_option_for_every_vendor(name: str) -> None:
    vendor = VENDORS[name]
    [run_id] = ids(1, vendor.uuid_ids)
    store = vendor.server.RunStore()
    add(store, vendor, [run_id], vendor.running)
    request = CancelRequest(run_ids=[run_id], scope=vendor.scope)
    with serve(vendor.server.create_app(store=store, credentials={"secret"})) as url:
        wrong = runcancel.for_vendor(name, credential="wrong", base_url=url + vendor.base_path)
        with wrong as canceller, pytest.raises(Exception, match="answered 401"):
            canceller.cancel(request)
        with runcancel.for_vendor(name, credential="secret", base_url=url + vendor.base_path) as canceller:
            assert reported(name, canceller.cancel(request)) == [run_id]
    assert store.status(run_id) == vendor.cancelled


@pytest.mark.parametrize(
    ("name", "variable"),
    [("skyvern", "SKYVERN_API_KEY"), ("langsmith", "LANGSMITH_API_KEY"), ("langsmith", "LANGCHAIN_API_KEY")],
)
def test_a_credential_not_passed_is_read_from_the_vendor_sdk_s_variable(
    name: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for unset in ("SKYVERN_API_KEY", "LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv(variable, ' "secret" ')  # quoted and padded, as .env files often hold it
    vendor = VENDORS[name]
    [run_id] = ids(1, vendor.uuid_ids)
    store = vendor.server.RunStore()
    add(store, vendor, [run_id], vendor.running)

    async def cancel(url: str) -> CancelResult:
        async with runcancel.async_for_vendor(name, base_url=url + vendor.base_path) as canceller:
            return await canceller.cancel(CancelRequest(run_ids=[run_id], scope=vendor.scope))

    with serve(vendor.server.create_app(store=store, credentials={"secret"})) as url:
        assert asyncio.run(cancel(url)).cancelled == [run_id]


def test_an_unknown_vendor_is_refused_even_with_a_credential() -> None:
    with pytest.raises(ValueError, match="unknown vendor 'nope'"):
        runcancel.for_vendor("nope", credential="x")


@pytest.mark.parametrize("name", VENDORS)
def test_every_run_reported_is_what_the_server_s_store_shows(name: str) -> None:
    vendor = VENDORS[name]
    result, store, (running, finished, unknown) = _mix(name)
    for run_id in result.cancelled:
        assert store.status(run_id) == vendor.cancelled, (name, run_id)
    for run_id, reason in result.failed.items():
        assert reason and store.status(run_id) in (None, vendor.finished), (name, run_id, reason)
    # Nothing is lost: every run is reported once, in the list the vendor's answers allow.
    reported_ids = [*result.cancelled, *result.accepted, *result.failed]
    assert sorted(reported_ids) == sorted([running, finished, unknown])
    assert store.status(running) == vendor.cancelled and store.status(finished) == vendor.finished
