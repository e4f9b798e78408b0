"""The one path by which names from a spec become Python names and file names.

Every identifier, class name and file name in generated output goes through
these functions; every string literal goes through :func:`python_literal`.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from typing import Any

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """The ASCII words in ``text`` (accents dropped, camelCase split)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORDS.findall(ascii_text)


def snake_name(text: str, fallback: str = "value") -> str:
    """A snake_case Python identifier that is never a keyword and never starts with a digit."""
    name = "_".join(w.lower() for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def class_name(text: str, fallback: str = "Model") -> str:
    """A PascalCase Python class name."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    return name


def package_name(text: str) -> str:
    """A name safe as both an import package and a directory: ``[a-z][a-z0-9_]*``."""
    return snake_name(text, fallback="pkg")


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with the smallest numeric suffix not in ``taken``; adds it to ``taken``."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    taken.add(candidate)
    return candidate


def python_literal(value: Any) -> str:
    """Python source for a JSON value or a tuple of them (strings via ``repr``: quotes and newlines stay inert)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [python_literal(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict):
        keys = [python_literal(k if isinstance(k, (int, str)) and not isinstance(k, bool) else str(k)) for k in value]
        return "{" + ", ".join(f"{k}: {python_literal(v)}" for k, v in zip(keys, value.values(), strict=True)) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def docstring(text: str | None) -> str:
    """Text safe inside a triple-quoted docstring: no closing quotes, no escapes, no stray control chars."""
    if not text:
        return ""
    cleaned = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in cleaned.strip().splitlines()]
    text_out = "\n".join(lines)
    return text_out + " " if text_out.endswith('"') else text_out
