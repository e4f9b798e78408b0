"""The one writer from IR schemas to JSON Schema (2020-12), for every reader of it.

Three readers want different things from the same schema, so the writer takes
a :class:`Mode`:

* ``DOCUMENT``: the served OpenAPI document. Everything the IR holds is
  written, so reading the document back gives the same IR.
* ``REQUEST_MODELS``: input for the pydantic request models. Exact about what
  is accepted (constraints, closed objects, ``oneOf``), with formats as
  patterns the models check with Python's ``re``; defaults are left out, as
  the server applies them.
* ``RESPONSE_MODELS``: input for the pydantic response models. Lenient,
  because servers grow: no constraints, enums that also accept their plain
  type, extra keys allowed, defaults kept.

Each schema kind has one method (dispatched on ``schema.kind``); the modes
differ only where a method asks the options.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, get_args

from generator.ir.model import (
    AnySchema,
    ArraySchema,
    BooleanSchema,
    Combinator,
    IntegerSchema,
    NeverSchema,
    NullSchema,
    NumberSchema,
    ObjectSchema,
    Property,
    RefSchema,
    Schema,
    StringSchema,
    UnionSchema,
)
from generator.ir.validate import FORMAT_SYNTAX
from generator.load import pointer as jp
from generator.render.naming import class_name, unique

# The IR validator's format syntax as patterns for re.search. Calendar validity
# (no 30 February) is not expressible in a pattern: the model lets such a date
# through and the server decides.
FORMAT_PATTERNS = {name: rf"^(?:{syntax})\Z" for name, syntax in FORMAT_SYNTAX.items()}

SCHEMA_KINDS: tuple[str, ...] = tuple(cls.__dataclass_fields__["kind"].default for cls in get_args(Schema))
"""The ``kind`` of every node class in the IR's :data:`Schema` union."""

COMPONENTS = "#/components/schemas/"

ONE_OF = "x-one-of"
"""The request-model keyword that lists where a field's value holds a ``oneOf`` union.

The model generator turns ``oneOf`` into a plain union, which accepts a value that
several variants accept. The keyword (carried into the field's ``json_schema_extra``)
lists the positions of such unions inside the field's value, each a list of
``items`` / ``values`` steps, so the runtime base model can check "exactly one".
"""


class Mode(Enum):
    """Who reads the JSON Schema, and so how much of the IR it says."""

    DOCUMENT = "document"
    REQUEST_MODELS = "request-models"
    RESPONSE_MODELS = "response-models"

    @property
    def checks(self) -> bool:
        """Whether value constraints (bounds, lengths, closed objects, patterns) are written."""
        return self is not Mode.RESPONSE_MODELS

    @property
    def models(self) -> bool:
        """Whether the output feeds the model generator rather than a served document."""
        return self is not Mode.DOCUMENT


@dataclass(frozen=True)
class WriterOptions:
    """How one writer writes: its mode, how ``$ref`` targets are named, and how unions are shaped.

    ``ref_names`` maps an IR schema name to its ``components/schemas`` key
    (None: the IR's own names). With ``named_variants``, every schema that the
    model generator would turn into a class of its own (an object variant of a
    union, an inline object with properties, a constrained scalar inside a
    union) becomes a definition named after where it occurs, so its class name
    comes from a stable path (schema, property, variant names), never from
    the model generator's counters.
    """

    mode: Mode
    ref_names: Mapping[str, str] | None = None
    named_variants: bool = False

    @classmethod
    def for_document(cls) -> WriterOptions:
        """Options for the served OpenAPI document."""
        return cls(Mode.DOCUMENT)

    @classmethod
    def for_models(cls, mode: Mode, ref_names: Mapping[str, str]) -> WriterOptions:
        """Options for one side's model input, with the class name of each named schema."""
        return cls(mode, ref_names=ref_names, named_variants=True)


