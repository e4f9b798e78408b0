"""JSON pointers (RFC 6901): building, splitting and following them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str) -> str:
    """Escape one reference token."""
    if "~" not in token and "/" not in token:
        return token  # most tokens: checking is cheaper than two replacements
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape` on one reference token."""
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """Append reference tokens to a pointer."""
    if len(tokens) == 1:
        return f"{pointer}/{escape(str(tokens[0]))}"  # the usual step, without a generator
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer ("" is the whole document)."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def from_tokens(tokens: Iterable[str | int]) -> str:
    """Build a pointer from reference tokens."""
    return join("", *tokens)


_MISSING = object()


def follow(document: Any, pointer: str) -> Any:
    """The node a pointer names, or raise ``LookupError`` naming the first missing token."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            node = _MISSING
        if node is _MISSING:
            raise LookupError(token)
    return node
