"""Code every generated package of a kind carries unchanged: real modules, linted, typed and tested here.

Renderers copy them into their outputs (each generated distribution stays
standalone); :func:`source` reads one.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def source(relative: str) -> str:
    """The text of the runtime module at ``relative`` (``client/_core.py``), to copy into an output."""
    return (ROOT / relative).read_text(encoding="utf-8")
