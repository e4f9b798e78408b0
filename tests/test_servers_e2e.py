"""Each generated client against its generated server, over real HTTP on loopback (uvicorn)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import agno_client
import agno_server
import b3os_client
import b3os_server
import cargo_client
import cargo_server
import httpx
import langsmith_client
import langsmith_server
import pytest
import skyvern_client
import skyvern_server

from tests.live_server import serve

V4 = "0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b"
W4 = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
T4 = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99"


@pytest.fixture
def cargo_live() -> Iterator[tuple[cargo_client.Client, cargo_server.RunStore]]:
    store = cargo_server.RunStore()
    store.add("r1", "running", workflowUuid=V4, recordId="rec-1")
    store.add("r2", "pending", workflowUuid=V4, recordId="rec-2")
    store.add("r3", "success", workflowUuid=V4, recordId="rec-1")
    store.add("r4", "running", workflowUuid=W4, recordId="rec-1")
    # The vendor's own base URL has a /v1 path; the mock serves under it too.
    with (
        serve(cargo_server.create_app(store=store, credentials={"good"})) as url,
        cargo_client.Client(base_url=url + "/v1", token="good") as client,
    ):
        yield client, store


def test_cargo_by_ids(cargo_live: tuple[cargo_client.Client, cargo_server.RunStore]) -> None:
    client, store = cargo_live
    result = client.post_orchestration_runs_cancel(workflow_uuid=V4, uuids=["r1", "r3", "r4", "nope"])
    assert isinstance(result, cargo_client.models.PostOrchestrationRunsCancelResponse)
    # Only runs of that workflow that can still be cancelled are; the rest are left as they were.
    assert [store.status(r) for r in ("r1", "r2", "r3", "r4")] == ["cancelled", "pending", "success", "running"]


def test_cargo_by_filters(cargo_live: tuple[cargo_client.Client, cargo_server.RunStore]) -> None:
    client, store = cargo_live
    client.post_orchestration_runs_cancel(workflow_uuid=V4, record_id="rec-1")
    assert [store.status(r) for r in ("r1", "r2", "r3", "r4")] == ["cancelled", "pending", "success", "running"]


def test_cargo_invalid_body_is_400_and_auth_is_enforced(
    cargo_live: tuple[cargo_client.Client, cargo_server.RunStore],
) -> None:
    client, _ = cargo_live
    url = str(client._http.base_url).rstrip("/")
    mixed = {"workflowUuid": V4, "uuids": [], "recordId": "r"}
    answer = httpx.post(f"{url}/orchestration/runs/cancel", json=mixed, headers={"Authorization": "Bearer good"})
    assert (answer.status_code, answer.content) == (400, b""), "Cargo documents a bare 400"
    with pytest.raises(cargo_client.errors.UnauthorizedError):
        cargo_client.Client(base_url=url, token="bad").post_orchestration_runs_cancel(workflow_uuid=V4, uuids=[])
    with pytest.raises(cargo_client.errors.UnauthorizedError):
        cargo_client.Client(base_url=url).post_orchestration_runs_cancel(workflow_uuid=V4, uuids=[])


@pytest.fixture
def skyvern_live() -> Iterator[tuple[skyvern_client.Client, skyvern_server.RunStore, str]]:
    store = skyvern_server.RunStore()
    store.add("wr_1", "running")
    store.add("wr_2", "queued")
    store.add("wr_3", "completed")
    with (
        serve(skyvern_server.create_app(store=store)) as url,
        skyvern_client.Client(base_url=url, api_key="k") as client,
    ):
        yield client, store, url


def test_skyvern_cancelled_and_failed_lists(skyvern_live: tuple[Any, skyvern_server.RunStore, str]) -> None:
    client, store, _ = skyvern_live
    result = client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["wr_1", "wr_2", "wr_3", "wr_x"])
    assert (result.cancelled, result.failed) == (["wr_1", "wr_2"], ["wr_3", "wr_x"])
    assert store.status("wr_1") == "canceled"


def test_skyvern_422_and_missing_key(skyvern_live: tuple[Any, skyvern_server.RunStore, str]) -> None:
    _, _, url = skyvern_live
    answer = httpx.post(f"{url}/v1/runs/cancel", json={"run_ids": ["r"] * 101}, headers={"x-api-key": "k"})
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail and {"loc", "msg", "type"} <= set(detail[0])
    assert httpx.post(f"{url}/v1/runs/cancel", json={}, headers={"x-api-key": "k"}).status_code == 422
    assert httpx.post(f"{url}/v1/runs/cancel", content=b"{oops", headers={"x-api-key": "k"}).status_code == 422
    missing = httpx.post(f"{url}/v1/runs/cancel", json={"run_ids": []})
    assert missing.status_code == 401


@pytest.fixture
def b3os_live() -> Iterator[tuple[b3os_client.Client, b3os_server.RunStore]]:
    store = b3os_server.RunStore()
    store.add("run-1", "running", workflowId="wf-1", isSimulation=False)
    store.add("run-2", "success", workflowId="wf-1")
    with serve(b3os_server.create_app(store=store)) as url, b3os_client.Client(base_url=url, token="t") as client:
        yield client, store


def test_b3os_cancel_answers_the_run_in_its_envelope(b3os_live: tuple[b3os_client.Client, Any]) -> None:
    client, store = b3os_live
    result = client.cancel_run(id="run-1")
    assert (result.code, result.message) == (200, "success")
    assert result.data is not None and (result.data.id, result.data.status) == ("run-1", "cancelled")
    assert result.data.workflow_id == "wf-1" and result.data.is_simulation is False
    assert store.status("run-1") == "cancelled"


def test_b3os_missing_token_is_401_in_the_envelope(b3os_live: tuple[b3os_client.Client, Any]) -> None:
    client, _ = b3os_live
    url = str(client._http.base_url).rstrip("/")
    with pytest.raises(b3os_client.errors.UnauthorizedError) as caught:
        b3os_client.Client(base_url=url).cancel_run(id="run-1")
    assert caught.value.status == 401
    body = caught.value.response.json()
    assert (body["code"], body["message"]) == (401, "missing credentials") and body["requestId"]


@pytest.mark.parametrize(
    ("run_id", "error", "status"),
    [("run-2", b3os_client.errors.ConflictError, 409), ("nope", b3os_client.errors.NotFoundError, 404)],
)
def test_b3os_conflict_and_not_found(
    b3os_live: tuple[b3os_client.Client, Any], run_id: str, error: type[Exception], status: int
) -> None:
    client, _ = b3os_live
    with pytest.raises(error) as caught:
        client.cancel_run(id=run_id)
    parsed = caught.value.parsed  # type: ignore[attr-defined]
    assert isinstance(parsed, b3os_client.models.ErrorResponse)
    assert parsed.code == status and parsed.request_id


@pytest.fixture
def langsmith_live() -> Iterator[tuple[langsmith_client.Client, langsmith_server.RunStore, str]]:
    store = langsmith_server.RunStore()
    store.add(V4, "running", thread_id=T4)
    store.add(W4, "pending", thread_id=T4)
    with (
        serve(langsmith_server.create_app(store=store, credentials={"key"})) as url,
        langsmith_client.Client(base_url=url, api_key="key") as client,
    ):
        yield client, store, url


def test_langsmith_by_ids_204(langsmith_live: tuple[langsmith_client.Client, Any, str]) -> None:
    client, store, _ = langsmith_live
    assert client.cancel_runs_post(thread_id=T4, run_ids=[V4], action="interrupt") is None
    assert (store.status(V4), store.status(W4)) == ("interrupted", "pending")


def test_langsmith_by_status(langsmith_live: tuple[langsmith_client.Client, Any, str]) -> None:
    client, store, _ = langsmith_live
    assert client.cancel_runs_post(status="pending") is None
    assert (store.status(V4), store.status(W4)) == ("running", "interrupted")


def test_langsmith_batch_cancels_what_it_can_and_fails_only_when_nothing_could_be(
    langsmith_live: tuple[langsmith_client.Client, Any, str],
) -> None:
    # As the real agent server does: one 204 for a batch, 404 when nothing in it could be cancelled.
    client, store, _ = langsmith_live
    unknown = "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f"
    with pytest.raises(langsmith_client.errors.NotFoundError):
        client.cancel_runs_post(thread_id=T4, run_ids=[unknown])
    assert client.cancel_runs_post(thread_id=T4, run_ids=[V4, unknown]) is None
    assert store.status(V4) == "interrupted"


def test_langsmith_unknown_run_is_404_and_both_branches_422(
    langsmith_live: tuple[langsmith_client.Client, Any, str],
) -> None:
    client, _, url = langsmith_live
    with pytest.raises(langsmith_client.errors.NotFoundError) as caught:
        client.cancel_runs_post(thread_id=T4, run_ids=[W4.replace("9f", "aa")])
    assert caught.value.parsed is not None and "not found" in caught.value.parsed.detail
    both = {"status": "all", "thread_id": T4, "run_ids": [V4]}
    answer = httpx.post(f"{url}/runs/cancel", json=both, headers={"x-api-key": "key"})
    assert answer.status_code == 422 and isinstance(answer.json()["detail"], str)
    assert httpx.post(f"{url}/runs/cancel", json={"status": "all"}, headers={"x-api-key": "nope"}).status_code == 401


@pytest.fixture
def agno_live() -> Iterator[tuple[agno_client.Client, agno_server.RunStore, str]]:
    store = agno_server.RunStore()
    store.add("r1", "RUNNING", workflow_id="wf")
    with serve(agno_server.create_app(store=store)) as url, agno_client.Client(base_url=url, token="t") as client:
        yield client, store, url


def test_agno_cancel_and_unknown_both_answer_empty_200(agno_live: tuple[agno_client.Client, Any, str]) -> None:
    client, store, _ = agno_live
    assert client.cancel_workflow_run(workflow_id="wf", run_id="r1") == {}
    assert store.status("r1") == "CANCELLED"
    assert client.cancel_workflow_run(workflow_id="wf", run_id="unknown") == {}


def test_agno_auth(agno_live: tuple[agno_client.Client, Any, str]) -> None:
    _, _, url = agno_live
    with pytest.raises(agno_client.errors.UnauthorizedError) as caught:
        agno_client.Client(base_url=url).cancel_workflow_run(workflow_id="wf", run_id="r1")
    assert caught.value.parsed is not None and caught.value.parsed.error_code == "UNAUTHORIZED"


def test_custom_handler_gets_typed_inputs() -> None:
    seen: list[Any] = []

    class Mine:
        async def cancel_runs_post(self, *, action: str | None, body: Any) -> None:
            seen.append((action, type(body).__name__, body.status))

    with serve(langsmith_server.create_app(Mine())) as url:
        langsmith_client.Client(base_url=url, api_key="k").cancel_runs_post(status="all", action="rollback")
    assert seen == [("rollback", "RunsCancel", "all")]


# --- Every documented error status, raised by a handler, arrives as the client's typed error ------

CLIENTS: dict[str, Any] = {
    "cargo": lambda url: cargo_client.Client(base_url=url + "/v1", token="t").post_orchestration_runs_cancel(
        workflow_uuid=V4, uuids=[]
    ),
    "skyvern": lambda url: skyvern_client.Client(base_url=url, api_key="t").bulk_cancel_runs_v1_runs_cancel_post(
        run_ids=[]
    ),
    "b3os": lambda url: b3os_client.Client(base_url=url, token="t").cancel_run(id="r"),
    "langsmith": lambda url: langsmith_client.Client(base_url=url, api_key="t").cancel_runs_post(status="all"),
    "agno": lambda url: agno_client.Client(base_url=url, token="t").cancel_workflow_run(workflow_id="w", run_id="r"),
}
SERVERS: dict[str, Any] = {
    "cargo": cargo_server,
    "skyvern": skyvern_server,
    "b3os": b3os_server,
    "langsmith": langsmith_server,
    "agno": agno_server,
}
ERROR_MODULES: dict[str, Any] = {
    "cargo": cargo_client.errors,
    "skyvern": skyvern_client.errors,
    "b3os": b3os_client.errors,
    "langsmith": langsmith_client.errors,
    "agno": agno_client.errors,
}


def _documented_errors() -> list[Any]:
    from tests.conftest import vendor_api

    cases = []
    for vendor in CLIENTS:
        op = vendor_api(vendor).operations[0]
        for response in op.responses:
            if not response.is_success:
                cases.append(
                    pytest.param(
                        vendor, int(response.status), response.schema is not None, id=f"{vendor}-{response.status}"
                    )
                )
    return cases


@pytest.mark.parametrize(("vendor", "status", "has_model"), _documented_errors())
def test_documented_error_statuses_cross_the_wire_typed(vendor: str, status: int, has_model: bool) -> None:
    server = SERVERS[vendor]

    class Failing:
        def __getattr__(self, name: str) -> Any:
            async def fail(**_: Any) -> None:
                raise server.Problem(status, "boom")

            return fail

    errors = ERROR_MODULES[vendor]
    with serve(server.create_app(Failing())) as url, pytest.raises(errors.ApiError) as caught:
        CLIENTS[vendor](url)
    assert caught.value.status == status
    assert type(caught.value) is errors.error_class(status)
    assert "(documented)" in str(caught.value)
    if has_model:
        assert caught.value.parsed is not None, "the body the stub wrote matches the vendor's error model"
