"""The server runtime (``generator/runtime/server``) where it lives: error formats, requests, answers, the run store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pydantic
import pytest
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.testclient import TestClient

from generator.runtime.server import _http, _store
from generator.runtime.server._http import ErrorFormat, Problem


class Thing(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    count: int
    tags: list[str] | None = None


def test_each_error_shape_is_written_as_the_vendor_writes_it() -> None:
    errors = ErrorFormat(
        422,
        {400: "envelope", 401: "none", 404: "detail-code", 409: "detail", 422: "detail-list"},
        "empty",
    )

    def body(response: Response) -> Any:
        return json.loads(bytes(response.body)) if response.body else None

    assert body(errors.response(400, "bad"))["code"] == 400 and body(errors.response(400, "bad"))["message"] == "bad"
    assert errors.response(401, "who").body == b""
    assert body(errors.response(404, "gone")) == {"detail": "gone", "error_code": "NOT_FOUND"}
    assert body(errors.response(409, "busy")) == {"detail": "busy"}
    issues = [{"loc": ["body", "count"], "msg": "required", "type": "missing"}]
    assert body(errors.response(422, "invalid", issues)) == {"detail": issues}
    assert body(errors.response(500, "boom")) == {}
    assert _http.error_code(799) == "ERROR"


def app_with(errors: ErrorFormat, encoding: str = "json", kinds: dict[str, str] | None = None) -> TestClient:
    app = FastAPI()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return errors.response(errors.validation_status, "invalid request", _http.issues(list(exc.errors())))

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return errors.response(exc.status, exc.message)

    @app.post("/things")
    async def things(request: Request) -> Response:
        _http.authenticate(request, (("bearer", "authorization"), ("api-key", "x-api-key")), {"good"})
        thing = await _http.body(request, errors, Thing, True, encoding, kinds)
        return _http.answer(thing, 201)

    return TestClient(app)


def test_requests_are_authenticated_then_their_bodies_checked_by_the_model() -> None:
    client = app_with(ErrorFormat(400, {400: "envelope", 401: "detail"}, "detail"))
    assert client.post("/things", json={"count": 1}).json() == {"detail": "missing credentials"}
    assert client.post("/things", json={"count": 1}, headers={"x-api-key": "bad"}).status_code == 401
    good = {"authorization": "Bearer good"}
    created = client.post("/things", json={"count": 2}, headers=good)
    assert created.status_code == 201 and created.json() == {"count": 2}
    refused = client.post("/things", json={"count": "2", "extra": 1}, headers=good)
    assert refused.status_code == 400 and refused.json()["message"] == "invalid request"
    assert client.post("/things", content=b"{", headers=good).json()["message"].startswith("the body is not valid JSON")
    assert client.post("/things", headers=good).json()["message"] == "a request body is required"


def test_form_fields_are_read_as_their_schema_kinds() -> None:
    client = app_with(ErrorFormat(422, {}, "detail-list"), "form", {"count": "integer", "tags": "array:string"})
    sent = client.post("/things", data={"count": "3", "tags": ["a", "b"]}, headers={"x-api-key": "good"})
    assert sent.status_code == 201 and sent.json() == {"count": 3, "tags": ["a", "b"]}
    wrong = client.post("/things", data={"count": "three"}, headers={"x-api-key": "good"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "count"]


def test_answers_follow_the_result_and_the_media_type() -> None:
    assert _http.answer(None, 204).status_code == 204
    assert json.loads(bytes(_http.answer({"a": 1}, 200).body)) == {"a": 1}
    assert _http.answer("text", 200, "text/plain").body == b"text"

    async def chunks() -> AsyncIterator[str]:
        yield "data: 1\n\n"

    streamed = _http.answer(chunks(), 200, "text/event-stream")
    assert streamed.media_type == "text/event-stream" and not hasattr(streamed, "body")


SEMANTICS = _store.Semantics(frozenset({"running", "queued"}), "cancelled", unknown="failed", finished=409)


def seeded() -> _store.RunStore:
    store = _store.RunStore()
    store.add("r1", "running", workflow="w1")
    store.add("r2", "queued", workflow="w2")
    store.add("r3", "done", workflow="w1")
    return store


def test_a_call_fails_with_the_refusal_status_only_when_nothing_it_names_can_be_cancelled() -> None:
    store = seeded()
    with pytest.raises(Problem) as caught:
        _store.cancel(store, SEMANTICS, ["r3"], {}, {}, None)
    assert caught.value.status == 409 and store.status("r3") == "done"
    partly = _store.cancel(store, SEMANTICS, ["r3", "r2"], {}, {}, None)
    assert partly.cancelled == ["r2"] and store.status("r3") == "done"  # what can be cancelled is
    store = seeded()
    outcome = _store.cancel(store, SEMANTICS, ["r1", "nope"], {}, {}, None)
    assert (outcome.cancelled, outcome.failed, store.status("r1")) == (["r1"], ["nope"], "cancelled")
    out_of_scope = _store.cancel(store, SEMANTICS, ["r2"], {"workflow": "w1"}, {}, None)
    assert out_of_scope.failed == ["r2"] and store.status("r2") == "queued"


def test_cancelling_by_status_scope_and_filters_acts_on_cancellable_runs_only() -> None:
    store = seeded()
    assert _store.cancel(store, SEMANTICS, None, {}, {}, "done").cancelled == []  # unknown runs are 'failed'
    strict = _store.Semantics(frozenset({"running"}), "cancelled", unknown=404, finished=404)
    with pytest.raises(Problem, match="no runs found"):
        _store.cancel(seeded(), strict, None, {}, {}, "done")
    assert _store.cancel(store, SEMANTICS, None, {"workflow": "w2"}, {}, None).cancelled == ["r2"]
    assert _store.cancel(store, SEMANTICS, None, {}, {}, "all").cancelled == ["r1"]


def test_the_handler_reads_a_call_s_inputs_and_writes_its_answer() -> None:
    class Handler(_store.CancelHandler):
        semantics = SEMANTICS

    call = _store.CancelCall(
        status=200,
        run_ids=_store.Input("parameter", "id"),
        single_run=True,
        scope=(_store.Input("body", "workflow"),),
        answer=(
            _store.AnswerField("data", "run", ("id", "status")),
            _store.AnswerField("cancelled", "cancelled"),
            _store.AnswerField("code", "status"),
            _store.AnswerField("message", "success"),
            _store.AnswerField("requestId", "request_id"),
        ),
    )
    handler = Handler(seeded())
    answer = handler._cancel(call, {"workflow": "w1"}, {"id": "r1"})
    request_id = answer.pop("requestId")
    assert len(request_id) == 36
    assert answer == {
        "data": {"id": "r1", "status": "cancelled"},
        "cancelled": ["r1"],
        "code": 200,
        "message": "success",
    }
    assert handler.last.cancelled == ["r1"]
    assert "data" not in handler._cancel(call, {"workflow": "w1"}, {"id": "unknown"})  # nothing to show


def test_a_405_lists_every_method_served_at_the_path() -> None:
    import skyvern_server

    client = TestClient(skyvern_server.create_app())
    answered = client.request("OPTIONS", "/v1/runs/cancel")
    assert answered.status_code == 405 and answered.headers["allow"] == "POST"
    app = FastAPI()
    app.add_api_route("/things/{id}", lambda: None, methods=["GET"])
    app.add_api_route("/things/{id}", lambda: None, methods=["DELETE"])
    assert _http.allowed_methods(app.routes, "/things/7") == ["DELETE", "GET"]
    assert _http.allowed_methods(app.routes, "/other") == []
