"""``diff --format changelog``: sections per rule, wording, vendors, and a reviewed golden on a real history pair.

After an intended change to the wording, regenerate with ``UPDATE_GOLDEN=1`` and
read ``tests/golden/diff/`` before committing it: it must read well to a person.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.specdiff import changelog as changelog_module
from generator.specdiff.changelog import SECTION_OF_KIND, Section, changelog, section_of
from generator.specdiff.rules import RULES, Finding, Impact
from generator.specdiff.run import PairReport, diff
from tests.conftest import ROOT
from tests.test_diff_rules import BASE

GOLDEN = ROOT / "tests" / "golden" / "diff"
HISTORY = ROOT.parent / "shared" / "history" / "langgraph"
# A real pair with breaking, added, changed and fixed findings (no pair of the history deprecates anything).
GOLDEN_PAIR = ("016-c1bf678ed.json", "017-a16176c5b.json")


def test_every_rule_has_a_section_and_the_table_nothing_else() -> None:
    kinds = {kind for _, kind in RULES}
    assert set(SECTION_OF_KIND) == kinds
    listed = [*changelog_module._ADDED, *changelog_module._DEPRECATED, *changelog_module._FIXED]
    listed += changelog_module._CHANGED
    assert len(listed) == len(set(listed)), "a change kind is placed in one section only"
    for rule in RULES.values():
        finding = Finding(rule.id, Impact.INFO, "", "", "", "", kind=rule.kind)
        assert section_of(finding) is not Section.BREAKING, rule.id
        # Whatever its section, a breaking finding is listed as breaking.
        assert section_of(dataclasses.replace(finding, severity=Impact.BREAKING)) is Section.BREAKING


@pytest.mark.skipif(not HISTORY.is_dir(), reason="the shared spec history is not present")
def test_golden_changelog_of_a_real_history_pair() -> None:
    old, new = (str(HISTORY / name) for name in GOLDEN_PAIR)
    result = diff(old, new)
    assert not result.failed
    produced = changelog(result.pairs)
    golden = GOLDEN / f"{Path(GOLDEN_PAIR[0]).stem[:3]}-{Path(GOLDEN_PAIR[1]).stem[:3]}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    patch = "".join(difflib.unified_diff(expected.splitlines(True), produced.splitlines(True), "golden", "produced"))
    assert produced == expected, f"the changelog changed; review and update with UPDATE_GOLDEN=1:\n{patch}"


@pytest.fixture
def renamed(tmp_path: Path) -> tuple[str, str]:
    """An operationId renamed, an operation deprecated, a property added: breaking, deprecated and added."""
    old = copy.deepcopy(BASE)
    old["paths"]["/runs/cancel"]["post"]["operationId"] = "cancel_runs_post"
    new = copy.deepcopy(BASE)
    new["paths"]["/runs/cancel"]["post"]["operationId"] = "cancel_runs"
    new["paths"]["/runs/{id}"]["get"]["deprecated"] = True
    new["components"]["schemas"]["Result"]["properties"]["reason"] = {"type": "string"}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    return str(tmp_path / "old.json"), str(tmp_path / "new.json")


def test_sections_and_plain_words(renamed: tuple[str, str]) -> None:
    text = changelog(diff(*renamed).pairs)
    assert text.startswith("## Changes to the generated SDKs\n\nThis release calls for a **major** version bump")
    assert "\n### Breaking\n\n- Method `cancel_runs_post` renamed to `cancel_runs` (`POST /runs/cancel`)\n" in text
    assert "\n### Deprecated\n\n- Operation `GET /runs/{id}` deprecated\n" in text
    assert "- Field `reason` added to `Result`" in text
    assert "- `POST /runs/cancel`: answer property `reason` was added" in text
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### Breaking", "### Deprecated", "### Added"], "empty sections are left out"


def test_several_pairs_are_grouped_per_vendor(renamed: tuple[str, str]) -> None:
    findings = diff(*renamed).pairs[0].findings
    # An override that demotes the rename moves it out of Breaking, and the bump follows.
    demoted = tuple(dataclasses.replace(f, severity=Impact.WARNING) for f in findings)
    text = changelog([PairReport("acme", "a.json", demoted), PairReport("other", "b.json", ())])
    assert "This release calls for a **minor** version bump" in text
    assert "\n### acme\n\n#### Deprecated\n" in text and "#### Breaking" not in text
    assert "#### Changed\n\n- Method `cancel_runs_post` renamed to `cancel_runs`" in text
    assert text.endswith("\n### other\n\nNo change for users of the generated SDK.\n")


def test_cli_writes_one_entry(renamed: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", *renamed, "--format", "changelog"]) == 1, "the exit code still says breaking"
    out = capsys.readouterr().out
    assert out.count("## Changes to the generated SDKs") == 1