@dataclass
class JsonSchemaWriter:
    """Writes IR schemas as JSON Schema; definitions it makes on the way land in ``definitions``.

    ``taken`` holds the definition names already in use, so the names made for
    union variants do not collide with them.
    """

    options: WriterOptions
    taken: set[str] = field(default_factory=set)
    named: Mapping[str, Schema] = field(default_factory=dict)
    """The IR's named schemas by name: where a ``$ref`` to a union leads (for :data:`ONE_OF`)."""
    definitions: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    """Definition name -> the stable key of where it comes from (``key`` given to :meth:`define`, then
    ``/``-joined property, ``items``, ``values`` and variant steps): what the schema diff matches classes by."""
    _keys: dict[str, str] = field(default_factory=dict)

    def define(self, name: str, schema: Schema, key: str = "") -> None:
        """Write ``schema`` as the definition ``name``; ``key`` says where it comes from (see ``origins``)."""
        self.origins[name] = key or name
        self._keys[name] = key or name
        self.definitions[name] = self._mark_one_of(schema, self.write(schema, name, root=True))

    def write(self, schema: Schema, context: str = "", *, root: bool = False) -> Any:
        """JSON Schema for ``schema``; ``context`` is the class name definitions made inside it start with.

        ``root``: ``schema`` is a definition's own schema, which is never hoisted out of itself.
        """
        method: Callable[[Any, str], Any] = getattr(self, f"_{schema.kind}")
        out = method(schema, context)
        if isinstance(out, bool):
            return out  # `false`: nothing to annotate
        out = self._literals(schema, self._annotations(schema, out))
        if not root and self.options.named_variants and "properties" in out and context:
            # An inline object: the model generator would name its class after the field and number
            # repeats; a definition named after its path keeps the name stable.
            out = self._hoist(context, out)
        return self._nullable(schema, out)

    def _hoist(self, context: str, out: dict[str, Any]) -> dict[str, Any]:
        defined = unique(context, self.taken)
        self.origins[defined] = self._keys.get(context, context)
        self.definitions[defined] = out
        return {"$ref": COMPONENTS + jp.escape(defined)}

    def _part(self, schema: Schema, context: str) -> Any:
        """Items or map values: a constrained scalar there is a class of its own for the model generator."""
        out = self.write(schema, context)
        if self.options.named_variants and self.options.mode.checks and _constrained(schema) and context:
            return self._hoist(context, out)
        return out

    def _sub(self, context: str, name_step: str, key_step: str) -> str:
        """The context for a part of ``context`` (a class name prefix), remembering its stable key."""
        child = context + name_step
        if context and child not in self._keys:
            self._keys[child] = f"{self._keys.get(context, context)}/{key_step}"
        return child

    # --- what every kind carries ---------------------------------------------------

    def _annotations(self, schema: Schema, out: dict[str, Any]) -> dict[str, Any]:
        mode = self.options.mode
        if mode is Mode.DOCUMENT and schema.title:
            out["title"] = schema.title
        if schema.description:
            out["description"] = schema.description
        if mode is Mode.DOCUMENT:
            for key, flag in (
                ("deprecated", schema.deprecated),
                ("readOnly", schema.read_only),
                ("writeOnly", schema.write_only),
            ):
                if flag:
                    out[key] = True
            if schema.sunset is not None:
                out["x-sunset"] = schema.sunset  # read back as the same date
        # A request model leaves defaults out (the server applies them); a model default
        # would also make the field accept null.
        if schema.default is not None and mode is not Mode.REQUEST_MODELS:
            out["default"] = schema.default.value
        return out

    def _literals(self, schema: Schema, out: dict[str, Any]) -> dict[str, Any]:
        if schema.const is not None:
            out["const"] = schema.const.value
        if schema.enum is None:
            return out
        if self.options.mode is Mode.DOCUMENT:
            out["enum"] = list(schema.enum)
            return out
        if isinstance(schema, (UnionSchema, RefSchema)):
            return out  # the model generator has no way to narrow a reference or a union by values
        values = [v for v in schema.enum if v is not None]  # null is the nullable wrapper's to allow
        if self.options.mode is Mode.RESPONSE_MODELS and "type" in out:
            # Servers add enum values: an unknown one still reads as the plain type.
            return {"anyOf": [{**out, "enum": values}, {"type": out["type"]}]}
        out["enum"] = values
        return out

    def _nullable(self, schema: Schema, out: dict[str, Any]) -> dict[str, Any]:
        if not schema.nullable or isinstance(schema, (AnySchema, NullSchema, NeverSchema)):
            return out
        plain_type = isinstance(out.get("type"), str) and not isinstance(schema, (UnionSchema, RefSchema))
        if self.options.mode is Mode.DOCUMENT and plain_type:
            # The type list reads back as the same nullable node, not as a union.
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            return out
        return {"anyOf": [out, {"type": "null"}]}

    # --- one method per kind ---------------------------------------------------------

    def _ref(self, schema: RefSchema, context: str) -> dict[str, Any]:
        names = self.options.ref_names
        target = schema.name if names is None else names[schema.name]
        return {"$ref": COMPONENTS + jp.escape(target)}

    def _any(self, schema: AnySchema, context: str) -> dict[str, Any]:
        return {}

    def _never(self, schema: NeverSchema, context: str) -> dict[str, Any] | bool:
        if self.options.mode is not Mode.DOCUMENT:
            return {"not": {}}
        # `false` is what the schema reader reads as never (it warns on `not`); the
        # reader never gives this kind annotations, so there is nothing to lose.
        return False

    def _null(self, schema: NullSchema, context: str) -> dict[str, Any]:
        return {"type": "null"}

    def _boolean(self, schema: BooleanSchema, context: str) -> dict[str, Any]:
        return {"type": "boolean"}

    def _integer(self, schema: IntegerSchema, context: str) -> dict[str, Any]:
        return self._numeric(schema)

    def _number(self, schema: NumberSchema, context: str) -> dict[str, Any]:
        return self._numeric(schema)

    def _numeric(self, schema: IntegerSchema | NumberSchema) -> dict[str, Any]:
        out: dict[str, Any] = {"type": schema.kind}
        if self.options.mode is Mode.DOCUMENT and schema.format is not None:
            out["format"] = schema.format
        if self.options.mode.checks:
            _put(
                out,
                minimum=schema.minimum,
                maximum=schema.maximum,
                exclusiveMinimum=schema.exclusive_minimum,
                exclusiveMaximum=schema.exclusive_maximum,
                multipleOf=schema.multiple_of,
            )
        return out

    def _string(self, schema: StringSchema, context: str) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        mode = self.options.mode
        if mode is Mode.RESPONSE_MODELS:
            return out
        if mode is Mode.DOCUMENT:
            _put(
                out,
                format=schema.format,
                pattern=schema.pattern,
                minLength=schema.min_length,
                maxLength=schema.max_length,
                contentMediaType=schema.content_media_type,
            )
            return out
        if schema.is_binary:
            # A file part: the caller passes bytes (the model generator makes ``format: binary`` a bytes field).
            return {"type": "string", "format": "binary"}
        patterns = [p for p in (FORMAT_PATTERNS.get(schema.format or ""), schema.pattern) if p]
        if len(patterns) == 1:
            out["pattern"] = patterns[0]
        elif patterns:
            # Both must hold wherever they match: a lookahead per pattern (Python `re` semantics).
            out["pattern"] = "^" + "".join(f"(?=[\\s\\S]*?(?:{p}))" for p in patterns)
        _put(out, minLength=schema.min_length, maxLength=schema.max_length)
        return out

    def _array(self, schema: ArraySchema, context: str) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self._part(schema.items, self._sub(context, "Item", "items"))}
        if self.options.mode.checks:
            _put(out, minItems=schema.min_items, maxItems=schema.max_items)
            if schema.unique_items:
                out["uniqueItems"] = True
        return out

    def _object(self, schema: ObjectSchema, context: str) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if schema.properties:
            out["properties"] = {
                p.name: self._mark_one_of(
                    p.schema, self.write(p.schema, self._sub(context, class_name(p.name, "Field"), p.name))
                )
                for p in schema.properties
            }
        if schema.required:
            out["required"] = list(schema.required)
        extra = schema.additional_properties
        if not isinstance(extra, bool):
            out["additionalProperties"] = self._part(extra, self._sub(context, "Value", "values"))
        elif extra is False and self.options.mode.checks:
            out["additionalProperties"] = False
        if self.options.mode.checks:
            _put(out, minProperties=schema.min_properties, maxProperties=schema.max_properties)
        return out

    def _union(self, schema: UnionSchema, context: str) -> dict[str, Any]:
        if self.options.mode.models:
            compact = self._compact(schema, context)
            if compact is not None:
                return compact
        branches = [self._variant(v.schema, v.name, context) for v in schema.variants]
        keeps_one_of = self.options.mode is not Mode.RESPONSE_MODELS
        keyword = "oneOf" if schema.combinator is Combinator.ONE_OF and keeps_one_of else "anyOf"
        return {keyword: branches}

    def _variant(self, schema: Schema, name: str, context: str) -> Any:
        own_class = isinstance(schema, ObjectSchema) or (self.options.mode.checks and _constrained(schema))
        if not (self.options.named_variants and own_class):
            return self.write(schema, context)
        # Object variants become definitions of their own: readable classes in signatures and errors.
        # So do scalars with constraints, which the model generator can only check in a class of its own.
        child = self._sub(context, class_name(name, "Variant"), f"variant:{name}")
        defined = unique(child, self.taken)
        self.origins[defined] = self._keys.get(child, child)
        self._keys.setdefault(defined, self.origins[defined])
        self.definitions[defined] = self.write(schema, defined, root=True)
        return {"$ref": COMPONENTS + jp.escape(defined)}

    def _mark_one_of(self, schema: Schema, out: Any) -> Any:
        """``out`` with :data:`ONE_OF` listing its ``oneOf`` positions, in request models only.

        A bare ``$ref`` is left alone: a sibling keyword would make the model generator
        define a class of its own, and a union it refers to carries its own mark.
        """
        if self.options.mode is not Mode.REQUEST_MODELS or not isinstance(out, dict) or set(out) == {"$ref"}:
            return out
        sites = self._one_of_sites(schema, frozenset())
        return {**out, ONE_OF: sites} if sites else out

    def _one_of_sites(self, schema: Schema, seen: frozenset[str]) -> list[list[str]]:
        """Where a value of ``schema`` holds a ``oneOf`` the models see as a plain union (see :data:`ONE_OF`).

        Only positions inside the same Python annotation count: an object with properties
        is a class of its own, which checks its own fields.
        """
        if isinstance(schema, RefSchema):
            target = self.named.get(schema.name)
            # A named union is inlined where it is used (the model generator collapses root models).
            if isinstance(target, UnionSchema) and schema.name not in seen:
                return self._one_of_sites(target, seen | {schema.name})
            return []
        if isinstance(schema, UnionSchema):
            exact = schema.combinator is Combinator.ONE_OF and len(schema.variants) > 1
            # The compact form is checked by the model generator's own required-group validators.
            return [[]] if exact and self._compactable(schema) is None else []
        if isinstance(schema, ArraySchema):
            return [["items", *site] for site in self._one_of_sites(schema.items, seen)]
        if isinstance(schema, ObjectSchema) and not schema.properties:
            extra = schema.additional_properties
            if not isinstance(extra, bool):
                return [["values", *site] for site in self._one_of_sites(extra, seen)]
        return []

    def _compactable(self, schema: UnionSchema) -> ObjectSchema | None:
        """The shared shape when every variant is an object of one shape (see :meth:`_compact`)."""
        objects = [v.schema for v in schema.variants if isinstance(v.schema, ObjectSchema)]
        if len(objects) != len(schema.variants) or len(objects) < 2:
            return None
        groups = [frozenset(o.required) for o in objects]
        if schema.combinator is Combinator.ONE_OF and (not all(groups) or len(set(groups)) < len(groups)):
            # Exactly one of an empty or repeated group: the required-group check drops such groups,
            # so the variants stay classes of their own and the runtime counts them.
            return None
        shared = _shape(objects[0])
        if any(_shape(o) != shared for o in objects[1:]):
            return None
        return shared

    def _compact(self, schema: UnionSchema, context: str) -> dict[str, Any] | None:
        """Shared properties plus branches that only list ``required``, when that is exact.

        The model generator turns this form into one model that checks the
        branches' required groups (exactly one for oneOf, at least one for anyOf).
        """
        shared = self._compactable(schema)
        if shared is None:
            return None
        objects = [v.schema for v in schema.variants if isinstance(v.schema, ObjectSchema)]
        out = self._object(shared, context)
        out[schema.combinator.value] = [{"required": list(o.required)} for o in objects]
        return out


def _constrained(schema: Schema) -> bool:
    """Whether a scalar carries constraints a model can only check in a class of its own (inside a union)."""
    if isinstance(schema, StringSchema):
        return any(v is not None for v in (schema.pattern, schema.min_length, schema.max_length)) or (
            schema.format in FORMAT_PATTERNS and not schema.is_binary
        )
    if isinstance(schema, (IntegerSchema, NumberSchema)):
        bounds = (schema.minimum, schema.maximum, schema.exclusive_minimum, schema.exclusive_maximum)
        return any(v is not None for v in (*bounds, schema.multiple_of))
    return False


def _shape(schema: ObjectSchema) -> ObjectSchema:
    """The object's properties and extra keys, all optional and nothing else: what compact branches share."""
    return ObjectSchema(
        properties=tuple(Property(name=p.name, schema=p.schema, required=False) for p in schema.properties),
        additional_properties=schema.additional_properties,
    )


def _put(out: dict[str, Any], **values: Any) -> None:
    """Adds the keywords whose value is set."""
    for key, value in values.items():
        if value is not None:
            out[key] = value
