"""User templates run sandboxed: escapes refused, missing variables named, limits enforced."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dialoog.synthesis.render import (
    CHILD_START_GRACE,
    RenderLimitError,
    TemplateError,
    render,
    resolve_template,
)

DATA = {"title": "T", "sessions": [{"title": "S", "notes": ["a", "b"]}]}

ESCAPES = [
    "{{ report.__class__ }}",
    "{{ report.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(report) }}",
    "{{ report.sessions.append(1) }}",
    "{{ report.update({'x': 1}) }}",
    "{% set s = report.sessions %}{{ s.pop() }}",
    "{{ '{x.__class__.__base__}'.format_map({'x': report}) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
]


def _template(tmp_path: Path, body: str, name: str = "mine.md") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body", ESCAPES)
def test_escape_attempts_are_refused(tmp_path: Path, body: str) -> None:
    path = _template(tmp_path, "line one\n" + body + "\n")
    with pytest.raises(TemplateError) as info:
        render(DATA, str(path), "md")
    assert str(path) in str(info.value)
    assert "line 2" in str(info.value)


def test_missing_variable_names_file_and_line(tmp_path: Path) -> None:
    path = _template(tmp_path, "# {{ report.title }}\n\n{{ report.no_such_field }}\n")
    with pytest.raises(TemplateError, match=r"mine\.md, line 3: undefined variable"):
        render(DATA, str(path), "md")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _template(tmp_path, "ok\n{% for x in report.sessions %}\nno end\n")
    with pytest.raises(TemplateError, match=r"mine\.md, line \d: syntax error"):
        render(DATA, str(path), "md")


def test_long_render_is_stopped(tmp_path: Path) -> None:
    body = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    path = _template(tmp_path, body)
    with pytest.raises(RenderLimitError, match="longer than"):
        render(DATA, str(path), "md", max_seconds=0.5)


def test_a_loop_the_guard_cannot_see_is_still_stopped(tmp_path: Path) -> None:
    """Empty nested loops touch no attribute, call or output: the process deadline ends them."""
    body = (
        "{% set r = range(100000)|list %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}"
    )
    path = _template(tmp_path, body)
    started = time.monotonic()
    with pytest.raises(RenderLimitError, match="longer than"):
        render(DATA, str(path), "md", max_seconds=1.0)
    assert time.monotonic() - started < 1.0 + CHILD_START_GRACE


def test_memory_growth_without_output_is_stopped(tmp_path: Path) -> None:
    body = (
        '{% set a = "x" * 40000000 %}{% set b = a + a %}{% set c = b + b %}'
        "{% set d = c + c %}{{ d|length }}"
    )
    path = _template(tmp_path, body)
    with pytest.raises(RenderLimitError, match="larger than 50 MB"):
        render(DATA, str(path), "md")


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 100000000 }}",
        "{{ 10 ** 100000 }}",
        "{% for a in range(100000) %}{{ 'y' * 1000 }}{% endfor %}",
    ],
)
def test_huge_output_is_stopped(tmp_path: Path, body: str) -> None:
    path = _template(tmp_path, body)
    with pytest.raises(RenderLimitError, match="larger than 50 MB"):
        render(DATA, str(path), "md")


def test_a_limit_names_the_template(tmp_path: Path) -> None:
    """Found by the hostile lab: a runaway recursive macro's refusal named no file."""
    path = _template(tmp_path, "{% macro f(n) %}{{ f(n) }}x{% endmacro %}{{ f(1) }}")
    with pytest.raises((RenderLimitError, TemplateError), match=str(path)):
        render(DATA, str(path), "md", max_seconds=5)


def test_html_user_template_is_autoescaped(tmp_path: Path) -> None:
    path = _template(tmp_path, "<p>{{ report.title }}</p>", "mine.html")
    out = render({"title": "<script>x</script>"}, str(path), "html").text
    assert out == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_user_folder_template_wins_over_bundled(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "home" / "templates"
    folder.mkdir(parents=True)
    (folder / "verslag.md").write_text("eigen {{ report.title }}", encoding="utf-8")
    assert render({"title": "X"}, "verslag", "md").text == "eigen X"
    assert not resolve_template("verslag", "md").bundled
    assert resolve_template("verslag", "html").bundled


def test_unknown_template_lists_the_known(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="tafelverslag"):
        render(DATA, "nope", "md")


def test_broken_docx_template_is_named(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match=r"kapot\.docx"):
        render(DATA, str(path), "docx")
