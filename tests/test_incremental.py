"""Regeneration that reuses the models of unchanged schemas writes what a full run writes.

Models are made in parts (:mod:`generator.render.model_parts`) and kept in a
content-keyed store (:mod:`generator.render.model_store`). These tests change
one operation of Skyvern's full spec in several ways, regenerate reusing what a
run of the old spec stored, and compare every byte with a run that reuses nothing.
"""

from __future__ import annotations

import copy
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator.generation import generate_spec
from generator.render import model_making, model_package, model_parts
from generator.render.model_bridge import Side, plan_models
from generator.render.model_store import DIRECTORY_SETTING, ModelStore
from tests.conftest import CORPUS
from tests.spec_changes import CHANGES

SKYVERN = CORPUS / "skyvern-full.json"


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def problems(self, found: object) -> None:
        """Problems are not what these tests are about."""

    def progress(self, line: str) -> None:
        self.lines.append(line)

    def parts(self) -> tuple[int, int]:
        """(made, of) from the run's models line."""
        line = next(line for line in self.lines if " models " in line)
        made, _, rest = line.split(" models ", 1)[1].strip().partition(" of ")
        return int(made), int(rest.split()[0])


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run(spec: Path, out: Path, *, reuse: bool) -> _Lines:
    heard = _Lines()
    result = generate_spec(spec, out, lenient=True, listener=heard, reuse=reuse)
    assert not result.failed, result.problems[:3]
    return heard


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_one_operation_change_regenerates_exactly_what_a_full_run_writes(
    change: Callable[[dict[str, Any]], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DIRECTORY_SETTING, str(tmp_path / "cache"))
    before = json.loads(SKYVERN.read_text(encoding="utf-8"))
    after = copy.deepcopy(before)
    change(after)
    assert after != before
    spec = tmp_path / "skyvern-full.json"
    spec.write_text(json.dumps(before), encoding="utf-8")
    first = _run(spec, tmp_path / "first", reuse=True)
    made, parts = first.parts()
    assert made == parts > 1, "a cold store: every part is made"

    spec.write_text(json.dumps(after), encoding="utf-8")
    again = _run(spec, tmp_path / "first", reuse=True)  # regenerated in place, as a pipeline does
    full = _run(spec, tmp_path / "full", reuse=False)
    assert _tree(tmp_path / "first") == _tree(tmp_path / "full")
    remade, parts_after = again.parts()
    assert remade < parts_after, "the parts the change left alone were reused"
    assert remade <= 2, f"one change remakes the part it is in on each side, not {remade} of {parts_after}"
    assert full.parts()[0] == parts_after, "a run that reuses nothing makes every part"


def test_joined_parts_hold_the_same_classes_as_one_run_of_the_model_generator() -> None:
    """Each part's classes are the classes one run over the whole side makes: only their order differs."""
    from generator import pipeline
    from generator.generation import Target

    for name in ("skyvern-full.json", "langgraph-full.json"):
        spec = CORPUS / name
        built = pipeline.build(Target(spec.stem, spec, str(spec)), True, check_rules=False)
        assert built.api is not None
        plan = plan_models(built.api)
        for document, side in ((plan.requests, Side.REQUEST), (plan.responses, Side.RESPONSE)):
            parts = model_parts.split(document)
            assert len(parts) > 1
            joined = model_parts.join([model_making.made_part(part, side) for part in parts])
            whole = model_making.made(document, side)
            assert whole is not None
            assert _blocks(joined) == _blocks(whole), f"{name} {side.value}"


def _blocks(module: str) -> list[str]:
    """The module's top-level statements (imports aside), sorted: its content without its order."""
    import ast

    lines = module.splitlines()
    tree = ast.parse(module)
    return sorted(
        "\n".join(lines[s.lineno - 1 : s.end_lineno])
        for s in tree.body
        if not isinstance(s, ast.Import | ast.ImportFrom)
    )


_HELPER = "class _Helper(BaseModel):\n    pass\n"


def _module(*body: str, imports: str = "from pydantic import BaseModel") -> str:
    return "# header\n\nfrom __future__ import annotations\n\n" + imports + "\n\n\n" + "\n\n\n".join(body) + "\n"


def test_join_keeps_a_shared_private_helper_once_and_refuses_clashing_names() -> None:
    first = _module(_HELPER, "class A(_Helper):\n    x: int\n", "A.model_rebuild()")
    second = _module(_HELPER, "class B(_Helper):\n    y: int\n", imports="from pydantic import BaseModel, Field")
    joined = model_parts.join([first, second])
    assert joined.count("class _Helper") == 1
    assert joined.index("class _Helper") < joined.index("class A") < joined.index("class B")
    assert joined.startswith("# header\n")
    assert "from pydantic import BaseModel\nfrom pydantic import BaseModel, Field\n" in joined
    compile(joined, "joined", "exec")
    with pytest.raises(model_parts.JoinConflict, match="'A'"):
        model_parts.join([first, _module("class A(BaseModel):\n    z: str\n")])
    with pytest.raises(model_parts.JoinConflict, match="imported and defined"):
        model_parts.join([first, _module("class Field(BaseModel):\n    z: str\n"), second])


def test_parts_follow_content_not_position() -> None:
    """Adding a definition changes the part it joins and leaves every other part's document as it was."""
    definitions = {f"Thing{i}": {"type": "object", "properties": {"id": {"type": "string"}}} for i in range(300)}
    definitions["Thing5"]["properties"]["other"] = {"$ref": "#/components/schemas/Thing250"}
    document = {"openapi": "3.1.0", "info": {}, "paths": {}, "components": {"schemas": definitions}}
    before = model_parts.split(document)
    grown = copy.deepcopy(document)
    grown["components"]["schemas"] = {"Added": {"type": "string"}, **definitions}
    after = model_parts.split(grown)
    unchanged = [json.dumps(p) for p in before if json.dumps(p) in {json.dumps(q) for q in after}]
    assert len(before) > 3 and len(unchanged) >= len(before) - 1
    # Definitions that refer to each other share a part, wherever they stand.
    holder = next(p for p in before if "Thing5" in p["components"]["schemas"])
    assert "Thing250" in holder["components"]["schemas"]


def test_the_store_ignores_an_entry_that_is_not_whole_and_a_directory_others_may_write(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "store", "salt")
    key = store.key("request", {"a": 1})
    assert key != store.key("request", {"a": 2}) and key != ModelStore(tmp_path, "other").key("request", {"a": 1})
    store.put(key, "class A: ...\n")
    assert store.get(key) == "class A: ...\n"
    entry = next((tmp_path / "store").glob("??/*"))
    entry.write_bytes(entry.read_bytes()[:-3])  # cut off
    assert store.get(key) is None
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    os.environ[DIRECTORY_SETTING] = str(shared)
    try:
        assert ModelStore.for_user("salt") is None
        shared.chmod(stat.S_IRWXU)
        assert ModelStore.for_user("salt") is not None
    finally:
        os.environ[DIRECTORY_SETTING] = str(tmp_path / "store")


def test_a_store_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's directory would be", encoding="utf-8")
    monkeypatch.setenv(DIRECTORY_SETTING, str(blocked / "models"))
    spec = CORPUS / "langgraph-full.json"
    _run(spec, tmp_path / "with", reuse=True)
    _run(spec, tmp_path / "without", reuse=False)
    assert _tree(tmp_path / "with") == _tree(tmp_path / "without")
    model_package._MODELS.clear()


def test_parts_that_cannot_be_joined_make_the_side_in_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Run": {"type": "object", "properties": {"id": {"type": "string"}}}}},
    }

    def clash(modules: object) -> str:
        raise model_parts.JoinConflict("'Run' is defined by two parts")

    monkeypatch.setattr(model_parts, "join", clash)
    joined = model_package._joined(["class Run: ...\n", "class Run: ...\n"], document, Side.RESPONSE)
    assert joined == model_making.made(document, Side.RESPONSE)
    assert joined is not None and "class Run(" in joined


