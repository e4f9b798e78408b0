"""Formatting a run's drafts in at most two ruff batches keeps each package's own import grouping and bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.render import formatting
from generator.render.formatting import Draft, finish
from generator.render.model_store import ModelStore

SOURCE = "import os\nimport beta\nimport alpha\nx=os.sep+alpha.a+beta.b\n"


def _watch_ruff(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files every ruff started from now on is given, in order (each file once per step)."""
    named: list[str] = []
    start = subprocess.Popen

    def watched(command: list[str], **options: Any) -> Any:
        named.extend(command[command.index("--") + 1 :])
        return start(command, **options)

    monkeypatch.setattr(formatting.subprocess, "Popen", watched)
    return named


def test_each_draft_sorts_imports_by_its_own_first_party_packages() -> None:
    files = finish(
        [
            # "build" is among the directory names ruff skips by default: named files are still formatted.
            Draft("clients/build", {"alpha/mod.py": SOURCE}, ("alpha",)),
            Draft("servers/b", {"beta/mod.py": SOURCE, "beta/data.json": "{ }\n"}, ("beta",)),
            Draft("", {"README.md": "x=1\n"}),
        ]
    )
    assert files["clients/build/alpha/mod.py"].decode() == (
        "import os\n\nimport beta\n\nimport alpha\n\nx = os.sep + alpha.a + beta.b\n"
    )
    assert files["servers/b/beta/mod.py"].decode() == (
        "import os\n\nimport alpha\n\nimport beta\n\nx = os.sep + alpha.a + beta.b\n"
    )
    # Files that are not Python pass through as they are.
    assert files["servers/b/beta/data.json"] == b"{ }\n"
    assert files["README.md"] == b"x=1\n"


def test_generated_code_that_does_not_parse_names_the_tool() -> None:
    with pytest.raises(RuntimeError, match=r"ruff format failed on generated code: .*broken\.py.*"):
        finish([Draft("p", {"p/broken.py": "def (:\n"})])


def test_a_store_gives_back_what_ruff_formatted_and_ruff_formats_only_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ModelStore(tmp_path / "store", "salt")
    drafts = [
        Draft("clients/a", {"alpha/mod.py": SOURCE, "alpha/__init__.py": "import os\n"}, ("alpha",)),
        Draft("servers/b", {"beta/mod.py": SOURCE}, ("beta",)),
    ]
    plain = finish(drafts)
    assert finish(drafts, store) == plain, "a first run through the store formats as one without"
    named = _watch_ruff(monkeypatch)
    assert finish(drafts, store) == plain
    assert named == [], "every file came from the store: ruff was not started"
    # One file changes: ruff formats it alone (in each of its two steps), beside the others as they lie.
    changed = [drafts[0], Draft("servers/b", {"beta/mod.py": SOURCE + "y=1\n"}, ("beta",))]
    assert finish(changed, store) == finish(changed)
    assert named[:2] == [str(Path("1/beta/mod.py"))] * 2, "the store's run named only the changed file"
    # The same text in another draft, with other first-party packages, is formatted anew, not reused.
    moved = [Draft("servers/c", {"alpha/mod.py": SOURCE}, ("beta",))]
    anew = finish(moved)["servers/c/alpha/mod.py"]
    assert anew != plain["clients/a/alpha/mod.py"] and finish(moved, store)["servers/c/alpha/mod.py"] == anew


def test_the_first_drafts_are_given_to_ruff_while_the_rest_are_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    drafts = [
        Draft("ir", {"api.json": "{}\n"}),
        Draft("clients/a", {"alpha/mod.py": SOURCE}, ("alpha",)),
        Draft("servers/b", {"beta/mod.py": SOURCE}, ("beta",)),
        Draft("servers/c", {"beta/mod.py": SOURCE + "y=1\n"}, ("beta",)),
    ]
    named = _watch_ruff(monkeypatch)
    with formatting.Formatting() as pipelined:
        pipelined.add(drafts[:1])
        assert named == [], "nothing to format yet"
        pipelined.add(drafts[1:2])
        assert named == [str(Path("1/alpha/mod.py"))], "ruff's first step began on the client at once"
        pipelined.add(drafts[2:])
        assert len(named) == 1, "the rest wait for the end, in one more batch"
        files = pipelined.files()
    # Two batches, side by side: the client's second step starts as the servers' first does.
    client, servers = [str(Path("1/alpha/mod.py"))], [str(Path("2/beta/mod.py")), str(Path("3/beta/mod.py"))]
    assert named == client + servers + client + servers
    assert files == finish(drafts), "the same bytes as all drafts formatted at once"
