"""Offline merge: export a session's notes to a bundle file, import bundles from laptops.

A bundle is one self-describing JSON document::

    {"format": "dialoog-bundle", "format_version": 2, "made_at": ..., "made_by": ...,
     "session": {"id", "slug", "title", "date", "series", "created_at", "plan"},
     "table": null | N,
     "notes": [{"id" (UUID), "table", "item", "created_at", "revisions": [...], ...}],
     "drafts": [{"table", "item", "text", "updated_at"}],
     "checksum": "sha256:<hex>"}

The checksum is the SHA-256 of the canonical JSON (keys sorted, no spaces,
UTF-8) of everything but the checksum itself.

Importing merges; it is idempotent (a bundle imported twice adds nothing) and
order-independent (A then B gives the same database as B then A), because the
result depends only on the *set* of revisions seen:

* a revision is identified by its content: note UUID, time, action, kind, text,
  tags and question (:func:`revision_key`);
* a note's revisions are the union of both sides, ordered by ``(created_at,
  revision_key)`` and numbered 1, 2, 3 … in that order (so ``rev`` is a position,
  renumbered when a merge slips a revision in between);
* the note itself (text, kind, tags, question, updated_at) is its newest
  revision; it is deleted when the last delete/restore revision in that order is
  a delete;
* a typing draft (typed but not saved) is the newer of the two, by
  ``(updated_at, text)``.

Everything is checked before anything is written and written in one
transaction: a bundle that is not JSON, truncated, tampered with, of a newer
format or of another session is refused with one line and leaves the database
as it was.

A bundle is input from another machine, so an intact checksum proves only that
nobody changed it on the way: its contents are checked like any other input
(issue 14), each refusal naming the field path (``notes[3].created_at``):

* the file: at most :data:`MAX_BUNDLE_BYTES`, nested at most :data:`MAX_DEPTH`
  deep (deeper JSON is refused before Python's parser recurses into it), no lone
  surrogates (``\\ud800`` is not a character and cannot be stored);
* the plan: the same validation as a plan file (:class:`dialoog.models.SessionPlan`);
* every timestamp: exactly the store's form (:func:`dialoog.times.stamp`) of a
  real time, so that they sort as times and read back;
* ids: note ids unique, one draft per table and item;
* texts are cleaned as typed text is (:func:`dialoog.markers.clean_text`:
  control characters stripped, NFC) and then checked: a note's and a
  revision's text is stripped and must be non-empty and at most
  :data:`~dialoog.kinds.MAX_NOTE_LENGTH` characters (the store's rule), a draft
  at most :data:`MAX_DRAFT_LENGTH` (it may be empty: emptied by saving it), a
  tag non-empty after cleaning, a session title non-empty. Numbers stay within
  the ranges of the plan's models (tables 1–999, questions 1–3).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialoog import __version__
from dialoog.errors import NotFoundError
from dialoog.i18n import _
from dialoog.storage.bundles import BundleImport, NoteRow, RevisionRow, importing, session_contents
from dialoog.times import stamp

if TYPE_CHECKING:
    from dialoog.storage.store import Store

from dialoog.history.bundle_format import (  # noqa: F401  (re-exported: the format's public names)
    ACTIONS,
    FORMAT,
    FORMAT_VERSION,
    MAX_BUNDLE_BYTES,
    MAX_DEPTH,
    MAX_DRAFT_LENGTH,
    MAX_LINE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Bundle,
    BundleDraft,
    BundleError,
    BundleNote,
    BundleRevision,
    BundleSession,
    ImportResult,
    canonical,
    checksum_of,
    parse_bundle,
    read_bundle,
    revision_key,
)

#: ``progress(done, total)``: how many of a bundle's notes are merged (see :func:`import_bundle`).
Progress = Callable[[int, int], None]
#: How many notes are merged between two progress calls.
PROGRESS_EVERY = 500


# -- export ----------------------------------------------------------------


def build_bundle(store: Store, session_id: str, table: int | None = None) -> dict[str, Any]:
    """The bundle of a session (or of one of its tables) as a dict, checksum included."""
    session, notes, drafts = session_contents(store, session_id, table)
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "made_at": stamp(),
        "made_by": f"dialoog {__version__}",
        "session": session,
        "table": table,
        "notes": notes,
        "drafts": drafts,
    }
    payload["checksum"] = checksum_of(payload)
    return payload


def export_bundle(
    store: Store, session_id: str, path: Path, table: int | None = None
) -> dict[str, Any]:
    """Write the bundle of a session (or one table) to ``path``; returns the bundle.

    The file is written next to ``path`` first and then renamed, so a bundle on
    disk is always complete. It holds every note and participant, so it is
    readable by its owner only (0600, like the database), from its first byte.
    """
    payload = build_bundle(store, session_id, table)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out:
            # The canonical form: an import checks the checksum on these bytes as
            # they stand (bundle_format.intact_as_written), without writing them again.
            out.write(canonical(payload) + b"\n")
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return payload


# -- merging ---------------------------------------------------------------


def _rev_dict(r: BundleRevision | dict[str, Any]) -> dict[str, Any]:
    if isinstance(r, BundleRevision):
        return {
            "action": r.action,
            "kind": r.kind.value,
            "text": r.text,
            "tags": list(r.tags),
            "question": r.question,
            "created_at": r.created_at,
        }
    return r


def merge_revisions(
    note_id: str, *sides: Iterable[dict[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """Union of revisions from every side, deduplicated and in their one stable order."""
    merged: dict[str, dict[str, Any]] = {}
    for side in sides:
        for rev in side:
            merged.setdefault(revision_key(note_id, rev), rev)
    return sorted(merged.items(), key=lambda kv: (kv[1]["created_at"], kv[0]))


def _tags_json(tags: list[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False) if tags else "[]"


def current_state(revisions: list[dict[str, Any]]) -> dict[str, Any]:
    """A note's current fields from its ordered revisions: the newest wins."""
    deleted_at = None
    for rev in revisions:
        if rev["action"] == "delete":
            deleted_at = rev["created_at"]
        elif rev["action"] == "restore":
            deleted_at = None
    last = revisions[-1]
    return {
        "kind": last["kind"],
        "text": last["text"],
        "tags_json": _tags_json(last["tags"]),
        "question": last["question"],
        "updated_at": last["created_at"],
        "deleted_at": deleted_at,
        "rev": len(revisions),
    }


