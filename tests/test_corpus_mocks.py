"""The vendors' full specs as mocks: every operation answers, inputs are checked exactly, four old defects stay fixed.

One generation of the three corpus specs per session (``corpus_out`` in conftest);
one server start per spec. The referee for inputs and answers is jsonschema
(Draft 2020-12) on the corpus spec as the vendor wrote it, not the served copy.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from referencing.exceptions import Unresolvable

from generator.load import pointer as jp
from tests.conftest import CORPUS, CORPUS_SPECS
from tests.live_server import serve
from tests.test_fidelity import reference_validator

SPECS = CORPUS_SPECS
METHODS = ("get", "put", "post", "delete", "patch")
SAMPLE_EVERY = 3  # of the operations other than GET, every third one is called


def corpus_document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CORPUS / SPECS[name]).read_text(encoding="utf-8"))
    return document


def server_module(out: Path, name: str, submodule: str = "") -> Any:
    path = str(out / name / "servers" / name)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(f"{name}_server{submodule}")


def auth_headers(document: dict[str, Any]) -> dict[str, str]:
    """Credentials for every scheme the spec declares (the mocks accept any non-empty one)."""
    headers = {"Authorization": "Bearer t"}
    for scheme in (document.get("components", {}).get("securitySchemes") or {}).values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            headers[scheme["name"]] = "t"
    return headers


def wire(value: Any) -> str:
    """A JSON scalar as parameter text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


@pytest.fixture(scope="module", params=sorted(SPECS))
def corpus_mock(request: pytest.FixtureRequest, corpus_out: Path) -> Iterator[tuple[str, Any, str]]:
    name = request.param
    app = server_module(corpus_out, name).create_app()
    with serve(app) as url:
        yield name, app, url


def _base_path(document: dict[str, Any]) -> str:
    return urlsplit(document["servers"][0]["url"]).path.rstrip("/") if document.get("servers") else ""


def _valid_request(app: Any, served: dict[str, Any], path: str, method: str) -> tuple[str, dict[str, Any]] | None:
    """A URL path and httpx arguments for a request the operation's schemas accept, made by the mock's own maker.

    None when no valid input exists (B3OS has bodies like ``oneOf: [object, object]``, which nothing matches).
    """
    mock = app.state.mock
    operation = mock.operations[f"{method.upper()} {path}"]
    url_path, query, headers = path, [], {}
    for p in operation.parameters:
        if not p.required and p.location != "path":
            continue
        value = mock.values.value(p.pointer, 1)
        if p.location == "path":
            url_path = url_path.replace("{" + p.name + "}", quote(wire(value), safe=""))
        elif p.location == "query":
            query += [(p.name, wire(v)) for v in value] if isinstance(value, list) else [(p.name, wire(value))]
        else:
            headers[p.name] = wire(value)
    arguments: dict[str, Any] = {"params": query, "headers": headers}
    if operation.body_pointer is not None:
        try:
            arguments["json"] = mock.values.value(operation.body_pointer, 1)
        except ValueError:
            return None
    return url_path, arguments


