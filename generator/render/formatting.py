"""Formatting generated Python with the pinned ruff: imports sorted, then ``ruff format``.

Generated text is deterministic before this step and ruff is pinned, so the
result is too. Renderers hand over drafts; every draft of a run is formatted
together, in one ruff process per step, because starting ruff costs more than
formatting a package. Given a store, a file formatted before (the same text, at
the same path, among the same files of its draft) is taken from it, and ruff
formats only the others.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ruff.__main__ import find_ruff_bin

if TYPE_CHECKING:
    from generator.render.model_store import ModelStore

_SETTINGS = [
    "line-length = 120",
    "target-version = 'py311'",
    "lint.select = ['I', 'F401', 'W292', 'UP']",
    # Wrapping must not depend on how the input happened to be wrapped, in code or in imports.
    "format.skip-magic-trailing-comma = true",
    "lint.isort.split-on-trailing-comma = false",
]
_STEPS = (["check", "--fix", "--exit-zero", "--quiet", "--no-cache"], ["format", "--no-cache"])


@dataclass(frozen=True)
class Draft:
    """Rendered files of one output directory, before their Python is formatted.

    ``prefix`` is the directory inside the output (``""`` for its root) and
    ``first_party`` the packages import sorting groups as this draft's own.
    """

    prefix: str
    files: dict[str, str]
    first_party: tuple[str, ...] = field(default=())

    def output_path(self, path: str) -> str:
        """The output-relative path of one of this draft's files."""
        return f"{self.prefix}/{path}" if self.prefix else path


def finish(drafts: Iterable[Draft], store: ModelStore | None = None) -> dict[str, bytes]:
    """Every file of ``drafts`` under its output-relative path, Python formatted, as bytes.

    With ``store``, files formatted by an earlier run are taken from it, and the others kept there.
    """
    drafts = list(drafts)
    formatted = _format_python(drafts) if store is None else _format_python_reusing(drafts, store)
    return {
        draft.output_path(path): formatted.get((index, path), text).encode("utf-8")
        for index, draft in enumerate(drafts)
        for path, text in draft.files.items()
    }


def _format_python_reusing(drafts: list[Draft], store: ModelStore) -> dict[tuple[int, str], str]:
    """:func:`_format_python`, taking from ``store`` what an earlier run formatted and keeping the rest there."""
    keys: dict[tuple[int, str], str] = {}
    for index, draft in enumerate(drafts):
        # Besides a file's text, ruff reads its path (an __init__ module's imports are exports) and, sorting
        # imports, its settings and which modules its draft holds (they are first party).
        listing = sorted(draft.files)
        for path, text in draft.files.items():
            if path.endswith(".py"):
                shown = {"settings": _settings(draft), "files": listing, "path": path, "text": text}
                keys[index, path] = store.key("formatted", shown)
    formatted = {place: kept for place, key in keys.items() if (kept := store.get(key)) is not None}
    for place, made in _format_python(drafts, only=set(keys) - set(formatted)).items():
        formatted[place] = made
        store.put(keys[place], made)
    return formatted


def _settings(draft: Draft) -> list[str]:
    """The lines of the ruff settings file of ``draft``'s directory."""
    return [*_SETTINGS, f"lint.isort.known-first-party = {list(draft.first_party)!r}"]


def _format_python(drafts: list[Draft], only: set[tuple[int, str]] | None = None) -> dict[tuple[int, str], str]:
    """Formatted text of every ``.py`` file (or of those in ``only``), keyed by (draft index, path).

    Every file is laid out as in the output either way: ruff sorts imports by which modules are there.
    """
    sources = [(i, path) for i, d in enumerate(drafts) for path in d.files if path.endswith(".py")]
    named = sources if only is None else [source for source in sources if source in only]
    if not named:
        return {}
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="generator-format-") as scratch:
        root = Path(scratch)

        def place(index: int, path: str) -> Path:
            # One directory per draft, named by position: drafts may share names, never positions.
            return root / str(index) / path

        for index, draft in enumerate(drafts):
            # Each draft's own settings file: ruff takes the nearest one for every file it is given.
            (root / str(index)).mkdir()
            (root / str(index) / ".ruff.toml").write_text("\n".join(_settings(draft)) + "\n", encoding="utf-8")
        for index, path in sources:
            target = place(index, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(drafts[index].files[path], encoding="utf-8")
        # Files named explicitly are never skipped by ruff's default excludes (a vendor called "build").
        names = [str(place(index, path).relative_to(root)) for index, path in named]
        for step in _STEPS:
            result = subprocess.run(  # noqa: S603 - the pinned ruff, on our own files
                [ruff, *step, "--", *names], cwd=root, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                # Generated code that does not parse is a bug in a template: say where.
                lines = (result.stderr or result.stdout).strip().splitlines()
                message = " ".join(line for line in lines if "error" in line) or " ".join(lines)
                raise RuntimeError(f"ruff {step[0]} failed on generated code: {message[:300]}")
        return {(index, path): place(index, path).read_text(encoding="utf-8") for index, path in named}
