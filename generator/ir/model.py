"""The intermediate model: the one truth every later step reads.

Plain frozen data classes. Schemas are a small closed set of node kinds; every
``anyOf``/``oneOf`` becomes a :class:`UnionSchema` whose variants spell out
what each accepts. Nothing here knows about any vendor.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal, TypeAlias, TypeVar

JsonValue: TypeAlias = Any
"""A value as JSON decodes it: None, bool, int, float, str, list or dict."""

_Value = TypeVar("_Value")


def amended(value: _Value, **changes: Any) -> _Value:
    """What ``dataclasses.replace`` makes of an IR value, without its cost per call.

    Reading a large spec amends some ten thousand schemas: ``replace`` took a tenth of the time.
    IR classes run no ``__post_init__`` and have every field in ``__init__``, so the fields copied,
    with ``changes`` over them, are the value ``replace`` would build. Cached properties are not
    copied: the amended value works them out anew.
    """
    kind: type[Any] = type(value)
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = _Shape.of(kind)
    if not shape.known.issuperset(changes):
        unknown = sorted(changes.keys() - shape.known)
        raise TypeError(f"{kind.__name__} has no field {unknown[0]!r}")
    state = value.__dict__
    made: _Value = object.__new__(kind)
    if shape.fields_only:
        made.__dict__.update(state)  # nothing but the fields is kept there: no cached property to leave out
    else:
        made.__dict__.update({name: state[name] for name in shape.names})
    made.__dict__.update(changes)
    return made


@dataclass(frozen=True)
class _Shape:
    """What :func:`amended` needs of an IR class: its fields' names, and whether it has cached properties."""

    names: tuple[str, ...]
    known: frozenset[str]
    fields_only: bool

    @classmethod
    def of(cls, kind: type[Any]) -> _Shape:
        names = tuple(f.name for f in fields(kind))
        cached = any(isinstance(v, cached_property) for k in kind.__mro__ for v in vars(k).values())
        return cls(names, frozenset(names), not cached)


_SHAPES: dict[type[Any], _Shape] = {}


@dataclass(frozen=True)
class JsonLiteral:
    """A JSON value that is present (it may be ``null``): used for ``const`` and ``default``."""

    value: JsonValue


# --- schemas -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SchemaBase:
    """What every schema node carries besides its kind's own constraints.

    ``nullable`` says ``null`` is accepted as well; it is never implied by a
    property being optional. ``sunset`` is the ``x-sunset`` date (ISO text) a
    deprecated schema is announced to go away on.
    """

    nullable: bool = False
    enum: tuple[JsonValue, ...] | None = None
    const: JsonLiteral | None = None
    default: JsonLiteral | None = None
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    sunset: str | None = None
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True, kw_only=True)
class AnySchema(SchemaBase):
    """Accepts every value (the empty schema ``{}``)."""

    kind: Literal["any"] = "any"


@dataclass(frozen=True, kw_only=True)
class NeverSchema(SchemaBase):
    """Accepts no value (the schema ``false``)."""

    kind: Literal["never"] = "never"


@dataclass(frozen=True, kw_only=True)
class NullSchema(SchemaBase):
    """Accepts only ``null``."""

    kind: Literal["null"] = "null"


@dataclass(frozen=True, kw_only=True)
class BooleanSchema(SchemaBase):
    """Accepts ``true`` and ``false``."""

    kind: Literal["boolean"] = "boolean"


