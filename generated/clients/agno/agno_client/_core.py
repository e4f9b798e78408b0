"""Request building, sending with retries, and answer parsing, shared by Client and AsyncClient.

Part of runcancel-generator's client runtime, copied unchanged into each generated client; do not edit.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlencode

import httpx
from pydantic import MISSING, BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from . import errors


@dataclass(frozen=True)
class Retry:
    """Retries on 429 and 503 with exponential backoff and jitter, honouring ``Retry-After``.

    ``attempts`` counts every try, so ``Retry(attempts=1)`` (the default) never retries.
    """

    attempts: int = 1
    backoff: float = 0.5
    max_delay: float = 30.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 503}))

    def delay(self, attempt: int, response: httpx.Response) -> float:
        """Seconds to wait before try ``attempt + 1``."""
        after = _retry_after(response.headers.get("retry-after"))
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
class Endpoint:
    """What the client knows of one operation's answers."""

    method: str
    path: str
    success: Mapping[int, Any]  # status -> model class, or None for no body, or Any for plain JSON
    failures: Mapping[int, Any]  # documented error status -> the vendor's error model, or None
    body_media: str = "application/json"
    body_encoding: str = "json"  # json, form (URL-encoded fields), multipart (parts), raw (as it is)


def from_env(names: Sequence[str]) -> str | None:
    """The first of these environment variables that holds a value, without blanks or quotes around it.

    For a credential not passed explicitly, read the way the vendor's own SDK reads it.
    """
    for name in names:
        value = os.environ.get(name, "").strip().strip('"').strip("'")
        if value:
            return value
    return None


def path_of(template: str, values: Mapping[str, Any]) -> str:
    """Fill path parameters in, each percent-encoded as one segment."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(str(value), safe=""))
    return template


def query_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters that were given (None and MISSING mean 'leave out')."""
    return {k: _plain(v) for k, v in values.items() if v is not None and v is not MISSING}


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def body_of(model: Any, given: Any, fields: Mapping[str, Any]) -> BaseModel:
    """The body: the model the caller passed, or one built from keyword arguments."""
    chosen = {k: v for k, v in fields.items() if v is not MISSING}
    if given is not None and chosen:
        raise TypeError(f"pass the body either as body= or as keyword arguments, not both ({', '.join(chosen)})")
    if given is None:
        given = model.model_validate(chosen)
    if not isinstance(given, BaseModel):
        raise TypeError(f"body must be a {model.__name__}, not {type(given).__name__}")
    return given


def build(
    client: httpx.Client | httpx.AsyncClient,
    endpoint: Endpoint,
    *,
    path: Mapping[str, Any],
    query: Mapping[str, Any],
    headers: Mapping[str, Any],
    body: BaseModel | None = None,
) -> httpx.Request:
    """The HTTP request for one call."""
    sent_headers = {k: str(v) for k, v in headers.items() if v is not None and v is not MISSING}
    content: bytes | None = None
    fields: dict[str, str | list[str]] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    if body is not None:
        content, fields, files, media = _encode(endpoint, body)
        if media is not None:
            sent_headers["content-type"] = media
    return client.build_request(
        endpoint.method,
        path_of(endpoint.path, path),
        params=query_of(query),
        headers=sent_headers,
        content=content,
        data=fields,
        files=files,
    )


def _encode(
    endpoint: Endpoint, body: BaseModel
) -> tuple[
    bytes | None, dict[str, str | list[str]] | None, list[tuple[str, tuple[str, bytes, str]]] | None, str | None
]:
    """The body on the wire as (content, form fields, file parts, content type), by the endpoint's encoding."""
    if endpoint.body_encoding == "json":
        data = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return (
            json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
            None,
            None,
            "application/json",
        )
    value = body.model_dump(mode="python", by_alias=True, exclude_unset=True)
    if endpoint.body_encoding == "form" and isinstance(value, Mapping):
        return urlencode(_form_pairs(value)).encode("ascii"), None, None, endpoint.body_media
    if endpoint.body_encoding == "multipart" and isinstance(value, Mapping):
        # File parts are named after their field; httpx writes the boundary into the content type.
        files = [(k, (k, v, "application/octet-stream")) for k, v in value.items() if isinstance(v, bytes)]
        fields: dict[str, str | list[str]] = {}
        for key, text in _form_pairs({k: v for k, v in value.items() if not isinstance(v, bytes)}):
            previous = fields.get(key)
            fields[key] = text if previous is None else [*([previous] if isinstance(previous, str) else previous), text]
        return None, fields, files, None
    return _raw(value), None, None, endpoint.body_media