def test_every_get_and_a_sample_of_the_rest_answer_as_documented(corpus_mock: tuple[str, Any, str]) -> None:
    name, app, url = corpus_mock
    document = corpus_document(name)
    served = app.openapi()
    base = _base_path(document)
    statuses: Counter[int] = Counter()
    checked = unresolved = 0
    with httpx.Client(base_url=url + base, headers=auth_headers(document), timeout=30) as http:
        others = 0
        for path, item in document["paths"].items():
            for method in METHODS:
                if method not in item:
                    continue
                if method != "get":
                    others += 1
                    if others % SAMPLE_EVERY:
                        continue
                made = _valid_request(app, served, path, method)
                if made is None:
                    statuses[0] += 1  # nothing valid to send
                    continue
                url_path, arguments = made
                answer = http.request(method.upper(), url_path, **arguments)
                statuses[answer.status_code] += 1
                where = f"{method.upper()} {path}"
                responses = item[method]["responses"]
                assert answer.status_code < 500 and answer.status_code != 501, (where, answer.text[:500])
                # Valid input gets a success; an operation documenting none (LangGraph's GET /mcp/: only 405)
                # gets the first status it documents.
                expected = sorted(s for s in responses if s.isdigit() and s.startswith("2")) or sorted(responses)[:1]
                assert str(answer.status_code) in expected, (where, arguments, answer.text[:500])
                documented = responses.get(str(answer.status_code)) or responses.get("default") or {}
                content = documented.get("content") or {}
                media = next((m for m in content if "json" in m), None)
                if media is None or "schema" not in content[media]:
                    continue
                pointer = jp.join("/paths", path, method, "responses", str(answer.status_code), "content", media)
                referee = reference_validator(document, pointer + "/schema")
                try:
                    errors = [e.message for e in referee.iter_errors(answer.json())]
                except Unresolvable:
                    # The vendor's own $ref dangles (LangGraph's Interrupt): read leniently, it is "any value".
                    unresolved += 1
                    continue
                assert not errors, (where, errors[:3])
                checked += 1
    assert checked > 10 and unresolved <= checked / 4, (statuses, checked, unresolved)


def test_path_parameters_with_wire_names_that_are_not_python_names(corpus_out: Path) -> None:
    """Defect 1: B3OS's ``orgId`` answered 400 on every request."""
    app = server_module(corpus_out, "b3osfull").create_app()
    from fastapi.testclient import TestClient

    client = TestClient(app, headers={"Authorization": "Bearer t"})
    operation = next(k for k in app.state.mock.operations if k.startswith("GET ") and "{orgId}" in k)
    answer = client.get(operation.removeprefix("GET ").replace("{orgId}", "org-1").replace("{", "").replace("}", ""))
    assert answer.status_code == 200, answer.text


def test_nested_union_refuses_an_unknown_key_its_schema_refuses(corpus_out: Path) -> None:
    """Defect 2: Skyvern's ``action`` (a oneOf of open objects): ``{}`` matches every branch, so oneOf refuses it."""
    from fastapi.testclient import TestClient

    client = TestClient(server_module(corpus_out, "skyvernfull").create_app(), headers={"x-api-key": "t"})
    refused = client.post("/v1/sdk/run_action", json={"url": "https://example.com", "action": {}})
    assert refused.status_code == 422
    [issue] = refused.json()["detail"]
    assert issue["loc"] == ["body", "action"] and issue["type"] == "oneOf"
    accepted = client.post("/v1/sdk/run_action", json={"url": "u", "action": {"type": "ai_click", "extra": 1}})
    assert accepted.status_code == 200, accepted.text


def test_literal_null_body_is_a_body(corpus_out: Path) -> None:
    """Defect 3: ``null`` sent as an optional body was read as "no body"."""
    from fastapi.testclient import TestClient

    client = TestClient(server_module(corpus_out, "b3osfull").create_app(), headers={"Authorization": "Bearer t"})
    mock = client.app.state.mock  # type: ignore[attr-defined]
    optional = [
        o
        for o in mock.operations.values()
        if o.body_pointer and not o.parameters and not mock.schemas.is_valid(o.body_pointer, None)
    ]
    assert optional
    method, path = optional[0].key.split(" ", 1)
    answer = client.request(method, path, content=b"null", headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text
    # Skyvern's retry-webhook body is anyOf [object, null]: there null is accepted.
    sky = TestClient(server_module(corpus_out, "skyvernfull").create_app(), headers={"x-api-key": "t"})
    sent = sky.post("/v1/runs/wr_1/retry_webhook", content=b"null", headers={"content-type": "application/json"})
    assert sent.status_code == 200, sent.text


def test_envelope_400_names_the_field_and_rule(corpus_out: Path) -> None:
    """Defect 4: B3OS's ``{code, message, requestId}`` 400 said only "invalid request"."""
    from fastapi.testclient import TestClient

    client = TestClient(server_module(corpus_out, "b3osfull").create_app(), headers={"Authorization": "Bearer t"})
    # The body is oneOf [any object, CreateAPIKeyParams]: a list matches neither.
    answer = client.post("/v1/api-keys", json=[1])
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"code", "message", "requestId"} and body["code"] == 400
    assert body["message"] == "body: [1] is not valid under any of the given schemas (oneOf)", body


