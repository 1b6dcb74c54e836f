"""Drafts with history: every rendered report is kept, listed and can be compared.

A draft records its subject (a session, or a series), the template, the format,
when it was made, a hash of the report context (equal hashes: same content) and
the output bytes. Two Markdown (or HTML) drafts can be compared as a unified diff.
"""

from __future__ import annotations

import datetime as dt
import difflib

from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.storage.drafts import Draft as Draft  # defined with its table, re-exported
from dialoog.storage.store import Store
from dialoog.synthesis.render import Progress, Rendered, render


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
    draft_id = store.insert_report_draft(
        session_id=session_id,
        series=series,
        template=template,
        fmt=fmt,
        context_hash=context_hash,
        output=output,
        created_at=created_at,
    )
    return get_draft(store, draft_id)


def list_drafts(store: Store, subject: str) -> list[Draft]:
    """The drafts of a session or series, oldest first."""
    return store.list_report_drafts(subject)


def get_draft(store: Store, draft_id: int) -> Draft:
    """One draft with its output; :class:`NotFoundError` if there is none."""
    draft = store.get_report_draft(draft_id)
    if draft is None:
        raise NotFoundError(_("no draft {id} (see: dialoog drafts SESSION)").format(id=draft_id))
    return draft


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
