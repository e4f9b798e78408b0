"""The client runtime: copied into every generated client package as ``errors``, ``_core`` and ``_streams``."""
