"""The Jinja environment: templates lay text out; the filters here are the only escaping path.

``pyrepr`` turns any value into a Python literal, ``doc`` makes text safe
inside a docstring, ``tomlstr`` makes a TOML string, ``mdcell`` a Markdown
table cell; for TypeScript, ``tslit`` makes a literal (strings as ASCII JSON),
``tskey`` a property key and ``jsdoc`` a comment block. Templates never paste a
spec string raw.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from generator.render.naming import docstring, jsdoc, python_literal, ts_literal, ts_property_key

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def _mdcell(value: object) -> str:
    # A Markdown table cell: one line, no column breaks.
    return " ".join(str(value).split()).replace("|", "\\|") if value else ""


def _tomlstr(value: str) -> str:
    # A JSON string is a valid TOML basic string once non-ASCII is escaped.
    return json.dumps(value, ensure_ascii=True)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, as Python keeps ``.pyc`` files.

    A template's compiled form is checked against its source before use, so
    output never depends on the cache. An entry that cannot be read (cut off,
    unreadable) is compiled anew; a cache that cannot be written is skipped.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever is wrong with an entry, compiling the template is the answer
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A read-only or full temporary directory costs speed, never the run.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> jinja2.BytecodeCache | None:
    try:
        # In Jinja's private per-user temporary directory; the Jinja version is in the name
        # because compiled code is only valid for the Jinja that made it.
        return TemplateCache(pattern=f"runcancel-generator-jinja-{jinja2.__version__}-%s.cache")
    except (OSError, RuntimeError):
        return None  # no private temporary directory to be had


@cache
def environment() -> jinja2.Environment:
    """The shared environment, with compiled templates cached between runs."""
    return template_environment(_template_cache())


def template_environment(bytecode_cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    """An environment over ``templates/``: strict about undefined names, no autoescape (this is not HTML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - output is Python source, escaped by the filters above
        bytecode_cache=bytecode_cache,
    )
    env.filters["pyrepr"] = python_literal
    env.filters["doc"] = docstring
    env.filters["tomlstr"] = _tomlstr
    env.filters["mdcell"] = _mdcell
    env.filters["tslit"] = ts_literal
    env.filters["tskey"] = ts_property_key
    env.filters["jsdoc"] = jsdoc
    return env


def compile_templates() -> None:
    """Compile every template into the cache (see :class:`TemplateCache`), ahead of rendering."""
    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        env.get_template(name)


def render_template(name: str, context: DataclassInstance) -> str:
    """Render ``templates/<name>`` with the fields (and properties) of ``context``, a frozen dataclass.

    Templates see the context's attributes as names; nothing untyped crosses into them.
    """
    if not dataclasses.is_dataclass(context) or not type(context).__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"a template context is a frozen dataclass, not {type(context).__name__}")
    names = {field.name: getattr(context, field.name) for field in dataclasses.fields(context)}
    properties = {
        name: getattr(context, name) for name, value in vars(type(context)).items() if isinstance(value, property)
    }
    return environment().get_template(name).render(**names, **properties)
