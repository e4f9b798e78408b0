"""One-operation changes to Skyvern's full spec, of three kinds: the incremental tests and the bench make them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _add_body_property(document: dict[str, Any]) -> None:
    # A new optional field of the bulk cancel request: a schema of a small part.
    schema = document["components"]["schemas"]["BulkCancelRunsRequest"]
    schema["properties"]["reason"] = {"type": "string", "title": "Reason"}


def _add_query_parameter(document: dict[str, Any]) -> None:
    # An operation's own change: no schema of any model moves.
    operation = document["paths"]["/v1/runs/{run_id}"]["get"]
    parameter = {"name": "verbose", "in": "query", "required": False, "schema": {"type": "boolean"}}
    operation.setdefault("parameters", []).append(parameter)
    operation["summary"] = "Get a run, verbosely"


def _add_workflow_field(document: dict[str, Any]) -> None:
    # A field of the workflow schema, in the largest knot of schemas that refer to each other.
    schema = document["components"]["schemas"]["Workflow"]
    schema["properties"]["archived_reason"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}


CHANGES: tuple[Callable[[dict[str, Any]], None], ...] = (_add_body_property, _add_query_parameter, _add_workflow_field)
