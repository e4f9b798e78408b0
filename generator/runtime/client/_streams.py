"""Server-sent events read as they arrive, for clients of operations that answer ``text/event-stream``.

Part of runcancel-generator's client runtime, copied unchanged into the generated clients that stream; do not edit.
"""

from __future__ import annotations

import httpx
from httpx_sse import EventSource, ServerSentEvent

from ._core import transport_error


class EventStream:
    """Server-sent events as they arrive (``httpx_sse.ServerSentEvent``: ``event``, ``data``, ``id``, ``retry``).

    Use it in a ``with`` block, or read it to the end, so the connection is given back.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._events = EventSource(response).iter_sse()

    def __iter__(self) -> EventStream:
        return self

    def __next__(self) -> ServerSentEvent:
        try:
            return next(self._events)
        except StopIteration:
            self.close()
            raise
        except httpx.TransportError as exc:
            self.close()
            raise transport_error(exc) from exc

    def close(self) -> None:
        """Stop reading and close the connection."""
        self.response.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AsyncEventStream:
    """:class:`EventStream` for ``AsyncClient``: ``async for`` and ``async with``."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._events = EventSource(response).aiter_sse()

    def __aiter__(self) -> AsyncEventStream:
        return self

    async def __anext__(self) -> ServerSentEvent:
        try:
            return await self._events.__anext__()
        except StopAsyncIteration:
            await self.aclose()
            raise
        except httpx.TransportError as exc:
            await self.aclose()
            raise transport_error(exc) from exc

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        await self._events.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncEventStream:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
