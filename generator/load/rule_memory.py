"""OpenAPI rule checks that cost what changed: earlier verdicts kept in a store, between runs.

Two things are kept. The problems of a whole spec, by the text of its files
(and how it is shown, and the mode): a spec checked before, problems and all,
is not checked again. And, per spec as shown, the keys of the units of its last
clean version (:mod:`generator.load.rule_units`): when a spec that was clean
changes, only the units whose keys are new are checked, in a document cut down
to them and what they reach. If those break no rule, and no operationId is
used twice, the spec is clean. If they do, the whole spec is checked, so the
problems, and their order, are always those of a whole check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Protocol

from generator.load import rule_units
from generator.load.problem import Location, Problem, Severity
from generator.load.refs import SpecFiles


class TextStore(Protocol):
    """Where verdicts are kept: texts by key, as :class:`generator.render.model_store.ModelStore` keeps them."""

    def key(self, kind: str, document: dict[str, Any]) -> str:
        """The key of what is made of ``document`` as ``kind`` says."""

    def get(self, key: str) -> str | None:
        """The text kept under ``key``; None when there is none."""

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key``."""


def remembered_problems(
    files: SpecFiles,
    lenient: bool,
    store: TextStore,
    check_all: Callable[[], list[Problem]],
    breaks_rules: Callable[[dict[str, Any]], bool],
) -> list[Problem]:
    """The rule problems of ``files``, as ``check_all`` finds them, checking only what the store does not know.

    ``breaks_rules`` says whether a cut-down document breaks any rule (see the module).
    """
    texts = {str(path): hashlib.sha256(source.text.encode("utf-8")).hexdigest() for path, source in files.files.items()}
    whole = store.key("rule-problems", {"files": texts, "display": files.root.display, "lenient": lenient})
    kept = _problems_from(store.get(whole))
    if kept is not None:
        return kept
    units = rule_units.plan(files.root.data) if len(files.files) == 1 else None
    # Kept per spec as shown (a path as given, or git:REF:PATH, whose file is a new temporary one each run).
    # A unit's key digests all its verdict reads, so two specs shown alike sharing this entry is no error.
    clean_units = store.key("rule-clean-units", {"spec": files.root.display})
    if units is not None and rule_units.repeats_operation_id(files.root.data) is False:
        clean = _keys_from(store.get(clean_units))
        unknown = units.unknown(clean)
        # With nothing known there is nothing to save: the whole check is the same work, and tells more.
        if clean and (not unknown or not breaks_rules(units.part(unknown))):
            store.put(clean_units, json.dumps(sorted(units.keys.values())))
            store.put(whole, "[]")
            return []
    found = check_all()
    store.put(whole, json.dumps([asdict(p) for p in found]))
    if units is not None and not found:
        store.put(clean_units, json.dumps(sorted(units.keys.values())))
    return found


def _problems_from(text: str | None) -> list[Problem] | None:
    """Problems kept as :func:`remembered_problems` wrote them (``asdict``); None for nothing kept, or anything else."""
    if text is None:
        return None
    try:
        return [
            Problem(
                Severity(item["severity"]),
                Location(**item["location"]),
                item["message"],
                item["kind"],
                item["subject"],
                item["rule"],
                item["echo"],
            )
            for item in json.loads(text)
        ]
    except (ValueError, TypeError, KeyError):
        return None


def _keys_from(text: str | None) -> set[str]:
    try:
        found = json.loads(text) if text is not None else []
    except ValueError:
        return set()
    return {k for k in found if isinstance(k, str)} if isinstance(found, list) else set()
