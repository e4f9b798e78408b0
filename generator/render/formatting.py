"""Formatting generated Python with the pinned ruff: imports sorted, then ``ruff format``.

Generated text is deterministic before this step and ruff is pinned, so the
result is too. Renderers hand over drafts; the drafts of a run are formatted in
two batches at most, one ruff process per step and batch, because starting ruff
costs more than formatting a package: the first drafts while the rest are
rendered, then the others. Given a store, a file formatted before (the same
text, at the same path, among the same files of its draft) is taken from it, and
ruff formats only the others.
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
    with Formatting(store) as formatting:
        formatting.add(drafts)
        return formatting.files()


class Formatting:
    """The drafts of a run, handed in as they are rendered (:meth:`add`), their Python formatted (:meth:`files`).

    The first drafts with Python to format are laid out and given to ruff's first step at once, while the
    rest are rendered; :meth:`files` lays out the others and formats both batches side by side. Never more
    than two batches: starting ruff costs more than formatting a package. With ``store``, see :func:`finish`.
    """

    def __init__(self, store: ModelStore | None = None) -> None:
        self._store = store
        self._drafts: list[Draft] = []
        self._keys: dict[tuple[int, str], str] = {}
        self._formatted: dict[tuple[int, str], str] = {}
        self._waiting: list[tuple[int, str]] = []  # to format, in no batch yet
        self._batches: list[_Batch] = []

    def add(self, drafts: Iterable[Draft]) -> None:
        """Hand in rendered drafts; if none so far had Python to format, ruff starts on theirs now."""
        first = len(self._drafts)
        self._drafts.extend(drafts)
        for index in range(first, len(self._drafts)):
            draft = self._drafts[index]
            # Besides a file's text, ruff reads its path (an __init__ module's imports are exports) and, sorting
            # imports, its settings and which modules its draft holds (they are first party).
            listing = sorted(draft.files)
            for path, text in draft.files.items():
                if not path.endswith(".py"):
                    continue
                if self._store is not None:
                    shown = {"settings": _settings(draft), "files": listing, "path": path, "text": text}
                    key = self._keys[index, path] = self._store.key("formatted", shown)
                    kept = self._store.get(key)
                    if kept is not None:
                        self._formatted[index, path] = kept
                        continue
                self._waiting.append((index, path))
        if not self._batches and self._waiting:
            self._batch()

    def files(self) -> dict[str, bytes]:
        """Every file handed in, under its output-relative path, Python formatted, as bytes."""
        if self._waiting:
            self._batch()
        for batch in self._batches:
            batch.format()  # each batch's second step starts as its first ends: the batches run side by side
        for batch in self._batches:
            made = batch.result()
            self._formatted.update(made)
            if self._store is not None:
                for place, text in made.items():
                    self._store.put(self._keys[place], text)
        self._batches.clear()
        return {
            draft.output_path(path): self._formatted.get((index, path), text).encode("utf-8")
            for index, draft in enumerate(self._drafts)
            for path, text in draft.files.items()
        }

    def close(self) -> None:
        """Stop ruff where it still runs, and remove what was laid out for it."""
        for batch in self._batches:
            batch.close()
        self._batches.clear()

    def __enter__(self) -> Formatting:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _batch(self) -> None:
        self._batches.append(_Batch(self._drafts, self._waiting))
        self._waiting = []


def _settings(draft: Draft) -> list[str]:
    """The lines of the ruff settings file of ``draft``'s directory."""
    return [*_SETTINGS, f"lint.isort.known-first-party = {list(draft.first_party)!r}"]


class _Batch:
    """Files of some drafts laid out as in the output, with ruff's steps run on the ``named`` ones in turn."""

    def __init__(self, drafts: list[Draft], named: list[tuple[int, str]]) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="generator-format-")
        self._named = named
        root = Path(self._scratch.name)
        # Every file of each draft is laid out, named or not: ruff sorts imports by which modules are there.
        for index in sorted({index for index, _ in named}):
            draft = drafts[index]
            # One directory per draft, named by position: drafts may share names, never positions.
            (root / str(index)).mkdir()
            # Each draft's own settings file: ruff takes the nearest one for every file it is given.
            (root / str(index) / ".ruff.toml").write_text("\n".join(_settings(draft)) + "\n", encoding="utf-8")
            for path, text in draft.files.items():
                if path.endswith(".py"):
                    target = self._place(index, path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
        self._steps = list(_STEPS)
        self._running: subprocess.Popen[str] | None = None
        self._next_step()

    def format(self) -> None:
        """Wait for the step under way, and start the next (once they are all started, nothing)."""
        if self._steps:
            self._end_step()
            self._next_step()

    def result(self) -> dict[tuple[int, str], str]:
        """The formatted text of every named file, once ruff is done; the scratch directory is then removed."""
        self.format()
        self._end_step()
        made = {(index, path): self._place(index, path).read_text(encoding="utf-8") for index, path in self._named}
        self.close()
        return made

    def close(self) -> None:
        """Stop ruff if it runs, and remove the scratch directory."""
        if self._running is not None:
            self._running.kill()
            self._running.communicate()
            self._running = None
        self._scratch.cleanup()

    def _place(self, index: int, path: str) -> Path:
        return Path(self._scratch.name) / str(index) / path

    def _next_step(self) -> None:
        step = self._steps.pop(0)
        # Files named explicitly are never skipped by ruff's default excludes (a vendor called "build").
        names = [str(Path(str(index)) / path) for index, path in self._named]
        self._running = subprocess.Popen(  # noqa: S603 - the pinned ruff, on our own files
            [find_ruff_bin(), *step, "--", *names],
            cwd=self._scratch.name,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._step = step[0]

    def _end_step(self) -> None:
        if self._running is None:
            return
        out, err = self._running.communicate()
        code, self._running = self._running.returncode, None
        if code != 0:
            # Generated code that does not parse is a bug in a template: say where.
            lines = (err or out).strip().splitlines()
            message = " ".join(line for line in lines if "error" in line) or " ".join(lines)
            self.close()
            raise RuntimeError(f"ruff {self._step} failed on generated code: {message[:300]}")
