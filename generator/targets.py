"""The targets: what can be generated and which renderer makes it. Registering a target is one line here.

Renderers are named by module and imported on first use, so reading the
configuration (which checks target names against these) stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from generator.render.formatting import Draft
    from generator.render.subject import Subject

    PerApi = Callable[[Subject], list[Draft]]
    AcrossApis = Callable[[Sequence[Subject]], list[Draft]]

# Each module has ``drafts(Subject) -> list[Draft]`` (one API) or ``drafts(Sequence[Subject])`` (every API).
_PER_API = {
    "ir": "generator.render.ir_json",
    "client": "generator.render.python_client",
    "server": "generator.render.fastapi_server",
    "typescript": "generator.render.typescript",
}
_ACROSS_APIS = {"unified": "generator.render.unified", "typescript-unified": "generator.render.typescript_unified"}
PER_API = tuple(_PER_API)
ACROSS_APIS = tuple(_ACROSS_APIS)
# Targets made only where a configuration (or --target) names them, so adding one changes no existing output.
OPT_IN = frozenset({"typescript", "typescript-unified"})
# The per-API target each across-API target is built on: every vendor with a cancel operation needs it.
BUILT_ON = {"unified": "client", "typescript-unified": "typescript"}


def per_api(label: str) -> PerApi:
    """The renderer of the per-API target ``label``."""
    return cast("PerApi", importlib.import_module(_PER_API[label]).drafts)


def across_apis(label: str) -> AcrossApis:
    """The renderer of the target ``label`` that spans every API."""
    return cast("AcrossApis", importlib.import_module(_ACROSS_APIS[label]).drafts)