# Header parameters OpenAPI says to ignore, sent as their usual value (Authorization goes with the credentials).
_IGNORED_HEADERS = ("accept", "content-type")


def _schemathesis_settings(app: Any, document: dict[str, Any]) -> str:
    """schemathesis.toml: per operation, what the spec leaves a check nothing right to expect, each with its reason."""
    served = app.openapi()
    blocks = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            responses = item[method].get("responses") or {}
            settings = []
            if not any(status.startswith("2") for status in responses):
                # It documents no success (LangGraph's GET /mcp/: only 405); valid input gets what it documents.
                settings.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(sorted(responses))}")
            if not {"400", "422", "4XX", "default"} & set(responses):
                # It documents no status for an invalid request, so any refusal is "undocumented";
                # negative_data_rejection still demands a 4xx, and valid input must still be accepted.
                settings.append("checks.status_code_conformance.enabled = false")
            parameters = [*item.get("parameters", []), *item[method].get("parameters", [])]
            ignored = {p["name"] for p in parameters if p["in"] == "header" and p["name"].lower() in _IGNORED_HEADERS}
            if ignored:
                # OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be ignored
                # (the mock does); schemathesis still mutates it. LangGraph's POST /a2a declares Accept.
                settings.append(
                    "headers = { " + ", ".join(f'"{n}" = "application/json"' for n in sorted(ignored)) + " }"
                )
            declared = {p["name"] for p in parameters}
            if set(re.findall(r"{([^}]+)}", path)) - declared:
                # The vendor's spec declares no parameter for a name in its path (B3OS's {orgId} on nine
                # operations): schemathesis cannot fill the path.
                settings = ["enabled = false"]
            elif "requestBody" in item[method] and _valid_request(app, served, path, method) is None:
                # No body matches the vendor's schema (B3OS's oneOf of two equal objects): nothing can be sent
                # that the operation accepts, and schemathesis stops on it. The corpus fidelity test still
                # sends these operations random bodies, which the mock must refuse as the referee does.
                settings = ["enabled = false"]
            if settings:
                blocks.append(
                    "\n".join(["[[operations]]", f"include-name = {json.dumps(f'{method.upper()} {path}')}", *settings])
                )
    return "\n\n".join(blocks) + "\n"


def test_schemathesis_with_every_check_finds_nothing(corpus_mock: tuple[str, Any, str], tmp_path: Path) -> None:
    """schemathesis with every check on (response_schema_conformance and the rest), reading the vendor's own spec.

    It reads the spec as the vendor wrote it, not the copy the mock serves, and sends
    valid and invalid input alike; a few examples per operation keep it to seconds.
    """
    name, app, url = corpus_mock
    document = corpus_document(name)
    base = _base_path(document)
    settings = tmp_path / "schemathesis.toml"
    settings.write_text(_schemathesis_settings(app, document), encoding="utf-8")
    headers = [part for key, value in auth_headers(document).items() for part in ("-H", f"{key}: {value}")]
    # Every check is on (schemathesis's default); naming them on the command line would override the settings file.
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(settings), "run", str(CORPUS / SPECS[name]),
         "--url", url + base, *headers, "--phases", "examples,fuzzing", "--max-examples", "3",
         "--seed", "7", "--generation-deterministic", "--no-color"],
        capture_output=True, text=True, check=False, timeout=600, cwd=tmp_path,  # its cache goes there
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"Test cases:\s+\d+ generated, \d+ passed", result.stdout), result.stdout[-3000:]
