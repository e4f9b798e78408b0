"""Exceptions raised by the client: everything derives from :class:`Error`.

Part of runcancel-generator's client runtime, copied unchanged into each generated client; do not edit.
"""

from __future__ import annotations

from typing import Any

import httpx


class Error(Exception):
    """Anything that went wrong in a call."""


class TransportError(Error):
    """The request did not get an HTTP answer."""


class RequestTimeoutError(TransportError):
    """The request timed out."""


class ApiError(Error):
    """The API answered with a status the call could not turn into a result.

    ``status``, ``headers`` and ``body`` (raw bytes) are the answer's;
    ``parsed`` is the vendor's error model when the spec documents one for
    this status and the body matches it, else None.
    """

    def __init__(self, response: httpx.Response, message: str, parsed: Any = None) -> None:
        super().__init__(message)
        self.response = response
        self.status = response.status_code
        self.headers = response.headers
        self.body = response.content
        self.parsed = parsed


class BadRequestError(ApiError):
    """400."""


class UnauthorizedError(ApiError):
    """401."""


class ForbiddenError(ApiError):
    """403."""


class NotFoundError(ApiError):
    """404."""


class ConflictError(ApiError):
    """409."""


class ValidationError(ApiError):
    """422: the API rejected the request's content."""


class RateLimitError(ApiError):
    """429."""


class ServerError(ApiError):
    """5xx."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class(status: int) -> type[ApiError]:
    """The exception class for an HTTP status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)
