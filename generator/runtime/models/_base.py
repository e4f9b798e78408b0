"""Base classes of the generated models.

Part of runcancel-generator's runtime, copied unchanged into each generated package; do not edit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RequestModel(BaseModel):
    """Exact: what the spec says, no more. Patterns use Python's ``re``, as JSON Schema validators do.

    An object the spec leaves open keeps keys it does not name and sends them as given
    (``extra="allow"``); a closed one (``additionalProperties: false``) refuses them.
    """

    model_config = ConfigDict(regex_engine="python-re", validate_by_name=True, validate_by_alias=True, extra="allow")


class ResponseModel(BaseModel):
    """Lenient: servers grow, so unknown fields are kept rather than refused."""

    model_config = ConfigDict(extra="allow", validate_by_name=True, validate_by_alias=True)
