"""The ``ir`` target: the IR of each vendor as JSON, for tools and for reviewers of spec changes."""

from __future__ import annotations

from generator.ir.dump import dump
from generator.ir.model import Api
from generator.render.formatting import Draft, finish


def render(api: Api) -> dict[str, bytes]:
    """``ir/<name>.json`` holding the IR of ``api``."""
    return finish(drafts(api))


def drafts(api: Api) -> list[Draft]:
    """The IR file of ``api`` (nothing to format)."""
    return [Draft("ir", {f"{api.name}.json": dump(api, "json")})]
