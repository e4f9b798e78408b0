"""Formatting generated Python with the pinned ruff: imports sorted, then ``ruff format``.

Generated text is deterministic before this step and ruff is pinned, so the
result is too. Files go through a private temporary directory, in one ruff run
per step rather than one per file.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ruff.__main__ import find_ruff_bin

_SETTINGS = [
    "line-length = 120",
    "target-version = 'py311'",
    "lint.select = ['I', 'F401', 'W292', 'UP']",
    # Wrapping must not depend on how the input happened to be wrapped.
    "format.skip-magic-trailing-comma = true",
]


def format_python(files: dict[str, str], first_party: list[str]) -> dict[str, str]:
    """``files`` (relative path -> text) with every ``.py`` file's imports sorted and code formatted."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return files
    settings = [*_SETTINGS, f"lint.isort.known-first-party = {first_party!r}"]
    config = [arg for setting in settings for arg in ("--config", setting)]
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="generator-format-") as scratch:
        root = Path(scratch)
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for step in (["check", "--fix", "--exit-zero", "--quiet", "--no-cache"], ["format", "--quiet", "--no-cache"]):
            result = subprocess.run(  # noqa: S603 - the pinned ruff, on our own files
                [ruff, *step, *config, "--isolated", "."], cwd=root, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                # Generated code that does not parse is a bug in a template: say where.
                message = (result.stderr or result.stdout).strip().splitlines()
                raise RuntimeError(f"ruff {step[0]} failed on generated code: {' '.join(message)[:300]}")
        formatted = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {**files, **formatted}
