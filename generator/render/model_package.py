"""The models part of a generated package (clients and servers share it).

Runs the bridge and datamodel-code-generator once per API and says which
classes each module exports under which public name.
"""

from __future__ import annotations

import ast
import contextlib
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Api
from generator.render import model_parts
from generator.render.environment import render_template
from generator.render.model_bridge import ModelPlan, Side, plan_models
from generator.render.model_store import ModelStore
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
    plan = plan_models(api)
    make([plan])
    request_code = _models_for(plan.requests, Side.REQUEST, package)
    response_code = _models_for(plan.responses, Side.RESPONSE, package)
    exports = exports_of(
        _classes(plan.requests, Side.REQUEST), _classes(plan.responses, Side.RESPONSE), plan.named_class
    )
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


_PLACEHOLDER = "generator_placeholder_package"
# Each side's joined module (for the placeholder package), by the side's document: client and server share it.
_MODELS: dict[tuple[str, Side], str | None] = {}
# From this many definitions still to be made, a second process makes about half the parts: below it,
# starting one costs more than it saves.
_PARALLEL_FROM = 60
_store: ModelStore | None = None


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
def reusing(store: ModelStore | None) -> Iterator[Tally]:
    """Within the block, parts' modules are read from ``store`` and the ones made are kept there; counted."""
    global _store, _tally  # one run's setting, for the renderers that ask for models deep inside
    before = _store, _tally
    _store, _tally = store, Tally()
    # What another run made is taken from the store or made anew, never from this process's memory.
    _MODELS.clear()
    _CLASSES.clear()
    try:
        yield _tally
    finally:
        if store is not None:
            store.prune()
        _store, _tally = before
        _MODELS.clear()
        _CLASSES.clear()


def make(plans: Sequence[ModelPlan]) -> None:
    """Both sides' models of each of ``plans``, made now (renderers then find them made).

    Each side is split into parts (:mod:`model_parts`); parts the store holds are
    reused, and the others made, on two cores when there are enough of them. The
    joined modules are the same text whichever parts were reused or where they were made.
    """
    sides = [(plan.requests, Side.REQUEST) for plan in plans] + [(plan.responses, Side.RESPONSE) for plan in plans]
    sides = [(document, side) for document, side in sides if _key(document, side) not in _MODELS]
    wanted: dict[str, tuple[dict[str, Any], Side]] = {}
    keyed: list[tuple[dict[str, Any], Side, list[str]]] = []
    for document, side in sides:
        keys = []
        for part in model_parts.split(document):
            key = _part_key(part, side)
            keys.append(key)
            wanted.setdefault(key, (part, side))
        keyed.append((document, side, keys))
    modules = {key: code for key in wanted if (code := _store.get(key) if _store else None) is not None}
    missing = [(key, part, side) for key, (part, side) in wanted.items() if key not in modules]
    for key, code in zip([k for k, _, _ in missing], _made_parts([(p, s) for _, p, s in missing]), strict=True):
        modules[key] = code
        if _store is not None:
            _store.put(key, code)
    for document, side, keys in keyed:
        _MODELS[_key(document, side)] = _joined([modules[key] for key in keys], document, side)
    _tally.parts += len(wanted)
    _tally.made += len(missing)


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
        return _made(document, side)


def _models_for(document: dict[str, Any], side: Side, package: str) -> str | None:
    """The models of ``document`` for ``package``.

    The client and the server of an API have the same models but for the package
    their base classes come from: made once per document and side.
    """
    key = _key(document, side)
    if key not in _MODELS:
        _MODELS[key] = _joined([_made_part(part, side) for part in model_parts.split(document)], document, side)
    code = _MODELS[key]
    return None if code is None else code.replace(f"from {_PLACEHOLDER}._base import", f"from {package}._base import")


def _key(document: dict[str, Any], side: Side) -> tuple[str, Side]:
    # Not sorted: the order of properties is the order of fields.
    return json.dumps(document), side


