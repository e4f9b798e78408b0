"""Rendering the IR into files: pure functions from IR to ``{relative path: bytes}``."""
