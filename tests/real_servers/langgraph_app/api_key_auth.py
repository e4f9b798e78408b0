"""Authentication for the test server: every request must carry the expected ``x-api-key``.

The key comes from ``RUNCANCEL_TEST_API_KEY`` in the server's environment, set by the harness,
so that the tests know it and nothing is hard-coded.
"""

from __future__ import annotations

import hmac
import os

from langgraph_sdk import Auth

auth = Auth()


@auth.authenticate
async def authenticate(headers: dict[bytes, bytes]) -> Auth.types.MinimalUserDict:
    """Accept a request whose ``x-api-key`` equals the configured key; answer 401 otherwise."""
    expected = os.environ.get("RUNCANCEL_TEST_API_KEY", "")
    given = headers.get(b"x-api-key", b"").decode("latin-1")
    # An unset key on the server must not let an empty header through.
    if not expected or not hmac.compare_digest(given, expected):
        raise Auth.exceptions.HTTPException(status_code=401, detail="missing or wrong x-api-key")
    return {"identity": "runcancel-tests", "permissions": []}
