"""The client runtime (``generator/runtime/client``) where it lives, before any copy of it is generated."""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from pydantic import MISSING, BaseModel, ConfigDict

from generator.runtime.client import _client, _core, _streams, errors


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
    retry = _client.Retry(attempts=3, backoff=1.0, max_delay=10.0)
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


def base_client(handler: Any, attempts: int | None = None) -> _client.BaseClient:
    return _client.BaseClient(
        base_url="http://api.test",
        auth_headers={"Authorization": "Bearer t"},
        timeout=5.0,
        retry=_core.NOT_GIVEN if attempts is None else _client.Retry(attempts=attempts),
        headers={"x-extra": "1"},
        transport=httpx.MockTransport(handler),
        sleep=lambda seconds: None,
    )


NO_OPTIONS = _core.Options()
CANCEL = _core.Endpoint("POST", "/things/{thing_id}", {200: Answer}, {404: Problem}, idempotent=True)
GET = _core.Endpoint("GET", "/things/{thing_id}", {200: Answer}, {})


def call(client: _client.BaseClient, endpoint: _core.Endpoint, options: _core.Options = NO_OPTIONS) -> Any:
    return client._call(endpoint, options, path={"thing_id": 1}, query={}, headers={})


def test_the_blocking_base_retries_as_its_policy_says_then_gives_up_with_the_typed_error() -> None:
    flaky = Flaky(failures=2)
    with base_client(flaky, attempts=3) as client:
        request = _core.build(client._http, ENDPOINT, path={"thing_id": 1}, query={}, headers={}, body=None)
        assert request.headers["authorization"] == "Bearer t" and request.headers["x-extra"] == "1"
        assert call(client, CANCEL) == Answer(id="done")
    assert flaky.calls == 3
    stubborn = Flaky(failures=5)
    with base_client(stubborn, attempts=2) as client, pytest.raises(errors.ServerError):
        call(client, CANCEL)
    assert stubborn.calls == 2


def test_by_default_only_requests_safe_to_repeat_are_retried() -> None:
    for endpoint, calls in ((GET, 3), (CANCEL, 3), (ENDPOINT, 1)):
        flaky = Flaky(failures=5)
        with base_client(flaky) as client, pytest.raises(errors.ServerError):
            call(client, endpoint)
        assert flaky.calls == calls, endpoint
    flaky = Flaky(failures=5)
    with base_client(flaky) as client, pytest.raises(errors.ServerError):
        call(client, GET, _core.Options(retry=None))  # off for one call
    assert flaky.calls == 1


def test_connection_errors_are_retried_for_idempotent_requests_only() -> None:
    attempts: list[str] = []

    def refuse_twice(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        if len(attempts) <= 2:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"id": "up"})

    with base_client(refuse_twice) as client:
        assert call(client, CANCEL) == Answer(id="up")
    assert len(attempts) == 3
    attempts.clear()
    with base_client(refuse_twice) as client, pytest.raises(errors.TransportError):
        call(client, ENDPOINT)
    assert len(attempts) == 1


def test_failures_below_http_become_our_transport_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for handler, error in ((refuse, errors.TransportError), (slow, errors.RequestTimeoutError)):
        with base_client(handler, attempts=1) as client, pytest.raises(error):
            call(client, ENDPOINT)


def test_the_async_base_retries_and_closes_with_aclose() -> None:
    flaky = Flaky(failures=1)

    async def run() -> tuple[Any, bool]:
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        client = _client.AsyncBaseClient(
            base_url="http://api.test",
            auth_headers={},
            timeout=5.0,
            retry=_client.Retry(attempts=2),
            headers=None,
            transport=httpx.MockTransport(flaky),
            sleep=sleep,
        )
        async with client:
            result = await client._call(CANCEL, NO_OPTIONS, path={"thing_id": 1}, query={}, headers={})
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

    missing = _core.Endpoint("GET", "/missing", {200: None}, {404: Problem})
    with base_client(events, attempts=1) as client:
        with _streams.EventStream(client._open(stream, NO_OPTIONS, path={}, query={}, headers={})) as opened:
            seen = [(e.event, e.data, e.id) for e in opened]
        assert seen == [("tick", "1", ""), ("tick", "2", "7")]
        with pytest.raises(errors.NotFoundError) as caught:
            client._open(missing, NO_OPTIONS, path={}, query={}, headers={})
        assert caught.value.parsed == Problem(detail="no such stream")


