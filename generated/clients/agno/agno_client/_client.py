"""Sending: the connection, retries, logging, hooks and raw answers, shared by every Client and AsyncClient.

Part of runcancel-generator's client runtime, copied unchanged into each generated client; do not edit.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import logging
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, ParamSpec, Self, TypeVar
from urllib.parse import parse_qsl, urlencode

import httpx

from ._core import NOT_GIVEN, Endpoint, NotGiven, Options, build, parse, transport_error

P = ParamSpec("P")
T = TypeVar("T")

# One logger per generated package (this module's package); <PACKAGE>_LOG=debug or =info turns it on,
# as httpx's and the Stainless SDKs' variables do.
log = logging.getLogger(__package__ or __name__)
LOG_VARIABLE = f"{(__package__ or 'client').upper()}_LOG"
# Methods that are safe to send twice; other requests are retried only where the endpoint says so.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Query parameters whose values never reach a log line.
SECRET_NAMES = frozenset({"api_key", "apikey", "key", "token", "access_token", "password", "secret", "signature"})


def _configure_logging() -> None:
    level = os.environ.get(LOG_VARIABLE, "").strip().lower()
    if level in ("debug", "info") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


_configure_logging()


@dataclass(frozen=True)
class Retry:
    """When and how a request that is safe to repeat is sent again.

    The default: up to two retries (``attempts`` counts every try) on connection
    errors, timeouts, 408, 429 and 5xx answers, waiting ``backoff`` seconds
    doubled per attempt with jitter, or what ``Retry-After`` says, at most
    ``max_delay``. Only idempotent requests are retried: GET, HEAD, OPTIONS,
    PUT, DELETE, and operations the spec or the generator's configuration marks
    idempotent (a cancel is). ``retry=None`` on the client, or on a call, turns it off.
    """

    attempts: int = 3
    backoff: float = 0.5
    max_delay: float = 30.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({408, 429, 500, 502, 503, 504}))
    connection_errors: bool = True

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before try ``attempt + 1``."""
        after = _retry_after(response.headers.get("retry-after")) if response is not None else None
        if after is not None:
            return min(after, self.max_delay)
        base: float = self.backoff * (2 ** (attempt - 1))
        return min(base * (0.5 + random.random() / 2), self.max_delay)  # noqa: S311 - jitter, not security


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """A successful call's answer as it came (status, headers, the ``httpx.Response``) and its parsed result."""

    http_response: httpx.Response
    parsed: T

    @property
    def status_code(self) -> int:
        """The answer's HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers."""
        return self.http_response.headers


# The answer of the latest call made while a raw call is being made in this thread or task.
_captured: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar("captured", default=None)


@contextmanager
def _capturing() -> Iterator[list[httpx.Response]]:
    found: list[httpx.Response] = []
    token = _captured.set(found)
    try:
        yield found
    finally:
        _captured.reset(token)


def _redacted(url: httpx.URL) -> str:
    if not url.query:
        return str(url)
    pairs = [(k, "***" if k.lower() in SECRET_NAMES else v) for k, v in parse_qsl(url.query.decode(), True)]
    return str(url.copy_with(query=urlencode(pairs).encode()))


def _policy(default: Retry | None, options: Options | None, endpoint: Endpoint, request: httpx.Request) -> Retry | None:
    """The retry policy of one call: the call's, else the client's; none for a request not safe to repeat."""
    chosen = default if options is None or isinstance(options.retry, NotGiven) else options.retry
    if not isinstance(chosen, Retry) or chosen.attempts <= 1:
        return None
    return chosen if endpoint.idempotent or request.method in IDEMPOTENT_METHODS else None


def _default_retry(retry: Retry | NotGiven | None) -> Retry | None:
    return Retry() if isinstance(retry, NotGiven) else retry


