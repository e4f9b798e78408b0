"""Running the model generator on the parts of a side: here, or about half of them in a forked sibling.

A worker process (:mod:`model_worker`) imports this module after it forks: it
imports only what making models needs, and the model generator itself only
when a model is first made.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from generator.forking import can_fork_beside
from generator.render.model_bridge import Side

# The package the models' base classes are imported from, until each package's name replaces it.
PLACEHOLDER = "generator_placeholder_package"
# From this many definitions still to be made, a second process makes about half the parts: below it,
# starting one costs more than it saves.
_PARALLEL_FROM = 60


def made(document: dict[str, Any], side: Side) -> str | None:
    """The module the model generator makes of ``document`` for ``side``; None when it declares no definition."""
    from generator.render.pydantic_models import generate_models

    code = generate_models(document, side, PLACEHOLDER)
    return _request_runtime(code) if code is not None and side is Side.REQUEST else code


def made_part(part: dict[str, Any], side: Side) -> str:
    """The module of one part (a part holds at least one definition)."""
    code = made(part, side)
    if code is None:
        raise ValueError("a part holds at least one definition")
    return code


def made_all(parts: list[tuple[dict[str, Any], Side]]) -> list[str]:
    """The modules of ``parts``, in order, made one after the other in this process."""
    return [made_part(part, side) for part, side in parts]


def import_generator() -> None:
    """Import the model generator (about 0.2 s), which :func:`made` otherwise does when first called."""
    import generator.render.pydantic_models  # noqa: F401 - imported for its cost, paid now


def warm_up() -> None:
    """The model generator imported and run once on each side, so that its first real run costs no more."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "warm-up", "version": "0"},
        "paths": {},
        "components": {"schemas": {"WarmUp": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
    }
    for side in Side:
        made(document, side)


def made_parts(parts: list[tuple[dict[str, Any], Side]]) -> list[str]:
    """The modules of ``parts``, in order: on a large run, about half of them (by size) in a forked sibling."""
    count = sum(len(part["components"]["schemas"]) for part, _ in parts)
    if len(parts) < 2 or count < _PARALLEL_FROM or not can_fork_beside():
        return made_all(parts)
    # The model generator's time grows faster than the number of definitions in a knot of them (a part
    # of 129 of Skyvern's takes eight times as long per definition as one of 46): the text is a better weight.
    sizes = [len(json.dumps(part)) for part, _ in parts]
    # The largest first, each to the lighter of two loads: this process and the sibling end about together.
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
        later = pool.submit(made_all, [parts[i] for i in sorted(there)])
        codes.update(zip(sorted(here), made_all([parts[i] for i in sorted(here)]), strict=True))
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
    base = f"from {PLACEHOLDER}._base import RequestModel"
    # No class of the module may have our base: then the names get an import line of their own.
    own_line = "" if base in code else f"from {PLACEHOLDER}._base import {', '.join(ours)}"
    kept = ", ".join(n for n in names if n not in taken)
    lines = [line for line in (f"from pydantic import {kept}" if kept else "", own_line) if line]
    code = code[: match.start()] + "\n".join(lines) + code[match.end() :]
    if not own_line:
        code = code.replace(base, f"{base}, {', '.join(ours)}", 1)
    return _ROOT_BASE.sub(r"\1RequestRoot[", code) if "RootModel" in taken else code


_ROOT_BASE = re.compile(r"(?<=\()(\s*)RootModel\[")
