"""A generated client's public names two ways: read from its real output, and from the diff's surface.

The schema diff judges source breaks on the surface (:func:`generator.specdiff.surface.surface`);
the tests hold it to the names the generator really emits.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from generator.ir.model import Api
from generator.render.model_package import model_package
from generator.render.python_client import client_context, client_package
from generator.render.subject import Subject
from generator.specdiff.surface import surface


def emitted_names(api: Api) -> frozenset[str]:
    """The generated client's public names, from the generator's real output (models generated).

    Methods, ``method(argument)``, ``models`` classes and ``Class.field``.
    """
    package = client_package(api)
    models = model_package(api, package)
    context = client_context(Subject(api), models)
    names: set[str] = set()
    for op in context.operations:
        names.add(op.method_name)
        names.update(f"{op.method_name}({a.name})" for a in op.arguments)
    for module, public in (
        ("_request_models", models.exports.requests),
        ("_response_models", models.exports.responses),
    ):
        code = models.files.get(f"{package}/{module}.py")
        if code is None:
            continue
        for node in ast.parse(code).body:
            if isinstance(node, ast.ClassDef) and node.name in public:
                names.add(public[node.name])
                names.update(f"{public[node.name]}.{f}" for f in _fields(node))
    return frozenset(names)


def _fields(node: ast.ClassDef) -> Iterator[str]:
    for item in node.body:
        target = item.target if isinstance(item, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id not in ("model_config", "root") and not target.id.startswith("_"):
            yield target.id


def surface_names(api: Api) -> frozenset[str]:
    """The same names, read from the surface the diff computes."""
    found = surface(api)
    names: set[str] = set()
    for method in found.methods:
        names.add(method.name)
        names.update(f"{method.name}({m.name})" for m in method.members)
    for cls in found.classes:
        names.add(cls.name)
        names.update(f"{cls.name}.{m.name}" for m in cls.members)
    return frozenset(names)
