"""Base classes of the generated models.

Part of runcancel-generator's runtime, copied unchanged into each generated package; do not edit.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict


def _whole_number(value: Any) -> Any:
    # JSON Schema counts 2.0 as an integer; a strict int refuses floats, so whole ones become ints first.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


StrictInt = Annotated[int, BeforeValidator(_whole_number), Strict()]
"""An integer as JSON Schema reads one: no strings or booleans, but ``2.0`` is ``2``."""


class RequestModel(BaseModel):
    """Exact: what the spec says, no more. Patterns use Python's ``re``, as JSON Schema validators do.

    An object the spec leaves open keeps keys it does not name and sends them as given
    (``extra="allow"``); a closed one (``additionalProperties: false``) refuses them.
    """

    model_config = ConfigDict(regex_engine="python-re", validate_by_name=True, validate_by_alias=True, extra="allow")


class ResponseModel(BaseModel):
    """Lenient: servers grow, so unknown fields are kept rather than refused."""

    model_config = ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)
