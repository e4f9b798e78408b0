"""Golden IR dumps: reviewed by eye once, compared byte for byte after.

After an intended change to the IR, regenerate with ``UPDATE_GOLDEN=1 make test``
and review the diff of ``tests/golden/ir/`` before committing it.
"""

from __future__ import annotations

import difflib
import os

import pytest

from generator.cli import main
from tests.conftest import ROOT, VENDORS

GOLDEN = ROOT / "tests" / "golden" / "ir"


@pytest.mark.parametrize("vendor", VENDORS)
def test_ir_dump_matches_reviewed_golden(vendor: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ir", vendor, "--format", "yaml"]) == 0
    produced = capsys.readouterr().out
    golden = GOLDEN / f"{vendor}.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(produced, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), produced.splitlines(True), "golden", "produced"))
    assert produced == expected, f"IR of {vendor} changed; review and update with UPDATE_GOLDEN=1:\n{diff}"


def test_json_and_yaml_dumps_carry_the_same_data(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import yaml

    assert main(["ir", "langsmith", "--format", "json"]) == 0
    as_json = json.loads(capsys.readouterr().out)
    assert as_json == yaml.safe_load((GOLDEN / "langsmith.yaml").read_text(encoding="utf-8"))
