"""The Jinja environment: templates lay text out; the filters here are the only escaping path.

``pyrepr`` turns any value into a Python literal, ``doc`` makes text safe
inside a docstring, ``tomlstr`` makes a TOML string, ``mdcell`` a Markdown
table cell. Templates never paste a spec string raw.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator.render.naming import docstring, python_literal

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def _mdcell(value: object) -> str:
    # A Markdown table cell: one line, no column breaks.
    return " ".join(str(value).split()).replace("|", "\\|") if value else ""


def _tomlstr(value: str) -> str:
    # A JSON string is a valid TOML basic string once non-ASCII is escaped.
    return json.dumps(value, ensure_ascii=True)


@cache
def environment() -> jinja2.Environment:
    """The shared environment: strict about undefined names, no autoescape (this is not HTML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - output is Python source, escaped by the filters above
    )
    env.filters["pyrepr"] = python_literal
    env.filters["doc"] = docstring
    env.filters["tomlstr"] = _tomlstr
    env.filters["mdcell"] = _mdcell
    return env


def render_template(name: str, context: dict[str, Any]) -> str:
    """Render ``templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)
