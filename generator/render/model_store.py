"""Model modules kept between runs, by the content of what made them.

Entries are the modules of parts, each side's joined module with its classes,
formatted files (:mod:`generator.render.formatting`), the verdicts of the OpenAPI
rule checks (:mod:`generator.load.rule_memory`), and which commands' inputs ran
before (the command line then expects their models stored).
A key is a digest of everything an entry depends on: its JSON Schema document
(key order included: it orders fields), what it is of (a side), and a ``salt`` naming
the generator's own code and the versions of the libraries that shape output. An
entry is a file named by its key, written whole or not at all, and holding a
digest of its text: one that does not match (cut off, edited) is ignored and made
anew. So a run that reuses entries writes the bytes a run that reuses none would.

The store lives in the user's cache directory (``$XDG_CACHE_HOME`` or
``~/.cache``), in a directory only its owner may enter; ``RUNCANCEL_GENERATOR_CACHE``
names another. One that cannot be made or written costs speed, never the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

DIRECTORY_SETTING = "RUNCANCEL_GENERATOR_CACHE"
# Bumped when what an entry holds changes meaning.
_FORMAT = "models-1"
# Past this many entries, the ones read longest ago are removed down to three quarters of it.
_MOST = 20_000


class ModelStore:
    """Model modules by key, in ``directory``; see the module."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory
        self._salt = salt
        self._writes = 0

    @classmethod
    def for_user(cls, salt: str) -> ModelStore | None:
        """The store in this user's cache directory; None when there is none to be had."""
        chosen = os.environ.get(DIRECTORY_SETTING)
        if chosen:
            directory = Path(chosen)
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            directory = Path(base) / "runcancel-generator" / "models"
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            status = directory.stat()
        except (OSError, RuntimeError):  # no home, or a cache directory that cannot be made
            return None
        # Modules from here become generated code: a directory someone else owns or may write is not used.
        if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
            return None
        return cls(directory, salt)

    def key(self, kind: str, document: dict[str, Any]) -> str:
        """The key of what is made of ``document`` as ``kind`` says (a side's models, a formatted file)."""
        digest = hashlib.sha256()
        for piece in (_FORMAT, self._salt, kind, json.dumps(document, ensure_ascii=False)):
            digest.update(piece.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def remembers(self, run: dict[str, Any]) -> bool:
        """Whether a run given ``run`` (a command's inputs, by name) ended well with this generator before."""
        return self.get(self.key("run", run)) is not None

    def remember(self, run: dict[str, Any]) -> None:
        """Note that a run given ``run`` ended well (see :meth:`remembers`)."""
        self.put(self.key("run", run), "")

    def get(self, key: str) -> str | None:
        """The module stored under ``key``; None when there is none, or it is not whole."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        check, _, text = data.partition(b"\n")
        if hashlib.sha256(text).hexdigest().encode() != check:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # read now: the last to be pruned (access times are often not kept)
        return text.decode("utf-8")

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key`` (written to a temporary file, then renamed into place)."""
        data = text.encode("utf-8")
        path = self._path(key)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            return
        self._writes += 1

    def prune(self) -> None:
        """Remove the entries read longest ago when there are more than the store keeps (after writing some)."""
        if not self._writes:
            return
        with contextlib.suppress(OSError):
            entries = [p for p in self.directory.glob("??/*") if not p.name.startswith(".")]
            if len(entries) <= _MOST:
                return
            entries.sort(key=lambda p: p.stat().st_mtime)
            for path in entries[: len(entries) - _MOST * 3 // 4]:
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key
