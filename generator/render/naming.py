"""The one path by which names from a spec become Python names and file names.

Every identifier, class name and file name in generated output goes through
these functions; every string literal goes through :func:`python_literal`.
"""

from __future__ import annotations

import functools
import json
import keyword
import re
import unicodedata
from typing import Any

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """The ASCII words in ``text`` (accents dropped, camelCase split)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORDS.findall(ascii_text)


# Names repeat across a spec (a property name in every schema that has it) and each costs a regular
# expression run: the two spellings are worked out once per name.
_REMEMBERED = 8192


@functools.lru_cache(maxsize=_REMEMBERED)
def snake_name(text: str, fallback: str = "value") -> str:
    """A snake_case Python identifier that is never a keyword and never starts with a digit."""
    name = "_".join(w.lower() for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


@functools.lru_cache(maxsize=_REMEMBERED)
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


# --- TypeScript ------------------------------------------------------------------

# Words TypeScript reserves, or gives meaning to, anywhere an identifier may stand.
_TS_RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "as",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "any",
        "boolean",
        "constructor",
        "declare",
        "get",
        "module",
        "require",
        "number",
        "set",
        "string",
        "symbol",
        "type",
        "from",
        "of",
        "async",
        "await",
        "never",
        "unknown",
        "object",
        "undefined",
    ]
)
_TS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def ts_camel_name(text: str, fallback: str = "value") -> str:
    """A camelCase TypeScript identifier that is never a reserved word and never starts with a digit."""
    parts = words(text)
    name = "".join([parts[0].lower(), *(w[:1].upper() + w[1:] for w in parts[1:])]) if parts else fallback
    if name[0].isdigit():
        name = f"{fallback}{name[:1].upper()}{name[1:]}"
    return f"{name}_" if name in _TS_RESERVED else name


def ts_type_name(text: str, fallback: str = "Model") -> str:
    """A PascalCase TypeScript type name (never a reserved word: those are all lower case)."""
    return class_name(text, fallback)


def ts_property_key(name: str) -> str:
    """A property key as TypeScript source: bare when it is a plain identifier, else a quoted string."""
    return name if _TS_IDENTIFIER.match(name) and name != "__proto__" else ts_string(name)


def ts_string(value: str) -> str:
    """A TypeScript string literal: JSON's, ASCII only, so quotes, newlines and line separators stay inert."""
    return json.dumps(value, ensure_ascii=True)


def ts_literal(value: Any) -> str:
    """TypeScript source for a JSON value (a literal type or expression); ``-0`` and non-finite numbers refused."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise ValueError("not a JSON number")
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return ts_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(ts_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{ts_property_key(str(k))}: {ts_literal(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def jsdoc(text: str | None, indent: int = 0) -> str:
    """A ``/** ... */`` block for ``text`` (empty for no text), each line indented by ``indent`` spaces.

    Spec text cannot end the comment (``*/`` is broken up), start a JSDoc tag (a leading ``@`` is
    escaped) or carry control characters.
    """
    if not text or not text.strip():
        return ""
    cleaned = "".join(c if c.isprintable() or c == "\n" else " " for c in text).replace("*/", "* /")
    pad = " " * indent
    lines = []
    for raw in cleaned.strip().splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("@"):
            line = "\\" + line.lstrip()  # TSDoc's escape: text, not a tag
        lines.append(f"{pad} * {line}" if line else f"{pad} *")
    return f"{pad}/**\n" + "\n".join(lines) + f"\n{pad} */\n"
