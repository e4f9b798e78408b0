"""`generate`: deterministic output, --check, and runs limited to some vendors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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


def test_nothing_changed_is_confirmed_without_heavy_imports(project: Path) -> None:
    config = str(project / "generator.yaml")
    assert main(["--config", config, "generate", "--quiet"]) == 0
    probe = (
        "import sys; from generator.cli import main; "
        f"code = main(['--config', {config!r}, 'generate', '--check']); "
        "heavy = [m for m in ('jinja2', 'pydantic', 'datamodel_code_generator', 'jsonschema', 'openapi_spec_validator')"
        " if m in sys.modules]; print(code, heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines()[-1] == "0 []"
    assert "up to date (no input changed)" in result.stdout


def test_a_changed_spec_takes_the_full_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(project / "generator.yaml")
    assert main(["--config", config, "generate", "--quiet"]) == 0
    spec = project / "specs" / "skyvern.yaml"
    spec.write_text(spec.read_text().replace("maxItems: 100", "maxItems: 50"))
    capsys.readouterr()
    assert main(["--config", config, "generate", "--check", "--quiet"]) == 1
    assert "changed: clients/skyvern/skyvern_client/_request_models.py" in capsys.readouterr().out


def test_ad_hoc_form_needs_no_configuration(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = ROOT / "specs" / "agno.yaml"
    assert main(["generate", "--spec", str(spec), "--name", "os", "--out", str(out), "--quiet"]) == 0
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "clients/os/os_client/client.py" in made and "servers/os/os_server/app.py" in made
    assert "ir/os.json" in made and not any(p.startswith("clients/runcancel") for p in made)
    manifest = json.loads((out / ".manifest.json").read_text())
    assert all(not Path(p).is_absolute() for p in manifest["inputs"]), "no absolute paths in output"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--vendor", "x"]) == 2


def test_output_is_the_same_whatever_the_hash_seed_and_directory(project: Path, tmp_path: Path) -> None:
    outputs = []
    for seed, cwd in (("0", ROOT), ("4242", tmp_path)):
        shutil.rmtree(project / "generated", ignore_errors=True)
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "generator", "--config", str(project / "generator.yaml"), "generate", "-q"],
            cwd=cwd, env=env, check=True, capture_output=True,
        )  # fmt: skip
        made = [p for p in (project / "generated").rglob("*") if p.is_file()]
        outputs.append({p.relative_to(project / "generated").as_posix(): p.read_bytes() for p in made})
    assert outputs[0] == outputs[1]
    # A copy of the project elsewhere generates what is committed, manifest included.
    listed = [*json.loads((ROOT / "generated" / ".manifest.json").read_text())["files"], ".manifest.json"]
    expected = {name: (ROOT / "generated" / name).read_bytes() for name in listed}
    assert set(outputs[0]) == set(expected)
    assert [k for k in expected if expected[k] != outputs[0][k]] == []


def test_targets_choose_what_is_generated_and_dropping_one_removes_its_files(project: Path) -> None:
    config = project / "generator.yaml"
    # The committed configuration opts into TypeScript; this test starts from one that names no targets.
    committed = "targets: [ir, client, server, unified, typescript, typescript-unified]\n"
    original = config.read_text()
    assert committed in original
    original = original.replace(committed, "")
    assert "\ntargets:" not in original and "  agno:\n    spec: specs/agno.yaml\n" in original
    config.write_text(
        original.replace("output: generated\n", "output: generated\ntargets: [client, unified]\n").replace(
            "  agno:\n    spec: specs/agno.yaml\n",
            "  agno:\n    spec: specs/agno.yaml\n    targets: [client, server]\n",
        )
    )
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    output = project / "generated"
    (output / "servers" / "agno" / "notes.txt").write_text("the user's own file\n")
    made = {p.relative_to(output).parts[:2] for p in output.rglob("*") if p.is_file()}
    vendors = {"cargo", "skyvern", "b3os", "langsmith", "agno"}
    assert {("clients", v) for v in vendors} | {("clients", "runcancel"), ("servers", "agno")} <= made
    assert not any(part[0] in ("ir",) or part == ("servers", "cargo") for part in made)
    # The server target dropped: its files go on the next run, the user's file in their folder stays.
    config.write_text(config.read_text().replace("    targets: [client, server]\n", ""))
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    assert [p.relative_to(output).as_posix() for p in (output / "servers").rglob("*") if p.is_file()] == [
        "servers/agno/notes.txt"
    ]
    assert main(["--config", str(config), "generate", "--check", "--quiet"]) == 0


def test_progress_is_one_line_per_vendor_and_target_and_quiet_is_silent(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(project / "generator.yaml")
    assert main(["--config", config, "generate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    made = {p.relative_to(project / "generated").as_posix() for p in (project / "generated").rglob("*") if p.is_file()}
    for vendor in ("cargo", "skyvern", "b3os", "langsmith", "agno"):
        mine = [line.split() for line in lines if line.split()[0] == vendor]
        assert [words[1] for words in mine] == ["spec", "ir", "client", "server", "typescript", "models"]
        counts = {words[1]: int(words[2]) for words in mine[1:-1]}
        # "models  3 of 3 parts made, 0 reused": the project's first run, with a cache of its own.
        made_parts, parts, reused = int(mine[-1][2]), int(mine[-1][4]), int(mine[-1][7])
        assert parts >= 1 and made_parts + reused == parts
        assert counts["typescript"] == sum(p.startswith(f"ts/{vendor}/") for p in made)
        assert counts["client"] == sum(p.startswith(f"clients/{vendor}/") for p in made)
        assert counts["server"] == sum(p.startswith(f"servers/{vendor}/") for p in made)
    assert lines[-1].startswith(f"generated {len(made) - 1} files into ")  # the manifest is not counted
    # Columns line up whatever the labels' lengths: every count ends, and every "loaded" starts, at one column.
    counted = [line for line in lines[:-2] if " file " in line or " files " in line]  # not the two summary lines
    assert len({line.index(" file") for line in counted}) == 1, counted
    assert len({line.index("loaded") for line in lines if "loaded in" in line}) == 1
    assert not any("\033[" in line for line in lines), "no colour when stdout is not a terminal"
    (project / "specs" / "agno.yaml").write_text((project / "specs" / "agno.yaml").read_text() + "\n# touched\n")
    assert main(["--config", config, "generate", "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_typescript_is_opt_in_a_configuration_without_targets_makes_what_it_made_before(project: Path) -> None:
    config = project / "generator.yaml"
    committed = "targets: [ir, client, server, unified, typescript, typescript-unified]\n"
    config.write_text(config.read_text().replace(committed, ""))
    assert main(["--config", str(config), "generate", "--quiet"]) == 0
    output = project / "generated"
    assert sorted(p.name for p in output.iterdir()) == [".manifest.json", "README.md", "clients", "ir", "servers"]
    # Byte for byte what the committed tree holds outside ts/ (the manifest records other inputs).
    for path in output.rglob("*"):
        relative = path.relative_to(output)
        if path.is_file() and relative.name != ".manifest.json":
            assert path.read_bytes() == (ROOT / "generated" / relative).read_bytes(), relative


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("output: built", "built"),
        ('output: "built out"  # quoted', "built out"),
        ("output: 'built'", "built"),
        ("output: {a: 1}", "generated"),  # not a path: the default
        ("vendors: {}", "generated"),
    ],
)
def test_the_no_op_check_finds_the_output_the_configuration_names(line: str, expected: str, tmp_path: Path) -> None:
    from generator import manifest

    config = tmp_path / "generator.yaml"
    config.write_text(f"# a configuration\n{line}\n", encoding="utf-8")
    assert manifest.output_of(config) == tmp_path / expected
