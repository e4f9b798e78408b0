"""From a loaded spec to the IR: operations, parameters, bodies, responses, security."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.ir.model import (
    AnySchema,
    Api,
    Example,
    JsonLiteral,
    Operation,
    Parameter,
    ParameterLocation,
    RequestBody,
    Response,
    Schema,
    SchemeKind,
    Security,
    SecurityScheme,
    Server,
    StringSchema,
    is_json_media,
)
from generator.ir.schema_reader import SchemaReader, sunset_of
from generator.load.problem import Diagnostics, Kind
from generator.load.refs import Node, SpecFiles

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")


def normalise(files: SpecFiles, name: str, diagnostics: Diagnostics, *, source: str | None = None) -> Api:
    """Build the IR of one spec. Problems go to ``diagnostics``; the result is always complete.

    ``source`` is how the API names its spec (default: as the spec was given).
    """
    api = _Normaliser(files, diagnostics).api(name)
    return api if source is None else replace(api, source=source)


def require_api_key_header(api: Api, header: str) -> Api:
    """``api`` with an API key in ``header`` required by every operation that declares no credentials.

    For APIs that require a key their spec omits.
    """
    taken = {s.name for s in api.security_schemes}
    name = next(n for n in ("apiKeyHeader", *(f"apiKeyHeader{i}" for i in range(2, 100))) if n not in taken)
    scheme = SecurityScheme(
        name=name,
        kind=SchemeKind.API_KEY,
        location=ParameterLocation.HEADER,
        parameter_name=header,
        description="declared in the generator's configuration: the vendor requires it, its spec omits it",
        declared_by="config",
    )
    operations = tuple(
        op if op.security.required else replace(op, security=Security(alternatives=((name,),))) for op in api.operations
    )
    return replace(api, operations=operations, security_schemes=(*api.security_schemes, scheme))


class _Normaliser:
    def __init__(self, files: SpecFiles, diagnostics: Diagnostics) -> None:
        self.files = files
        self.diagnostics = diagnostics
        self.schemas = SchemaReader(files, diagnostics)
        self.root = files.root_node()

    def api(self, name: str) -> Api:
        info = self.root.child("info")
        schemes = self._security_schemes()
        default_security = self._security(self.root.child("security"), schemes, Security())
        operations = self._operations(schemes, default_security)
        return Api(
            name=name,
            title=_text(info.child("title").value) or name,
            version=str(info.child("version").value or ""),
            source=self.files.root.display,
            servers=self._servers(),
            operations=operations,
            schemas=self.schemas.named_schemas(),
            security_schemes=tuple(schemes.values()),
        )

    # --- servers and security --------------------------------------------------

    def _servers(self) -> tuple[Server, ...]:
        servers = self.root.child("servers")
        result = []
        for index in range(len(servers.value) if isinstance(servers.value, list) else 0):
            server = servers.child(index)
            url = server.child("url").value
            if not isinstance(url, str):
                self.diagnostics.invalid(server.location, "server has no 'url'", kind=Kind.MISSING_FIELD, subject="url")
                continue
            result.append(Server(url=url, description=_text(server.child("description").value)))
        return tuple(result)

    def _security_schemes(self) -> dict[str, SecurityScheme]:
        node = self.root.child("components", "securitySchemes")
        result: dict[str, SecurityScheme] = {}
        for scheme_name in node.value if isinstance(node.value, dict) else {}:
            raw_node = self.files.deref(node.child(scheme_name))
            if raw_node is None or not isinstance(raw_node.value, dict):
                continue
            scheme = self._scheme(scheme_name, raw_node)
            if scheme is not None:
                result[scheme_name] = scheme
        return result

    def _scheme(self, name: str, node: Node) -> SecurityScheme | None:
        raw = node.value
        kind = raw.get("type")
        description = _text(raw.get("description"))
        if kind == "http":
            scheme = str(raw.get("scheme", "")).lower()
            if scheme == "bearer":
                return SecurityScheme(
                    name=name,
                    kind=SchemeKind.HTTP_BEARER,
                    bearer_format=_text(raw.get("bearerFormat")),
                    description=description,
                )
            if scheme == "basic":
                return SecurityScheme(name=name, kind=SchemeKind.HTTP_BASIC, description=description)
            self.diagnostics.warning(node.child("scheme").location, f"HTTP auth scheme {scheme!r} is not supported")
            return None
        if kind == "apiKey":
            location = raw.get("in")
            if location not in ("header", "query", "cookie") or not isinstance(raw.get("name"), str):
                self.diagnostics.invalid(node.location, "apiKey scheme needs 'in' (header, query, cookie) and 'name'")
                return None
            return SecurityScheme(
                name=name,
                kind=SchemeKind.API_KEY,
                location=ParameterLocation(location),
                parameter_name=raw["name"],
                description=description,
            )
        if kind == "oauth2":
            return SecurityScheme(name=name, kind=SchemeKind.OAUTH2, description=description)
        if kind == "openIdConnect":
            return SecurityScheme(name=name, kind=SchemeKind.OPENID_CONNECT, description=description)
        self.diagnostics.warning(node.child("type").location, f"security scheme type {kind!r} is not supported")
        return None

    def _security(self, node: Node, schemes: dict[str, SecurityScheme], inherited: Security) -> Security:
        if node.value is None:
            return inherited
        if not isinstance(node.value, list):
            self.diagnostics.invalid(node.location, "'security' must be a list")
            return inherited
        alternatives = []
        for index, requirement in enumerate(node.value):
            if not isinstance(requirement, dict):
                self.diagnostics.invalid(node.child(index).location, "a security requirement must be a mapping")
                continue
            names = []
            for scheme_name in requirement:
                if scheme_name not in schemes:
                    self.diagnostics.invalid(
                        node.child(index, scheme_name).location, f"unknown security scheme {scheme_name!r}"
                    )
                    continue
                names.append(scheme_name)
            if names or not requirement:
                alternatives.append(tuple(names))
        return Security(alternatives=tuple(alternatives))

    # --- operations --------------------------------------------------------------

    def _operations(self, schemes: dict[str, SecurityScheme], default: Security) -> tuple[Operation, ...]:
        paths = self.root.child("paths")
        if not isinstance(paths.value, dict):
            if paths.value is not None:
                self.diagnostics.invalid(paths.location, "'paths' must be a mapping")
            return ()
        operations: list[Operation] = []
        seen_ids: set[str] = set()
        for path in paths.value:
            item = self.files.deref(paths.child(path))
            if item is None or not isinstance(item.value, dict):
                continue
            for method in METHODS:
                if method in item.value:
                    op_node = item.child(method)
                    operation = self._operation(path, method, op_node, item, schemes, default, seen_ids)
                    operations.append(operation)
        return tuple(operations)

    def _operation(
        self,
        path: str,
        method: str,
        node: Node,
        item: Node,
        schemes: dict[str, SecurityScheme],
        default: Security,
        seen_ids: set[str],
    ) -> Operation:
        raw = node.value if isinstance(node.value, dict) else {}
        operation_id = raw.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            operation_id = _derived_id(method, path)
            self.diagnostics.warning(
                node.location,
                f"operation has no operationId: named {operation_id!r} from its method and path",
                kind=Kind.NO_OPERATION_ID,
            )
        if operation_id in seen_ids:
            unique = next(f"{operation_id}_{n}" for n in range(2, 10_000) if f"{operation_id}_{n}" not in seen_ids)
            self.diagnostics.invalid(
                node.child("operationId").location,
                f"operationId {operation_id!r} is used twice: renamed {unique!r}",
                kind=Kind.DUPLICATE_OPERATION_ID,
                subject=operation_id,
            )
            operation_id = unique
        seen_ids.add(operation_id)
        return Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            pointer=node.pointer,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            tags=tuple(t for t in raw.get("tags", ()) if isinstance(t, str)),
            deprecated=raw.get("deprecated") is True,
            idempotent=raw.get("x-idempotent") is True,
            sunset=sunset_of(raw),
            parameters=self._parameters(path, node, item),
            body=self._body(node.child("requestBody")),
            responses=self._responses(node),
            security=self._security(node.child("security"), schemes, default),
        )

    def _parameters(self, path: str, op: Node, item: Node) -> tuple[Parameter, ...]:
        found: dict[tuple[str, str], Parameter] = {}
        for owner in (item, op):  # the operation's own parameters override the path's
            listed = owner.child("parameters")
            for index in range(len(listed.value) if isinstance(listed.value, list) else 0):
                parameter = self._parameter(listed.child(index))
                if parameter is not None:
                    found[(parameter.location.value, parameter.name)] = parameter
        declared = {name for (where, name) in found if where == "path"}
        for name in re.findall(r"{([^}/]+)}", path):
            if name not in declared:
                self.diagnostics.invalid(
                    op.location,
                    f"path parameter {name!r} is in the path but not declared",
                    kind=Kind.UNDECLARED_PATH_PARAMETER,
                    subject=name,
                )
                found[("path", name)] = Parameter(
                    name=name, location=ParameterLocation.PATH, required=True, schema=StringSchema()
                )
        return tuple(found.values())

    def _parameter(self, ref_node: Node) -> Parameter | None:
        node = self.files.deref(ref_node)
        if node is None or not isinstance(node.value, dict):
            return None
        raw = node.value
        name, where = raw.get("name"), raw.get("in")
        if not isinstance(name, str) or where not in ("path", "query", "header", "cookie"):
            self.diagnostics.invalid(node.location, "a parameter needs a 'name' and 'in' (path, query, header, cookie)")
            return None
        if where == "header" and name.lower() in _IGNORED_HEADERS:
            self.diagnostics.warning(node.location, f"header parameter {name!r} is ignored, as OpenAPI says")
            return None
        required = raw.get("required") is True
        if where == "path" and not required:
            missing = "required" not in raw  # only then do the OpenAPI rules call a field missing
            self.diagnostics.invalid(
                node.location,
                f"path parameter {name!r} must be 'required: true'",
                kind=Kind.MISSING_FIELD if missing else "",
                subject="required" if missing else "",
            )
            required = True
        if "schema" in raw:
            schema = self.schemas.read(node.child("schema"))
        else:
            schema = self._content_schema(node) or AnySchema()
        return Parameter(
            name=name,
            location=ParameterLocation(where),
            required=required,
            schema=schema,
            description=_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            sunset=sunset_of(raw),
        )

    def _body(self, ref_node: Node) -> RequestBody | None:
        if ref_node.value is None:
            return None
        node = self.files.deref(ref_node)
        if node is None or not isinstance(node.value, dict):
            return None
        media = self._media(node)
        if media is None:
            return None
        media_type, schema = media
        return RequestBody(
            required=node.value.get("required") is True,
            media_type=media_type,
            schema=schema,
            description=_text(node.value.get("description")),
        )

    def _responses(self, op: Node) -> tuple[Response, ...]:
        responses = op.child("responses")
        if not isinstance(responses.value, dict) or not responses.value:
            self.diagnostics.invalid(
                op.location, "operation has no responses", kind=Kind.MISSING_FIELD, subject="responses"
            )
            return ()
        result = []
        for status in responses.value:
            entry = responses.child(status)
            if not _STATUS.match(status):
                self.diagnostics.invalid(entry.location, f"{status!r} is not an HTTP status code, a range or 'default'")
                continue
            node = self.files.deref(entry)
            if node is None or not isinstance(node.value, dict):
                continue
            description = node.value.get("description")
            if not isinstance(description, str):
                self.diagnostics.invalid(
                    node.location,
                    f"response {status} has no 'description'",
                    kind=Kind.MISSING_FIELD,
                    subject="description",
                )
            media = self._media(node) if status != "204" else None
            result.append(
                Response(
                    status=status,
                    description=_text(description) or "",
                    media_type=media[0] if media else None,
                    schema=media[1] if media else None,
                    examples=self._examples(node.child("content").child(media[0])) if media else (),
                )
            )
        return tuple(result)

    def _examples(self, media: Node) -> tuple[Example, ...]:
        """The media type's examples: each of ``examples`` by name (its ``value``), else a lone ``example``.

        Mock servers answer with them; an external example (``externalValue``) has no value to give.
        """
        if not isinstance(media.value, dict):
            return ()
        found: list[Example] = []
        named = media.child("examples")
        if isinstance(named.value, dict):
            for name in named.value:
                entry = self.files.deref(named.child(name))
                if entry is not None and isinstance(entry.value, dict) and "value" in entry.value:
                    found.append(Example(name=str(name), value=JsonLiteral(entry.value["value"])))
        if not found and "example" in media.value:
            found.append(Example(name="example", value=JsonLiteral(media.value["example"])))
        return tuple(found)

    def _media(self, owner: Node) -> tuple[str, Schema] | None:
        """The media type of a body (JSON when offered) and its schema; None when there is no content."""
        content = owner.child("content")
        if not isinstance(content.value, dict) or not content.value:
            return None
        # JSON when offered; otherwise the first media type, sent and returned as it is (see RequestBody.encoding).
        chosen = _json_media_type(list(content.value)) or next(iter(content.value))
        media = content.child(chosen)
        if isinstance(media.value, dict) and "schema" in media.value:
            return chosen, self.schemas.read(media.child("schema"))
        return chosen, AnySchema()

    def _content_schema(self, node: Node) -> Schema | None:
        media = self._media(node)
        return media[1] if media else None


def _json_media_type(types: list[str]) -> str | None:
    return next((candidate for candidate in types if is_json_media(candidate)), None)


def _derived_id(method: str, path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", path)
    return "_".join([method.lower(), *(w.lower() for w in words)])


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
