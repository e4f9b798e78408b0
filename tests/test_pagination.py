"""Auto-pagination against generated servers: one corpus operation per paging style (and a cursor of our own).

The servers are the generated apps with a handler that pages over fixed items, as a user's
stub would; the clients are generated from the same specs, limited to those operations.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import generator
from generator.pipeline import Target, build
from generator.render.examples import example_value
from tests.conftest import CORPUS, ROOT
from tests.live_server import serve

CONFIG = f"""
targets: [client, server]
vendors:
  pagedsky:
    spec: {CORPUS / "skyvern-full.json"}
    lenient: true
    include: {{operations: [get_folders_v1_folders_get]}}
  pagedb3:
    spec: {CORPUS / "b3os-full.json"}
    lenient: true
    include: {{operations: [get_v1_api_keys]}}
  pagedcursor:
    spec: {ROOT / "tests" / "fixtures" / "specs" / "paging.yaml"}
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("paging")
    (root / "generator.yaml").write_text(CONFIG, encoding="utf-8")
    result = generator.generate(root / "generator.yaml", full=True)
    assert result.ok, [str(p) for p in result.problems if p.severity.value == "error"]
    paths = [str(root / "generated" / kind / name) for name in ("pagedsky", "pagedb3", "pagedcursor")
             for kind in ("clients", "servers")]  # fmt: skip
    sys.path[:0] = paths
    try:
        yield {
            f"{name}_{kind}": importlib.import_module(f"{name}_{kind}")
            for name in ("pagedsky", "pagedb3", "pagedcursor")
            for kind in ("client", "server")
        }
    finally:
        del sys.path[: len(paths)]


def items_of(spec: Path, schema: str, count: int, key: str) -> list[dict[str, Any]]:
    """``count`` answers' items made from the spec's schema, told apart by ``key``."""
    api = build(Target("x", spec, str(spec)), True).api
    assert api is not None
    made = example_value(api.schema, api.schema(schema))
    return [{**made, key: f"{key}-{i}"} for i in range(count)]


def recorded() -> tuple[list[httpx.Request], dict[str, list[Any]]]:
    sent: list[httpx.Request] = []
    return sent, {"request": [sent.append]}


def test_page_numbers_over_three_pages(packages: dict[str, ModuleType]) -> None:
    folders = items_of(CORPUS / "skyvern-full.json", "Folder", 7, "folder_id")

    class Handler(packages["pagedsky_server"].ReferenceHandler):  # type: ignore[misc, name-defined]
        async def get_folders_v1_folders_get(self, *, page: int | None = None, page_size: int | None = None,
                                             **_: Any) -> Any:  # fmt: skip
            size, start = page_size or 10, ((page or 1) - 1) * (page_size or 10)
            return folders[start : start + size]

    sent, hooks = recorded()
    app = packages["pagedsky_server"].create_app(Handler())
    with serve(app) as url, packages["pagedsky_client"].Client(base_url=url, event_hooks=hooks) as client:
        got = list(client.iter_get_folders_v1_folders_get(page_size=3, x_api_key="k"))
    assert [f.folder_id for f in got] == [f["folder_id"] for f in folders]
    assert [r.url.params.get("page") for r in sent] == [None, "2", "3"]


def test_limit_and_offset_in_an_envelope_over_three_pages(packages: dict[str, ModuleType]) -> None:
    keys = items_of(
        CORPUS / "b3os-full.json",
        "github_com_b3-fun_b3-mono_services_b3os-workflow_internal_pkg_entity.APIKey",
        7,
        "id",
    )

    class Handler(packages["pagedb3_server"].ReferenceHandler):  # type: ignore[misc, name-defined]
        async def get_v1_api_keys(self, *, limit: int | None = None, offset: int | None = None, **_: Any) -> Any:
            page = keys[(offset or 0) : (offset or 0) + (limit or 20)]
            data = {"items": page, "limit": limit, "offset": offset or 0, "hasMore": (offset or 0) + len(page) < 7}
            return {"code": 200, "data": data, "message": "success", "requestId": "r"}

    sent, hooks = recorded()
    app = packages["pagedb3_server"].create_app(Handler())

    async def collect(url: str) -> list[Any]:
        async with packages["pagedb3_client"].AsyncClient(base_url=url) as client:
            return [item async for item in client.iter_get_v1_api_keys(limit=3)]

    with serve(app) as url, packages["pagedb3_client"].Client(base_url=url, event_hooks=hooks) as client:
        first = list(islice(client.iter_get_v1_api_keys(limit=3), 4))  # lazily: two pages for four items
        assert len(sent) == 2
        every = asyncio.run(collect(url))
    assert [k.id for k in first] == ["id-0", "id-1", "id-2", "id-3"]
    assert [k.id for k in every] == [k["id"] for k in keys]


def test_a_cursor_the_answer_hands_back(packages: dict[str, ModuleType]) -> None:
    events = [{"id": f"e{i}", "kind": "started"} for i in range(8)]

    class Handler(packages["pagedcursor_server"].ReferenceHandler):  # type: ignore[misc, name-defined]
        async def list_events(self, *, cursor: str | None = None, limit: int | None = None) -> Any:
            start = int(cursor or 0)
            end = start + (limit or 3)
            return {"events": events[start:end], "next_cursor": str(end) if end < len(events) else None}

    sent, hooks = recorded()
    app = packages["pagedcursor_server"].create_app(Handler())
    with serve(app) as url, packages["pagedcursor_client"].Client(base_url=url, event_hooks=hooks) as client:
        got = [e.id for e in client.iter_list_events(limit=3)]
    assert got == [e["id"] for e in events]
    assert [r.url.params.get("cursor") for r in sent] == [None, "3", "6"]
