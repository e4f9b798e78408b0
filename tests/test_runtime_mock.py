"""The mock server runtime (``_schema``, ``_mock``, ``_faults``) where it lives, without a generated server.

Made values are valid and the same for a seed; a documented example is preferred;
``Prefer`` picks a status, an example or a made value; faults are reproducible
from their seed and delays stay within ``latency + jitter``.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient

from generator.runtime.server._faults import FaultInjector, Faults, Message
from generator.runtime.server._http import Problem
from generator.runtime.server._mock import Mock
from generator.runtime.server._schema import Schemas, ValueMaker, follow, pointer_to

FORMATS = {
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "date": r"([0-9]{4})-([0-9]{2})-([0-9]{2})",
}
RUN = {
    "type": "object",
    "required": ["id", "status", "tags", "day"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"enum": ["queued", "running", "done"]},
        "tags": {"type": "array", "items": {"type": "string", "minLength": 2}, "minItems": 2, "maxItems": 4},
        "day": {"type": "string", "format": "date"},
        "score": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1},
        "kind": {"oneOf": [{"type": "integer", "minimum": 10}, {"type": "integer", "maximum": 12}]},
    },
}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "components": {"schemas": {"Run": RUN}},
    "paths": {
        "/runs/{id}": {
            "get": {
                "operationId": "get_run",
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                    "404": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "required": ["detail"]},
                                "examples": {
                                    "gone": {"value": {"detail": "gone"}},
                                    "hidden": {"value": {"detail": "x"}},
                                },
                            }
                        }
                    },
                },
            }
        },
        "/plain": {
            "get": {
                "operationId": "plain",
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object"},
                                "examples": {"first": {"value": {"n": 1}}, "second": {"value": {"n": 2}}},
                            }
                        }
                    }
                },
            }
        },
    },
}
RUN_AT = pointer_to("components", "schemas", "Run")


def _schemas() -> Schemas:
    return Schemas(DOCUMENT, FORMATS)


# --- _schema ----------------------------------------------------------------------------


def test_made_values_are_valid_plausible_and_the_same_per_seed() -> None:
    schemas = _schemas()
    made = [ValueMaker(schemas).value(RUN_AT, seed) for seed in range(25)]
    again = [ValueMaker(_schemas()).value(RUN_AT, seed) for seed in range(25)]
    assert made == again  # a fresh maker, the same seeds: the same values
    for value in made:
        assert schemas.is_valid(RUN_AT, value), value
        assert value["status"] in ("queued", "running", "done") and 2 <= len(value["tags"]) <= 4
    assert len({json.dumps(v, sort_keys=True) for v in made}) > 10  # seeds differ, so do values
    assert any("kind" in v for v in made)  # optional properties show up too, and their oneOf holds (checked above)


def test_a_schema_nothing_satisfies_is_reported_not_answered() -> None:
    document = {"components": {"schemas": {"Never": {"allOf": [{"type": "string"}, {"type": "integer"}]}}}}
    with pytest.raises(ValueError, match="no value valid"):
        ValueMaker(Schemas(document, {})).value("/components/schemas/Never", 1)


def test_issues_name_the_field_and_the_rule_and_formats_check_the_calendar() -> None:
    schemas = _schemas()
    issues = schemas.issues(RUN_AT, {"id": "x", "status": "done", "tags": ["ab", "cd"], "day": "2024-02-30"}, ("body",))
    assert {(tuple(i["loc"]), i["type"]) for i in issues} == {(("body", "id"), "format"), (("body", "day"), "format")}
    assert schemas.is_valid(RUN_AT, {"id": "0" * 8 + "-0000-0000-0000-" + "0" * 12, "status": "done",
                                     "tags": ["ab", "cd"], "day": "2024-02-29"})  # fmt: skip


def test_pointers_escape_and_follow_back() -> None:
    pointer = pointer_to("paths", "/runs/{id}", "get")
    assert pointer == "/paths/~1runs~1{id}/get"
    assert follow(DOCUMENT, pointer)["operationId"] == "get_run"
    assert follow(DOCUMENT, "/paths/nowhere") is None and follow([1, 2], "/5") is None


# --- _mock ------------------------------------------------------------------------------


def _served(seed: int = 0) -> tuple[TestClient, Mock]:
    mock = Mock(DOCUMENT, FORMATS, seed=seed)
    app = FastAPI()

    @app.get("/runs/{id}")
    def get_run(request: Request) -> Any:
        operation = mock.operations["GET /runs/{id}"]
        return mock.preferred(request, operation) or mock.answer(operation)

    @app.get("/plain")
    def plain(request: Request) -> Any:
        operation = mock.operations["GET /plain"]
        return mock.preferred(request, operation) or mock.answer(operation)

    return TestClient(app), mock


def test_answers_are_examples_first_else_made_and_stable() -> None:
    client, mock = _served()
    assert client.get("/plain").json() == {"n": 1}  # the first documented example
    first, second = client.get("/runs/1").json(), client.get("/runs/2").json()
    assert first == second and mock.schemas.is_valid(RUN_AT, first)  # made once, then the same
    assert _served(seed=0)[0].get("/runs/1").json() == first
    assert _served(seed=5)[0].get("/runs/1").json() != first  # another server seed, another value


def test_prefer_picks_a_status_an_example_or_a_made_value() -> None:
    client, mock = _served()
    assert client.get("/plain", headers={"Prefer": "example=second"}).json() == {"n": 2}
    gone = client.get("/runs/1", headers={"Prefer": 'code=404, example="hidden"'})
    assert gone.status_code == 404 and gone.json() == {"detail": "x"}
    assert client.get("/runs/1", headers={"Prefer": "code=404"}).json() == {"detail": "gone"}
    # example= alone finds the answer that has it.
    assert client.get("/runs/1", headers={"Prefer": "example=gone"}).status_code == 404
    made = [client.get("/runs/1", headers={"Prefer": "dynamic=true"}).json() for _ in range(4)]
    assert all(mock.schemas.is_valid(RUN_AT, m) for m in made) and len({json.dumps(m) for m in made}) > 1
    assert client.get("/plain", headers={"Prefer": "dynamic=true"}).json() != {"n": 1}  # made, not the example
    assert client.get("/plain", headers={"Prefer": "respond-async, wait=5"}).json() == {"n": 1}  # not Prism's words


@pytest.mark.parametrize(
    ("prefer", "says"),
    [("code=500", "documents only 200, 404"), ("code=abc", "documents only"), ("example=nope", "examples are")],
)
def test_a_wish_the_spec_cannot_meet_is_refused_clearly(prefer: str, says: str) -> None:
    answer = _served()[0].get("/runs/1", headers={"Prefer": prefer})
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert says in answer.json()["detail"]


# --- _faults ----------------------------------------------------------------------------


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _statuses(faults: Faults, count: int) -> list[int | str]:
    injector = FaultInjector(faults, _ok)
    seen: list[int | str] = []

    async def run() -> None:
        for _ in range(count):
            sent: list[Message] = []

            async def send(message: Message, sent: list[Message] = sent) -> None:
                sent.append(message)

            await injector(
                {"type": "http", "method": "GET", "path": "/"}, lambda: asyncio.sleep(0, {"type": "http.request"}), send
            )
            start = sent[0]
            # A drop (no transport here) promises one byte and sends none.
            headers = dict(start["headers"])
            seen.append("drop" if headers.get(b"content-length") == b"1" and len(sent) == 1 else start["status"])

    asyncio.run(run())
    return seen


def test_faults_are_reproducible_from_their_seed_and_near_their_rates() -> None:
    faults = Faults(rate_429=0.2, rate_503=0.3, rate_drop=0.1, retry_after=3, seed=11)
    first = _statuses(faults, 400)
    assert first == _statuses(faults, 400)
    assert first != _statuses(Faults(rate_429=0.2, rate_503=0.3, rate_drop=0.1, retry_after=3, seed=12), 400)
    shares = {k: first.count(k) / len(first) for k in (429, 503, "drop", 200)}
    assert abs(shares[429] - 0.2) < 0.06 and abs(shares[503] - 0.3) < 0.07 and abs(shares["drop"] - 0.1) < 0.05
    assert _statuses(Faults(), 20) == [200] * 20  # nothing asked, nothing injected


def test_an_injected_refusal_says_when_to_retry() -> None:
    app = FastAPI()
    app.get("/")(lambda: {"fine": True})
    FaultInjector(Faults(rate_429=1.0, retry_after=7)).install(app)
    answer = TestClient(app).get("/")
    assert answer.status_code == 429 and answer.headers["retry-after"] == "7" and "injected" in answer.json()["detail"]


def test_latency_stays_between_latency_and_latency_plus_jitter() -> None:
    faults = Faults(latency=0.02, jitter=0.03, seed=3)
    started = time.monotonic()
    assert _statuses(faults, 5) == [200] * 5
    elapsed = time.monotonic() - started
    assert 5 * 0.02 <= elapsed < 5 * 0.05 + 0.2


def test_faults_are_checked_and_read_from_the_environment() -> None:
    with pytest.raises(ValueError, match="shares"):
        Faults(rate_429=0.6, rate_503=0.6)
    with pytest.raises(ValueError, match="negative"):
        Faults(latency=-1)
    read = Faults.from_environment({"MOCK_RATE_503": "0.3", "MOCK_SEED": "9", "MOCK_LATENCY": " ", "OTHER": "1"})
    assert read == Faults(rate_503=0.3, seed=9) and read.active and not Faults().active


def test_nullable_parameters_read_repeated_keys_as_a_list_and_the_text_null_as_null() -> None:
    from starlette.requests import Request

    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a",
                    "parameters": [
                        {
                            "name": "kinds",
                            "in": "query",
                            "schema": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
                        },
                        {
                            "name": "x-steps",
                            "in": "header",
                            "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                        },
                        {"name": "label", "in": "header", "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    mock = Mock(document, FORMATS)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/a",
        "query_string": b"kinds=one&kinds=two",
        "headers": [(b"x-steps", b"null"), (b"label", b"null")],
    }
    [operation] = mock.operations.values()
    values = mock.parameters(Request(scope), operation)
    assert values == {"kinds": ["one", "two"], "x-steps": None, "label": "null"}  # a string stays a string


# --- error answers per operation ------------------------------------------------------------

ERRORS_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "components": {
        "schemas": {
            "Envelope": {"type": "object", "required": ["code", "message"], "properties": {"code": {}, "message": {}}},
            "Text": {"type": "string"},
            "Strict": {"type": "object", "required": ["reason"], "properties": {"reason": {"enum": ["bad", "worse"]}}},
        }
    },
    "paths": {
        # Most operations document an envelope for 400 (the API's usual format)...
        **{
            f"/e{n}": {
                "post": {
                    "responses": {
                        "200": {"description": "ok"},
                        "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}},
                    }
                }
            }
            for n in range(2)
        },
        # ...one answers an invalid request with 422 and a JSON string (LangGraph's ErrorResponse)...
        "/text": {
            "post": {
                "responses": {
                    "200": {"description": "ok"},
                    "422": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Text"}}}},
                }
            }
        },
        # ...one's 404 takes no message at all, only its example...
        "/strict": {
            "get": {
                "responses": {
                    "200": {"description": "ok"},
                    "404": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Strict"},
                                "example": {"reason": "worse"},
                                "examples": {"one": {"value": {"reason": "bad"}}},
                            }
                        }
                    },
                }
            }
        },
        # ...and one documents no success at all (LangGraph's GET /mcp/: only 405).
        "/only": {"get": {"responses": {"405": {"description": "not here"}}}},
    },
}


def _error_app() -> TestClient:
    mock = Mock(ERRORS_DOCUMENT, {})
    app = FastAPI()

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return mock.error(request, exc.status, exc.message)

    @app.api_route("/{name}", methods=["GET", "POST"])
    async def anything(request: Request, name: str) -> Response:
        operation = mock.enter(request, f"{request.method} /{name}")
        if request.query_params.get("fail"):
            raise Problem(int(request.query_params["fail"]), "the field x is wrong")
        return mock.answer(operation)

    return TestClient(app)


def test_each_operation_answers_errors_in_the_format_it_documents() -> None:
    mock = Mock(ERRORS_DOCUMENT, {})
    # The API's usual format, for answers outside any operation: 422 since some operation documents one.
    assert mock.errors.validation_status == 422 and mock.errors.default_shape == "envelope"
    assert mock.errors.shapes == {400: "envelope", 404: "empty", 405: "none", 422: "text"}
    # Each operation's invalid request gets the status it documents itself.
    assert mock.operations["POST /text"].errors.validation_status == 422
    assert mock.operations["POST /e0"].errors.validation_status == 400
    client = _error_app()
    assert client.post("/text", params={"fail": 422}).json() == "the field x is wrong"
    envelope = client.post("/e1", params={"fail": 400}).json()
    assert envelope["code"] == 400 and envelope["message"] == "the field x is wrong"


def test_an_error_body_the_schema_refuses_becomes_the_documented_example() -> None:
    # {"detail": ...} would break Strict's required reason: the mock answers inside its contract instead.
    answer = _error_app().get("/strict", params={"fail": 404})
    assert answer.status_code == 404 and answer.json() == {"reason": "bad"}


def test_an_operation_without_a_documented_success_answers_what_it_documents() -> None:
    answer = _error_app().get("/only")
    assert answer.status_code == 405 and answer.content == b""
