"""The server runtime: copied into every generated server package as ``_http`` and ``_store``."""
