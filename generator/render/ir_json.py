"""The ``ir`` target: the IR of each vendor as JSON, for tools and for reviewers of spec changes."""

from __future__ import annotations

from generator.ir.dump import dump
from generator.ir.model import Api


def render(api: Api) -> dict[str, bytes]:
    """``ir/<name>.json`` holding the IR of ``api``."""
    return {f"ir/{api.name}.json": dump(api, "json").encode("utf-8")}
