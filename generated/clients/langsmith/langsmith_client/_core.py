"""Request building and answer parsing, shared by Client and AsyncClient (sending is in ``_client``).

Part of runcancel-generator's client runtime, copied unchanged into each generated client; do not edit.
"""

from __future__ import annotations

import datetime
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal
from urllib.parse import quote, urlencode

import httpx
from pydantic import MISSING, BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from . import errors


class NotGiven:
    """The type of :data:`NOT_GIVEN`: an option left out, as distinct from one given as ``None``."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


@dataclass(frozen=True)
class Options:
    """Per-call options, beside the operation's own arguments.

    ``extra_headers``/``extra_query`` are added to the request (a header given
    as None is removed); ``extra_body`` is merged into the body; ``timeout``
    (seconds or an ``httpx.Timeout``) replaces the client's for this call;
    ``retry`` replaces the client's policy (``None``: no retries for this call).
    """

    timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN
    extra_headers: Mapping[str, str | None] = field(default_factory=dict)
    extra_query: Mapping[str, Any] = field(default_factory=dict)
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    retry: Any = NOT_GIVEN  # a _client.Retry, None, or NOT_GIVEN


@dataclass(frozen=True)
class Endpoint:
    """What the client knows of one operation's answers."""

    method: str
    path: str
    success: Mapping[int, Any]  # status -> model class, or None for no body, or Any for plain JSON
    failures: Mapping[int, Any]  # documented error status -> the vendor's error model, or None
    body_media: str = "application/json"
    body_encoding: str = "json"  # json, form (URL-encoded fields), multipart (parts), raw (as it is)
    # Safe to send again: the method is (GET, HEAD, OPTIONS, PUT, DELETE), or the spec or the
    # generator's configuration says so for this operation. Only such requests are retried.
    idempotent: bool = False


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
    return wire(value)


def wire(value: Any) -> Any:
    """``value`` as the API spells it: UUIDs as text, dates and times in ISO 8601; containers item by item.

    Callers may pass ``uuid.UUID``, ``datetime`` and ``date`` where the spec says ``format: uuid``,
    ``date-time`` or ``date``; the exact request models take the text.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    return value


def body_of(model: Any, given: Any, fields: Mapping[str, Any]) -> BaseModel:
    """The body: the model the caller passed, or one built from keyword arguments."""
    chosen = {k: wire(v) for k, v in fields.items() if v is not MISSING}
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
    options: Options | None = None,
) -> httpx.Request:
    """The HTTP request for one call, with the per-call ``options``."""
    options = options or Options()
    sent_headers = {k: str(wire(v)) for k, v in headers.items() if v is not None and v is not MISSING}
    content: bytes | None = None
    fields: dict[str, str | list[str]] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    if body is not None or options.extra_body:
        content, fields, files, media = _encode(endpoint, body, options.extra_body)
        if media is not None:
            sent_headers["content-type"] = media
    sent_headers.update({k: v for k, v in options.extra_headers.items() if v is not None})
    request = client.build_request(
        endpoint.method,
        path_of(endpoint.path, path),
        params={**query_of(query), **query_of(options.extra_query)},
        headers=sent_headers,
        content=content,
        data=fields,
        files=files,
        timeout=httpx.USE_CLIENT_DEFAULT if isinstance(options.timeout, NotGiven) else options.timeout,
    )
    for name, value in options.extra_headers.items():
        if value is None:
            request.headers.pop(name, None)  # the client's own default headers too
    return request


Encoded = tuple[
    bytes | None, dict[str, str | list[str]] | None, list[tuple[str, tuple[str, bytes, str]]] | None, str | None
]


def _encode(endpoint: Endpoint, body: BaseModel | None, extra: Mapping[str, Any]) -> Encoded:
    """The body on the wire as (content, form fields, file parts, content type), by the endpoint's encoding.

    ``extra`` (the call's ``extra_body``) is merged into the top level of the body.
    """
    if endpoint.body_encoding == "json":
        data = body.model_dump(mode="json", by_alias=True, exclude_unset=True) if body is not None else {}
        if extra and isinstance(data, dict):
            data = {**data, **wire(dict(extra))}
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8"), None, None, "application/json"
    value = body.model_dump(mode="python", by_alias=True, exclude_unset=True) if body is not None else {}
    if extra and isinstance(value, dict):
        value = {**value, **wire(dict(extra))}
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