def _form_pairs(value: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Form fields: a list repeats its key, null is left out, objects are JSON, booleans 'true'/'false'."""
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        for element in item if isinstance(item, list) else [item]:
            if element is not None:
                pairs.append((key, _form_text(element)))
    return pairs


def _form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _raw(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse(endpoint: Endpoint, response: httpx.Response) -> Any:
    """The typed result of a 2xx answer, or the typed exception for any other."""
    status = response.status_code
    if status in endpoint.success:
        target = endpoint.success[status]
        if target is None:
            return None
        # Answers that are not JSON come as they are: text as str, files and archives as bytes.
        if target is bytes:
            return response.content
        if target is str:
            return response.text
        data = _json(response)
        if target is Any:
            return data
        try:
            return TypeAdapter(target).validate_python(data)
        except PydanticValidationError as exc:
            raise errors.ApiError(
                response, f"{status} answer does not match the documented schema: {exc.error_count()} problem(s)"
            ) from exc
    model = endpoint.failures.get(status)
    parsed = None
    if model is not None:
        try:
            parsed = TypeAdapter(model).validate_json(response.content)
        except PydanticValidationError:
            parsed = None
    documented = "documented" if status in endpoint.failures else "undocumented"
    exception = errors.error_class(status)
    raise exception(response, f"{endpoint.method} {endpoint.path} answered {status} ({documented})", parsed)


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise errors.ApiError(response, f"{response.status_code} answer is not valid JSON: {exc}") from exc


def transport_error(exc: httpx.TransportError) -> errors.TransportError:
    """Our exception for a failure below HTTP."""
    if isinstance(exc, httpx.TimeoutException):
        return errors.RequestTimeoutError(f"request timed out: {exc}")
    return errors.TransportError(f"request failed: {exc}")


class BaseClient:
    """What every blocking client shares: one ``httpx.Client``, retries, sending and parsing.

    A generated ``Client`` adds its credentials and one method per operation.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str],
        timeout: float | httpx.Timeout,
        retry: Retry | None,
        headers: Mapping[str, str] | None,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None] | None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url, timeout=timeout, headers={**auth_headers, **(headers or {})}, transport=transport
        )
        self._retry = retry or Retry()
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

    def _call(self, endpoint: Endpoint, request: httpx.Request) -> Any:
        return parse(endpoint, self._send(request, stream=False))

    def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        attempt = 1
        while True:
            try:
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                raise transport_error(exc) from exc
            if response.status_code in self._retry.statuses and attempt < self._retry.attempts:
                response.close()
                self._sleep(self._retry.delay(attempt, response))
                attempt += 1
                continue
            return response

    def _open(self, endpoint: Endpoint, request: httpx.Request) -> httpx.Response:
        """A streamed answer, its body unread; an error status raises its typed error first."""
        response = self._send(request, stream=True)
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
        retry: Retry | None,
        headers: Mapping[str, str] | None,
        transport: httpx.AsyncBaseTransport | None,
        sleep: Callable[[float], Awaitable[None]] | None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, headers={**auth_headers, **(headers or {})}, transport=transport
        )
        self._retry = retry or Retry()
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

    async def _call(self, endpoint: Endpoint, request: httpx.Request) -> Any:
        return parse(endpoint, await self._send(request, stream=False))

    async def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        attempt = 1
        while True:
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                raise transport_error(exc) from exc
            if response.status_code in self._retry.statuses and attempt < self._retry.attempts:
                await response.aclose()
                await self._sleep(self._retry.delay(attempt, response))
                attempt += 1
                continue
            return response

    async def _open(self, endpoint: Endpoint, request: httpx.Request) -> httpx.Response:
        """A streamed answer, its body unread; an error status raises its typed error first."""
        response = await self._send(request, stream=True)
        if response.status_code not in endpoint.success:
            await response.aread()
            await response.aclose()
            parse(endpoint, response)  # raises the status's typed error
        return response
