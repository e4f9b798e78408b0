"""The models runtime: the base classes copied into every generated package as ``_base``."""
