"""`generate`: deterministic output, --check, and runs limited to some vendors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the configuration and specs, generating into its own directory."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copy(ROOT / "generator.yaml", tmp_path / "generator.yaml")
    return tmp_path


def test_generate_then_check_then_stale(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(project / "generator.yaml")
    assert main(["--config", config, "generate", "--quiet"]) == 0
    assert main(["--config", config, "generate", "--check", "--quiet"]) == 0
    client = project / "generated" / "clients" / "skyvern" / "skyvern_client" / "client.py"
    before = client.stat().st_mtime_ns
    assert main(["--config", config, "generate", "--quiet"]) == 0
    assert client.stat().st_mtime_ns == before, "unchanged files are not rewritten"
    client.write_text(client.read_text() + "# edited\n")
    capsys.readouterr()
    assert main(["--config", config, "generate", "--check"]) == 1
    out = capsys.readouterr().out
    assert "changed: clients/skyvern/skyvern_client/client.py" in out
    assert "-# edited" in out


def test_vendor_limited_run_leaves_other_vendors_alone(project: Path) -> None:
    config = str(project / "generator.yaml")
    assert main(["--config", config, "generate", "--quiet"]) == 0
    output = project / "generated"
    everything = sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file())
    assert main(["--config", config, "generate", "--vendor", "agno", "--quiet"]) == 0
    assert sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file()) == everything
    assert main(["--config", config, "generate", "--check", "--quiet"]) == 0, "the manifest still lists every vendor"
    stale = output / "clients" / "agno" / "agno_client" / "old.py"
    manifest = json.loads((output / ".manifest.json").read_text())
    manifest["files"]["clients/agno/agno_client/old.py"] = "0" * 64  # as if an earlier run had made it
    (output / ".manifest.json").write_text(json.dumps(manifest))
    stale.write_text("")
    assert main(["--config", config, "generate", "--vendor", "agno", "--check", "--quiet"]) == 1
    assert main(["--config", config, "generate", "--vendor", "agno", "--quiet"]) == 0
    assert not stale.exists(), "a file the generator made before and no longer makes is removed"


def test_unknown_vendor_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(project / "generator.yaml"), "generate", "--vendor", "nope"]) == 2
    assert "unknown vendor 'nope'" in capsys.readouterr().err
