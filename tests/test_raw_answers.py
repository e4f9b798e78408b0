"""Answers that are not JSON: clients return text as str and files as bytes; servers send them as given."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests import adhoc
from tests.conftest import ROOT
from tests.live_server import serve

MEDIA = ROOT / "tests" / "fixtures" / "specs" / "media.yaml"
ARCHIVE = b"PK\x03\x04\xff\xfe\x00 not utf-8 at all"
EVENTS = "data: one\n\ndata: two ✓\n\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return adhoc.generate(MEDIA, tmp_path_factory.mktemp("media"))


@pytest.fixture
def packages(generated: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    return adhoc.import_packages(generated, "media", monkeypatch)


def test_clients_and_servers_with_raw_answers_type_check(generated: Path) -> None:
    adhoc.assert_strictly_typed(generated, "media")


def test_text_and_bytes_travel_as_they_are(packages: tuple[ModuleType, ModuleType]) -> None:
    client_module, server_module = packages
    problem = importlib.import_module("media_server.handler").Problem

    class Files:
        async def download_export(self, *, id: str) -> bytes:
            if id == "missing":
                raise problem(404, "no such export")
            return ARCHIVE

        async def stream_events(self) -> str:
            return EVENTS

        async def get_status(self) -> Any:
            return {"ok": True}

    with serve(server_module.create_app(Files())) as url, client_module.Client(base_url=url) as client:
        assert client.download_export(id="e1") == ARCHIVE
        assert client.stream_events() == EVENTS
        assert client.get_status().ok is True
        with pytest.raises(client_module.errors.NotFoundError) as raised:
            client.download_export(id="missing")
        assert raised.value.status == 404
        raw = client._http.get(url + "/exports/e1")
        assert raw.headers["content-type"] == "application/zip"
        assert client._http.get(url + "/events").headers["content-type"].startswith("text/event-stream")


def test_the_async_client_returns_the_same(packages: tuple[ModuleType, ModuleType]) -> None:
    import asyncio

    client_module, server_module = packages

    class Files:
        async def download_export(self, *, id: str) -> bytes:
            return ARCHIVE

        async def stream_events(self) -> str:
            return EVENTS

        async def get_status(self) -> Any:
            return {"ok": False}

    async def calls(url: str) -> tuple[bytes, str]:
        async with client_module.AsyncClient(base_url=url) as client:
            return await client.download_export(id="e"), await client.stream_events()

    with serve(server_module.create_app(Files())) as url:
        assert asyncio.run(calls(url)) == (ARCHIVE, EVENTS)
