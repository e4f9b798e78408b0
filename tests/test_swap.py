"""The output tree is replaced in one step: an interrupted run leaves the previous tree as it was."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator import output, swap
from generator.manifest import Provenance
from generator.output import write_output

META = Provenance("test", {})
FIRST = {"pkg/a.py": b"a = 1\n", "pkg/b.py": b"b = 1\n", "pkg/deep/c.py": b"c = 1\n", "old.txt": b"old\n"}
SECOND = {"pkg/a.py": b"a = 1\n", "pkg/b.py": b"b = 2\n", "pkg/deep/c.py": b"c = 2\n", "new.txt": b"new\n"}


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``root``: bytes, inode and mtime."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def beside(root: Path) -> list[str]:
    """Names next to ``root`` other than its own: leftovers of a run would show here."""
    return sorted(p.name for p in root.parent.iterdir() if p != root)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    root = tmp_path / "work" / "generated"
    write_output(root, FIRST, META)
    (root / "pkg" / "mine.py").write_text("# the user's own file\n")
    return root


def test_changes_are_new_files_and_everything_else_keeps_inode_and_mtime(out: Path) -> None:
    before = snapshot(out)
    report = write_output(out, SECOND, META)
    after = snapshot(out)
    assert report.written == ["new.txt", "pkg/b.py", "pkg/deep/c.py"]
    assert report.removed == ["old.txt"]
    assert "old.txt" not in after
    for kept in ("pkg/a.py", "pkg/mine.py"):
        assert after[kept] == before[kept], f"{kept} was rewritten"
    assert before["pkg/b.py"][1] != after["pkg/b.py"][1], "a changed file is a new file, never written through a link"
    assert beside(out) == []


@pytest.mark.parametrize("calls_before_interrupt", [0, 2])
def test_an_interrupted_run_leaves_the_previous_tree_as_it_was(
    out: Path, monkeypatch: pytest.MonkeyPatch, calls_before_interrupt: int
) -> None:
    before = snapshot(out)
    real = swap.replace_file
    calls = []

    def interrupted(path: Path, data: bytes) -> None:
        if len(calls) == calls_before_interrupt:
            raise KeyboardInterrupt
        calls.append(path)
        real(path, data)

    monkeypatch.setattr(output, "replace_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(out, SECOND, META)
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_fresh_output_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "fresh"

    def fail(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "replace_file", fail)
    with pytest.raises(OSError, match="No space left"):
        write_output(root, FIRST, META)
    assert not root.exists()
    assert beside(root) == []
    monkeypatch.undo()
    write_output(root, FIRST, META)
    assert {p: v[0] for p, v in snapshot(root).items() if p != ".manifest.json"} == FIRST


def test_a_run_that_died_between_the_two_renames_is_undone_by_the_next(out: Path) -> None:
    before = snapshot(out)
    # What the two-rename swap leaves when it dies between its renames: no tree at the output's
    # path, the previous tree set aside, and an unfinished staging copy.
    os.rename(out, out.parent / ".generated.previous-0badc0de")
    (out.parent / ".generated.staging-0badf00d" / "pkg").mkdir(parents=True)
    (out.parent / ".generated.staging-0badf00d" / "pkg" / "a.py").write_text("half\n")
    swap.recover(out)
    assert snapshot(out) == before
    assert beside(out) == []


def test_without_an_atomic_exchange_two_renames_give_the_same_tree(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(first: Path, second: Path) -> None:
        raise OSError(22, "Invalid argument")

    twin = tmp_path / "twin" / "generated"
    write_output(twin, FIRST, META)
    (twin / "pkg" / "mine.py").write_text("# the user's own file\n")
    write_output(twin, SECOND, META)
    monkeypatch.setattr(swap, "_exchange", unsupported)
    write_output(out, SECOND, META)
    assert {p: v[0] for p, v in snapshot(out).items()} == {p: v[0] for p, v in snapshot(twin).items()}
    assert beside(out) == []


def test_a_symlinked_output_keeps_its_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "tree"
    write_output(real, FIRST, META)
    link = tmp_path / "generated"
    link.symlink_to(real, target_is_directory=True)
    write_output(link, SECOND, META)
    assert link.is_symlink()
    assert (real / "new.txt").read_bytes() == b"new\n"


def test_a_reader_sees_one_whole_tree_at_every_moment(tmp_path: Path) -> None:
    # Two versions of 40 files; a reader that pins the tree it opened must find all of one version.
    versions = [{f"f{i:02}.txt": f"{v}\n".encode() for i in range(40)} for v in ("A", "B")]
    root = tmp_path / "generated"
    write_output(root, versions[0], META)
    seen: list[set[bytes]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                tree = os.open(root, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                contents = set()
                for i in range(40):
                    handle = os.open(f"f{i:02}.txt", os.O_RDONLY, dir_fd=tree)
                    with os.fdopen(handle, "rb") as stream:
                        contents.add(stream.read())
                seen.append(contents)
            except FileNotFoundError:
                pass  # the tree this reader opened was replaced and cleared meanwhile
            finally:
                os.close(tree)

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(30):
        write_output(root, versions[(n + 1) % 2], META)
    done.set()
    reader.join()
    assert seen
    assert all(len(contents) == 1 for contents in seen), "a reader saw files of two versions at once"
