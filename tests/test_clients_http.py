"""The generated clients over httpx.MockTransport: exact requests out, typed results and errors back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import agno_client
import b3os_client
import cargo_client
import httpx
import langsmith_client
import pydantic
import pytest
import skyvern_client

V4 = "0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b"
V4B = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"


class Recorder:
    """A transport handler that records requests and plays back one canned answer each."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def only(self) -> httpx.Request:
        assert len(self.requests) == 1, self.requests
        return self.requests[0]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def sent_json(request: httpx.Request) -> Any:
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


# --- Cargo: anyOf of "by ids" and "by filters", bearer auth, base URL with a path -----------------


def cargo(recorder: Recorder) -> cargo_client.Client:
    return cargo_client.Client(token="t0k", transport=recorder.transport())


def test_cargo_by_ids() -> None:
    recorder = Recorder(answer(200, {}))
    result = cargo(recorder).post_orchestration_runs_cancel(workflow_uuid=V4, uuids=["r1", "r2"])
    request = recorder.only
    assert (request.method, str(request.url)) == ("POST", "https://api.getcargo.io/v1/orchestration/runs/cancel")
    assert request.headers["authorization"] == "Bearer t0k"
    assert sent_json(request) == {"workflowUuid": V4, "uuids": ["r1", "r2"]}
    assert isinstance(result, cargo_client.models.PostOrchestrationRunsCancelResponse)


def test_cargo_by_filters_and_as_a_model() -> None:
    recorder = Recorder(answer(200, {}))
    client = cargo(recorder)
    client.post_orchestration_runs_cancel(workflow_uuid=V4, record_id="rec", is_group_parent=False)
    assert sent_json(recorder.requests[0]) == {"workflowUuid": V4, "recordId": "rec", "isGroupParent": False}
    body = cargo_client.models.PostOrchestrationRunsCancelBody.model_validate({"workflowUuid": V4, "uuids": []})
    client.post_orchestration_runs_cancel(body=body)
    assert sent_json(recorder.requests[1]) == {"workflowUuid": V4, "uuids": []}


@pytest.mark.parametrize(
    "fields",
    [
        {"workflow_uuid": V4, "uuids": ["a"], "record_id": "r"},  # mixes the two closed variants
        {"uuids": ["a"]},  # no workflow
        {"workflow_uuid": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "uuids": []},  # not a v4 UUID
    ],
)
def test_cargo_rejects_bodies_the_schema_rejects_before_sending(fields: dict[str, Any]) -> None:
    recorder = Recorder(answer(200, {}))
    with pytest.raises(pydantic.ValidationError):
        cargo(recorder).post_orchestration_runs_cancel(**fields)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, cargo_client.errors.BadRequestError),
        (401, cargo_client.errors.UnauthorizedError),
        (404, cargo_client.errors.NotFoundError),
        (500, cargo_client.errors.ServerError),
    ],
)
def test_cargo_documented_errors(status: int, error: type[Exception]) -> None:
    recorder = Recorder(httpx.Response(status, text="nope"))
    with pytest.raises(error) as caught:
        cargo(recorder).post_orchestration_runs_cancel(workflow_uuid=V4, uuids=[])
    assert isinstance(caught.value, cargo_client.errors.ApiError)
    assert (caught.value.status, caught.value.body, caught.value.parsed) == (status, b"nope", None)
    assert "(documented)" in str(caught.value)


# --- Skyvern: capped id list, x-api-key ----------------------------------------------------------


def skyvern(recorder: Recorder, **options: Any) -> skyvern_client.Client:
    return skyvern_client.Client(api_key="k3y", transport=recorder.transport(), **options)