@dataclass(frozen=True, kw_only=True)
class NumericBounds:
    """Bounds shared by integers and numbers."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None


@dataclass(frozen=True, kw_only=True)
class IntegerSchema(NumericBounds, SchemaBase):
    """Accepts whole numbers (``1.0`` included, as JSON Schema says)."""

    kind: Literal["integer"] = "integer"
    format: str | None = None


@dataclass(frozen=True, kw_only=True)
class NumberSchema(NumericBounds, SchemaBase):
    """Accepts any number."""

    kind: Literal["number"] = "number"
    format: str | None = None


@dataclass(frozen=True, kw_only=True)
class StringSchema(SchemaBase):
    """Accepts strings; ``format`` is asserted for the formats the validator knows.

    ``content_media_type`` (JSON Schema's ``contentMediaType``) is an annotation:
    in a multipart body it marks a file part.
    """

    kind: Literal["string"] = "string"
    format: str | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    content_media_type: str | None = None

    @property
    def is_binary(self) -> bool:
        """Whether the string stands for raw bytes (a file): ``format: binary``, or a non-text media type."""
        media = media_base(self.content_media_type)
        return self.format == "binary" or (bool(media) and not media.startswith("text/"))


@dataclass(frozen=True, kw_only=True)
class ArraySchema(SchemaBase):
    """Accepts lists whose items all match ``items``."""

    kind: Literal["array"] = "array"
    items: Schema
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False


@dataclass(frozen=True, kw_only=True)
class Property:
    """A named property of an object schema; ``required`` is about presence, not null."""

    name: str
    schema: Schema
    required: bool


@dataclass(frozen=True, kw_only=True)
class ObjectSchema(SchemaBase):
    """Accepts JSON objects.

    ``additional_properties`` is ``True`` (any other key allowed), ``False``
    (no other key allowed) or the schema every other key's value must match.
    """

    kind: Literal["object"] = "object"
    properties: tuple[Property, ...] = ()
    additional_properties: bool | Schema = True
    min_properties: int | None = None
    max_properties: int | None = None

    def property_named(self, name: str) -> Property | None:
        """The property called ``name``, if declared."""
        return next((p for p in self.properties if p.name == name), None)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the properties that must be present."""
        return tuple(p.name for p in self.properties if p.required)


class Combinator(StrEnum):
    """How many variants of a union a value must match."""

    ANY_OF = "anyOf"  # at least one
    ONE_OF = "oneOf"  # exactly one


@dataclass(frozen=True, kw_only=True)
class Variant:
    """One branch of a union, with what it means for object payloads spelled out.

    ``schema`` is complete: shared properties of the enclosing schema are merged
    in, so a value matches this variant exactly when it matches ``schema``.
    For object variants, ``requires`` lists the properties that must be
    present, ``allows`` the only ones that may be (None: any name),
    ``forbids`` the ones the union knows of that this variant rejects, and
    ``excludes`` (oneOf only) the sets of properties that, all present,
    would make another variant match as well, which oneOf does not allow.
    """

    name: str
    schema: Schema
    requires: tuple[str, ...] = ()
    allows: tuple[str, ...] | None = None
    forbids: tuple[str, ...] = ()
    excludes: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, kw_only=True)
class UnionSchema(SchemaBase):
    """Accepts a value matching at least one (anyOf) or exactly one (oneOf) variant."""

    kind: Literal["union"] = "union"
    combinator: Combinator
    variants: tuple[Variant, ...]


@dataclass(frozen=True, kw_only=True)
class RefSchema(SchemaBase):
    """Stands for the named schema ``Api.schemas[name]``."""

    kind: Literal["ref"] = "ref"
    name: str


Schema: TypeAlias = (
    AnySchema
    | NeverSchema
    | NullSchema
    | BooleanSchema
    | IntegerSchema
    | NumberSchema
    | StringSchema
    | ArraySchema
    | ObjectSchema
    | UnionSchema
    | RefSchema
)


@dataclass(frozen=True, kw_only=True)
class NamedSchema:
    """A schema the spec declares under a name (``components/schemas``)."""

    name: str
    schema: Schema
    pointer: str


# --- operations ----------------------------------------------------------------


class ParameterLocation(StrEnum):
    """Where a parameter travels."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A path, query, header or cookie parameter."""

    name: str
    location: ParameterLocation
    required: bool
    schema: Schema
    description: str | None = None
    deprecated: bool = False
    sunset: str | None = None


def media_base(media_type: str | None) -> str:
    """A media type without its parameters, lower-cased (``Text/Plain; charset=x`` -> ``text/plain``)."""
    return (media_type or "").split(";")[0].strip().lower()


def is_json_media(media_type: str | None) -> bool:
    """Whether a media type is JSON (``application/json`` or any ``+json`` type)."""
    if media_type is None:
        return False
    base = media_base(media_type)
    return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True, kw_only=True)
