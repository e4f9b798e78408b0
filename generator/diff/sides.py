"""Reading one side of a diff: a spec file, or ``git:REF:PATH`` from the repository at a revision."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.ir.model import Api
from generator.ir.normalise import normalise
from generator.load import SpecFiles, load_spec
from generator.load.problem import Diagnostics, Location

GIT_PREFIX = "git:"


@dataclass(frozen=True)
class Side:
    """One loaded side: its IR and its files (for lines)."""

    api: Api
    files: SpecFiles


def load_side(spec: str, name: str, diagnostics: Diagnostics, api_key_header: str | None = None) -> Side | None:
    """Load ``spec`` (a path or ``git:REF:PATH``); None, with problems recorded, if it cannot be.

    ``api_key_header`` is the configured vendor's, so both sides read as the generator reads them.
    """
    if spec.startswith(GIT_PREFIX):
        ref, _, path = spec[len(GIT_PREFIX) :].partition(":")
        if not ref or not path:
            diagnostics.error(Location(spec), "expected git:REF:PATH, e.g. git:main:specs/api.yaml")
            return None
        text = git_show(ref, path, diagnostics, spec)
        if text is None:
            return None
        # Keep the file name: its suffix says JSON or YAML. Only single-file specs can be read from git.
        with tempfile.TemporaryDirectory(prefix="generator-diff-") as scratch:
            local = Path(scratch) / PurePosixPath(path).name
            local.write_bytes(text)
            files = load_spec(local, diagnostics, spec)
            return _side(files, name, diagnostics, api_key_header)
    return _side(load_spec(Path(spec), diagnostics, spec), name, diagnostics, api_key_header)


def _side(files: SpecFiles | None, name: str, diagnostics: Diagnostics, api_key_header: str | None) -> Side | None:
    if files is None or diagnostics.has_errors:
        return None
    api = normalise(files, name, diagnostics, api_key_header=api_key_header)
    return None if diagnostics.has_errors else Side(api, files)


def git_show(ref: str, path: str, diagnostics: Diagnostics, shown: str) -> bytes | None:
    """The bytes of ``path`` at ``ref``; None (recorded) when git cannot give them."""
    try:
        command = ["git", "show", f"{ref}:{path}"]  # git from PATH, as the user runs it
        result = subprocess.run(command, capture_output=True, check=False)  # noqa: S603 - arguments are data
    except FileNotFoundError:
        diagnostics.error(Location(shown), "git is not installed")
        return None
    if result.returncode != 0:
        reason = " ".join(result.stderr.decode("utf-8", "replace").split()) or "git show failed"
        diagnostics.error(Location(shown), f"cannot read it from git: {reason}")
        return None
    return result.stdout
