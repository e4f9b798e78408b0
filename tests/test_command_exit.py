"""`python -m generator` as a process: its status and output whole, and no helper of it left running.

The command ends without the interpreter's teardown (see generator/__main__.py), but with its exit
handlers: these let go of a helper no run took. A run that fails before it takes them is the case.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")


def _running_in_group(group: int) -> list[int]:
    """The processes of process group ``group`` that still run (a zombie has ended)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, _, process_group = stat.rsplit(")", 1)[1].split()[:3]
        if int(process_group) == group and state != "Z":
            found.append(int(entry.name))
    return found


def _run(arguments: list[str], tmp_path: Path) -> tuple[int, str, str, list[int]]:
    """Status, stdout, stderr of the command, and what of its process group runs the moment it has ended."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    # Files, not pipes: a helper that outlived the command would hold a pipe open, and reading it would wait.
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", *arguments],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group, which its helpers join
        )
        status = process.wait(timeout=120)
    left = _running_in_group(process.pid)
    return status, out.read_text(), err.read_text(), left


def test_a_run_that_fails_after_its_helpers_started_leaves_none_running(tmp_path: Path) -> None:
    config = tmp_path / "generator.yaml"
    config.write_text("vendors: [\n", encoding="utf-8")
    # --full starts the model worker warm, before the configuration is read; the run never takes it.
    status, _, err, left = _run(["--config", str(config), "generate", "--full"], tmp_path)
    assert status == 2
    assert err.splitlines()[-1] == "generation failed: nothing was written"
    assert str(config) in err
    assert left == []


def test_a_full_run_ends_with_its_output_written_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = ROOT / "specs" / "skyvern.yaml"
    status, stdout, err, left = _run(["generate", "--full", "--spec", str(spec), "--out", str(out)], tmp_path)
    assert (status, err) == (0, "")
    assert left == []
    made = [p for p in out.rglob("*") if p.is_file() and p.name != ".manifest.json"]
    assert stdout.splitlines()[-1].startswith(f"generated {len(made)} files into {out} in ")
    assert (out / "clients" / "skyvern" / "skyvern_client" / "client.py").is_file()
