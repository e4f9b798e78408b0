"""Answers that are not JSON: clients return text as str and files as bytes; servers send them as given."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.live_server import serve

MEDIA = ROOT / "tests" / "fixtures" / "specs" / "media.yaml"
ARCHIVE = b"PK\x03\x04\xff\xfe\x00 not utf-8 at all"
EVENTS = "data: one\n\ndata: two ✓\n\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("media")
    assert main(["generate", "--spec", str(MEDIA), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def packages(generated: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(generated / "clients" / "media"))
    monkeypatch.syspath_prepend(str(generated / "servers" / "media"))
    return importlib.import_module("media_client"), importlib.import_module("media_server")


def test_clients_and_servers_with_raw_answers_type_check(generated: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(generated / k / "media") for k in ("clients", "servers"))}
    for package in ("media_client", "media_server"):
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
            capture_output=True, text=True, check=False, cwd=generated, env=env,
        )  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout


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
