"""The ``ir`` target: the IR of each vendor as JSON, for tools and for reviewers of spec changes."""

from __future__ import annotations

from generator.ir.dump import dump
from generator.render.formatting import Draft
from generator.render.subject import Subject


def drafts(subject: Subject) -> list[Draft]:
    """``ir/<name>.json``: the IR of the API, with its cancel binding (nothing to format)."""
    return [Draft("ir", {f"{subject.api.name}.json": dump(subject.api, "json", cancel=subject.cancel)})]
