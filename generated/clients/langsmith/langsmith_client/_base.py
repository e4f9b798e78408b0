"""Base classes of the generated models.

Part of runcancel-generator's runtime, copied unchanged into each generated package; do not edit.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    RootModel,
    Strict,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

ONE_OF = "x-one-of"
"""The ``json_schema_extra`` key that lists where a field holds a ``oneOf`` (steps ``items`` / ``values``)."""


def _whole_number(value: Any) -> Any:
    # JSON Schema counts 2.0 as an integer; a strict int refuses floats, so whole ones become ints first.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


StrictInt = Annotated[int, BeforeValidator(_whole_number), Strict()]
"""An integer as JSON Schema reads one: no strings or booleans, but ``2.0`` is ``2``."""


def _members(annotation: Any) -> tuple[Any, ...]:
    """The alternatives of an annotation: a union's members (``Annotated`` unwrapped), else itself."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(m for arg in get_args(annotation) for m in _members(arg))
    return (annotation,)


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _accepts(annotation: Any, value: Any) -> bool:
    try:
        # The wire's view: keys by their JSON names, as the referee reads the payload.
        _adapter(annotation).validate_python(value, by_alias=True, by_name=False)
    except ValidationError:
        return False
    return True


def _check_one_of(annotation: Any, value: Any, steps: Sequence[str], where: str) -> None:
    """Refuse a value that more than one member of the ``oneOf`` at ``steps`` accepts.

    The models' unions accept a value when any member does; ``oneOf`` wants exactly one.
    None accepting is left to pydantic, which has already refused such a value.
    """
    if steps:
        step, rest = steps[0], steps[1:]
        container: type[Any] = list if step == "items" else dict
        for member in _members(annotation):
            origin, args = get_origin(member), get_args(member)
            if origin is not container or not args:
                continue
            if step == "items" and isinstance(value, list):
                for index, item in enumerate(value):
                    _check_one_of(args[0], item, rest, f"{where}[{index}]")
            elif step == "values" and isinstance(value, Mapping):
                for key, item in value.items():
                    _check_one_of(args[-1], item, rest, f"{where}.{key}")
        return
    members = [m for m in _members(annotation) if m is not type(None) or value is None]
    accepting = [m for m in members if _accepts(m, value)]
    if len(accepting) > 1:
        names = ", ".join(getattr(m, "__name__", repr(m)) for m in accepting)
        raise ValueError(f"{where}: valid under more than one variant of oneOf ({names}); exactly one must match")


def _check_fields(model: type[BaseModel], data: Any) -> None:
    """Check every field that holds a ``oneOf`` against the raw input ``data`` (a mapping; else nothing to see)."""
    if not isinstance(data, Mapping):
        return
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        sites = extra.get(ONE_OF) if isinstance(extra, dict) else None
        if not isinstance(sites, list):
            continue
        key = info.alias if info.alias is not None and info.alias in data else name
        if key not in data:
            continue
        for site in sites:
            if isinstance(site, list):
                _check_one_of(info.annotation, data[key], [str(step) for step in site], key)


class RequestModel(BaseModel):
    """Exact: what the spec says, no more. Patterns use Python's ``re``, as JSON Schema validators do.

    An object the spec leaves open keeps keys it does not name and sends them as given
    (``extra="allow"``); a closed one (``additionalProperties: false``) refuses them. A field
    holding a ``oneOf`` refuses a value that several of its variants accept.
    """

    model_config = ConfigDict(regex_engine="python-re", validate_by_name=True, validate_by_alias=True, extra="allow")

    @model_validator(mode="wrap")
    @classmethod
    def _exactly_one(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        validated = handler(data)
        _check_fields(cls, data)
        return validated


RootT = TypeVar("RootT")


class RequestRoot(RootModel[RootT], Generic[RootT]):
    """A request model whose value is not an object with fields (a union, a list): as exact as ``RequestModel``."""

    model_config = ConfigDict(regex_engine="python-re")

    @model_validator(mode="wrap")
    @classmethod
    def _exactly_one(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        validated = handler(data)
        _check_fields(cls, {"root": data})
        return validated


class ResponseModel(BaseModel):
    """Lenient: servers grow, so unknown fields are kept rather than refused."""

    model_config = ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)
