"""Server-side fidelity: over HTTP, each stub accepts exactly the bodies the vendor schema accepts.

Accepted means a 2xx, 404 or 409 answer (the request was valid; the runs may not exist);
rejected means the vendor's validation status (400 or 422). Any other answer fails the test.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from generator.load import pointer as jp
from tests.conftest import ROOT, vendor_api
from tests.live_server import serve
from tests.test_fidelity import _load, check_agreement

EXAMPLES = 300
AUTH = {
    "cargo": {"Authorization": "Bearer t"},
    "skyvern": {"x-api-key": "k"},
    "langsmith": {"x-api-key": "k"},
}


@pytest.mark.parametrize("vendor", sorted(AUTH))
def test_stub_accepts_exactly_what_the_schema_accepts(vendor: str) -> None:
    api = vendor_api(vendor)
    [op] = [o for o in api.operations if o.body is not None]
    assert op.body is not None
    document = _load(ROOT / api.source)
    pointer = jp.join(op.pointer, "requestBody", "content", op.body.media_type, "schema")
    server = importlib.import_module(f"{vendor}_server")
    base = urlsplit(api.servers[0].url).path.rstrip("/") if api.servers else ""  # routes live under it
    statuses: Counter[int] = Counter()
    with serve(server.create_app()) as url, httpx.Client(base_url=url + base, headers=AUTH[vendor]) as http:

        def accepts(payload: Any) -> bool:
            status = http.request(op.method, op.path, json=payload).status_code
            statuses[status] += 1
            assert status in (200, 204, 400, 404, 409, 422), f"unexpected {status} for {payload!r}"
            return status not in (400, 422)

        totals = check_agreement(document, pointer, accepts, EXAMPLES)
    assert totals[True] >= 0.10 * sum(totals.values()) and totals[False] >= 0.10 * sum(totals.values()), totals
    assert 500 not in statuses
