"""The models part of a generated package (clients and servers share it).

Runs the bridge and datamodel-code-generator once per API and says which
classes each module exports under which public name.
"""

from __future__ import annotations

import ast
import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Api
from generator.render import model_making, model_parts
from generator.render.environment import render_template
from generator.render.model_bridge import ModelPlan, Side, plan_models
from generator.render.model_store import ModelStore
from generator.render.model_worker import ModelWorker
from generator.render.naming import unique
from generator.runtime import source


@dataclass(frozen=True)
class Exports:
    """Public model names: generated class name -> name in ``models``."""

    requests: dict[str, str]
    responses: dict[str, str]
    named: dict[str, str]  # named schema -> generated class name

    def response_name(self, cls: str) -> str:
        """The public name of a class used in answers."""
        return self.responses.get(cls) or self.requests[cls]


@dataclass(frozen=True)
class ModelsModule:
    """What ``models.py`` re-exports: per private module, (class, public name) pairs."""

    package: str
    exports: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    all_names: tuple[str, ...]


@dataclass(frozen=True)
class ModelPackage:
    """The model files of one package and what they export."""

    files: dict[str, str]
    plan: ModelPlan
    exports: Exports


def model_package(api: Api, package: str) -> ModelPackage:
    """``_base.py``, ``_request_models.py``, ``_response_models.py`` and ``models.py`` for ``package``."""
    plan = plan_for(api)
    exports = made_exports(plan)
    request_code = _models_for(plan.requests, Side.REQUEST, package)
    response_code = _models_for(plan.responses, Side.RESPONSE, package)
    context = ModelsModule(
        package=package,
        exports=(
            ("_request_models", tuple(sorted(exports.requests.items()))),
            ("_response_models", tuple(sorted(exports.responses.items()))),
        ),
        all_names=tuple(sorted([*exports.requests.values(), *exports.responses.values()])),
    )
    files = {
        f"{package}/_base.py": source("models/_base.py"),
        f"{package}/models.py": render_template("models/models.py.j2", context),
    }
    if request_code is not None:
        files[f"{package}/_request_models.py"] = request_code
    if response_code is not None:
        files[f"{package}/_response_models.py"] = response_code
    return ModelPackage(files, plan, exports)


# The plan last made, with its API: the client and the server of an API, rendered one after the other, share it.
_last_plan: tuple[Api, ModelPlan] | None = None


def plan_for(api: Api) -> ModelPlan:
    """The model plan of ``api`` (:func:`plan_models`), made once for the renderers that follow each other."""
    global _last_plan  # a one-entry memo: holding more would keep every API of a long session alive
    if _last_plan is None or _last_plan[0] is not api:
        _last_plan = (api, plan_models(api))
    return _last_plan[1]


# Each side's joined module (for the placeholder package), by the side's document: client and server share it.
_MODELS: dict[tuple[str, Side], str | None] = {}
_store: ModelStore | None = None
_worker: ModelWorker | None = None


@dataclass
class Tally:
    """The parts of the sides made so far, and how many of them were made rather than reused."""

    parts: int = 0
    made: int = 0

    def clear(self) -> None:
        """Count from zero again."""
        self.parts = self.made = 0


_tally = Tally()


@contextlib.contextmanager
def reusing(store: ModelStore | None, *, beside: bool = False) -> Iterator[Tally]:
    """Within the block, parts' modules are read from ``store`` and the ones made are kept there; counted.

    With ``beside``, a :class:`ModelWorker` starts now and makes the parts (where one can be forked).
    """
    global _store, _tally, _worker  # one run's setting, for the renderers that ask for models deep inside
    before = _store, _tally, _worker
    _store, _tally = store, Tally()
    _worker = ModelWorker.start() if beside else None
    # What another run made is taken from the store or made anew, never from this process's memory.
    _forget()
    try:
        yield _tally
    finally:
        if _worker is not None:
            _worker.close()
        if store is not None:
            store.prune()
        _store, _tally, _worker = before
        _forget()


def _forget() -> None:
    """Drop what this process holds of an earlier run's models."""
    _MODELS.clear()
    _CLASSES.clear()
    _DUMPED.clear()
    _batches.clear()


@dataclass
class _Batch:
    """Parts of some sides begun by :func:`start`: the modules in hand, those still to make, and where."""

    sides: list[tuple[dict[str, Any], Side, list[str]]]  # each side's document, and the keys of its parts
    modules: dict[str, str]
    missing: list[tuple[str, dict[str, Any], Side]]
    sent: bool = False  # to the worker, which makes one batch at a time


_batches: list[_Batch] = []


def start(plans: Sequence[ModelPlan]) -> None:
    """Begin making both sides' models of each of ``plans``: in the worker, if there is one and it is free.

    This process goes on (rendering what needs no models) while the worker makes them;
    :func:`make` ends the work.
    """
    begun = {_key(document, side) for batch in _batches for document, side, _ in batch.sides}
    sides = [(plan.requests, Side.REQUEST) for plan in plans] + [(plan.responses, Side.RESPONSE) for plan in plans]
    sides = [(d, side) for d, side in sides if _key(d, side) not in _MODELS and _key(d, side) not in begun]
    if not sides:
        return
    wanted: dict[str, tuple[dict[str, Any], Side]] = {}
    keyed: list[tuple[dict[str, Any], Side, list[str]]] = []
    for document, side in sides:
        if _reused_whole(document, side):
            continue
        keys = []
        for part in model_parts.split(document):
            key = _part_key(part, side)
            keys.append(key)
            wanted.setdefault(key, (part, side))
        keyed.append((document, side, keys))
    if not keyed:
        return
    modules = {key: code for key in wanted if (code := _store.get(key) if _store else None) is not None}
    missing = [(key, part, side) for key, (part, side) in wanted.items() if key not in modules]
    batch = _Batch(keyed, modules, missing)
    if missing and _worker is not None and not any(b.sent for b in _batches):
        batch.sent = _worker.send([(part, side) for _, part, side in missing])
    _batches.append(batch)
    _tally.parts += len(wanted)
    _tally.made += len(missing)


