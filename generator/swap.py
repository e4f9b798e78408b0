"""Replacing a directory tree in one step: a linked copy is staged beside it, changed, then swapped in.

The staging copy hard-links every file of the tree, so files left alone keep
their inode, bytes and mtime, files the generator never made included. Changes
replace links with new files and never write through one. The swap is one
``renameat2(RENAME_EXCHANGE)`` where the system has it; elsewhere two renames,
and a run that dies between them is undone by the next one (the previous tree
comes back). At every moment the tree's path holds the old tree or the new one.

Runs on the same tree take turns (a lock on the parent directory), so one run
never mistakes another's staging directory for a leftover.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

_STAGING = "staging"
_PREVIOUS = "previous"


@contextlib.contextmanager
def staged(root: Path) -> Iterator[Path]:
    """A changeable copy of ``root`` that replaces it when the block ends without an exception.

    On an exception (or an interrupt) the copy is removed and ``root`` is as it
    was. ``root`` need not exist: then the copy starts empty and appears whole.
    """
    root = Path(os.path.realpath(root))  # a symlinked output keeps its link; the tree behind it is swapped
    root.parent.mkdir(parents=True, exist_ok=True)
    with _turn(root.parent):
        recover(root)
        staging = _new_beside(root, _STAGING, make=True)
        try:
            if root.is_dir():
                _link_tree(root, staging)
            yield staging
            _swap_in(staging, root)
        finally:
            # After a swap this holds the previous tree; after a failure, the unfinished copy.
            shutil.rmtree(staging, ignore_errors=True)


def replace_file(path: Path, data: bytes) -> None:
    """Give ``path`` (inside a staging copy) the bytes ``data`` as a new file, never through a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def recover(root: Path) -> None:
    """Clear what an earlier run that died left beside ``root``.

    A previous tree set aside for a swap that never finished is put back when
    ``root`` is missing; staging copies are removed.
    """
    previous = sorted(root.parent.glob(f"{_prefix(root, _PREVIOUS)}*"))
    if previous and not root.exists():
        os.rename(previous.pop(), root)
    for leftover in [*previous, *root.parent.glob(f"{_prefix(root, _STAGING)}*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _prefix(root: Path, kind: str) -> str:
    return f".{root.name}.{kind}-"


def _new_beside(root: Path, kind: str, *, make: bool) -> Path:
    """A fresh name beside ``root`` for ``kind``; made as a directory (the umask applies) when ``make``."""
    while True:
        path = root.parent / f"{_prefix(root, kind)}{secrets.token_hex(4)}"
        if not make:
            if not path.exists():
                return path
            continue
        with contextlib.suppress(FileExistsError):
            path.mkdir()
            return path


def _link_tree(source: Path, target: Path) -> None:
    """Recreate ``source`` under ``target``: directories made, files hard-linked, symlinks copied as links."""
    target.chmod(stat.S_IMODE(source.stat().st_mode))
    for directory, dirnames, filenames in os.walk(source):
        here = Path(directory)
        there = target / here.relative_to(source)
        for name in dirnames:
            origin = here / name
            if origin.is_symlink():
                os.symlink(os.readlink(origin), there / name)
                continue
            (there / name).mkdir()
            (there / name).chmod(stat.S_IMODE(origin.stat().st_mode))
        dirnames[:] = [n for n in dirnames if not (here / n).is_symlink()]  # linked, not followed
        for name in filenames:
            origin = here / name
            if origin.is_symlink():
                os.symlink(os.readlink(origin), there / name)
                continue
            try:
                os.link(origin, there / name)
            except OSError:
                shutil.copy2(origin, there / name)  # no hard links here: a copy keeps bytes and mtime


def _swap_in(staging: Path, root: Path) -> None:
    """Put ``staging`` at ``root``; afterwards ``staging`` holds the previous tree, if there was one."""
    if not root.exists():
        os.rename(staging, root)
        return
    try:
        _exchange(staging, root)
    except OSError:
        previous = _new_beside(root, _PREVIOUS, make=False)
        os.rename(root, previous)
        # A death here leaves no tree at root: the next run's recover() puts ``previous`` back.
        os.rename(staging, root)
        os.rename(previous, staging)


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths atomically (Linux ``renameat2``); OSError where that is not to be had."""
    import ctypes  # only the writing path needs it

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError) as exc:
        raise OSError("renameat2 is not available") from exc
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error), str(second))


@contextlib.contextmanager
def _turn(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (where the system offers ``flock``)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): runs on one tree must not overlap there
        yield
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
