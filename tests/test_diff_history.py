"""The schema diff on a vendor's real publication history (../shared/history/langgraph, 30 versions).

Three proofs: every version diffed with itself finds nothing; every consecutive
pair is judged without a crash (and every change it emits has a rule); and the
oracle: for each pair, both clients' real public names (as the generator emits
them, through the model generator) are listed, and every name that disappears
is explained by a source finding of the diff on that pair.

Everything runs in this process; each version is loaded once and its models
generated once per session (keyed by the spec's hash).
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from generator.ir.model import Api
from generator.load.problem import Diagnostics
from generator.specdiff.rules import Breakage, Finding, Impact, judge
from generator.specdiff.run import changes
from generator.specdiff.sides import load_side
from tests.conftest import ROOT
from tests.surface_names import emitted_names, surface_names

HISTORY = ROOT.parent / "shared" / "history" / "langgraph"
VERSIONS = sorted(HISTORY.glob("*.json")) if HISTORY.is_dir() else []
pytestmark = pytest.mark.skipif(len(VERSIONS) < 2, reason="the shared spec history is not present")


@dataclass(frozen=True)
class Version:
    """One published spec, loaded."""

    name: str
    digest: str
    api: Api


@pytest.fixture(scope="module")
def history() -> list[Version]:
    versions = []
    for path in VERSIONS:
        loaded = load_side(str(path), "langgraph", Diagnostics(lenient=True))
        assert loaded is not None, path
        versions.append(Version(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), loaded.api))
    return versions


def pairs(history: list[Version]) -> Iterator[tuple[Version, Version]]:
    return itertools.pairwise(history)


def test_self_diff_finds_nothing_and_pairs_are_judged(history: list[Version]) -> None:
    started = time.perf_counter()
    for version in history:
        assert judge(changes(version.api, version.api)) == [], version.name
    by_rule: Counter[str] = Counter()
    breaking = 0
    for old, new in pairs(history):
        findings = judge(changes(old.api, new.api))  # judge refuses a change no rule covers
        breaking += any(f.severity is Impact.BREAKING for f in findings)
        by_rule.update(f.id for f in findings)
    elapsed = time.perf_counter() - started
    print(f"\n{len(history) - 1} pairs, {breaking} breaking, {elapsed:.2f} s for 30 self-diffs and 29 pairs")
    for rule, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:4} {rule}")
    assert breaking > 0, "the history has breaking changes (operations removed, properties renamed)"


# --- the oracle ------------------------------------------------------------------------------------------

_NAMES: dict[str, frozenset[str]] = {}


def real_names(version: Version) -> frozenset[str]:
    """The generated client's public names (:func:`emitted_names`), cached per spec hash."""
    if version.digest not in _NAMES:
        _NAMES[version.digest] = emitted_names(version.api)
    return _NAMES[version.digest]


def explained(name: str, findings: list[Finding]) -> bool:
    """Whether a source finding names ``name`` (or the method or class it belongs to) as gone or renamed."""
    owner = name.split("(")[0].split(".")[0]
    gone = {f.before for f in findings if f.kind is Breakage.SOURCE and f.id.endswith(("-removed", "-renamed"))}
    return name in gone or owner in gone


def test_oracle_every_vanished_public_name_is_explained(history: list[Version]) -> None:
    started = time.perf_counter()
    generated = 0
    unexplained: list[str] = []
    for old, new in pairs(history):
        if old.digest == new.digest:
            continue  # the same spec: nothing can vanish
        findings = judge(changes(old.api, new.api))
        generated += (old.digest not in _NAMES) + (new.digest not in _NAMES)
        vanished = real_names(old) - real_names(new)
        unexplained += [f"{new.name}: {name}" for name in sorted(vanished) if not explained(name, findings)]
    print(f"\noracle: {generated} clients generated in {time.perf_counter() - started:.1f} s")
    assert unexplained == []


def test_the_diff_reads_the_names_the_generator_emits(history: list[Version]) -> None:
    # On every real version, the surface the diff judges is exactly what generation emits.
    for version in history:
        assert surface_names(version.api) == real_names(version), version.name
