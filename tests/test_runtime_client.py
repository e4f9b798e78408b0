"""The client runtime (``generator/runtime/client``) where it lives, before any copy of it is generated."""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from typing import Any

import httpx
import pytest
from pydantic import MISSING, BaseModel, ConfigDict

from generator.runtime.client import _core, _streams, errors


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    tags: list[str] | None = None
    on: bool | None = None


class FileBody(BaseModel):
    note: str
    upload: bytes


class Answer(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str


class Problem(BaseModel):
    detail: str


ENDPOINT = _core.Endpoint(method="POST", path="/things/{thing_id}", success={200: Answer}, failures={404: Problem})


def answered(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "http://api.test/things/1")
    return httpx.Response(status, content=body, headers=headers, request=request)


def test_retry_after_seconds_and_dates_win_over_backoff_and_are_capped() -> None:
    retry = _core.Retry(attempts=3, backoff=1.0, max_delay=10.0)
    assert retry.delay(1, answered(429, headers={"retry-after": "2"})) == 2.0
    assert retry.delay(1, answered(429, headers={"retry-after": "999"})) == 10.0
    moment = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3.0 < retry.delay(1, answered(503, headers={"retry-after": moment})) <= 5.0
    # Backoff doubles per attempt, with jitter between half and all of it.
    assert all(0.5 <= retry.delay(1, answered(503)) <= 1.0 for _ in range(20))
    assert all(2.0 <= retry.delay(3, answered(503)) <= 4.0 for _ in range(20))


def test_paths_are_encoded_one_segment_each_and_absent_queries_left_out() -> None:
    assert _core.path_of("/a/{id}/b", {"id": "x/y z"}) == "/a/x%2Fy%20z/b"
    assert _core.query_of({"a": None, "b": MISSING, "c": True, "d": [False, 1]}) == {"c": "true", "d": ["false", 1]}


def test_a_body_is_given_once_as_a_model_or_as_keywords() -> None:
    assert _core.body_of(Body, None, {"name": "n", "tags": MISSING}) == Body(name="n")
    with pytest.raises(TypeError, match="not both"):
        _core.body_of(Body, Body(name="n"), {"name": "m"})
    with pytest.raises(TypeError, match="must be a Body"):
        _core.body_of(Body, {"name": "n"}, {})


def test_requests_carry_json_form_multipart_and_raw_bodies_as_their_media_type_says() -> None:
    client = httpx.Client(base_url="http://api.test")
    sent = _core.build(client, ENDPOINT, path={"thing_id": 7}, query={}, headers={"x-trace": 1}, body=Body(name="é"))
    assert sent.url.path == "/things/7" and sent.headers["x-trace"] == "1"
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.content) == {"name": "é"}  # unset optionals are absent, not null
    form = _core.Endpoint("POST", "/f", {200: None}, {}, "application/x-www-form-urlencoded", "form")
    sent = _core.build(client, form, path={}, query={}, headers={}, body=Body(name="a b", tags=["x", "y"], on=True))
    assert sent.content == b"name=a+b&tags=x&tags=y&on=true"
    parts = _core.Endpoint("POST", "/m", {200: None}, {}, "multipart/form-data", "multipart")
    sent = _core.build(client, parts, path={}, query={}, headers={}, body=FileBody(note="n", upload=b"\x00\x01"))
    sent.read()
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="upload"; filename="upload"' in sent.content and b"\x00\x01" in sent.content
    client.close()


def test_answers_parse_into_models_or_raise_the_status_s_typed_error() -> None:
    parsed = _core.parse(ENDPOINT, answered(200, b'{"id": "a", "extra": 1}'))
    assert isinstance(parsed, Answer) and parsed.model_extra == {"extra": 1}
    with pytest.raises(errors.NotFoundError) as caught:
        _core.parse(ENDPOINT, answered(404, b'{"detail": "gone"}'))
    assert caught.value.parsed == Problem(detail="gone") and "documented" in str(caught.value)
    with pytest.raises(errors.ServerError) as server:
        _core.parse(ENDPOINT, answered(502, b"<html>"))
    assert server.value.parsed is None and "undocumented" in str(server.value)
    with pytest.raises(errors.ApiError, match="does not match the documented schema"):
        _core.parse(ENDPOINT, answered(200, b'{"id": 1}'))
    with pytest.raises(errors.ApiError, match="not valid JSON"):
        _core.parse(ENDPOINT, answered(200, b"{"))
    raw = _core.Endpoint("GET", "/r", {200: bytes, 201: str, 202: Any, 204: None}, {})
    assert _core.parse(raw, answered(200, b"\xff")) == b"\xff"
    assert _core.parse(raw, answered(201, b"text")) == "text"
    assert _core.parse(raw, answered(202, b"[1]")) == [1]
    assert _core.parse(raw, answered(204)) is None