def make(plans: Sequence[ModelPlan]) -> None:
    """Both sides' models of each of ``plans``, made now (renderers then find them made).

    Each side is split into parts (:mod:`model_parts`); parts the store holds are
    reused, and the others made: by the worker, or here, on two cores when there
    are enough of them. The joined modules are the same text whichever parts were
    reused or where they were made.
    """
    start(plans)
    while _batches:
        batch = _batches.pop(0)
        parts = [(part, side) for _, part, side in batch.missing]
        made = _worker.receive() if batch.sent and _worker is not None else None
        if made is None and parts and _worker is not None and not batch.sent:
            made = _worker.made(parts)  # the worker was busy with another batch when this one began
        if made is None:
            made = model_making.made_parts(parts)
        for (key, _, _), code in zip(batch.missing, made, strict=True):
            batch.modules[key] = code
            if _store is not None:
                _store.put(key, code)
        for document, side, keys in batch.sides:
            _MODELS[_key(document, side)] = _joined([batch.modules[key] for key in keys], document, side)
            _keep_whole(document, side, len(keys))


# A side whose whole document is unchanged is taken from the store in one piece, with its classes: a run
# then neither splits it, nor looks up its parts one by one, nor joins and parses their modules again.
_WHOLE = "whole-{side}"


def _reused_whole(document: dict[str, Any], side: Side) -> bool:
    """Whether the side's module (and its classes) came from the store whole; counted as reused parts."""
    if _store is None:
        return False
    text = _store.get(_store.key(_WHOLE.format(side=side.value), document))
    try:
        entry = json.loads(text if text is not None else "null")
        module, classes, parts = entry["module"], entry["classes"], entry["parts"]
    except (ValueError, TypeError, KeyError):  # none, or not what this code keeps: the parts are looked up
        return False
    key = _key(document, side)
    _MODELS[key], _CLASSES[key] = module, classes
    _tally.parts += parts
    return True


def _keep_whole(document: dict[str, Any], side: Side, parts: int) -> None:
    """Store the side's joined module and its classes under its whole document, for :func:`_reused_whole`."""
    if _store is None or _MODELS[_key(document, side)] is None:
        return
    entry = {"module": _MODELS[_key(document, side)], "classes": _classes(document, side), "parts": parts}
    _store.put(_store.key(_WHOLE.format(side=side.value), document), json.dumps(entry))


def _part_key(part: dict[str, Any], side: Side) -> str:
    if _store is not None:
        return _store.key(side.value, part)
    return json.dumps([side.value, part])  # within this run only


def _joined(codes: list[str], document: dict[str, Any], side: Side) -> str | None:
    """The side's module from its parts' modules; made in one piece when they cannot be joined."""
    if not codes:
        return None
    try:
        return model_parts.join(codes)
    except model_parts.JoinConflict:
        return model_making.made(document, side)


def _models_for(document: dict[str, Any], side: Side, package: str) -> str | None:
    """The models of ``document`` for ``package``.

    The client and the server of an API have the same models but for the package
    their base classes come from: made once per document and side.
    """
    key = _key(document, side)
    if key not in _MODELS:
        _MODELS[key] = _joined(
            [model_making.made_part(part, side) for part in model_parts.split(document)], document, side
        )
    code = _MODELS[key]
    placeholder = f"from {model_making.PLACEHOLDER}._base import"
    return None if code is None else code.replace(placeholder, f"from {package}._base import")


# Each side's document as text, by the identity of the document it holds (and so keeps alive): asked for
# many times per API, and a large side's text takes milliseconds to make.
_DUMPED: dict[int, tuple[dict[str, Any], str]] = {}


def _key(document: dict[str, Any], side: Side) -> tuple[str, Side]:
    held = _DUMPED.get(id(document))
    if held is None or held[0] is not document:
        # Not sorted: the order of properties is the order of fields.
        held = _DUMPED[id(document)] = (document, json.dumps(document))
    return held[1], side


_CLASSES: dict[tuple[str, Side], list[str]] = {}


def _classes(document: dict[str, Any], side: Side) -> list[str]:
    """The public classes of the side's models module, in order (read once per API: client and server share it)."""
    key = _key(document, side)
    if key not in _CLASSES:
        code = _MODELS[key]
        body = [] if code is None else ast.parse(code).body
        _CLASSES[key] = [n.name for n in body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")]
    return _CLASSES[key]


def exports_of(request_classes: list[str], response_classes: list[str], named: dict[str, str]) -> Exports:
    """The public names of the classes of each side, in the order their modules define them."""
    taken: set[str] = set()
    requests = {name: unique(name, taken) for name in request_classes}
    # A response class named like a request class is exported with a suffix.
    responses = {name: unique(name if name not in taken else f"{name}Response", taken) for name in response_classes}
    return Exports(requests, responses, named)


def made_exports(plan: ModelPlan) -> Exports:
    """The exports of the plan's models, made now (or found made).

    Read from the modules the model generator wrote, never from the plan: it writes an enum definition
    into each annotation as a ``Literal`` (no class) and makes classes of constrained inline schemas
    that no definition names.
    """
    make([plan])
    return exports_of(_classes(plan.requests, Side.REQUEST), _classes(plan.responses, Side.RESPONSE), plan.named_class)


def made_module(document: dict[str, Any], side: Side) -> str | None:
    """The models module of one side of a plan made by :func:`make` (for the placeholder package)."""
    return _MODELS[_key(document, side)]