class RequestBody:
    """The body an operation takes."""

    required: bool
    media_type: str
    schema: Schema
    description: str | None = None

    @property
    def encoding(self) -> Literal["json", "form", "multipart", "raw"]:
        """How the body goes on the wire: JSON, URL-encoded form fields, multipart parts, or as it is."""
        base = media_base(self.media_type)
        if is_json_media(base):
            return "json"
        if base == "application/x-www-form-urlencoded":
            return "form"
        if base.startswith("multipart/"):
            return "multipart"
        return "raw"


@dataclass(frozen=True, kw_only=True)
class Example:
    """A named example of a body, as the spec gives it (``examples`` by name; a lone ``example`` is ``example``)."""

    name: str
    value: JsonLiteral


@dataclass(frozen=True, kw_only=True)
class Response:
    """One documented answer. ``schema`` is None when it has no body (204, or no content)."""

    status: str
    description: str
    media_type: str | None = None
    schema: Schema | None = None
    examples: tuple[Example, ...] = ()

    @property
    def is_success(self) -> bool:
        """Whether this is a 2xx answer."""
        return self.status.startswith("2")

    @property
    def is_raw(self) -> bool:
        """Whether the answer has a body that is not JSON (text, a file, an event stream)."""
        return self.schema is not None and not is_json_media(self.media_type)

    @property
    def is_event_stream(self) -> bool:
        """Whether the answer is a stream of server-sent events (``text/event-stream``)."""
        return media_base(self.media_type) == "text/event-stream"


class SchemeKind(StrEnum):
    """Kinds of credentials an API can ask for."""

    HTTP_BEARER = "http-bearer"
    HTTP_BASIC = "http-basic"
    API_KEY = "api-key"
    OAUTH2 = "oauth2"
    OPENID_CONNECT = "openid-connect"


@dataclass(frozen=True, kw_only=True)
class SecurityScheme:
    """A security scheme from ``components/securitySchemes``.

    For ``api-key`` schemes, ``location`` and ``parameter_name`` say where the key travels.
    """

    name: str
    kind: SchemeKind
    location: ParameterLocation | None = None
    parameter_name: str | None = None
    bearer_format: str | None = None
    description: str | None = None
    declared_by: Literal["spec", "config"] = "spec"


@dataclass(frozen=True, kw_only=True)
class Security:
    """What an operation requires: any one of ``alternatives``, each a set of scheme names.

    No alternatives means no credentials at all; an empty alternative means
    credentials are optional.
    """

    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def required(self) -> bool:
        """Whether a caller must send some credentials."""
        return bool(self.alternatives) and all(self.alternatives)


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One method on one path."""

    operation_id: str
    method: str
    path: str
    pointer: str
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    # Safe to send twice although its method is not (``x-idempotent: true`` on the operation).
    idempotent: bool = False
    sunset: str | None = None
    parameters: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: Security = Security()

    def parameter(self, location: ParameterLocation, name: str) -> Parameter | None:
        """The parameter with this location and name, if any."""
        return next((p for p in self.parameters if p.location is location and p.name == name), None)


@dataclass(frozen=True, kw_only=True)
class Server:
    """A base URL the spec names."""

    url: str
    description: str | None = None


# --- the whole API ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Api:
    """Everything the generator knows about one vendor's API."""

    name: str
    title: str
    version: str
    source: str
    servers: tuple[Server, ...] = ()
    operations: tuple[Operation, ...] = ()
    schemas: tuple[NamedSchema, ...] = ()
    security_schemes: tuple[SecurityScheme, ...] = ()

    def operation(self, operation_id: str) -> Operation | None:
        """The operation with this id, if any."""
        return self._operations_by_id.get(operation_id)

    def schema(self, name: str) -> Schema:
        """The named schema ``name``; raises ``KeyError`` if there is none."""
        return self._schemas_by_name[name]

    # Lookups by name are frequent (every $ref), and large specs have thousands of names.
    @cached_property
    def _operations_by_id(self) -> dict[str, Operation]:
        return {o.operation_id: o for o in reversed(self.operations)}  # the first of duplicates wins, as before

    @cached_property
    def _schemas_by_name(self) -> dict[str, Schema]:
        return {n.name: n.schema for n in reversed(self.schemas)}

    def scheme(self, name: str) -> SecurityScheme | None:
        """The security scheme called ``name``, if declared."""
        return next((s for s in self.security_schemes if s.name == name), None)
