"""The models part of a generated package (clients and servers share it).

Runs the bridge and datamodel-code-generator once per API and says which
classes each module exports under which public name.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Api
from generator.render.environment import render_template
from generator.render.model_bridge import ModelPlan, Side, plan_models
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
    _make_both_sides(plan)
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
_MODELS: dict[tuple[str, Side], str | None] = {}
# From this many definitions on both sides, the response side is made in a second process: below it,
# starting one costs more than it saves.
_PARALLEL_FROM = 60


def _models_for(document: dict[str, Any], side: Side, package: str) -> str | None:
    """The models of ``document`` for ``package``.

    The client and the server of an API have the same models but for the package
    their base classes come from: the library runs once per document and side.
    """
    key = _key(document, side)
    if key not in _MODELS:
        _MODELS[key] = _made(document, side)
    code = _MODELS[key]
    return None if code is None else code.replace(f"from {_PLACEHOLDER}._base import", f"from {package}._base import")


def _key(document: dict[str, Any], side: Side) -> tuple[str, Side]:
    return json.dumps(document, sort_keys=True), side


def _made(document: dict[str, Any], side: Side) -> str | None:
    """One run of the model generator (module level, so that a worker process can run it)."""
    from generator.render.pydantic_models import generate_models

    code = generate_models(document, side, _PLACEHOLDER)
    return _request_runtime(code) if code is not None and side is Side.REQUEST else code


def _make_both_sides(plan: ModelPlan) -> None:
    """Both sides' models at once on a large API: the responses in a forked process while this one makes the requests.

    The two runs of the model generator are independent and each is most of a large
    API's time; the output is the same text either way (the same function makes it).
    """
    sides = [(plan.requests, Side.REQUEST), (plan.responses, Side.RESPONSE)]
    wanted = [(document, side) for document, side in sides if _key(document, side) not in _MODELS]
    sizes = [len(document["components"]["schemas"]) for document, _ in wanted]
    # A process with other threads is not forked (a thread holding a lock there would hold it forever).
    alone = threading.active_count() == 1
    if len(wanted) < 2 or min(sizes) < _PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not alone:
        return  # made one after the other by _models_for
    (requests, _), (responses, _) = wanted
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        later = pool.submit(_made, responses, Side.RESPONSE)
        _MODELS[_key(requests, Side.REQUEST)] = _made(requests, Side.REQUEST)
        _MODELS[_key(responses, Side.RESPONSE)] = later.result()


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
