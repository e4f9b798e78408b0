"""Formatting every draft of a run in one ruff pass keeps each package's own import grouping."""

from __future__ import annotations

import pytest

from generator.render.formatting import Draft, finish

SOURCE = "import os\nimport beta\nimport alpha\nx=os.sep+alpha.a+beta.b\n"


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
