"""Reading requests and writing answers the way the served API does, shared by every generated route.

Part of runcancel-generator's server runtime, copied unchanged into each generated server; do not edit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

import pydantic
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.datastructures import UploadFile

# How an API writes its error bodies:
#   none         no body                      detail       {"detail": message}
#   detail-list  {"detail": [issues]}          detail-code  {"detail": message, "error_code": "NOT_FOUND"}
#   envelope     {"code", "message", "requestId"}            empty  {}
#   text         the message as a JSON string
ErrorShape = Literal["none", "detail", "detail-list", "detail-code", "envelope", "empty", "text"]
# How a form field's text becomes its value; "array:<kind>" for repeated fields.
FieldKind = str
# The body of an error answer whose shape has none (distinct from a body that is JSON null).
NO_BODY: Any = object()


class Problem(Exception):
    """Raise from a handler to answer with an error status in the API's error format."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ErrorFormat:
    """The API's error answers: the status of an invalid request and the body shape of each error status."""

    validation_status: int
    shapes: Mapping[int, ErrorShape]
    default_shape: ErrorShape

    def body(self, status: int, message: str, issues: list[dict[str, Any]] | None = None) -> Any:
        """The JSON body of an error answer with ``status`` (``NO_BODY`` where the format has none)."""
        shape = self.shapes.get(status, self.default_shape)
        if shape == "none":
            return NO_BODY
        if shape == "detail-list":
            return {"detail": issues or [{"loc": [], "msg": message, "type": "value_error"}]}
        if shape == "detail":
            return {"detail": message}
        if shape == "detail-code":
            return {"detail": message, "error_code": error_code(status)}
        if shape == "envelope":
            return {"code": status, "message": message, "requestId": str(uuid.uuid4())}
        if shape == "text":
            return message
        return {}

    def response(self, status: int, message: str, issues: list[dict[str, Any]] | None = None) -> Response:
        """An error answer with ``status``, in the API's documented format for it."""
        data = self.body(status, message, issues)
        return Response(status_code=status) if data is NO_BODY else JSONResponse(data, status_code=status)


def error_code(status: int) -> str:
    """An upper-case code for a status (``NOT_FOUND``), as APIs with error codes spell them."""
    try:
        return HTTPStatus(status).phrase.upper().replace(" ", "_")
    except ValueError:
        return "ERROR"


def issues(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation errors as plain JSON (``loc``, ``msg``, ``type``)."""
    return [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors
    ]


def summary(found: list[dict[str, Any]]) -> str:
    """One line naming where the first issue is, what rule it breaks, and how many more there are.

    APIs whose error body holds only a message (an envelope, ``{detail}``) still tell
    the caller which field was wrong: ``body.run_ids: [] should be non-empty (minItems)``.
    """
    if not found:
        return "invalid request"
    first = found[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "request"
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return f"{where}: {first.get('msg', '')} ({first.get('type', '')}){more}"


def _credentials(request: Request, schemes: tuple[tuple[str, str], ...]) -> list[str]:
    found = []
    for kind, header in schemes:
        value = request.headers.get(header)
        if value is None:
            continue
        if kind == "bearer":
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token:
                found.append(token)
        elif value:
            found.append(value)
    return found


def authenticate(request: Request, schemes: tuple[tuple[str, str], ...], accepted: Collection[str] | None) -> None:
    """Refuse (401) a request without credentials for one of ``schemes`` ((kind, header) pairs), or with unknown ones.

    ``accepted`` None accepts any non-empty credential.
    """
    if not schemes:
        return
    given = _credentials(request, schemes)
    if not given:
        raise Problem(401, "missing credentials")
    if accepted is not None and not any(g in accepted for g in given):
        raise Problem(401, "invalid credentials")


# No body was sent (distinct from a body that is the JSON literal null).
_ABSENT: Any = object()


async def body(
    request: Request,
    errors: ErrorFormat,
    model: type[pydantic.BaseModel],
    required: bool,
    encoding: str = "json",
    kinds: Mapping[str, FieldKind] | None = None,
    check: Callable[[Any], list[dict[str, Any]]] | None = None,
) -> Any:
    """The request body checked against ``model`` by wire names; None when optional and absent.

    ``check`` (for JSON bodies) lists what the spec's schema refuses in the decoded
    body, ``null`` included, before the model reads it: that makes the answer
    exact and lets it name the field and the rule.
    """
    if kinds is not None:
        data = await _form_data(request, kinds)
        data = _ABSENT if data is None else data
    else:
        data = await _sent_data(request, errors, encoding)
    if data is _ABSENT:
        if required:
            raise Problem(errors.validation_status, "a request body is required")
        return None
    if check is not None:
        found = check(data)
        if found:
            raise RequestValidationError(found)
        if data is None:
            return None  # the schema takes null: the handler gets None
    try:
        # Wire names only, exactly as the spec's schema reads the JSON.
        return model.model_validate(data, by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


async def _sent_data(request: Request, errors: ErrorFormat, encoding: str) -> Any:
    """The body as JSON, or as it was sent (text where it decodes, else bytes); ``_ABSENT`` when there is none."""
    raw = await request.body()
    if not raw:
        return _ABSENT
    if encoding != "json":
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise Problem(errors.validation_status, f"the body is not valid JSON: {exc}") from exc


async def _form_data(request: Request, kinds: Mapping[str, FieldKind]) -> dict[str, Any] | None:
    """Form fields or multipart parts, each read as its schema's kind says; None when there are none."""
    form = await request.form()
    if not form:
        return None
    return {key: await _form_value(form.getlist(key), kinds.get(key, "string")) for key in dict.fromkeys(form.keys())}


async def _form_value(values: list[Any], kind: FieldKind) -> Any:
    """One form field's value from its text (or file part): a list for arrays, else the last one sent."""
    item_kind = kind.removeprefix("array:")
    converted = [await _form_item(value, item_kind) for value in values]
    return converted if kind.startswith("array:") else converted[-1]


async def _form_item(value: Any, kind: FieldKind) -> Any:
    if isinstance(value, UploadFile):
        return await value.read()
    text = str(value)
    # Text that does not read as its kind stays text: the model then says what is wrong with it.
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "json":
            return json.loads(text)
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind == "binary":
        return text.encode("utf-8")
    return text


def allowed_methods(routes: Sequence[Any], path: str) -> list[str]:
    """Every method some route serves at ``path``: what a 405's ``Allow`` header must list.

    The router names only the first route that matched the path, and each
    generated route serves one method, so the header is worked out anew.
    """
    methods = {
        method
        for route in routes
        if getattr(route, "path_regex", None) is not None and route.path_regex.match(path)
        for method in getattr(route, "methods", None) or ()
    }
    return sorted(methods)


def answer(result: Any, status: int, media_type: str | None = None) -> Response:
    """A handler's result as the answer: a model or JSON, or (with ``media_type``) text, bytes or a stream."""
    if status == 204 or (result is None and status not in (200, 201, 202)):
        return Response(status_code=status)
    if media_type is not None:
        # An answer that is not JSON (text, a file, an event stream) goes out as the handler gave it.
        if not isinstance(result, (bytes, str)):
            return StreamingResponse(result, media_type=media_type, status_code=status)  # chunks as they come
        return Response(content=result, media_type=media_type, status_code=status)
    if isinstance(result, pydantic.BaseModel):
        return JSONResponse(result.model_dump(mode="json", by_alias=True, exclude_unset=True), status_code=status)
    return JSONResponse(result, status_code=status)