def test_skyvern_cancel_and_typed_answer() -> None:
    recorder = Recorder(answer(200, {"cancelled": ["a"], "failed": ["b"], "new_field": 1}))
    result = skyvern(recorder).bulk_cancel_runs_v1_runs_cancel_post(run_ids=["a", "b"])
    request = recorder.only
    assert (request.method, str(request.url)) == ("POST", "https://api.skyvern.com/v1/runs/cancel")
    assert request.headers["x-api-key"] == "k3y"
    assert "authorization" not in request.headers
    assert sent_json(request) == {"run_ids": ["a", "b"]}
    assert (result.cancelled, result.failed) == (["a"], ["b"])


def test_skyvern_max_items_is_enforced_client_side() -> None:
    recorder = Recorder(answer(200, {"cancelled": [], "failed": []}))
    client = skyvern(recorder)
    client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["r"] * 100)
    with pytest.raises(pydantic.ValidationError):
        client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["r"] * 101)
    assert len(recorder.requests) == 1


def test_skyvern_422_carries_the_parsed_validation_error() -> None:
    detail = {"detail": [{"loc": ["body", "run_ids"], "msg": "bad", "type": "value_error"}]}
    recorder = Recorder(answer(422, detail))
    with pytest.raises(skyvern_client.errors.ValidationError) as caught:
        skyvern(recorder).bulk_cancel_runs_v1_runs_cancel_post(run_ids=[])
    parsed = caught.value.parsed
    assert isinstance(parsed, skyvern_client.models.HTTPValidationError)
    assert parsed.detail is not None and parsed.detail[0].msg == "bad"


def test_skyvern_retries_429_and_503_honouring_retry_after() -> None:
    slept: list[float] = []
    recorder = Recorder(
        answer(503, headers={"Retry-After": "2"}),
        answer(429, headers={"Retry-After": "0.5"}),
        answer(200, {"cancelled": ["a"], "failed": []}),
    )
    client = skyvern(recorder, retry=skyvern_client.Retry(attempts=3), sleep=slept.append)
    result = client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["a"])
    assert result.cancelled == ["a"]
    assert slept == [2.0, 0.5]
    assert len(recorder.requests) == 3


def test_skyvern_gives_up_after_the_last_attempt() -> None:
    slept: list[float] = []
    recorder = Recorder(answer(503))
    client = skyvern(recorder, retry=skyvern_client.Retry(attempts=2, backoff=1.0), sleep=slept.append)
    with pytest.raises(skyvern_client.errors.ServerError) as caught:
        client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["a"])
    assert "(undocumented)" in str(caught.value)
    assert len(recorder.requests) == 2 and len(slept) == 1 and 0.5 <= slept[0] <= 1.0


# --- B3OS: per-run path, envelope answer ---------------------------------------------------------


def b3os(recorder: Recorder) -> b3os_client.Client:
    return b3os_client.Client(token="t", transport=recorder.transport())


def test_b3os_per_run_path_is_encoded_and_envelope_parsed() -> None:
    envelope = {
        "code": 200,
        "data": {"id": "run/1", "status": "cancelled", "workflowDefinition": {"nodes": {}}, "brandNew": True},
        "message": "success",
        "requestId": "abc-123",
    }
    recorder = Recorder(answer(200, envelope))
    result = b3os(recorder).cancel_run(id="run/1 x")
    request = recorder.only
    assert (request.method, str(request.url)) == ("POST", "https://api.b3os.org/v1/runs/run%2F1%20x/cancel")
    assert request.content == b""
    assert result.data is not None and result.data.status == "cancelled"
    assert result.request_id == "abc-123"


def test_b3os_unknown_status_value_does_not_break_an_old_client() -> None:
    recorder = Recorder(answer(200, {"code": 200, "data": {"id": "r", "status": "paused"}}))
    result = b3os(recorder).cancel_run(id="r")
    assert result.data is not None and result.data.status == "paused"


@pytest.mark.parametrize(
    ("status", "error"), [(404, b3os_client.errors.NotFoundError), (409, b3os_client.errors.ConflictError)]
)
def test_b3os_errors_carry_the_envelope(status: int, error: type[Exception]) -> None:
    recorder = Recorder(answer(status, {"code": status, "message": "no", "requestId": "q"}))
    with pytest.raises(error) as caught:
        b3os(recorder).cancel_run(id="r")
    parsed = caught.value.parsed  # type: ignore[attr-defined]
    assert isinstance(parsed, b3os_client.models.ErrorResponse) and parsed.request_id == "q"


