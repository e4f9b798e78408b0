"""One side's models made in parts: the JSON Schema document split, the model generator's modules joined.

A part is a set of whole connected components of the definitions' ``$ref`` graph,
so no class of one part refers to a class of another, and its module stands on its
own. Which components share a part depends only on each component's first name
(a content-defined boundary, as rsync cuts files), never on position: adding or
changing an operation changes the parts its schemas are in and no others. So a
part's module can be reused whenever the part's document is unchanged, and parts
can be made in any process, in any order.

Both a full run and one that reuses parts join the same modules the same way: the
output does not depend on which parts were reused.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Sequence
from typing import Any

# A part ends after a component whose first name hashes to a multiple of this: 32 components to a
# part on average. Fewer, larger parts cost less per run of the model generator (about 2.5 ms each);
# more, smaller ones cost less to remake when one changes.
_BOUNDARY = 32
# ...or when it holds this many definitions, so that one part never holds a whole large spec.
_LARGEST = 400
# A component of this many definitions is a part of its own: a change next to it does not remake it.
_ALONE = 16
_REF_PREFIX = "#/components/schemas/"


def split(document: dict[str, Any]) -> list[dict[str, Any]]:
    """``document`` (an OpenAPI document of models only) as the documents of its parts, in its order."""
    definitions: dict[str, Any] = document["components"]["schemas"]
    parts: list[dict[str, Any]] = []
    current: list[str] = []
    for component in _components(definitions):
        if len(component) >= _ALONE and current:
            parts.append(_part(current, definitions))
            current = []
        current.extend(component)
        if _ends_part(component[0]) or len(current) >= _LARGEST or len(component) >= _ALONE:
            parts.append(_part(current, definitions))
            current = []
    if current:
        parts.append(_part(current, definitions))
    return parts


def _part(names: list[str], definitions: dict[str, Any]) -> dict[str, Any]:
    # The title and version of the API are not part of any model: a new version of a spec leaves its parts be.
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": {name: definitions[name] for name in names}},
    }


def _ends_part(name: str) -> bool:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big") % _BOUNDARY == 0


def _components(definitions: dict[str, Any]) -> list[list[str]]:
    """The connected components of the definitions' references, each in document order, ordered by first member."""
    parent = {name: name for name in definitions}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name, schema in definitions.items():
        for target in _references(schema):
            if target in parent:
                parent[root(target)] = root(name)
    members: dict[str, list[str]] = {}
    for name in definitions:
        members.setdefault(root(name), []).append(name)
    return list(members.values())  # a dict keeps the order in which each component's first member came


def _references(schema: Any) -> set[str]:
    """The definitions ``schema`` names with ``$ref``, at any depth."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.add(ref[len(_REF_PREFIX) :])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


class JoinConflict(Exception):
    """The parts' modules cannot be joined as they are (a name bound twice): make the side in one piece."""


def join(modules: Sequence[str]) -> str:
    """One module from the model generator's modules of each part, in order.

    The first module's opening comment and ``__future__`` import lead; every other
    import follows (the formatter merges and sorts them); then each module's
    statements in its own order. A private helper class the generator writes into
    every module that needs it is kept once, where it first appears. Raises
    :class:`JoinConflict` when two modules bind one name differently.
    """
    header: list[str] = []
    imports: dict[str, None] = {}
    body: list[tuple[str, bool]] = []  # each statement's text, and whether it is a simple one
    bound: dict[str, str] = {}  # top-level name -> the statement defining it
    imported: set[str] = set()
    for index, module in enumerate(modules):
        lines = module.splitlines()
        tree = ast.parse(module)
        if index == 0:
            first = tree.body[0].lineno if tree.body else len(lines) + 1
            header = [line for line in lines[: first - 1] if line.startswith("#")]
        for statement in tree.body:
            text = "\n".join(lines[_first_line(statement) - 1 : statement.end_lineno])
            if isinstance(statement, ast.ImportFrom | ast.Import):
                if not (isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
                    imports.setdefault(text)
                imported.update((alias.asname or alias.name).split(".")[0] for alias in statement.names)
                continue
            name = statement.name if isinstance(statement, ast.ClassDef | ast.FunctionDef) else None
            if name is not None and name in bound:
                if bound[name] != text or not name.startswith("_"):
                    raise JoinConflict(f"{name!r} is defined by two parts")
                continue  # the same private helper again
            if name is not None:
                bound[name] = text
            body.append((text, not isinstance(statement, ast.ClassDef | ast.FunctionDef)))
    clash = sorted(imported.intersection(bound))
    if clash:
        raise JoinConflict(f"{clash[0]!r} is both imported and defined")
    joined = ""
    for position, (text, simple) in enumerate(body):
        # Simple statements that follow each other (the models' rebuilds) stay on consecutive lines.
        joined += ("\n" if simple and position and body[position - 1][1] else "\n\n\n") + text
    opening = [*header, "", "from __future__ import annotations", "", *imports]
    return "\n".join(opening) + "\n" + joined + "\n"


def _first_line(statement: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(d.lineno for d in decorators)])