class BaseClient:
    """What every blocking client shares: one ``httpx.Client``, retries, logging, hooks, raw answers.

    A generated ``Client`` adds its credentials and one method per operation.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str],
        timeout: float | httpx.Timeout,
        retry: Retry | NotGiven | None,
        headers: Mapping[str, str] | None,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None] | None,
        event_hooks: Mapping[str, Sequence[Callable[..., Any]]] | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            headers={**auth_headers, **(headers or {})},
            transport=transport,
            event_hooks={name: list(hooks) for name, hooks in (event_hooks or {}).items()},
        )
        self._retry = _default_retry(retry)
        self._sleep = sleep or time.sleep

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def with_raw_response(self, method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
        """``method`` (one of this client's) returning the whole answer with its parsed result.

        ``client.with_raw_response(client.get_thing)(thing_id="x").headers``
        """

        def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
            with _capturing() as found:
                parsed = method(*args, **kwargs)
            return RawResponse(found[-1], parsed)

        return call

    def _call(self, endpoint: Endpoint, options: Options, **parts: Any) -> Any:
        """One call: the request built from ``parts`` (see ``_core.build``), sent, and its answer parsed."""
        request = build(self._http, endpoint, options=options, **parts)
        return parse(endpoint, self._send(endpoint, request, options, stream=False))

    def _send(
        self, endpoint: Endpoint, request: httpx.Request, options: Options | None, *, stream: bool
    ) -> httpx.Response:
        policy = _policy(self._retry, options, endpoint, request)
        attempt = 1
        while True:
            began = time.perf_counter()
            try:
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                log.debug("%s %s failed: %s (attempt %d)", request.method, _redacted(request.url), exc, attempt)
                if policy is not None and policy.connection_errors and attempt < policy.attempts:
                    self._sleep(policy.delay(attempt))
                    attempt += 1
                    continue
                raise transport_error(exc) from exc
            log.debug(
                "%s %s -> %d in %.3fs (attempt %d)",
                request.method,
                _redacted(request.url),
                response.status_code,
                time.perf_counter() - began,
                attempt,
            )
            if policy is not None and response.status_code in policy.statuses and attempt < policy.attempts:
                response.close()
                self._sleep(policy.delay(attempt, response))
                attempt += 1
                continue
            captured = _captured.get()
            if captured is not None:
                captured.append(response)
            return response

    def _open(self, endpoint: Endpoint, options: Options, **parts: Any) -> httpx.Response:
        """A streamed answer, its body unread; an error status raises its typed error first."""
        request = build(self._http, endpoint, options=options, **parts)
        response = self._send(endpoint, request, options, stream=True)
        if response.status_code not in endpoint.success:
            response.read()
            response.close()
            parse(endpoint, response)  # raises the status's typed error
        return response


class AsyncBaseClient:
    """:class:`BaseClient` for asyncio: one ``httpx.AsyncClient``; close with ``aclose()``, as httpx does."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str],
        timeout: float | httpx.Timeout,
        retry: Retry | NotGiven | None,
        headers: Mapping[str, str] | None,
        transport: httpx.AsyncBaseTransport | None,
        sleep: Callable[[float], Awaitable[None]] | None,
        event_hooks: Mapping[str, Sequence[Callable[..., Any]]] | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            headers={**auth_headers, **(headers or {})},
            transport=transport,
            event_hooks={name: list(hooks) for name, hooks in (event_hooks or {}).items()},
        )
        self._retry = _default_retry(retry)
        self._sleep = sleep or asyncio.sleep

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose`, kept for callers written before it."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()

    def with_raw_response(self, method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
        """``method`` (one of this client's) returning the whole answer with its parsed result."""

        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
            with _capturing() as found:
                parsed = await method(*args, **kwargs)
            return RawResponse(found[-1], parsed)

        return call

    async def _call(self, endpoint: Endpoint, options: Options, **parts: Any) -> Any:
        """One call: the request built from ``parts`` (see ``_core.build``), sent, and its answer parsed."""
        request = build(self._http, endpoint, options=options, **parts)
        return parse(endpoint, await self._send(endpoint, request, options, stream=False))

    async def _send(
        self, endpoint: Endpoint, request: httpx.Request, options: Options | None, *, stream: bool
    ) -> httpx.Response:
        policy = _policy(self._retry, options, endpoint, request)
        attempt = 1
        while True:
            began = time.perf_counter()
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                log.debug("%s %s failed: %s (attempt %d)", request.method, _redacted(request.url), exc, attempt)
                if policy is not None and policy.connection_errors and attempt < policy.attempts:
                    await self._sleep(policy.delay(attempt))
                    attempt += 1
                    continue
                raise transport_error(exc) from exc
            log.debug(
                "%s %s -> %d in %.3fs (attempt %d)",
                request.method,
                _redacted(request.url),
                response.status_code,
                time.perf_counter() - began,
                attempt,
            )
            if policy is not None and response.status_code in policy.statuses and attempt < policy.attempts:
                await response.aclose()
                await self._sleep(policy.delay(attempt, response))
                attempt += 1
                continue
            captured = _captured.get()
            if captured is not None:
                captured.append(response)
            return response

    async def _open(self, endpoint: Endpoint, options: Options, **parts: Any) -> httpx.Response:
        """A streamed answer, its body unread; an error status raises its typed error first."""
        request = build(self._http, endpoint, options=options, **parts)
        response = await self._send(endpoint, request, options, stream=True)
        if response.status_code not in endpoint.success:
            await response.aread()
            await response.aclose()
            parse(endpoint, response)  # raises the status's typed error
        return response


__all__ = ["NOT_GIVEN", "AsyncBaseClient", "BaseClient", "RawResponse", "Retry"]