def _in_time_order(revisions: list[dict[str, Any]]) -> bool:
    """Whether the revisions are strictly in time order (so their order is the merge order)."""
    return all(a["created_at"] < b["created_at"] for a, b in itertools.pairwise(revisions))


def _check_identity(tx: BundleImport, bundle: Bundle, target: str, source: str) -> bool:
    """Whether the target session exists; refuses a bundle of a different session."""
    local = tx.session_identity(target)
    b = bundle.session
    b_date = b.date.isoformat() if b.date else None
    if local is None:
        return False
    if local != (b.slug, b_date):
        raise BundleError(
            _(
                "{file}: this bundle is of another session ({slug}, {date}), not of session "
                "{id!r} ({local_slug}, {local_date}); nothing imported"
            ).format(
                file=source,
                slug=b.slug,
                date=b_date or "-",
                id=target,
                local_slug=local[0],
                local_date=local[1] or "-",
            )
        )
    return True


def _create_session(tx: BundleImport, bundle: Bundle, target: str) -> None:
    """Create the bundle's session locally (inside the import's transaction)."""
    # The identity the bundle names wins over its plan's (they agree unless edited by hand).
    plan = bundle.session.plan.model_copy(
        update={
            "slug": bundle.session.slug,
            "title": bundle.session.title,
            "date": bundle.session.date,
        }
    )
    tx.create_session(target, plan, bundle.session.created_at)


def _check_places(bundle: Bundle, tables: set[int], items: int, source: str) -> None:
    for n, note in enumerate(bundle.notes):
        if note.table not in tables:
            raise BundleError(
                _("{file}: notes[{n}]: table {table} is not a table of this session").format(
                    file=source, n=n, table=note.table
                )
                + "; "
                + _("nothing imported")
            )
        if note.item > items:
            raise BundleError(
                _("{file}: notes[{n}]: agenda item {item} is not in this session").format(
                    file=source, n=n, item=note.item
                )
                + "; "
                + _("nothing imported")
            )
    for n, draft in enumerate(bundle.drafts):
        if draft.table not in tables:
            raise BundleError(
                _("{file}: drafts[{n}]: table {table} is not a table of this session").format(
                    file=source, n=n, table=draft.table
                )
                + "; "
                + _("nothing imported")
            )
        if draft.item is not None and draft.item > items:
            raise BundleError(
                _("{file}: drafts[{n}]: agenda item {item} is not in this session").format(
                    file=source, n=n, item=draft.item
                )
                + "; "
                + _("nothing imported")
            )


