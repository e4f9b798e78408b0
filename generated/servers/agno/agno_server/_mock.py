"""Operations as the served document declares them: exact inputs, answers chosen per request, answers checked.

Part of runcancel-generator's server runtime, copied unchanged into each generated server; do not edit.

Every generated route asks a :class:`Mock` (made from the server's ``openapi.json``)
to read its parameters, to check its body, to honour a ``Prefer`` header
(``code=404``, ``example=<name>``, ``dynamic=true``, as Stoplight Prism reads it),
to answer when no handler does, and to check what a handler answers against the
documented schema before it is sent.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from ._http import NO_BODY, ErrorFormat, ErrorShape, answer, summary
from ._schema import Issue, Schemas, ValueMaker, follow, pointer_to

log = logging.getLogger(__name__.rpartition(".")[0] or __name__)

# A parameter's text is read as a JSON number or boolean when it spells one and the schema takes one.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PREFER = re.compile(r"\s*([A-Za-z_-]+)\s*=\s*(\"[^\"]*\"|[^,;\s]*)\s*")


@dataclass(frozen=True)
class Answer:
    """One documented answer of an operation: its status, media type, schema (by pointer) and named examples."""

    status: str
    media_type: str | None
    pointer: str | None
    examples: Mapping[str, Any]

    @property
    def is_json(self) -> bool:
        """Whether the body is JSON."""
        base = (self.media_type or "").split(";")[0].strip().lower()
        return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter: wire name, where it travels, whether required, its schema's pointer."""

    name: str
    location: str
    required: bool
    pointer: str
    kinds: frozenset[str]  # the JSON types the schema can take, "array" included


@dataclass
class Operation:
    """One operation of the document: what it takes and what it answers."""

    key: str  # "METHOD /path"
    operation_id: str
    status: int  # the documented success status a handler's answer goes out with
    parameters: tuple[Parameter, ...]
    body_pointer: str | None
    answers: dict[str, Answer]
    errors: ErrorFormat  # its own documented error statuses and shapes, the API's where it documents none
    dynamic_calls: int = field(default=0)

    def answer_for(self, status: int) -> Answer | None:
        """The documented answer for ``status``: exact, else its range (``4XX``), else ``default``."""
        return self.answers.get(str(status)) or self.answers.get(f"{str(status)[0]}XX") or self.answers.get("default")