def _made(document: dict[str, Any], side: Side) -> str | None:
    """One run of the model generator (module level, so that a worker process can run it)."""
    from generator.render.pydantic_models import generate_models

    code = generate_models(document, side, _PLACEHOLDER)
    return _request_runtime(code) if code is not None and side is Side.REQUEST else code


def _made_part(part: dict[str, Any], side: Side) -> str:
    code = _made(part, side)
    if code is None:
        raise ValueError("a part holds at least one definition")
    return code


def _made_all(parts: list[tuple[dict[str, Any], Side]]) -> list[str]:
    return [_made_part(part, side) for part, side in parts]


def _made_parts(parts: list[tuple[dict[str, Any], Side]]) -> list[str]:
    """The modules of ``parts``, in order: on a large run, about half of them (by size) in a forked worker.

    A process with other threads is not forked (a thread holding a lock there would hold it forever).
    """
    sizes = [len(part["components"]["schemas"]) for part, _ in parts]
    alone = threading.active_count() == 1
    if len(parts) < 2 or sum(sizes) < _PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not alone:
        return _made_all(parts)
    # The largest first, each to the lighter of two loads: this process and the worker end about together.
    here: list[int] = []
    there: list[int] = []
    loads = [0, 0]
    for index in sorted(range(len(parts)), key=lambda i: -sizes[i]):
        lighter = 0 if loads[0] <= loads[1] else 1
        (here, there)[lighter].append(index)
        loads[lighter] += sizes[index]
    context = multiprocessing.get_context("fork")
    codes: dict[int, str] = {}
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        later = pool.submit(_made_all, [parts[i] for i in sorted(there)])
        codes.update(zip(sorted(here), _made_all([parts[i] for i in sorted(here)]), strict=True))
        codes.update(zip(sorted(there), later.result(), strict=True))
    return [codes[index] for index in range(len(parts))]


_PYDANTIC_IMPORT = re.compile(r"^from pydantic import (\([^)]*\)|[^\n]*)$", re.MULTILINE)


def _request_runtime(code: str) -> str:
    """Request models with two names taken from the runtime's ``_base`` rather than pydantic.

    ``StrictInt``: JSON Schema counts a number with a zero fraction as an integer; pydantic's
    own refuses it. ``RootModel`` becomes ``RequestRoot``, which checks the ``oneOf`` its value
    holds (the model generator gives root models no base class of ours).
    """
    match = _PYDANTIC_IMPORT.search(code)
    if match is None:
        return code
    names = [n.strip() for n in match.group(1).strip("()").split(",") if n.strip()]
    taken = [n for n in ("StrictInt", "RootModel") if n in names]
    if not taken:
        return code
    ours = sorted("RequestRoot" if n == "RootModel" else n for n in taken)
    base = f"from {_PLACEHOLDER}._base import RequestModel"
    # No class of the module may have our base: then the names get an import line of their own.
    own_line = "" if base in code else f"from {_PLACEHOLDER}._base import {', '.join(ours)}"
    kept = ", ".join(n for n in names if n not in taken)
    lines = [line for line in (f"from pydantic import {kept}" if kept else "", own_line) if line]
    code = code[: match.start()] + "\n".join(lines) + code[match.end() :]
    if not own_line:
        code = code.replace(base, f"{base}, {', '.join(ours)}", 1)
    return _ROOT_BASE.sub(r"\1RequestRoot[", code) if "RootModel" in taken else code


_ROOT_BASE = re.compile(r"(?<=\()(\s*)RootModel\[")


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


def planned_exports(plan: ModelPlan) -> Exports:
    """The exports ``model_package`` gives, read from the plan without running the model generator.

    Every definition of the plan becomes one class of the same name (the bridge names every class the
    model generator makes), so the plan alone says what ``models`` holds.
    """
    return exports_of(
        list(plan.requests["components"]["schemas"]), list(plan.responses["components"]["schemas"]), plan.named_class
    )
