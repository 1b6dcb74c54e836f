"""Rendering report templates to Markdown, HTML and Word (.docx).

Templates are Jinja, rendered in an :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`
with :class:`~jinja2.StrictUndefined`, from plain data only (the dumped
:class:`~dialoog.synthesis.context.ReportContext`, available as ``report``):

* a template that reaches for ``__class__``, ``mro``, ``format`` tricks or mutates
  its data is refused with :class:`TemplateError`;
* a missing variable is a :class:`TemplateError` naming the template file and line;
* HTML and .docx output is escaped (autoescape); Markdown templates escape note text
  with the ``md`` filter;
* a render running longer than :data:`MAX_SECONDS` or producing more than
  :data:`MAX_BYTES` is stopped with :class:`RenderLimitError`.

The bundled templates render in-process, watched by a cheap guard on attribute
access, calls, arithmetic and output. A user's own template renders in a child
process with a memory limit, killed at the deadline: a loop that touches nothing
the guard sees, or a string doubled into gigabytes, cannot hang or sink dialoog.

Templates are found as ``NAME.FORMAT`` (``verslag.md``) in the user's template
folder (:func:`user_templates_dir`), then in the bundled ``templates/`` folder; a
path to a file works too.
"""

from __future__ import annotations

import io
import operator
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dialoog.errors import DialoogError
from dialoog.i18n import _, count_text
from dialoog.paths import bundled_templates_dir, home_dir
from dialoog.synthesis.context import clean

FORMATS = ("md", "html", "docx")
#: Longest a render may run, in seconds.
MAX_SECONDS = 10.0
#: Largest output a render may produce, in bytes.
MAX_BYTES = 50 * 1024 * 1024

#: Called with the name of each stage as a draft is made: ``context``, ``render``,
#: ``layout`` and ``package`` (Word only), ``rendered``, ``save``.
Progress = Callable[[str], None]
#: The stages a render of each format passes, in order (for a progress bar).
STAGES = {
    "md": ("context", "render", "rendered", "save"),
    "html": ("context", "render", "rendered", "save"),
    "docx": ("context", "render", "layout", "package", "rendered", "save"),
}


class TemplateError(DialoogError):
    """A template is broken or does something the sandbox refuses; names file and line."""


class RenderLimitError(DialoogError):
    """A render ran too long or produced too much output."""


def user_templates_dir() -> Path:
    """The user's own template folder (``$DIALOOG_HOME/templates``), searched first."""
    return home_dir() / "templates"


@dataclass(frozen=True)
class TemplateRef:
    """A template file found for a name and format."""

    name: str
    fmt: str
    path: Path
    bundled: bool


def resolve_template(template: str, fmt: str) -> TemplateRef:
    """Find the template file for ``template`` (a name or a path) in format ``fmt``."""
    if fmt not in FORMATS:
        raise TemplateError(
            _("unknown format {fmt!r} (choose from: {formats})").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    candidate = Path(template).expanduser()
    if candidate.suffix.lstrip(".") in FORMATS or "/" in template or candidate.is_file():
        if not candidate.is_file():
            raise TemplateError(_("{file}: no such template file").format(file=template))
        suffix = candidate.suffix.lstrip(".")
        if suffix in FORMATS and suffix != fmt:
            raise TemplateError(
                _("{file}: a .{suffix} template cannot make {fmt} output").format(
                    file=template, suffix=suffix, fmt=fmt
                )
            )
        return TemplateRef(candidate.stem, fmt, candidate.resolve(), bundled=False)
    filename = f"{template}.{fmt}"
    for folder, bundled in ((user_templates_dir(), False), (bundled_templates_dir(), True)):
        path = folder / filename
        if path.is_file():
            return TemplateRef(template, fmt, path, bundled)
    names = ", ".join(sorted({t.name for t in list_templates()}))
    raise TemplateError(
        _("no template {name!r} in format {fmt} (templates: {names})").format(
            name=template, fmt=fmt, names=names
        )
    )


def list_templates() -> list[TemplateRef]:
    """Every template in the user's folder and the bundled one (user's first)."""
    found: list[TemplateRef] = []
    seen: set[tuple[str, str]] = set()
    for folder, bundled in ((user_templates_dir(), False), (bundled_templates_dir(), True)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            fmt = path.suffix.lstrip(".")
            if fmt in FORMATS and path.stem != "README" and (path.stem, fmt) not in seen:
                seen.add((path.stem, fmt))
                found.append(TemplateRef(path.stem, fmt, path, bundled))
    return found


# -- escaping -------------------------------------------------------------

# Characters Markdown readers (CommonMark, pandoc) would take as markup.
# The backslash first, so the backslashes added for the others are not doubled.
_MD_CHARS = "\\`*_[]<>|$~^@"
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+=:](?=\s|$)|\d+(?=[.)])|~~~|\s*```)")
# Anything md_escape must change beyond stripping: markup, entities, line breaks, controls.
_MD_WORK = re.compile(r"[\\`*_\[\]<>|$~^@&\n\r\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _md_line(line: str) -> str:
    line = line.strip()
    match = _MD_LINE_START.match(line)
    if match:
        mark = match.group(1)
        line = mark + "\\" + line[len(mark) :] if mark[0].isdigit() else "\\" + line
    return line


