"""What users of an SDK reach for daily, through the generated clients, against the generated mock servers.

Per-call options, unknown fields kept, raw answers, logging and hooks, default retries,
friendlier input types. Each against a live mock on loopback (and over ``httpx.MockTransport``
where only the exact request matters).
"""

from __future__ import annotations

import json
import logging
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import b3os_client
import b3os_server
import cargo_client
import httpx
import pytest
import skyvern_client
import skyvern_server

from tests.live_server import serve

KEY = "sk-very-secret-key"


@pytest.fixture
def skyvern() -> Iterator[tuple[skyvern_server.RunStore, list[httpx.Request], skyvern_client.Client]]:
    store = skyvern_server.RunStore()
    for run_id in ("wr_1", "wr_2"):
        store.add(run_id, "running")
    sent: list[httpx.Request] = []
    with serve(skyvern_server.create_app(store=store, credentials={KEY})) as url:
        hooks = {"request": [sent.append]}
        with skyvern_client.Client(base_url=url, api_key=KEY, event_hooks=hooks) as client:
            yield store, sent, client


def test_per_call_options_reach_the_wire_and_leave_the_typed_signature_alone(skyvern: Any) -> None:
    store, sent, client = skyvern
    result = client.bulk_cancel_runs_v1_runs_cancel_post(
        run_ids=["wr_1"],
        extra_headers={"x-trace-id": "t-1"},
        extra_query={"dry": "no"},
        extra_body={"reason": "tests"},  # an open body: the server's model keeps it too
        timeout=2.5,
        retry=None,
    )
    assert result.cancelled == ["wr_1"] and store.status("wr_1") == "canceled"
    [request] = sent
    assert request.headers["x-trace-id"] == "t-1" and request.url.params["dry"] == "no"
    assert json.loads(request.content) == {"run_ids": ["wr_1"], "reason": "tests"}
    assert request.extensions["timeout"]["read"] == 2.5


def test_keys_an_open_body_does_not_name_are_sent_as_given(skyvern: Any) -> None:
    _, sent, client = skyvern
    body = skyvern_client.models.BulkCancelRunsRequest.model_validate({"run_ids": ["wr_2"], "note": {"by": "me"}})
    client.bulk_cancel_runs_v1_runs_cancel_post(body=body)
    assert json.loads(sent[-1].content) == {"run_ids": ["wr_2"], "note": {"by": "me"}}


def test_a_raw_answer_has_the_status_headers_and_the_parsed_result(skyvern: Any) -> None:
    _, _, client = skyvern
    raw = client.with_raw_response(client.bulk_cancel_runs_v1_runs_cancel_post)(run_ids=["wr_1", "nope"])
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/json"
    assert raw.parsed.cancelled == ["wr_1"] and raw.parsed.failed == ["nope"]
    assert raw.http_response.json()["failed"] == ["nope"]


def test_one_log_line_per_request_and_the_credential_never_in_it(
    skyvern: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _, _, client = skyvern
    with caplog.at_level(logging.DEBUG, logger="skyvern_client"):
        client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["wr_1"], extra_query={"api_key": KEY})
    lines = [r.getMessage() for r in caplog.records if r.name == "skyvern_client"]
    assert len(lines) == 1 and lines[0].startswith("POST http://127.0.0.1:") and "-> 200 in" in lines[0]
    assert "(attempt 1)" in lines[0] and KEY not in caplog.text


class FlakyB3os:
    """The reference handler behind a 503 for the first ``failures`` cancels."""

    def __init__(self, store: b3os_server.RunStore, failures: int) -> None:
        self.reference = b3os_server.ReferenceHandler(store)
        self.failures = failures
        self.calls = 0

    async def cancel_run(self, *, id: str) -> Any:
        self.calls += 1
        if self.calls <= self.failures:
            raise b3os_server.Problem(503, "busy")
        return await self.reference.cancel_run(id=id)


def test_a_cancel_is_retried_by_default_on_503_and_can_be_told_not_to() -> None:
    store = b3os_server.RunStore()
    store.add("run-1", "running")
    store.add("run-2", "running")
    handler = FlakyB3os(store, failures=2)
    app = b3os_server.create_app(handler)
    with serve(app) as url, b3os_client.Client(base_url=url, token="t", sleep=lambda seconds: None) as client:
        assert client.cancel_run(id="run-1").data is not None  # third try
        assert handler.calls == 3 and store.status("run-1") == "cancelled"
        handler.failures, handler.calls = 1, 0
        with pytest.raises(b3os_client.errors.ServerError):
            client.cancel_run(id="run-2", retry=None)
        assert handler.calls == 1 and store.status("run-2") == "running"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_errors_are_retried_then_raised_as_the_typed_transport_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    slept: list[float] = []
    url = f"http://127.0.0.1:{_closed_port()}"
    with (
        caplog.at_level(logging.DEBUG, logger="b3os_client"),
        b3os_client.Client(base_url=url, token="t", sleep=slept.append) as client,
        pytest.raises(b3os_client.errors.TransportError),
    ):
        client.cancel_run(id="run-1")
    assert len(slept) == 2 and len([r for r in caplog.records if "failed" in r.getMessage()]) == 3


def test_uuids_are_passed_as_uuids_and_sent_as_text() -> None:
    workflow = uuid.UUID("0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b")
    run = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={})

    with cargo_client.Client(token="t", transport=httpx.MockTransport(answer)) as client:
        client.post_orchestration_runs_cancel(uuids=[run], workflow_uuid=workflow)
    assert json.loads(sent[0]) == {"uuids": [str(run)], "workflowUuid": str(workflow)}


@pytest.mark.parametrize("vendor", ["cargo", "skyvern", "b3os", "langsmith", "agno"])
def test_each_package_s_readme_shows_calls_that_exist_and_parse(vendor: str) -> None:
    import ast
    import importlib
    import re

    from tests.conftest import GENERATED_CLIENTS

    text = (GENERATED_CLIENTS / vendor / "README.md").read_text(encoding="utf-8")
    client = importlib.import_module(f"{vendor}_client").Client
    blocks = re.findall(r"^(`{3,})python\n(.*?)^\1$", text, flags=re.MULTILINE | re.DOTALL)
    calls = [body for _, body in blocks if body.startswith("client.")]
    assert calls, "one example per group of operations"
    for body in calls:
        tree = ast.parse(body)
        [statement] = tree.body
        assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
        function = statement.value.func
        assert isinstance(function, ast.Attribute) and hasattr(client, function.attr), body
    for heading in ("## Authentication", "## Errors", "## Retries", "## Logging"):
        assert heading in text


def test_nested_body_arguments_are_typed_with_their_models() -> None:
    import inspect

    models = cargo_client.models
    nested = models.PostOrchestrationRunsCancelBodyRecordIdRecordTitleExecutionsFilter
    signature = inspect.signature(cargo_client.Client.post_orchestration_runs_cancel)
    assert nested.__name__ in str(signature.parameters["executions_filter"].annotation)
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={})

    group = {"conjonction": "and", "conditions": []}
    with cargo_client.Client(token="t", transport=httpx.MockTransport(answer)) as client:
        client.post_orchestration_runs_cancel(
            workflow_uuid=uuid.UUID("0b9e6a5e-3c4f-4d2a-9b1e-2f8c7d6e5a4b"),
            executions_filter=nested(conjonction="or", groups=[group]),
        )
    assert json.loads(sent[0])["executionsFilter"] == {"conjonction": "or", "groups": [group]}