def import_bundle(
    store: Store,
    bundle: Bundle,
    *,
    into: str | None = None,
    source: str = "bundle",
    progress: Progress | None = None,
) -> ImportResult:
    """Merge a checked bundle into the database, all or nothing (see the module doc).

    Args:
        into: the local session to merge into (default: the bundle's session id,
            created from the bundle when it does not exist yet).
        source: how to name the bundle in messages (its file name).
        progress: called as ``progress(done, total)`` with the number of the
            bundle's notes merged so far: ``(0, total)`` first, increasing, and
            ``(total, total)`` only once everything is written and committed.
    """
    target = into or bundle.session.id
    total = len(bundle.notes)
    if progress is not None:
        progress(0, total)
    with importing(store) as tx:
        exists = _check_identity(tx, bundle, target, source)
        if not exists:
            if into:
                raise NotFoundError(_("no session {id!r} (see: dialoog sessions)").format(id=into))
            _create_session(tx, bundle, target)
        tables = tx.table_numbers(target)
        items = tx.item_count(target)
        _check_places(bundle, tables, items, source)
        local_notes, local_revs = tx.notes_with_revisions([n.id for n in bundle.notes])
        new_notes: list[NoteRow] = []
        new_revs: list[RevisionRow] = []
        replaced: list[str] = []
        updates: list[tuple[str, dict[str, Any]]] = []
        added_revisions = 0
        for done, note in enumerate(bundle.notes):
            if progress is not None and done and done % PROGRESS_EVERY == 0:
                progress(done, total)
            incoming = [_rev_dict(r) for r in note.revisions]
            local = local_notes.get(note.id)
            if local is not None and (
                local["session_id"] != target
                or local["table_no"] != note.table
                or local["item"] != note.item
            ):
                raise BundleError(
                    _(
                        "{file}: note {id} is already in the database at another place "
                        "(session {session}, table {table}, item {item}); nothing imported"
                    ).format(
                        file=source,
                        id=note.id,
                        session=local["session_id"],
                        table=local["table_no"],
                        item=local["item"],
                    )
                )
            mine = local_revs.get(note.id, [])
            if mine == incoming and _in_time_order(mine):
                merged = mine  # the common case on a re-import: nothing to merge
            elif not mine and _in_time_order(incoming):
                # A new note: strictly increasing times order it and make every
                # revision distinct, so the union is the bundle's list as it is.
                merged = incoming
            else:
                merged = [r for _k, r in merge_revisions(note.id, mine, incoming)]
            state = current_state(merged)
            if local is None:
                first = merged[0]["created_at"]
                created = min(first, note.created_at)
                new_notes.append(
                    NoteRow(
                        id=note.id,
                        session_id=target,
                        table_no=note.table,
                        item=note.item,
                        question=state["question"],
                        kind=state["kind"],
                        text=state["text"],
                        tags_json=state["tags_json"],
                        created_at=created,
                        updated_at=state["updated_at"],
                        deleted_at=state["deleted_at"],
                        rev=state["rev"],
                    )
                )
            else:
                same_revs = merged is mine or merged == mine
                if not same_revs:
                    replaced.append(note.id)
                    added_revisions += len(merged) - len(mine)
                current = {k: local[k] for k in state}
                if current != state:
                    updates.append((note.id, state))
            if local is None or note.id in replaced:
                new_revs.extend(
                    RevisionRow(
                        note.id,
                        pos,
                        r["action"],
                        r["kind"],
                        r["text"],
                        _tags_json(r["tags"]),
                        r["question"],
                        r["created_at"],
                    )
                    for pos, r in enumerate(merged, start=1)
                )
                if local is None:
                    added_revisions += len(merged)
        tx.insert_notes(new_notes)
        tx.delete_revisions(replaced)
        tx.update_notes(updates)
        tx.insert_revisions(new_revs)
        drafts = 0
        programme_item = tx.programme_item(target) or 1
        for draft in bundle.drafts:
            stamp = draft.updated_at
            item = draft.item or programme_item  # a format-1 bundle: one draft per table
            row = tx.draft(target, draft.table, item)
            if row is not None and (row[1], row[0]) >= (stamp, draft.text):
                continue
            tx.save_draft(target, draft.table, item, draft.text, stamp)
            drafts += 1
        tx.catch_up_parts()  # the new notes' trigrams, in one statement (m007)
    if progress is not None:
        progress(total, total)
    return ImportResult(
        session_id=target,
        created_session=not exists,
        new_notes=len(new_notes),
        changed_notes=len(updates),
        new_revisions=added_revisions,
        drafts=drafts,
    )


def import_file(
    store: Store, path: Path, into: str | None = None, progress: Progress | None = None
) -> ImportResult:
    """Read, check and merge a bundle file (see :func:`import_bundle`)."""
    return import_bundle(store, read_bundle(path), into=into, source=str(path), progress=progress)
