"""Compiled templates are cached between runs; the output never depends on the cache."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.render.environment import TEMPLATES, TemplateCache, template_environment

TEMPLATE = "python_client/__init__.py.j2"
CONTEXT = {"package": "acme_client", "title": "Acme", "source": "acme.yaml"}


def _render(cache: TemplateCache | None) -> str:
    return template_environment(cache).get_template(TEMPLATE).render(**CONTEXT)


def test_cached_templates_render_what_fresh_ones_render(tmp_path: Path) -> None:
    fresh = _render(None)
    cache = TemplateCache(str(tmp_path), "%s.cache")
    assert _render(cache) == fresh  # compiles and stores
    [stored] = tmp_path.iterdir()
    assert _render(TemplateCache(str(tmp_path), "%s.cache")) == fresh  # loads the stored code
    stored.write_bytes(stored.read_bytes()[:20])  # a cut-off entry is compiled anew, not trusted
    assert _render(TemplateCache(str(tmp_path), "%s.cache")) == fresh


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    assert _render(TemplateCache(str(not_a_directory), "%s.cache")) == _render(None)
    assert not_a_directory.read_text() == ""


def test_a_changed_template_is_not_served_from_the_cache(tmp_path: Path) -> None:

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("one {{ x }}")
    cache = TemplateCache(str(tmp_path / "cache"), "%s.cache")
    (tmp_path / "cache").mkdir()

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=cache, autoescape=True)
        return env.get_template("t.j2").render(x=1)

    assert render() == "one 1"
    (templates / "t.j2").write_text("two {{ x }}")
    assert render() == "two 1"


def test_compile_templates_loads_every_template() -> None:
    from generator.render.environment import compile_templates, environment

    compile_templates()
    env = environment()
    names = set(env.list_templates(filter_func=lambda name: name.endswith(".j2")))
    on_disk = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.j2")}
    assert names == on_disk and len(names) >= 10
    assert env.cache is not None
    assert {key[1] for key in env.cache} >= names