def test_per_call_options_shape_the_exact_request() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "x"})

    options = _core.Options(
        timeout=1.5,
        extra_headers={"x-trace": "t1", "x-extra": None},  # None removes the client's own header
        extra_query={"debug": True},
        extra_body={"note": "kept", "when": datetime.date(2026, 1, 2)},
    )
    with base_client(record) as client:
        client._call(ENDPOINT, options, path={"thing_id": 1}, query={"q": None}, headers={}, body=Body(name="n"))
    [sent] = seen
    assert sent.headers["x-trace"] == "t1" and "x-extra" not in sent.headers
    assert sent.url.params["debug"] == "true" and "q" not in sent.url.params
    assert json.loads(sent.content) == {"name": "n", "note": "kept", "when": "2026-01-02"}
    assert sent.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_uuids_and_datetimes_travel_as_the_spec_spells_them() -> None:
    moment = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
    ident = uuid.UUID("0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b")
    assert _core.wire({"at": moment, "ids": [ident]}) == {"at": "2026-11-24T12:00:00Z", "ids": [str(ident)]}
    assert _core.query_of({"since": moment})["since"] == "2026-11-24T12:00:00Z"
    assert _core.path_of("/runs/{id}", {"id": ident}) == f"/runs/{ident}"


def test_raw_answers_carry_status_headers_and_the_parsed_result() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"id": "r"}, headers={"x-request-id": "abc"})

    created = _core.Endpoint("POST", "/things/{thing_id}", {201: Answer}, {})

    class Client(_client.BaseClient):
        def make(self, *, thing_id: int) -> Answer:
            result: Answer = self._call(created, NO_OPTIONS, path={"thing_id": thing_id}, query={}, headers={})
            return result

    client = Client(
        base_url="http://api.test", auth_headers={}, timeout=5.0, retry=None, headers=None,
        transport=httpx.MockTransport(answer), sleep=None,
    )  # fmt: skip
    raw = client.with_raw_response(client.make)(thing_id=3)
    assert (raw.status_code, raw.headers["x-request-id"], raw.parsed) == (201, "abc", Answer(id="r"))
    assert client.make(thing_id=3) == Answer(id="r")  # plain calls are unchanged


def test_one_debug_line_per_attempt_without_credentials_and_hooks_see_each_exchange(
    caplog: pytest.LogCaptureFixture,
) -> None:
    heard: list[str] = []
    flaky = Flaky(failures=1)
    client = _client.BaseClient(
        base_url="http://api.test",
        auth_headers={"Authorization": "Bearer sekrit"},
        timeout=5.0,
        retry=_client.Retry(attempts=2),
        headers=None,
        transport=httpx.MockTransport(flaky),
        sleep=lambda seconds: None,
        event_hooks={
            "request": [lambda r: heard.append(r.method)],
            "response": [lambda r: heard.append(str(r.status_code))],
        },
    )
    with caplog.at_level("DEBUG", logger=_client.log.name):
        client._call(CANCEL, NO_OPTIONS, path={"thing_id": 1}, query={"api_key": "sekrit", "page": 2}, headers={})
    lines = [r.getMessage() for r in caplog.records if r.name == _client.log.name]
    assert len(lines) == 2 and "-> 503" in lines[0] and "(attempt 1)" in lines[0] and "-> 200" in lines[1]
    assert all("sekrit" not in line for line in lines) and "api_key=%2A%2A%2A" in lines[0]
    assert heard == ["POST", "503", "POST", "200"]


class Page(BaseModel):
    model_config = ConfigDict(extra="allow")
    data: dict[str, Any]


def test_pages_are_fetched_lazily_in_each_style_until_the_last() -> None:
    from generator.runtime.client import _pages

    rows = [f"r{i}" for i in range(7)]
    calls: list[dict[str, Any]] = []

    def by_offset(*, offset: int | None = None, limit: int | None = None) -> Any:
        calls.append({"offset": offset, "limit": limit})
        start = offset or 0
        return Page(data={"items": rows[start : start + (limit or 3)]})

    paging = _pages.Paging("offset", "offset", "limit", items=("data", "items"))
    iterator = _pages.iterate(by_offset, paging, {"limit": 3})
    assert next(iterator) == "r0" and len(calls) == 1  # nothing is fetched before it is needed
    assert list(iterator) == rows[1:] and [c["offset"] for c in calls] == [None, 3, 6]

    def by_page(*, page: int | None = None, page_size: int | None = None) -> list[str]:
        start = ((page or 1) - 1) * (page_size or 2)
        return rows[start : start + (page_size or 2)]

    assert list(_pages.iterate(by_page, _pages.Paging("page", "page", "page_size"), {})) == rows  # ends on []

    def by_cursor(*, cursor: str | None = None) -> dict[str, Any]:
        start = int(cursor or 0)
        following = str(start + 3) if start + 3 < len(rows) else None
        return {"results": rows[start : start + 3], "next_cursor": following}

    cursor = _pages.Paging("cursor", "cursor", items=("results",), next=("next_cursor",))
    assert list(_pages.iterate(by_cursor, cursor, {})) == rows


def test_async_pages_come_the_same_way() -> None:
    from generator.runtime.client import _pages

    async def fetch(*, offset: int | None = None, limit: int | None = None) -> list[int]:
        return list(range(10))[(offset or 0) : (offset or 0) + (limit or 4)]

    async def collect() -> list[int]:
        return [item async for item in _pages.aiterate(fetch, _pages.Paging("offset", "offset", "limit"), {"limit": 4})]

    assert asyncio.run(collect()) == list(range(10))
