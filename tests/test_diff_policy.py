"""The ``diff:`` section of the configuration: severity overrides and ignores, top level and per vendor."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config, load_config
from generator.load.problem import Diagnostics
from generator.specdiff.rules import Impact
from generator.specdiff.run import diff
from tests.test_diff_rules import BASE, body


@pytest.fixture
def sides(tmp_path: Path) -> tuple[str, str]:
    """A pair with a breaking request change, an added property and a removed operation."""
    new = copy.deepcopy(BASE)
    body(new)["properties"]["run_ids"]["maxItems"] = 50
    body(new)["properties"]["reason"] = {"type": "string"}
    new["paths"].pop("/runs/{id}")
    (tmp_path / "old.json").write_text(json.dumps(BASE), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    return str(tmp_path / "old.json"), str(tmp_path / "new.json")


def config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "generator.yaml"
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    loaded = load_config(path, diagnostics)
    assert loaded is not None, [str(p) for p in diagnostics.problems]
    return loaded


def found(sides: tuple[str, str], cfg: Config | None) -> dict[str, Impact]:
    result = diff(*sides, config=cfg)
    assert not result.failed
    return {f.id: f.severity for pair in result.pairs for f in pair.findings}


ALL = {
    "request-max-items-decreased": Impact.BREAKING,
    "operation-removed": Impact.BREAKING,
    "sdk-method-removed": Impact.BREAKING,
    "request-property-added": Impact.INFO,
    "sdk-argument-added": Impact.INFO,
    "sdk-request-field-added": Impact.INFO,
}


def test_without_a_policy_every_finding_keeps_its_rule(sides: tuple[str, str], tmp_path: Path) -> None:
    assert found(sides, None) == ALL
    assert found(sides, config(tmp_path, "vendors: {acme: {spec: other.json}}\n")) == ALL


def test_severity_override(sides: tuple[str, str], tmp_path: Path) -> None:
    cfg = config(
        tmp_path,
        "diff:\n  severity: {request-max-items-decreased: warning, sdk-argument-added: breaking}\n"
        "vendors: {acme: {spec: other.json}}\n",
    )
    result = diff(*sides, config=cfg)
    assert found(sides, cfg) == {
        **ALL,
        "request-max-items-decreased": Impact.WARNING,
        "sdk-argument-added": Impact.BREAKING,
    }
    ranks = [f.severity.rank for f in result.pairs[0].findings]
    assert ranks == sorted(ranks, reverse=True), "overridden findings are sorted again, worst first"


@pytest.mark.parametrize(
    ("entry", "gone"),
    [
        ("{rule: request-max-items-decreased}", {"request-max-items-decreased"}),
        ("{rule: 'sdk-*'}", {"sdk-method-removed", "sdk-argument-added", "sdk-request-field-added"}),
        # By operationId (the removed operation's old one) or by METHOD /path pattern.
        ("{operation: get_run}", {"operation-removed", "sdk-method-removed"}),
        ("{operation: 'GET /runs/*'}", {"operation-removed", "sdk-method-removed"}),
        ("{pointer: '*/properties/run_ids'}", {"request-max-items-decreased"}),
        # Every key of one entry must match.
        ("{rule: 'sdk-*', operation: cancel}", {"sdk-argument-added"}),
    ],
)
def test_ignore_forms(sides: tuple[str, str], tmp_path: Path, entry: str, gone: set[str]) -> None:
    cfg = config(tmp_path, f"diff:\n  ignore: [{entry}]\nvendors: {{acme: {{spec: other.json}}}}\n")
    assert set(found(sides, cfg)) == set(ALL) - gone


def test_vendor_policy_wins_over_the_top_level_for_its_spec(sides: tuple[str, str], tmp_path: Path) -> None:
    text = """
diff:
  severity: {request-max-items-decreased: warning, operation-removed: warning}
  ignore: [{rule: sdk-request-field-added}]
vendors:
  acme:
    spec: {spec}
    diff:
      severity: {request-max-items-decreased: info}
      ignore: [{rule: sdk-argument-added}]
  other: {spec: other.json}
"""
    cfg = config(tmp_path, text.replace("{spec}", Path(sides[1]).name))
    mine = found(sides, cfg)
    # The vendor's own override wins; the top level's still holds for rules the vendor leaves alone; ignores add up.
    assert mine["request-max-items-decreased"] is Impact.INFO
    assert mine["operation-removed"] is Impact.WARNING
    assert "sdk-argument-added" not in mine and "sdk-request-field-added" not in mine
    # A spec that is not the vendor's gets the top level only.
    other_cfg = config(tmp_path, text.replace("{spec}", "elsewhere.json"))
    other = found(sides, other_cfg)
    assert other["request-max-items-decreased"] is Impact.WARNING
    assert "sdk-argument-added" in other and "sdk-request-field-added" not in other


def test_unknown_rule_ids_are_errors_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "generator.yaml"
    path.write_text(
        "diff:\n"
        "  severity:\n"
        "    request-max-items-decreased: warning\n"
        "    request-max-item-decreased: info\n"
        "vendors:\n"
        "  acme:\n"
        "    spec: a.json\n"
        "    diff:\n"
        "      ignore:\n"
        "        - {rule: 'no-such-*'}\n",
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    assert load_config(path, diagnostics) is None
    problems = [str(p) for p in diagnostics.problems]
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{path}:4: error: unknown diff rule 'request-max-item-decreased'")
    assert problems[0].endswith("[#/diff/severity/request-max-item-decreased]")
    assert problems[1].startswith(f"{path}:10: error: unknown diff rule 'no-such-*'")
    assert problems[1].endswith("[#/vendors/acme/diff/ignore/0/rule]")


def test_malformed_policy_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "generator.yaml"
    path.write_text("diff:\n  severity: {operation-removed: fatal}\n  ignore: [{}]\nvendors: {a: {spec: a.json}}\n")
    diagnostics = Diagnostics()
    assert load_config(path, diagnostics) is None
    pointers = [p.location.pointer for p in diagnostics.problems]
    assert pointers == ["/diff/ignore/0", "/diff/severity/operation-removed"]


def test_cli_applies_the_policy_and_reports_config_errors(
    sides: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "generator.yaml"
    cfg.write_text(
        "diff:\n  severity: {request-max-items-decreased: warning}\n"
        "  ignore: [{operation: get_run}]\nvendors: {a: {spec: a.json}}\n"
    )
    assert main(["--config", str(cfg), "diff", *sides]) == 0, "nothing breaking is left"
    capsys.readouterr()
    cfg.write_text("diff:\n  severity: {nope: warning}\nvendors: {a: {spec: a.json}}\n")
    assert main(["--config", str(cfg), "diff", *sides]) == 2
    assert f"{cfg}:2: error: unknown diff rule 'nope'" in capsys.readouterr().err