def md_escape(value: Any) -> str:
    """Text that a Markdown reader shows literally, on one logical paragraph line.

    Markup characters get a backslash, a line start that would open a heading or
    list is escaped, and line breaks become hard breaks so the text stays in its
    list item. Most note text needs none of that and is returned at once (a
    16,000-note draft calls this for every note).
    """
    text = value if type(value) is str else str(value)
    if _MD_WORK.search(text) is None:
        return _md_line(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = clean(text)
    for char in _MD_CHARS:  # str.replace per character present: no regex per match
        if char in text:
            text = text.replace(char, "\\" + char)
    if "&" in text:
        text = _MD_ENTITY.sub(r"\\&", text)
    if "\n" not in text:
        return _md_line(text)
    lines = [_md_line(line) for line in text.split("\n")]
    return "\\\n  ".join(line for line in lines if line) if len(lines) > 1 else lines[0]


# -- the sandbox ------------------------------------------------------------


class _Guard:
    """Stops a render that runs past its deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self._ticks = 0

    def check(self) -> None:
        self._ticks += 1
        if self._ticks & 63 == 0 and time.monotonic() > self.deadline:
            raise RenderLimitError(
                _("rendering took longer than {seconds:g} seconds; stopped").format(
                    seconds=self.seconds
                )
            )


def _too_big() -> RenderLimitError:
    return RenderLimitError(
        _("the report grew larger than {mb} MB; stopped").format(mb=MAX_BYTES // (1024 * 1024))
    )


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox report templates run in: immutable data, strict, time and size limits."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, guard: _Guard, **kwargs: Any) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, **kwargs)
        self.guard = guard
        self.filters["md"] = md_escape
        self.filters["clean"] = clean
        self.globals["ngettext"] = count_text  # {{ ngettext("{n} tafel", "{n} tafels", n) }}

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        """Arithmetic with a check: no power towers, no gigabyte strings."""
        self.guard.check()
        if operator_ == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise _too_big()
            return operator.pow(left, right)
        if operator_ == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_BYTES:
                    raise _too_big()
            return operator.mul(left, right)
        if operator_ == "+":
            sized = isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple)
            if sized and len(left) + len(right) > MAX_BYTES:
                raise _too_big()
        return super().call_binop(context, operator_, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute access, counted against the deadline.

        For the plain dicts of report data, ``note.text`` is the key ``text``
        (checked first: it is plain data, and much faster than trying an attribute).
        """
        self.guard.check()
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item access, counted against the deadline."""
        self.guard.check()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Function calls, counted against the deadline."""
        __self.guard.check()
        return super().call(__context, __obj, *args, **kwargs)


def _template_line(tb: TracebackType | None, filename: str) -> int | None:
    """The last line of ``filename`` in a traceback (Jinja rewrites frames to templates)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException, path: Path, line: int | None) -> TemplateError:
    if isinstance(exc, jinja2.UndefinedError):
        what = _("undefined variable: {error}").format(error=exc.message or exc)
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        what = _("refused by the sandbox: {error}").format(error=exc)
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        what = _("syntax error: {error}").format(error=exc.message or exc)
    else:
        what = f"{type(exc).__name__}: {exc}"
    where = f"{path}, line {line}" if line else str(path)
    return TemplateError(f"{where}: {what}")


# -- rendering --------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A finished render: the output bytes and what made them."""

    template: TemplateRef
    output: bytes

    @property
    def text(self) -> str:
        """The output as text (Markdown, HTML)."""
        return self.output.decode("utf-8")


def _render_text(ref: TemplateRef, data: dict[str, Any], guard: _Guard) -> bytes:
    env = ReportEnvironment(
        guard,
        loader=jinja2.FileSystemLoader(str(ref.path.parent)),
        autoescape=ref.fmt == "html",
    )
    filename = str(ref.path)
    try:
        template = env.get_template(ref.path.name)
        filename = template.filename or filename
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(report=data):
            size += len(chunk)
            if size > MAX_BYTES:
                raise _too_big()
            guard.check()
            chunks.append(chunk)
    except (RenderLimitError, MemoryError, RecursionError) as exc:
        if isinstance(exc, RenderLimitError):
            raise
        raise _too_big() from None
    except jinja2.TemplateSyntaxError as exc:
        raise _describe(exc, ref.path, exc.lineno) from None
    except Exception as exc:
        raise _describe(exc, ref.path, _template_line(exc.__traceback__, filename)) from None
    output = "".join(chunks).encode("utf-8")
    if len(output) > MAX_BYTES:
        raise _too_big()
    return output


def _set_properties(properties: Any, data: dict[str, Any]) -> None:
    """Title, author and dates of the Word file from the report, not from the template."""
    import datetime as dt

    title, author = data.get("title"), data.get("author")
    if isinstance(title, str) and title:
        properties.title = clean(title)[:255]
    if isinstance(author, str) and author:
        properties.author = properties.last_modified_by = clean(author)[:255]
    if properties.comments and "python-docx" in properties.comments:
        properties.comments = ""
    generated = data.get("generated_at")
    if isinstance(generated, str):
        try:
            when = dt.datetime.fromisoformat(generated).replace(tzinfo=None)
        except ValueError:
            return
        properties.created = properties.modified = when


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile(r"[\t\a\n\f]")


def _docx_template(path: Path, progress: Progress | None = None) -> Any:
    """A docxtpl template that post-processes only the paragraphs that need it.

    docxtpl turns a line break, tab or page break in rendered text into Word's own
    (``resolve_listing``) with several regular expressions per paragraph and run;
    in a 16,000-note draft almost no paragraph has one, so the rest are passed by.
    """
    from docxtpl import DocxTemplate

    class _Template(DocxTemplate):
        def resolve_listing(self, xml: str) -> str:
            if progress:
                progress("layout")
            if _LISTING.search(xml) is None:
                return xml
            resolve = super().resolve_listing
            return _PARAGRAPH.sub(
                lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml
            )

    return _Template(str(path))


def _render_docx(
    ref: TemplateRef, data: dict[str, Any], guard: _Guard, progress: Progress | None = None
) -> bytes:
    try:
        document = _docx_template(ref.path, progress)
        document.get_docx()
    except Exception as exc:
        raise TemplateError(
            _("{file}: not a usable .docx template ({error})").format(file=ref.path, error=exc)
        ) from None
    env = ReportEnvironment(guard, autoescape=True)
    try:
        document.render({"report": data}, jinja_env=env, autoescape=True)
    except RenderLimitError:
        raise
    except (MemoryError, RecursionError):
        raise _too_big() from None
    except Exception as exc:
        near = " ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        error = _describe(exc, ref.path, None)
        if near:
            error = TemplateError(_("{error} (near: {text})").format(error=error, text=near[:120]))
        raise error from None
    if progress:
        progress("package")
    _set_properties(document.docx.core_properties, data)
    buffer = io.BytesIO()
    document.save(buffer)
    output = buffer.getvalue()
    if len(output) > MAX_BYTES:
        raise _too_big()
    return output


def render(
    data: dict[str, Any],
    template: str = "verslag",
    fmt: str = "md",
    *,
    progress: Progress | None = None,
    max_seconds: float = MAX_SECONDS,
) -> Rendered:
    """Render report data (``ReportContext.to_template_data()``) with a template.

    Args:
        data: the plain report data; templates see it as ``report``.
        template: a template name (``verslag``, ``report``, ``tafelverslag``) or a file path.
        fmt: ``md``, ``html`` or ``docx``.
        progress: called with a short stage name as rendering proceeds.
        max_seconds: the time limit (default :data:`MAX_SECONDS`).

    Raises:
        TemplateError: the template is missing, broken, or refused by the sandbox.
        RenderLimitError: the render ran too long or grew too large.
    """
    ref = resolve_template(template, fmt)
    if progress:
        progress("render")
    try:
        if ref.bundled:
            output = _render_ref(ref, data, max_seconds, progress)
        else:
            output = _render_isolated(ref, data, max_seconds)
    except RenderLimitError as exc:  # name the template, as every other template error does
        raise RenderLimitError(f"{ref.path}: {exc}") from None
    if progress:
        progress("rendered")
    return Rendered(ref, output)


#: Address space a user template's render process may use (bytes).
CHILD_MEMORY = 2 * 1024 * 1024 * 1024
#: Time a render process gets to start (import Python, Jinja, dialoog) beyond the limit.
CHILD_START_GRACE = 10.0


def _render_ref(
    ref: TemplateRef, data: dict[str, Any], max_seconds: float, progress: Progress | None = None
) -> bytes:
    guard = _Guard(max_seconds)
    if ref.fmt == "docx":
        return _render_docx(ref, data, guard, progress)
    return _render_text(ref, data, guard)


def _render_child(
    conn: Any, ref: TemplateRef, data: dict[str, Any], seconds: float, lang: str
) -> None:
    """Body of the render process: limit memory, render, send the result or the error."""
    from dialoog.i18n import set_language

    set_language(lang)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    except (ImportError, ValueError, OSError):  # not on this platform: the deadline still holds
        pass
    conn.send(("started", None))  # the deadline counts from here, not from the imports
    try:
        conn.send(("ok", _render_ref(ref, data, seconds)))
    except RenderLimitError as exc:
        conn.send(("limit", str(exc)))
    except DialoogError as exc:
        conn.send(("template", str(exc)))
    except MemoryError:
        conn.send(("limit", str(_too_big())))
    finally:
        conn.close()


def _render_isolated(ref: TemplateRef, data: dict[str, Any], max_seconds: float) -> bytes:
    """Render a user's template in a child process, killed at the deadline."""
    import multiprocessing

    from dialoog.i18n import language

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_child,
        args=(sender, ref, data, max_seconds, language()),
        daemon=True,
        name="dialoog-render",
    )
    child.start()
    sender.close()
    too_long = RenderLimitError(
        _("rendering took longer than {seconds:g} seconds; stopped").format(seconds=max_seconds)
    )
    try:
        status, payload = "started", None
        for wait in (CHILD_START_GRACE, max_seconds):
            if not receiver.poll(wait):
                raise too_long
            try:
                status, payload = receiver.recv()
            except EOFError:
                # The process died without a word: the memory limit ended it.
                raise _too_big() from None
            if status != "started":
                break
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()
    if status == "ok":
        return payload
    if status == "limit":
        raise RenderLimitError(payload)
    raise TemplateError(payload)
