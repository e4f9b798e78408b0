"""The set of files one spec spans, and ``$ref`` resolution across them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.load import pointer as jp
from generator.load.problem import Diagnostics, Location
from generator.load.source import SourceFile, read_source

# Values under these keys are data, not spec structure: a "$ref" inside them is not a reference.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
# ...unless the key is a name chosen by the spec's author, inside one of these maps.
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "schemas", "responses",
        "parameters", "requestBodies", "headers", "securitySchemes", "links", "callbacks",
        "pathItems", "paths", "content", "encoding",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Node:
    """A value in one of the spec's files, with the place it came from."""

    source: SourceFile
    pointer: str
    value: Any

    def child(self, *tokens: str | int) -> Node:
        """The node under this one (no ``$ref`` following); missing children are None."""
        value = self.value
        pointer = self.pointer
        for token in tokens:
            if isinstance(value, dict):
                value = value.get(str(token))
            elif isinstance(value, list) and isinstance(token, int) and token < len(value):
                value = value[token]
            else:
                value = None
            pointer = jp.join(pointer, token)
        return Node(self.source, pointer, value)

    @property
    def location(self) -> Location:
        """Where this node sits, with its line."""
        return self.source.locate(self.pointer)

    @property
    def is_ref(self) -> bool:
        """Whether this node is a reference object."""
        return isinstance(self.value, dict) and "$ref" in self.value

    @property
    def key(self) -> tuple[Path, str]:
        """An identity for the node, stable across the files of one spec."""
        return (self.source.path, self.pointer)


class SpecFiles:
    """The root spec file and every file its ``$ref``\\ s reach, loaded once each.

    Building one scans every reference: dangling ones and ``$ref`` cycles are
    reported up front, so later steps can resolve without re-checking.
    """

    def __init__(self, root: SourceFile, diagnostics: Diagnostics) -> None:
        self.root = root
        self.files: dict[Path, SourceFile] = {root.path: root}
        self._diagnostics = diagnostics
        self._broken: set[tuple[Path, str]] = set()
        # Each file's reference objects, in document order: found once, by the scan, for the cycle search too.
        self._references: dict[Path, list[Node]] = {}
        self._scan(root)
        self._find_cycles()

    def root_node(self) -> Node:
        """The root document as a node."""
        return Node(self.root, "", self.root.data)

    def deref(self, node: Node) -> Node | None:
        """Follow ``$ref`` chains from ``node``; None when a reference is broken."""
        seen: set[tuple[Path, str]] = set()
        while node.is_ref:
            if node.key in self._broken or node.key in seen:
                return None
            seen.add(node.key)
            target = self._target(node)
            if target is None:
                return None
            node = target
        return node

    def target_of(self, node: Node) -> Node | None:
        """The node one ``$ref`` names (one step, not the whole chain)."""
        if node.key in self._broken:
            return None
        return self._target(node)

    def follow_logical(self, tokens: list[str]) -> Node:
        """The node at a path through the root that crosses ``$ref``\\ s transparently.

        Validators report such logical paths; this turns them into the physical
        place to show a person. It stops at the deepest node it can reach.
        """
        node = self.root_node()
        for token in tokens:
            resolved = self.deref(node) if node.is_ref else node
            if resolved is None:
                return node
            node = resolved
            child = node.child(token)
            if child.value is None:
                return node
            node = child
        return node

    def _target(self, node: Node) -> Node | None:
        ref = node.value["$ref"]
        file_part, _, fragment = ref.partition("#")
        source = node.source if not file_part else self.files.get(_resolve_path(node.source, file_part))
        if source is None:
            return None
        pointer = unquote(fragment)
        try:
            value = jp.follow(source.data, pointer)
        except (LookupError, ValueError):
            return None
        return Node(source, pointer, value)

    def _scan(self, source: SourceFile) -> None:
        pending = [source]
        while pending:
            current = pending.pop()
            found = self._references[current.path] = list(_references(Node(current, "", current.data)))
            for node in found:
                loaded = self._check_reference(node)
                if loaded is not None:
                    pending.append(loaded)

    def _check_reference(self, node: Node) -> SourceFile | None:
        """Report a broken reference; return a newly loaded file to scan, if any."""
        ref = node.value["$ref"]
        if not isinstance(ref, str):
            self._break(node, "$ref must be a string")
            return None
        file_part, _, fragment = ref.partition("#")
        if "://" in file_part:
            self._break(node, f"remote $ref {ref!r} is not supported: save the file next to the spec")
            return None
        if fragment and not fragment.startswith("/"):
            self._break(node, f"$ref {ref!r} must use a JSON pointer fragment ('#/...')")
            return None
        loaded = None
        if file_part:
            path = _resolve_path(node.source, file_part)
            if path not in self.files:
                display = _display_path(node.source, file_part)
                other = read_source(path, display, self._diagnostics)
                if other is None:
                    self._broken.add(node.key)
                    return None
                self.files[path] = other
                loaded = other
        if self._target(node) is None:
            target_file = file_part or node.source.display
            self._break(node, f"dangling $ref {ref!r}: {target_file} has nothing at #{unquote(fragment)}")
        return loaded

    def _break(self, node: Node, message: str) -> None:
        self._broken.add(node.key)
        self._diagnostics.invalid(node.child("$ref").location, message)

    def _find_cycles(self) -> None:
        """Report chains of ``$ref``\\ s that lead back to themselves."""
        reported: set[tuple[Path, str]] = set()
        for source in list(self.files.values()):
            for start in self._references.get(source.path, ()):
                chain: list[Node] = []
                node: Node | None = start
                while node is not None and node.is_ref and node.key not in self._broken:
                    if any(n.key == node.key for n in chain):
                        loop = chain[[n.key for n in chain].index(node.key) :]
                        if not reported.intersection(n.key for n in loop):
                            path = " -> ".join(f"#{n.pointer}" for n in [*loop, loop[0]])
                            self._diagnostics.error(loop[0].location, f"$ref cycle: {path}")
                        reported.update(n.key for n in loop)
                        self._broken.update(n.key for n in loop)
                        break
                    chain.append(node)
                    node = self._target(node)


def _references(node: Node) -> Iterator[Node]:
    """Every reference object under ``node``, in document order."""
    # Plain (pointer, value) pairs on the stack: a Node per visited value would cost a third of loading.
    stack: list[tuple[str, Any]] = [(node.pointer, node.value)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            if "$ref" in value:
                yield Node(node.source, pointer, value)
            in_name_map = pointer.rsplit("/", 1)[-1] in _NAME_MAPS
            for key in reversed(list(value)):
                if in_name_map or (key not in _DATA_KEYS and not str(key).startswith("x-")):
                    stack.append((jp.join(pointer, key), value[key]))
        elif isinstance(value, list):
            for index in reversed(range(len(value))):
                stack.append((f"{pointer}/{index}", value[index]))


def _resolve_path(source: SourceFile, file_part: str) -> Path:
    return (source.path.parent / unquote(file_part)).resolve()


def _display_path(source: SourceFile, file_part: str) -> str:
    base = Path(source.display).parent
    return str(base / unquote(file_part))
