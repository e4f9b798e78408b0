"""What the generated mocks do beyond the cancel: Prefer, examples, checked answers and injected faults."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
import runcancel
import skyvern_client
import skyvern_server
from fastapi.testclient import TestClient
from runcancel import CancelRequest

from tests.adhoc import generate, import_packages
from tests.live_server import serve

SPEC_WITH_EXAMPLES = """
openapi: 3.1.0
info: {title: Examples, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              examples:
                small: {value: {id: t1, size: 1, tags: [a]}}
                large: {value: {id: t2, size: 99, tags: [a, b, c]}}
        "404":
          description: missing
          content:
            application/json:
              schema: {type: object, required: [detail], properties: {detail: {type: string}}}
              example: {detail: no such thing}
components:
  schemas:
    Thing:
      type: object
      required: [id, size, tags]
      additionalProperties: false
      properties:
        id: {type: string}
        size: {type: integer, minimum: 1, maximum: 100}
        tags: {type: array, minItems: 1, items: {type: string, enum: [a, b, c]}}
        seen: {type: string, format: date-time}
"""


@pytest.fixture(scope="module")
def examples_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("examples")
    spec = out / "examples.yaml"
    spec.write_text(SPEC_WITH_EXAMPLES)
    generate(spec, out / "gen")
    monkeypatch = pytest.MonkeyPatch()
    _, server = import_packages(out / "gen", "examples", monkeypatch)
    yield server
    monkeypatch.undo()


def test_without_prefer_the_first_example_answers(examples_server: Any) -> None:
    client = TestClient(examples_server.create_app())
    assert client.get("/things/x").json() == {"id": "t1", "size": 1, "tags": ["a"]}


def test_prefer_picks_a_named_example_a_documented_code_or_a_generated_value(examples_server: Any) -> None:
    client = TestClient(examples_server.create_app())
    large = client.get("/things/x", headers={"Prefer": "example=large"})
    assert (large.status_code, large.json()["id"]) == (200, "t2")
    missing = client.get("/things/x", headers={"Prefer": "code=404"})
    assert (missing.status_code, missing.json()) == (404, {"detail": "no such thing"})
    made = [client.get("/things/x", headers={"Prefer": "dynamic=true"}).json() for _ in range(3)]
    for value in made:
        assert set(value) >= {"id", "size", "tags"} and 1 <= value["size"] <= 100 and value["tags"]
    assert len({str(v) for v in made}) > 1, "dynamic answers vary from call to call"
    again = [TestClient(examples_server.create_app()).get("/things/x", headers={"Prefer": "dynamic=true"}).json()]
    assert again[0] == made[0], "the same seed gives the same values"


def test_prefer_an_undocumented_code_or_example_is_a_clear_400(examples_server: Any) -> None:
    client = TestClient(examples_server.create_app())
    refused = client.get("/things/x", headers={"Prefer": "code=418"})
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert "code=418" in refused.json()["detail"] and "200, 404" in refused.json()["detail"]
    unknown = client.get("/things/x", headers={"Prefer": "example=huge"})
    assert unknown.status_code == 400 and "small, large" in unknown.json()["detail"]


def test_generated_answers_are_valid_plausible_and_seeded() -> None:
    """Skyvern's documented 422 has no example: its answer is made from HTTPValidationError's schema."""
    wish = {"x-api-key": "k", "Prefer": "code=422"}
    client = TestClient(skyvern_server.create_app(seed=3), headers=wish)
    first = client.post("/v1/runs/cancel", json={"run_ids": ["wr_1"]})
    assert first.status_code == 422
    [issue] = first.json()["detail"]
    assert set(issue) >= {"loc", "msg", "type"} and isinstance(issue["msg"], str)
    again = client.post("/v1/runs/cancel", json={"run_ids": ["wr_1"]})
    assert again.json() == first.json(), "the same answer each time without dynamic=true"
    other = TestClient(skyvern_server.create_app(seed=4), headers=wish).post("/v1/runs/cancel", json={"run_ids": []})
    assert other.json() != first.json(), "another seed, other values"


class _WrongShape:
    """A handler whose cancel answers a list where the spec documents lists of strings."""

    async def bulk_cancel_runs_v1_runs_cancel_post(self, *, body: Any) -> Any:
        return {"cancelled": [1], "failed": []}

    def __getattr__(self, name: str) -> Any:
        async def unimplemented(**_: Any) -> Any:
            raise NotImplementedError(name)

        return unimplemented


def test_a_handler_answering_the_wrong_shape_gets_a_500_naming_field_and_rule(caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(skyvern_server.create_app(_WrongShape()), headers={"x-api-key": "k"})  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        answer = client.post("/v1/runs/cancel", json={"run_ids": ["wr_1"]})
    assert answer.status_code == 500
    [issue] = answer.json()["detail"]  # Skyvern's error format lists issues
    assert issue["loc"] == ["answer", "cancelled", "0"] and issue["type"] == "type"
    assert issue["msg"].startswith("bulk_cancel_runs_v1_runs_cancel_post answered: 1 is not of type 'string'")
    assert any("answer.cancelled.0" in r.getMessage() for r in caplog.records)


def test_with_30_percent_503_runcancel_still_cancels_every_run_of_500_ids() -> None:
    store = skyvern_server.RunStore()
    ids = [f"wr_{i}" for i in range(500)]
    for run_id in ids:
        store.add(run_id, "running")
    faults = skyvern_server.Faults(rate_503=0.3, seed=11)
    app = skyvern_server.create_app(store=store, faults=faults)
    with serve(app) as url:
        retry = skyvern_client.Retry(attempts=8, backoff=0.0)
        with runcancel.for_vendor("skyvern", base_url=url, api_key="k", retry=retry) as canceller:
            result = canceller.cancel(CancelRequest(run_ids=ids))
    assert sorted(result.cancelled) == sorted(ids) and not result.failed
    assert all(store.status(r) == "canceled" for r in ids)
    assert app.state.faults.injected["503"] > 0


def _drops(seed: int) -> list[str]:
    faults = skyvern_server.Faults(rate_drop=0.5, seed=seed)
    outcomes = []
    with serve(skyvern_server.create_app(faults=faults)) as url:
        for _ in range(8):
            with skyvern_client.Client(base_url=url, api_key="k", retry=skyvern_client.Retry(attempts=1)) as client:
                try:
                    client.bulk_cancel_runs_v1_runs_cancel_post(run_ids=["wr_1"])
                    outcomes.append("answered")
                except skyvern_client.errors.TransportError as error:
                    outcomes.append(type(error).__name__)
    return outcomes


def test_dropped_connections_raise_the_typed_transport_error_reproducibly() -> None:
    first = _drops(5)
    assert "answered" in first and any(o != "answered" for o in first), first
    assert _drops(5) == first, "the same seed drops the same requests"


def test_faults_come_from_the_environment_and_the_command_line(tmp_path: Path) -> None:
    faults = skyvern_server.Faults.from_environment({"MOCK_RATE_429": "0.25", "MOCK_SEED": "9"})
    assert (faults.rate_429, faults.seed) == (0.25, 9)
    with pytest.raises(ValueError, match="between 0 and 1"):
        skyvern_server.Faults(rate_503=1.5)
    all_429 = skyvern_server.Faults(rate_429=1.0, retry_after=2)
    with serve(skyvern_server.create_app(faults=all_429)) as url:
        answer = httpx.get(url + "/v1/runs/wr_1", headers={"x-api-key": "k"})
    assert (answer.status_code, answer.headers["retry-after"]) == (429, "2")


def test_the_command_line_server_answers_without_waiting_for_delayed_acks(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m <pkg>_server`` hands uvicorn a socket whose connections get TCP_NODELAY.

    A socket made with protocol 0 gets none from asyncio (it checks for IPPROTO_TCP), and
    every answer then waited about 40 ms for the client's delayed ACK: 717 requests/s
    at 32 connections, 44 ms for each one alone. The check is on the connection the
    server side accepts, not on a clock.
    """
    import asyncio
    import socket
    import sys

    import uvicorn
    from skyvern_server import __main__ as command

    handed: list[socket.socket] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: handed.extend(sockets or []))
    monkeypatch.setattr(sys, "argv", ["skyvern_server", "--port", "0"])
    command.main()
    [listening] = handed

    async def accepted_nodelay() -> int:
        found: list[int] = []

        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            found.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connection, sock=listening)
        async with server:
            reader, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            await asyncio.wait_for(reader.read(), 5)  # the server closes once it has looked
            writer.close()
        return found[0]

    try:
        assert asyncio.run(accepted_nodelay()) == 1
    finally:
        listening.close()