def test_an_unchanged_side_is_taken_whole_from_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each side is kept whole besides its parts: a run of a spec whose schemas did not change neither
    # splits, nor joins, nor parses a side again, and still writes what a run that reuses nothing writes.
    monkeypatch.setenv(DIRECTORY_SETTING, str(tmp_path / "cache"))
    spec = CORPUS / "langgraph-full.json"
    first = _run(spec, tmp_path / "first", reuse=True)

    def refuse(*_: object) -> object:
        raise AssertionError("a side the store holds whole was split, joined or parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(model_parts, "split", refuse)
        patched.setattr(model_parts, "join", refuse)
        patched.setattr(model_package, "ast", SimpleNamespace(parse=refuse))
        again = _run(spec, tmp_path / "again", reuse=True)
    assert again.parts() == (0, first.parts()[1]), "counted as the parts reused, as when taken one by one"
    _run(spec, tmp_path / "full", reuse=False)
    assert _tree(tmp_path / "again") == _tree(tmp_path / "full") == _tree(tmp_path / "first")
    # A whole entry that is not what this code keeps (whole, but of another make) costs only the lookup of parts.
    store = ModelStore(tmp_path / "cache", "")
    wholes = [p for p in (tmp_path / "cache").glob("??/*") if b'{"module": ' in p.read_bytes()]
    assert len(wholes) == 2, "one whole entry per side"
    for entry in wholes:
        store.put(entry.name, '{"neither": "module nor classes"}')
    assert _run(spec, tmp_path / "odd", reuse=True).parts() == (0, first.parts()[1])
    assert _tree(tmp_path / "odd") == _tree(tmp_path / "full")
