"""Reading one side of a diff: a spec file, or ``git:REF:PATH`` from the repository at a revision.

Both sides go through the pipeline's one load path, so a configured vendor's
spec is read exactly as ``generate`` reads it (its API key header, its
``include`` filter).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.config import VendorConfig
from generator.ir.model import Api
from generator.load import SpecFiles
from generator.load.problem import Diagnostics, Location
from generator.load.rule_memory import TextStore
from generator.pipeline import Target, build_into

GIT_PREFIX = "git:"


@dataclass(frozen=True)
class LoadedSpec:
    """One side of a diff, loaded: its IR and its files (for lines)."""

    api: Api
    files: SpecFiles


def load_side(
    spec: str,
    name: str,
    diagnostics: Diagnostics,
    vendor: VendorConfig | None = None,
    *,
    verdicts: TextStore | None = None,
) -> LoadedSpec | None:
    """Load ``spec`` (a path or ``git:REF:PATH``); None, with problems recorded, if it cannot be.

    ``vendor`` is the configured vendor the spec belongs to, if any. With ``verdicts``, the OpenAPI
    rules are checked only where earlier runs did not (see :mod:`generator.load.rule_memory`).
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
            return _loaded(Target(name, local, spec, vendor), diagnostics, verdicts)
    return _loaded(Target(name, Path(spec), spec, vendor), diagnostics, verdicts)


def _loaded(target: Target, diagnostics: Diagnostics, verdicts: TextStore | None) -> LoadedSpec | None:
    if diagnostics.has_errors:
        return None
    built = build_into(target, diagnostics, bind=False, verdicts=verdicts)
    if built.api is None or built.files is None or diagnostics.has_errors:
        return None
    return LoadedSpec(built.api, built.files)


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