# --- LangSmith: oneOf of required-only branches, action query, 204 --------------------------------


def langsmith(recorder: Recorder) -> langsmith_client.Client:
    return langsmith_client.Client(base_url="http://agent.local:2024", api_key="ls", transport=recorder.transport())


def test_langsmith_by_status_with_action_and_204() -> None:
    recorder = Recorder(answer(204))
    result = langsmith(recorder).cancel_runs_post(status="running", action="rollback")
    request = recorder.only
    assert (request.method, str(request.url)) == ("POST", "http://agent.local:2024/runs/cancel?action=rollback")
    assert request.headers["x-api-key"] == "ls"
    assert sent_json(request) == {"status": "running"}
    assert result is None


def test_langsmith_by_thread_and_ids_without_action() -> None:
    recorder = Recorder(answer(204))
    langsmith(recorder).cancel_runs_post(thread_id=V4, run_ids=[V4B])
    request = recorder.only
    assert str(request.url) == "http://agent.local:2024/runs/cancel"
    assert sent_json(request) == {"thread_id": V4, "run_ids": [V4B]}


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "all", "thread_id": V4, "run_ids": [V4B]},  # matches both branches: oneOf says no
        {},
        {"thread_id": V4},
        {"thread_id": "not-a-uuid", "run_ids": []},
    ],
)
def test_langsmith_rejects_what_the_schema_rejects(fields: dict[str, Any]) -> None:
    recorder = Recorder(answer(204))
    with pytest.raises(pydantic.ValidationError):
        langsmith(recorder).cancel_runs_post(**fields)
    assert recorder.requests == []


def test_langsmith_base_url_is_required() -> None:
    with pytest.raises(TypeError):
        langsmith_client.Client()  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, langsmith_client.errors.NotFoundError), (422, langsmith_client.errors.ValidationError)],
)
def test_langsmith_errors(status: int, error: type[Exception]) -> None:
    recorder = Recorder(answer(status, {"detail": "why"}))
    with pytest.raises(error) as caught:
        langsmith(recorder).cancel_runs_post(status="all")
    parsed = caught.value.parsed  # type: ignore[attr-defined]
    assert isinstance(parsed, langsmith_client.models.ErrorResponse) and parsed.detail == "why"


# --- Agno: per-run path under a workflow, {} answer ----------------------------------------------


def agno(recorder: Recorder) -> agno_client.Client:
    return agno_client.Client(base_url="http://os.local", token="bt", transport=recorder.transport())


def test_agno_path_only_cancel() -> None:
    recorder = Recorder(answer(200, {}))
    result = agno(recorder).cancel_workflow_run(workflow_id="wf 1", run_id="r1")
    request = recorder.only
    assert (request.method, str(request.url)) == ("POST", "http://os.local/workflows/wf%201/runs/r1/cancel")
    assert request.headers["authorization"] == "Bearer bt"
    assert request.content == b""
    assert result == {}


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, agno_client.errors.BadRequestError),
        (401, agno_client.errors.UnauthorizedError),
        (404, agno_client.errors.NotFoundError),
        (422, agno_client.errors.ValidationError),
        (500, agno_client.errors.ServerError),
    ],
)
def test_agno_documented_errors_parse_their_models(status: int, error: type[Exception]) -> None:
    recorder = Recorder(answer(status, {"detail": "d", "error_code": "E"}))
    with pytest.raises(error) as caught:
        agno(recorder).cancel_workflow_run(workflow_id="w", run_id="r")
    parsed = caught.value.parsed  # type: ignore[attr-defined]
    assert parsed is not None and (parsed.detail, parsed.error_code) == ("d", "E")


# --- What every client does the same way ----------------------------------------------------------