class Mock:
    """What the served document says about each operation, and the answers made from it."""

    def __init__(self, document: Mapping[str, Any], formats: Mapping[str, str], seed: int = 0):
        self.schemas = Schemas(document, formats)
        self.values = ValueMaker(self.schemas)
        self.seed = seed
        self.operations: dict[str, Operation] = {}
        self._static: dict[tuple[str, str], Any] = {}
        raws = [
            (method, path, raw)
            for path, item in (document.get("paths") or {}).items()
            for method, raw in item.items()
            if isinstance(raw, dict) and "responses" in raw
        ]
        shapes = [self._error_shapes(path, method, raw) for method, path, raw in raws]
        #: The API's error format, for answers outside any operation (an unknown path, a 405).
        self.errors = _api_errors(shapes)
        for (method, path, raw), own in zip(raws, shapes, strict=True):
            operation = self._operation(method, path, raw, self._operation_errors(own))
            self.operations[operation.key] = operation

    def _error_shapes(self, path: str, method: str, raw: Mapping[str, Any]) -> dict[int, ErrorShape]:
        """The shape of each error status the operation documents, read from its schema."""
        found: dict[int, ErrorShape] = {}
        for status, response in (raw.get("responses") or {}).items():
            if status.isdigit() and int(status) >= 400:
                content = (response.get("content") or {}) if isinstance(response, dict) else {}
                media, entry = next(iter(content.items()), ("", None))
                has_schema = isinstance(entry, dict) and "schema" in entry
                at = pointer_to("paths", path, method, "responses", status, "content", media, "schema")
                found[int(status)] = error_shape(self.schemas, at if has_schema else None)
        return found

    def _operation_errors(self, own: Mapping[int, ErrorShape]) -> ErrorFormat:
        # An invalid request gets the operation's own documented 422 or 400, where it documents one.
        status = next((s for s in (422, 400) if s in own), self.errors.validation_status)
        return ErrorFormat(status, {**self.errors.shapes, **own}, self.errors.default_shape)

    def enter(self, request: Request, key: str) -> Operation:
        """The operation a route serves, noted on the request so errors raised later answer in its format."""
        operation = self.operations[key]
        request.state.mock_operation = operation
        return operation

    def _operation(self, method: str, path: str, raw: Mapping[str, Any], errors: ErrorFormat) -> Operation:
        base = ("paths", path, method)
        parameters = []
        for index, p in enumerate(raw.get("parameters") or []):
            if p.get("in") in ("path", "query", "header"):
                pointer = pointer_to(*base, "parameters", index, "schema")
                kinds = _kinds(self.schemas, p.get("schema", {}))
                parameters.append(Parameter(p["name"], p["in"], bool(p.get("required")), pointer, kinds))
        body_pointer = None
        content = (raw.get("requestBody") or {}).get("content") or {}
        for media in content:
            base_media = media.split(";")[0].strip().lower()
            if base_media == "application/json" or base_media.endswith("+json"):
                body_pointer = pointer_to(*base, "requestBody", "content", media, "schema")
        answers: dict[str, Answer] = {}
        for status, response in (raw.get("responses") or {}).items():
            media_type: str | None = None
            schema_at: str | None = None
            examples: dict[str, Any] = {}
            for media, entry in (response.get("content") or {}).items():
                media_type = media
                if isinstance(entry, dict) and "schema" in entry:
                    schema_at = pointer_to(*base, "responses", status, "content", media, "schema")
                named = entry.get("examples") if isinstance(entry, dict) else None
                examples = {k: v.get("value") for k, v in (named or {}).items() if isinstance(v, dict)}
                break
            answers[status] = Answer(status, media_type, schema_at, examples)
        # Its answer is the first documented success; an operation that documents none (only a 405, say)
        # answers the first status it does document, as Prism does.
        numeric = sorted(s for s in answers if s.isdigit())
        success = [s for s in numeric if s.startswith("2")] or numeric
        return Operation(
            key=f"{method.upper()} {path}",
            operation_id=str(raw.get("operationId", f"{method} {path}")),
            status=int(success[0]) if success else 200,
            parameters=tuple(parameters),
            body_pointer=body_pointer,
            answers=answers,
            errors=errors,
        )

    # --- reading requests ------------------------------------------------------------

    def parameters(
        self, request: Request, operation: Operation, tokens: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The operation's parameters by wire name, each read as its schema says and checked against it.

        ``tokens`` maps a path parameter's wire name to the name the route template
        uses for it, where the two differ. Invalid or missing ones raise the
        validation error every route answers in the API's error format.
        """
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        for p in operation.parameters:
            texts = self._texts(request, p, tokens)
            if texts is None:
                if p.required:
                    issues.append(
                        {"loc": [p.location, p.name], "msg": "a required parameter is missing", "type": "missing"}
                    )
                continue
            value, problems = self._read(p, texts)
            issues += problems
            values[p.name] = value
        if issues:
            raise RequestValidationError(issues)
        return values

    @staticmethod
    def _texts(request: Request, p: Parameter, tokens: Mapping[str, str] | None) -> list[str] | None:
        if p.location == "path":
            text = request.path_params.get((tokens or {}).get(p.name, p.name))
            return None if text is None else [str(text)]
        if p.location == "query":
            found = request.query_params.getlist(p.name)
            return found or None
        header = request.headers.get(p.name)
        return None if header is None else [header]

    def _read(self, p: Parameter, texts: list[str]) -> tuple[Any, list[Issue]]:
        where = (p.location, p.name)
        if "array" in p.kinds and p.kinds <= {"array", "null"}:
            # Repeated query keys, or one comma-separated value (OpenAPI's simple style) for path and header;
            # a nullable list may also be the text null.
            items = texts if p.location == "query" else texts[-1].split(",")
            candidates: list[Any] = [[_scalar(t) for t in items], items]
            if "null" in p.kinds and texts == ["null"]:
                candidates.append(None)
        else:
            candidates = [*([_scalar(texts[-1])] if _scalar(texts[-1]) != texts[-1] else []), texts[-1]]
            if "object" in p.kinds or "array" in p.kinds:
                with contextlib.suppress(ValueError):
                    candidates.insert(0, json.loads(texts[-1]))
            if "null" in p.kinds and texts[-1] == "null":
                candidates.append(None)  # how a client spells a null parameter, when nothing else reads it
        for candidate in candidates:
            if self.schemas.is_valid(p.pointer, candidate):
                return candidate, []
        return candidates[0], self.schemas.issues(p.pointer, candidates[0], where)

    def body_issues(self, operation: Operation, value: Any) -> list[Issue]:
        """What is wrong with a JSON body (``null`` included) for the operation's schema; [] when it is fine."""
        if operation.body_pointer is None:
            return []
        return self.schemas.issues(operation.body_pointer, value, ("body",))

    # --- answering ------------------------------------------------------------------------

    def preferred(self, request: Request, operation: Operation) -> Response | None:
        """The answer a ``Prefer`` header asks for, or None without one; a wish the spec cannot meet is a 400."""
        header = request.headers.get("prefer")
        if not header:
            return None
        wishes = {k.lower(): v.strip('"') for k, v in _PREFER.findall(header)}
        wishes = {k: v for k, v in wishes.items() if k in ("code", "example", "dynamic")}
        if not wishes:
            return None
        documented = ", ".join(operation.answers)
        if "code" in wishes:
            if not wishes["code"].isdigit() or operation.answer_for(int(wishes["code"])) is None:
                return _refuse(f"Prefer code={wishes['code']}: {operation.operation_id} documents only {documented}")
            status = int(wishes["code"])
        else:
            status = operation.status
            if "example" in wishes:
                # The first documented answer with an example of that name.
                named = [
                    a for a in operation.answers.values() if wishes["example"] in a.examples and a.status.isdigit()
                ]
                status = int(named[0].status) if named else status
        chosen = operation.answer_for(status)
        if chosen is None:
            return _refuse(f"{operation.operation_id} documents no answer with status {status} ({documented})")
        if "example" in wishes:
            if wishes["example"] not in chosen.examples:
                names = ", ".join(chosen.examples) or "none"
                return _refuse(f"Prefer example={wishes['example']}: the {status} answer's examples are {names}")
            return self._send(chosen, status, chosen.examples[wishes["example"]])
        dynamic = wishes.get("dynamic", "").lower() == "true"
        return self._send(chosen, status, self._made(operation, chosen, dynamic=dynamic))

    def answer(self, operation: Operation) -> Response:
        """The documented success answer: its first example, else a value made from its schema."""
        chosen = operation.answer_for(operation.status)
        if chosen is None:
            return Response(status_code=operation.status)
        return self._send(chosen, operation.status, self._made(operation, chosen, dynamic=False))

    def _made(self, operation: Operation, chosen: Answer, *, dynamic: bool) -> Any:
        if chosen.pointer is None:
            return None
        if chosen.examples and not dynamic:
            return next(iter(chosen.examples.values()))
        seed = self.seed * 1_000_003 + zlib.crc32(f"{operation.key} {chosen.status}".encode())
        if dynamic:
            operation.dynamic_calls += 1
            return self.values.value(chosen.pointer, seed + operation.dynamic_calls)
        key = (operation.key, chosen.status)
        if key not in self._static:
            self._static[key] = self.values.value(chosen.pointer, seed)
        return self._static[key]

    def error(self, request: Request, status: int | None, message: str, issues: list[Issue] | None = None) -> Response:
        """An error answer in the format the request's operation documents for ``status`` (None: invalid request).

        Outside any operation (an unknown path, a method not served) the API's usual
        format applies. A body the documented schema would refuse is replaced by the
        documented example or a value made from that schema: the mock never answers
        outside its contract, even where it cannot say why in the vendor's own shape.
        """
        operation: Operation | None = getattr(request.state, "mock_operation", None)
        errors = operation.errors if operation is not None else self.errors
        status = errors.validation_status if status is None else status
        chosen = operation.answer_for(status) if operation is not None else None
        if operation is None or chosen is None or chosen.pointer is None:
            return errors.response(status, message, issues)
        data = errors.body(status, message, issues)
        if data is NO_BODY or not self.schemas.is_valid(chosen.pointer, data):
            log.info(
                "%s: the %s answer's schema takes no message; answering its example: %s", operation.key, status, message
            )
            data = self._made(operation, chosen, dynamic=False)
        return self._send(chosen, status, data)

    def _send(self, chosen: Answer, status: int, value: Any) -> Response:
        if chosen.pointer is None or status == 204:
            return Response(status_code=status)
        if chosen.is_json:
            return JSONResponse(value, status_code=status, media_type=chosen.media_type)
        text = value if isinstance(value, (str, bytes)) else json.dumps(value)
        return Response(content=text, status_code=status, media_type=chosen.media_type)

    def checked(self, operation: Operation, result: Any, media_type: str | None = None) -> Response:
        """A handler's answer, sent only when it matches the documented schema; otherwise a 500 that says why."""
        chosen = operation.answer_for(operation.status)
        if chosen is not None and chosen.pointer is not None and chosen.is_json and media_type is None:
            data = (
                result.model_dump(mode="json", by_alias=True, exclude_unset=True)
                if isinstance(result, pydantic.BaseModel)
                else result
            )
            issues = self.schemas.issues(chosen.pointer, data, ("answer",))
            if issues:
                message = (
                    f"{operation.operation_id} answered what its {operation.status} schema refuses: {summary(issues)}"
                )
                log.error("%s", message)
                # Formats that list issues show them, not the message: each names the operation too.
                named = [{**i, "msg": f"{operation.operation_id} answered: {i['msg']}"} for i in issues]
                return operation.errors.response(500, message, named)
            return JSONResponse(data, status_code=operation.status)
        return answer(result, operation.status, media_type)


def error_shape(schemas: Schemas, pointer: str | None) -> ErrorShape:
    """Which error format (see ``ErrorFormat``) the documented error body at ``pointer`` has."""
    if pointer is None:
        return "none"
    schema = schemas.resolve(follow(schemas.document, pointer))
    if _kinds(schemas, schema) <= {"string", "null"}:
        return "text"
    properties = _properties(schemas, schema)
    if "detail" in properties:
        detail = _kinds(schemas, properties["detail"])
        if "array" in detail and detail <= {"array", "null"}:
            return "detail-list"
        return "detail-code" if "error_code" in properties else "detail"
    if "code" in properties and "message" in properties:
        return "envelope"
    return "empty"


def _properties(schemas: Schemas, schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties an object schema names, its ``allOf``, ``anyOf`` and ``oneOf`` branches' included."""
    schema = schemas.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return {}
    found: dict[str, Any] = {}
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            found.update(_properties(schemas, branch, depth + 1))
    properties = schema.get("properties")
    found.update(properties if isinstance(properties, dict) else {})
    return found


def _api_errors(per_operation: list[dict[int, ErrorShape]]) -> ErrorFormat:
    """The API's usual error format: per status the shape most operations document, the commonest as default."""
    by_status: dict[int, Counter[ErrorShape]] = {}
    for shapes in per_operation:
        for status, shape in shapes.items():
            by_status.setdefault(status, Counter())[shape] += 1
    overall: Counter[ErrorShape] = Counter()
    for counted in by_status.values():
        overall.update({shape: n for shape, n in counted.items() if shape != "none"})
    documented = set(by_status)
    validation = 422 if 422 in documented else 400 if 400 in documented else 422
    shapes = {status: counted.most_common(1)[0][0] for status, counted in sorted(by_status.items())}
    default: ErrorShape = overall.most_common(1)[0][0] if overall else "detail"
    return ErrorFormat(validation, shapes, default)


def _refuse(message: str) -> Response:
    # The mock's own refusal, not the vendor's: a problem document, so it cannot be mistaken for the API's answer.
    body = {"type": "about:blank", "title": "Prefer cannot be honoured", "status": 400, "detail": message}
    return JSONResponse(body, status_code=400, media_type="application/problem+json")


def _scalar(text: str) -> Any:
    """``text`` as a JSON number or boolean when it spells one exactly, else the text."""
    if text in ("true", "false"):
        return text == "true"
    if _NUMBER.fullmatch(text):
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else float(text)
    return text


def _json_kind(value: Any) -> str:
    return "string" if isinstance(value, str) else "number" if isinstance(value, (int, float)) else "other"


def _kinds(schemas: Schemas, schema: Any, depth: int = 0) -> frozenset[str]:
    """The JSON types a schema can take (through ``$ref`` and unions); all of them when it does not say."""
    schema = schemas.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
    found: set[str] = set()
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            found |= _kinds(schemas, branch, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, str):
        found.add(kind)
    elif isinstance(kind, list):
        found |= {k for k in kind if isinstance(k, str)}
    if not found and not any(k in schema for k in ("anyOf", "oneOf")):
        if "enum" in schema or "const" in schema:
            values = schema.get("enum") or [schema.get("const")]
            found |= {
                "string" if isinstance(v, str) else "number" if isinstance(v, (int, float)) else "other" for v in values
            }
        else:
            return frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
    return frozenset(found)


_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def converted(value: Any, annotation: Any) -> Any:
    """A checked parameter value as the handler's type (a model class, a list of them), when it is not plain JSON."""
    if value is None:
        return None
    adapter = _ADAPTERS.get(annotation)
    if adapter is None:
        adapter = _ADAPTERS[annotation] = pydantic.TypeAdapter(annotation)
    return adapter.validate_python(value)
