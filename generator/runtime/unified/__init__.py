"""The unified cancel runtime: copied into the generated ``runcancel`` package as ``_types`` and ``_engine``."""
