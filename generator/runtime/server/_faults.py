"""Faults on demand: a mock that misbehaves the way real vendors do, reproducibly.

Part of runcancel-generator's server runtime, copied unchanged into each generated server; do not edit.

Each request draws from one random generator seeded with ``seed``: the same
seed and the same sequence of requests give the same faults. A request may be
delayed (``latency``), answered ``429`` with ``Retry-After``, answered ``503``,
or have its connection dropped before any answer byte is sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, fields
from typing import Any

log = logging.getLogger(__name__.rpartition(".")[0] or __name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

ENVIRONMENT_PREFIX = "MOCK_"
"""Environment variables ``MOCK_LATENCY``, ``MOCK_RATE_429``... set the faults of ``Faults.from_environment()``."""


@dataclass(frozen=True)
class Faults:
    """Which faults to inject and how often; shares are between 0 and 1, latency in seconds.

    ``latency`` delays every request, plus up to ``jitter`` more. Of the rest, a
    share ``rate_429`` is answered 429 with ``Retry-After: retry_after``,
    ``rate_503`` is answered 503 (with the same ``Retry-After``) and ``rate_drop``
    has its connection closed without an answer.
    """

    latency: float = 0.0
    jitter: float = 0.0
    rate_429: float = 0.0
    rate_503: float = 0.0
    rate_drop: float = 0.0
    retry_after: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        shares = (self.rate_429, self.rate_503, self.rate_drop)
        if any(not 0 <= s <= 1 for s in shares) or sum(shares) > 1:
            raise ValueError("fault shares must each be between 0 and 1 and add up to at most 1")
        if self.latency < 0 or self.jitter < 0 or self.retry_after < 0:
            raise ValueError("latency, jitter and retry_after must not be negative")

    @property
    def active(self) -> bool:
        """Whether any fault is asked for."""
        return any((self.latency, self.jitter, self.rate_429, self.rate_503, self.rate_drop))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Faults:
        """Faults from ``MOCK_LATENCY``, ``MOCK_JITTER``, ``MOCK_RATE_429``, ``MOCK_RATE_503``, ``MOCK_RATE_DROP``,
        ``MOCK_RETRY_AFTER`` and ``MOCK_SEED`` (unset ones keep their defaults)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENVIRONMENT_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                values[f.name] = int(raw) if f.name in ("retry_after", "seed") else float(raw)
        return cls(**values)


class FaultInjector:
    """ASGI middleware that injects :class:`Faults` into the HTTP requests an app serves.

    :meth:`install` puts it outside everything else the app stacks, so that it
    sees the server's own ``send`` and can drop a connection.
    """

    def __init__(self, faults: Faults, app: App | None = None) -> None:
        self.app = app
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - reproducible faults, not secrets
        self.injected: dict[str, int] = {"429": 0, "503": 0, "drop": 0}

    def install(self, app: Any) -> None:
        """Wrap a Starlette or FastAPI ``app``: its middleware stack, once built, runs inside this injector."""
        build = app.build_middleware_stack

        def outermost() -> App:
            self.app = build()
            return self

        app.build_middleware_stack = outermost

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request, or misbehave on it."""
        if self.app is None:
            raise RuntimeError("the fault injector wraps no app")
        if scope["type"] != "http" or not self.faults.active:
            await self.app(scope, receive, send)
            return
        # Draw everything up front, in a fixed order, so a seed gives the same faults whatever the timing.
        roll, extra = self._random.random(), self._random.random()
        delay = self.faults.latency + self.faults.jitter * extra
        if delay:
            await asyncio.sleep(delay)
        f = self.faults
        if roll < f.rate_429:
            await self._refuse(send, 429, "injected fault: too many requests")
        elif roll < f.rate_429 + f.rate_503:
            await self._refuse(send, 503, "injected fault: service unavailable")
        elif roll < f.rate_429 + f.rate_503 + f.rate_drop:
            self.injected["drop"] += 1
            log.warning("injected fault: dropping the connection of %s %s", scope.get("method"), scope.get("path"))
            await _drop(send)
        else:
            await self.app(scope, receive, send)

    async def _refuse(self, send: Send, status: int, message: str) -> None:
        self.injected[str(status)] += 1
        body = ('{"detail": "' + message + '"}').encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(self.faults.retry_after).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _drop(send: Send) -> None:
    """Close the connection without answering.

    ASGI has no message for that: under uvicorn, ``send`` belongs to the request's
    cycle, which holds the connection's transport; closing it, then letting the
    server notice, makes it send nothing. Under another server, an answer that
    promises a body and ends without one breaks the connection just as well.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and callable(getattr(transport, "close", None)):
        transport.close()
        for _ in range(3):
            await asyncio.sleep(0)  # the server learns of the lost connection and sends nothing more
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
