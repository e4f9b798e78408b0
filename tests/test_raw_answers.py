"""Answers that are not JSON: clients return text as str and files as bytes; servers send them as given."""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import AsyncIterator
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

        async def stream_events(self, *, topic: str | None) -> str:
            return EVENTS

        async def get_status(self) -> Any:
            return {"ok": True}

    with serve(server_module.create_app(Files())) as url, client_module.Client(base_url=url) as client:
        assert client.download_export(id="e1") == ARCHIVE
        with client.stream_events() as events:
            assert [(e.event, e.data) for e in events] == [("message", "one"), ("message", "two ✓")]
        assert client.get_status().ok is True
        with pytest.raises(client_module.errors.NotFoundError) as raised:
            client.download_export(id="missing")
        assert raised.value.status == 404
        raw = client._http.get(url + "/exports/e1")
        assert raw.headers["content-type"] == "application/zip"
        assert client._http.get(url + "/events").headers["content-type"].startswith("text/event-stream")


def test_the_async_client_returns_the_same(packages: tuple[ModuleType, ModuleType]) -> None:
    client_module, server_module = packages

    class Files:
        async def download_export(self, *, id: str) -> bytes:
            return ARCHIVE

        async def stream_events(self, *, topic: str | None) -> str:
            return EVENTS

        async def get_status(self) -> Any:
            return {"ok": False}

    async def calls(url: str) -> tuple[bytes, list[str]]:
        async with client_module.AsyncClient(base_url=url) as client:
            archive = await client.download_export(id="e")
            async with await client.stream_events() as events:
                return archive, [e.data async for e in events]

    with serve(server_module.create_app(Files())) as url:
        assert asyncio.run(calls(url)) == (ARCHIVE, ["one", "two ✓"])


def test_events_arrive_as_the_server_sends_them(packages: tuple[ModuleType, ModuleType]) -> None:
    client_module, server_module = packages
    problem = importlib.import_module("media_server.handler").Problem
    released = threading.Event()
    finished = threading.Event()

    class Live:
        async def download_export(self, *, id: str) -> bytes:
            return b""

        async def stream_events(self, *, topic: str | None) -> AsyncIterator[str]:
            if topic == "missing":
                raise problem(404, "no such topic")

            async def chunks() -> AsyncIterator[str]:
                yield "event: progress\ndata: first\n\n"
                # The second event waits for the test: the first must have arrived without it.
                await asyncio.to_thread(released.wait, 10)
                yield "id: 2\ndata: second\n\n"
                finished.set()

            return chunks()

        async def get_status(self) -> Any:
            return {}

    with serve(server_module.create_app(Live())) as url, client_module.Client(base_url=url) as client:
        with pytest.raises(client_module.errors.NotFoundError):
            client.stream_events(topic="missing")
        with client.stream_events() as events:
            first = next(events)
            assert (first.event, first.data) == ("progress", "first")
            assert not finished.is_set()
            released.set()
            second = next(events)
            assert (second.id, second.data) == ("2", "second")
            with pytest.raises(StopIteration):
                next(events)
        assert events.response.is_closed
