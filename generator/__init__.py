"""An OpenAPI-driven generator of typed clients, server stubs and a unified cancel API.

The library API::

    import generator

    result = generator.generate("generator.yaml", check=True)   # GenerateResult
    result = generator.generate_spec("api.yaml", "out/")         # one spec, no configuration
    report = generator.diff("old.yaml", "new.yaml")              # DiffResult

Names are imported on first use, so that ``python -m generator generate`` on an
unchanged tree starts no heavier than the interpreter.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["DiffResult", "GenerateResult", "Listener", "__version__", "diff", "generate", "generate_spec"]

if TYPE_CHECKING:
    from generator.generation import GenerateResult, Listener, generate, generate_spec
    from generator.specdiff.run import DiffResult, diff

_LAZY = {
    "generate": "generator.generation",
    "generate_spec": "generator.generation",
    "GenerateResult": "generator.generation",
    "Listener": "generator.generation",
    "diff": "generator.specdiff.run",
    "DiffResult": "generator.specdiff.run",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
