"""Drafts with history: every rendered report is kept, listed and can be compared.

A draft records its subject (a session, or a series), the template, the format,
when it was made, a hash of the report context (equal hashes: same content) and
the output bytes. Two Markdown (or HTML) drafts can be compared as a unified diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.storage.connection import write
from dialoog.storage.store import Store
from dialoog.synthesis.render import Progress, Rendered, render
from dialoog.times import stamp


@dataclass(frozen=True)
class Draft:
    """One stored render (the output is loaded only by :func:`get_draft`)."""

    id: int
    session_id: str | None
    series: str | None
    template: str
    format: str
    created_at: dt.datetime
    context_hash: str
    size: int
    output: bytes | None = None

    @property
    def subject(self) -> str:
        """The session id or series slug the draft is about."""
        return self.session_id or self.series or ""


_COLUMNS = "id, session_id, series, template, format, created_at, context_hash, size"


def _draft(row: tuple, output: bytes | None = None) -> Draft:
    return Draft(
        id=row[0],
        session_id=row[1],
        series=row[2],
        template=row[3],
        format=row[4],
        created_at=dt.datetime.fromisoformat(row[5]),
        context_hash=row[6],
        size=row[7],
        output=output,
    )


def save_draft(
    store: Store,
    *,
    session_id: str | None,
    series: str | None = None,
    template: str,
    fmt: str,
    context_hash: str,
    output: bytes,
    created_at: dt.datetime | None = None,
) -> Draft:
    """Store a rendered report; returns it with its new id."""
    made = stamp(created_at)
    with write(store.db):
        cursor = store.db.execute(
            "INSERT INTO report_drafts (session_id, series, template, format, created_at,"
            " context_hash, size, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [session_id, series, template, fmt, made, context_hash, len(output), output],
        )
        draft_id = int(cursor.lastrowid)
    return get_draft(store, draft_id)


def list_drafts(store: Store, subject: str) -> list[Draft]:
    """The drafts of a session or series, oldest first."""
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM report_drafts WHERE session_id = ? OR series = ?"
        " ORDER BY created_at, id",
        [subject, subject],
    ).fetchall()
    return [_draft(r) for r in rows]


def get_draft(store: Store, draft_id: int) -> Draft:
    """One draft with its output; :class:`NotFoundError` if there is none."""
    row = store.db.execute(
        f"SELECT {_COLUMNS}, output FROM report_drafts WHERE id = ?", [draft_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(_("no draft {id} (see: dialoog drafts SESSION)").format(id=draft_id))
    return _draft(row[:-1], bytes(row[-1]))


def diff_drafts(store: Store, old_id: int, new_id: int, *, context: int = 3) -> str:
    """A unified diff of two text drafts (Markdown or HTML), old first."""
    old, new = get_draft(store, old_id), get_draft(store, new_id)
    for draft in (old, new):
        if draft.format not in ("md", "html"):
            raise DialoogError(
                _("draft {id} is {fmt}; only Markdown and HTML drafts can be compared").format(
                    id=draft.id, fmt=draft.format
                )
            )
    assert old.output is not None and new.output is not None
    lines = difflib.unified_diff(
        old.output.decode("utf-8").splitlines(keepends=True),
        new.output.decode("utf-8").splitlines(keepends=True),
        fromfile=f"draft {old.id} ({old.template}.{old.format}, {old.created_at:%Y-%m-%d %H:%M})",
        tofile=f"draft {new.id} ({new.template}.{new.format}, {new.created_at:%Y-%m-%d %H:%M})",
        n=context,
    )
    return "".join(lines)


def make_draft(
    store: Store,
    subject: str,
    *,
    template: str = "verslag",
    fmt: str = "md",
    language: str | None = None,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
    save: bool = True,
) -> tuple[Rendered, Draft | None]:
    """Build the context, render it and (by default) keep the result as a draft.

    ``language`` defaults to English for the ``report`` template and to the
    session's language otherwise.
    """
    from dialoog.synthesis.context import build_context

    if progress:
        progress("context")
    if language is None and template == "report":
        language = "en"
    context = build_context(store, subject, language=language, generated_at=generated_at)
    rendered = render(context.to_template_data(), template, fmt, progress=progress)
    draft = None
    if save:
        if progress:
            progress("save")
        is_series = context.series is not None
        draft = save_draft(
            store,
            session_id=None if is_series else subject,
            series=subject if is_series else None,
            template=str(rendered.template.path) if not rendered.template.bundled else template,
            fmt=fmt,
            context_hash=context.content_hash(),
            output=rendered.output,
        )
    return rendered, draft
