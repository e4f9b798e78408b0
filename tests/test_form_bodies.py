"""Request bodies that are not JSON: multipart uploads, URL-encoded forms and raw text, client to server."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests import adhoc
from tests.conftest import ROOT
from tests.live_server import serve

FORMS = ROOT / "tests" / "fixtures" / "specs" / "forms.yaml"
FILE = b"\x00\xff\xfe binary, not UTF-8"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return adhoc.generate(FORMS, tmp_path_factory.mktemp("forms"))


@pytest.fixture
def packages(generated: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    return adhoc.import_packages(generated, "forms", monkeypatch)


class Echo:
    """A handler that answers with what it was given, as JSON."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    async def upload_file(self, *, body: Any) -> Any:
        return {
            "file": body.file.hex(),
            "thumbnail": body.thumbnail.hex() if isinstance(body.thumbnail, bytes) else None,
            "retention_days": body.model_dump().get("retention_days"),
            "labels": body.model_dump().get("labels"),
        }

    async def save_settings(self, *, body: Any) -> Any:
        return body.model_dump(mode="json", exclude_unset=True)

    async def post_note(self, *, body: Any) -> None:
        self.notes.append(body.root)


def test_form_clients_and_servers_type_check(generated: Path) -> None:
    adhoc.assert_strictly_typed(generated, "forms")
    pyproject = (generated / "servers" / "forms" / "pyproject.toml").read_text()
    assert '"python-multipart>=0.0.9"' in pyproject, "a server that reads forms depends on the form parser"


def test_what_goes_on_the_wire(packages: tuple[ModuleType, ModuleType]) -> None:
    client_module, _ = packages
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={}) if request.url.path != "/notes" else httpx.Response(204)

    client = client_module.Client(base_url="http://vendor.test", transport=httpx.MockTransport(record))
    client.save_settings(name="a b&c", limit=3, ratio=0.5, enabled=False, tags=["x", "y"])
    client.upload_file(file=FILE, retention_days=None, labels=["p", "q"])
    client.post_note(body=client_module.models.PostNoteBody("hello ✓"))
    form, upload, note = sent
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form.content == b"name=a+b%26c&limit=3&ratio=0.5&enabled=false&tags=x&tags=y"
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = upload.content
    assert b'name="file"; filename="file"' in parts and FILE in parts
    assert parts.count(b'name="labels"') == 2 and b"retention_days" not in parts, "null is left out"
    assert note.headers["content-type"] == "text/plain"
    assert note.content == "hello ✓".encode()


def test_the_mock_server_reads_what_the_client_sends(packages: tuple[ModuleType, ModuleType]) -> None:
    client_module, server_module = packages
    echo = Echo()
    with serve(server_module.create_app(echo)) as url, client_module.Client(base_url=url) as client:
        uploaded = client.upload_file(file=FILE, thumbnail=b"\x89PNG", retention_days=7, labels=["p", "q"])
        assert uploaded.model_dump() == {
            "file": FILE.hex(),
            "thumbnail": b"\x89PNG".hex(),
            "retention_days": 7,
            "labels": ["p", "q"],
        }
        saved = client.save_settings(name="n", limit=3, ratio=0.5, enabled=True, tags=["x"])
        assert saved.model_dump() == {
            "name": "n",
            "limit": 3,
            "ratio": 0.5,
            "enabled": True,
            "tags": ["x"],
        }
        client.post_note(body=client_module.models.PostNoteBody("hello ✓"))
        assert echo.notes == ["hello ✓"]
        # What does not read as its kind is refused by the model before the handler sees it.
        bad = httpx.post(url + "/settings", data={"name": "n", "limit": "many"})
        # The error names the field and the rule, even in a format that holds only a message.
        expected = {"detail": "body.limit: Input should be a valid integer (int_type)"}
        assert (bad.status_code, bad.json()) == (422, expected)
        missing = httpx.post(url + "/files", files={"thumbnail": ("t", b"x")})
        assert missing.status_code == 422
        assert httpx.post(url + "/files").status_code == 422, "a required body may not be left out"
        assert httpx.post(url + "/settings", data={"name": "n", "limit": "4"}).json() == {"name": "n", "limit": 4}
