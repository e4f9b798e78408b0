"""Writing rendered files: everything is rendered first, then the output tree is replaced in one step.

A manifest remembers what the generator wrote, so files it no longer produces
are removed and files it never produced are left alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import manifest
from generator.manifest import Provenance
from generator.swap import replace_file, staged


class UnsafePath(ValueError):
    """A rendered path that would land outside the output directory."""


def safe_relative(path: str) -> PurePosixPath:
    """Check that a rendered path stays inside the output directory."""
    if not manifest.is_inside(path):
        raise UnsafePath(f"refusing to write outside the output directory: {path!r}")
    return PurePosixPath(path)


@dataclass
class WriteReport:
    """What a write changed."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def areas_of(files: Mapping[str, bytes]) -> set[str]:
    """The areas (first two path segments) a set of rendered files occupies.

    A run limited to some vendors owns only their areas: files elsewhere are
    neither checked nor removed, and keep their manifest entries.
    """
    return {"/".join(PurePosixPath(p).parts[:2]) for p in files}


def _in(areas: set[str] | None, path: str) -> bool:
    return areas is None or "/".join(PurePosixPath(path).parts[:2]) in areas


def write_output(
    root: Path, files: Mapping[str, bytes], provenance: Provenance, areas: set[str] | None = None
) -> WriteReport:
    """Make ``root`` hold ``files``, replacing the whole tree in one step (see :mod:`generator.swap`).

    Changed files are new, unchanged ones untouched, stale ones (made by an
    earlier run, no longer produced) removed; files never produced stay. With
    ``areas``, only files inside them are managed (see :func:`areas_of`).
    """
    plan = {str(safe_relative(p)): data for p, data in files.items()}
    report = WriteReport()
    previous = manifest.made_files(root)
    changed: dict[str, bytes] = {}
    for relative in sorted(plan):
        target = root / relative
        if target.is_file() and not target.is_symlink() and target.read_bytes() == plan[relative]:
            report.unchanged.append(relative)
        else:
            changed[relative] = plan[relative]
            report.written.append(relative)
    report.removed = sorted(p for p in set(previous) - set(plan) if _in(areas, p) and (root / p).is_file())
    kept = {p: h for p, h in previous.items() if not _in(areas, p)}
    recorded = manifest.encode(provenance, {**kept, **manifest.file_hashes(plan)})
    manifest_path = root / manifest.NAME
    if manifest_path.is_file() and manifest_path.read_bytes() == recorded and not changed and not report.removed:
        return report  # nothing to do: no copy, no swap
    with staged(root) as staging:
        for relative, data in changed.items():
            replace_file(staging / relative, data)
        for relative in report.removed:
            stale = staging / safe_relative(relative)
            stale.unlink()
            _prune_empty_dirs(stale.parent, staging)
        replace_file(staging / manifest.NAME, recorded)
    return report


def check_output(
    root: Path, files: Mapping[str, bytes], provenance: Provenance, areas: set[str] | None = None
) -> list[str]:
    """Differences between ``root`` and what would be written, as unified diffs (empty when fresh)."""
    plan = {str(safe_relative(p)): data for p, data in files.items()}
    previous = manifest.made_files(root)
    if areas is None:
        plan[manifest.NAME] = manifest.encode(provenance, manifest.file_hashes(plan))
    stale = {p for p in set(previous) - set(plan) if _in(areas, p)}
    diffs = []
    for relative in sorted(plan):
        target = root / relative
        current = target.read_bytes() if target.is_file() else None
        if current == plan[relative]:
            continue
        before = [] if current is None else current.decode("utf-8", "replace").splitlines(keepends=True)
        after = plan[relative].decode("utf-8", "replace").splitlines(keepends=True)
        label = "missing" if current is None else "changed"
        diff = "".join(difflib.unified_diff(before, after, f"a/{relative}", f"b/{relative}"))
        diffs.append(f"{label}: {relative}\n{diff}")
    for relative in sorted(stale):
        if (root / relative).is_file():
            diffs.append(f"stale: {relative} (no longer generated)\n")
    return diffs


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