class Flaky:
    """Answers 503 (with Retry-After: 0) until ``failures`` runs out, then 200."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls <= self.failures:
            return httpx.Response(503, headers={"retry-after": "0"})
        return httpx.Response(200, json={"id": "done"})


def base_client(handler: Any, attempts: int) -> _core.BaseClient:
    return _core.BaseClient(
        base_url="http://api.test",
        auth_headers={"Authorization": "Bearer t"},
        timeout=5.0,
        retry=_core.Retry(attempts=attempts),
        headers={"x-extra": "1"},
        transport=httpx.MockTransport(handler),
        sleep=lambda seconds: None,
    )


def test_the_blocking_base_retries_as_its_policy_says_then_gives_up_with_the_typed_error() -> None:
    flaky = Flaky(failures=2)
    with base_client(flaky, attempts=3) as client:
        request = _core.build(client._http, ENDPOINT, path={"thing_id": 1}, query={}, headers={}, body=None)
        assert request.headers["authorization"] == "Bearer t" and request.headers["x-extra"] == "1"
        assert client._call(ENDPOINT, request) == Answer(id="done")
    assert flaky.calls == 3
    stubborn = Flaky(failures=5)
    with base_client(stubborn, attempts=2) as client, pytest.raises(errors.ServerError):
        client._call(ENDPOINT, _core.build(client._http, ENDPOINT, path={"thing_id": 1}, query={}, headers={}))
    assert stubborn.calls == 2


def test_failures_below_http_become_our_transport_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler, error in ((refuse, errors.TransportError), (slow, errors.RequestTimeoutError)):
        with base_client(handler, attempts=1) as client, pytest.raises(error):
            client._call(ENDPOINT, _core.build(client._http, ENDPOINT, path={"thing_id": 1}, query={}, headers={}))


def test_the_async_base_retries_and_closes_with_aclose() -> None:
    flaky = Flaky(failures=1)

    async def run() -> tuple[Any, bool]:
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        client = _core.AsyncBaseClient(
            base_url="http://api.test",
            auth_headers={},
            timeout=5.0,
            retry=_core.Retry(attempts=2),
            headers=None,
            transport=httpx.MockTransport(flaky),
            sleep=sleep,
        )
        async with client:
            request = _core.build(client._http, ENDPOINT, path={"thing_id": 1}, query={}, headers={})
            result = await client._call(ENDPOINT, request)
        assert slept == [0.0]
        return result, client._http.is_closed

    result, closed = asyncio.run(run())
    assert result == Answer(id="done") and closed and flaky.calls == 2


def test_event_streams_yield_events_as_they_arrive_and_an_error_status_raises_first() -> None:
    stream = _core.Endpoint("GET", "/events", {200: None}, {404: Problem})

    def events(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/missing":
            return httpx.Response(404, json={"detail": "no such stream"})
        body = b"event: tick\ndata: 1\n\nevent: tick\ndata: 2\nid: 7\n\n"
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    with base_client(events, attempts=1) as client:
        request = client._http.build_request("GET", "/events")
        with _streams.EventStream(client._open(stream, request)) as opened:
            seen = [(e.event, e.data, e.id) for e in opened]
        assert seen == [("tick", "1", ""), ("tick", "2", "7")]
        with pytest.raises(errors.NotFoundError) as caught:
            client._open(stream, client._http.build_request("GET", "/missing"))
        assert caught.value.parsed == Problem(detail="no such stream")