CALLS: dict[str, Callable[[Recorder], Any]] = {
    "cargo": lambda r: cargo(r).post_orchestration_runs_cancel(workflow_uuid=V4, uuids=[]),
    "skyvern": lambda r: skyvern(r).bulk_cancel_runs_v1_runs_cancel_post(run_ids=[]),
    "b3os": lambda r: b3os(r).cancel_run(id="r"),
    "langsmith": lambda r: langsmith(r).cancel_runs_post(status="all"),
    "agno": lambda r: agno(r).cancel_workflow_run(workflow_id="w", run_id="r"),
}
ERRORS = {
    "cargo": cargo_client.errors,
    "skyvern": skyvern_client.errors,
    "b3os": b3os_client.errors,
    "langsmith": langsmith_client.errors,
    "agno": agno_client.errors,
}


@pytest.mark.parametrize("vendor", CALLS)
def test_undocumented_status_raises_api_error(vendor: str) -> None:
    with pytest.raises(ERRORS[vendor].ApiError) as caught:
        CALLS[vendor](Recorder(httpx.Response(418, text="teapot")))
    assert caught.value.status == 418 and "(undocumented)" in str(caught.value)
    assert type(caught.value) is ERRORS[vendor].ApiError


@pytest.mark.parametrize("vendor", ["cargo", "skyvern", "b3os", "agno"])
def test_malformed_json_raises_api_error_not_json_decode_error(vendor: str) -> None:
    with pytest.raises(ERRORS[vendor].ApiError, match="not valid JSON"):
        CALLS[vendor](Recorder(httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"})))


@pytest.mark.parametrize("vendor", CALLS)
def test_timeout_raises_request_timeout_error(vendor: str) -> None:
    with pytest.raises(ERRORS[vendor].RequestTimeoutError):
        CALLS[vendor](Recorder(httpx.ReadTimeout("slow")))


def test_async_clients_send_the_same_requests() -> None:
    async def run() -> list[httpx.Request]:
        recorder = Recorder(answer(204))
        transport = httpx.MockTransport(recorder)
        async with langsmith_client.AsyncClient(base_url="http://a", api_key="k", transport=transport) as client:
            assert await client.cancel_runs_post(thread_id=V4, run_ids=[V4B], action="interrupt") is None
        sky = Recorder(answer(503, headers={"Retry-After": "0"}), answer(200, {"cancelled": ["x"], "failed": []}))
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        async with skyvern_client.AsyncClient(
            api_key="k", transport=httpx.MockTransport(sky), retry=skyvern_client.Retry(attempts=2), sleep=sleep
        ) as client:
            result = await client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["x"])
            assert result.cancelled == ["x"]
        assert slept == [0.0]
        timeout = Recorder(httpx.ConnectTimeout("down"))
        async with agno_client.AsyncClient(base_url="http://a", transport=httpx.MockTransport(timeout)) as client:
            with pytest.raises(agno_client.errors.RequestTimeoutError):
                await client.cancel_workflow_run(workflow_id="w", run_id="r")
        return recorder.requests

    [request] = asyncio.run(run())
    assert str(request.url) == "http://a/runs/cancel?action=interrupt"
    assert sent_json(request) == {"thread_id": V4, "run_ids": [V4B]}


def test_body_and_keyword_arguments_together_are_refused() -> None:
    body = skyvern_client.models.BulkCancelRunsRequest(run_ids=["a"])
    with pytest.raises(TypeError, match="either as body= or as keyword arguments"):
        skyvern(Recorder(answer(200, {}))).bulk_cancel_runs_v1_runs_cancel_post(body=body, run_ids=["b"])


def test_sync_client_is_a_context_manager_that_closes() -> None:
    recorder = Recorder(answer(200, {}))
    with agno_client.Client(base_url="http://a", transport=recorder.transport()) as client:
        assert client.cancel_workflow_run(workflow_id="w", run_id="r") == {}
    assert client._http.is_closed
    assert "authorization" not in recorder.only.headers, "no token given, no header sent"
