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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dialoog import __version__
from dialoog.errors import DialoogError, NotFoundError
from dialoog.i18n import _
from dialoog.models import MAX_NOTE_LENGTH, NoteKind, SessionPlan
from dialoog.plans import field_path
from dialoog.storage.bundles import BundleImport, NoteRow, RevisionRow, importing, session_contents
from dialoog.times import stamp

if TYPE_CHECKING:
    from dialoog.storage.store import Store

FORMAT = "dialoog-bundle"
FORMAT_VERSION = 2
"""Format 2 (issue 9): a draft names its agenda item. Format 1 bundles are still read."""
ACTIONS = ("create", "edit", "delete", "restore")


class BundleError(DialoogError):
    """A bundle that cannot be imported; the database is left as it was."""


#: A timestamp as dialoog writes them: UTC, microseconds (they sort as text).
Stamp = Annotated[str, Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BundleRevision(_Model):
    """One saved state of a note."""

    rev: int = Field(ge=1)
    action: str
    kind: NoteKind
    text: str = Field(max_length=MAX_NOTE_LENGTH)
    tags: list[str] = Field(default_factory=list)
    question: int | None = Field(default=None, ge=1, le=3)
    created_at: Stamp

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str) -> str:
        if value not in ACTIONS:
            raise ValueError(f"unknown action {value!r} (known: {', '.join(ACTIONS)})")
        return value


class BundleNote(_Model):
    """A note with every revision; the current state is derived from the revisions."""

    id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    table: int
    item: int = Field(ge=1)
    created_at: Stamp
    question: int | None = None
    kind: NoteKind
    text: str
    tags: list[str] = Field(default_factory=list)
    updated_at: Stamp
    deleted_at: Stamp | None = None
    rev: int
    revisions: list[BundleRevision] = Field(min_length=1)


class BundleDraft(_Model):
    """Text typed at a table and agenda item and not yet saved as a note.

    ``item`` is None in bundles of format 1, which kept one draft per table: such
    a draft goes to the item the session's programme is at (or the first).
    """

    table: int
    item: int | None = Field(default=None, ge=1)
    text: str
    updated_at: Stamp


class BundleSession(_Model):
    """Who the bundle belongs to: the session's identity and its plan."""

    id: str = Field(min_length=1)
    slug: str
    title: str
    date: dt.date | None = None
    series: str | None = None
    created_at: Stamp
    plan: dict[str, Any]


class Bundle(_Model):
    """A whole bundle as read from a file (after the checksum is checked)."""

    format: str
    format_version: int
    made_at: Stamp
    made_by: str
    session: BundleSession
    table: int | None = None
    notes: list[BundleNote]
    drafts: list[BundleDraft] = Field(default_factory=list)
    checksum: str


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    session_id: str
    created_session: bool
    new_notes: int
    changed_notes: int
    new_revisions: int
    drafts: int

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(
            self.created_session
            or self.new_notes
            or self.changed_notes
            or self.new_revisions
            or self.drafts
        )


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes the checksum is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum_of(payload: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical form of ``payload`` without its checksum."""
    body = {k: v for k, v in payload.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(canonical(body)).hexdigest()


def revision_key(note_id: str, rev: dict[str, Any]) -> str:
    """The stable identity of a revision: a hash of everything it says, not its number.

    Each part is written with its length in front, so no two different revisions
    share the hashed text.
    """
    parts = [
        note_id,
        rev["created_at"],
        rev["action"],
        rev["kind"],
        rev["text"],
        *rev["tags"],
        "" if rev["question"] is None else str(rev["question"]),
    ]
    body = "".join(f"{len(p)}:{p}" for p in parts) + f"#{len(rev['tags'])}"
    return hashlib.sha256(body.encode()).hexdigest()


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
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
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


# -- reading and checking --------------------------------------------------


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle file; :class:`BundleError` names what is wrong.

    Checks, in order: readable, UTF-8, JSON, a dialoog bundle, a format this
    version reads, an intact checksum, the expected fields.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_bundle(raw, str(path))


def parse_bundle(raw: bytes, source: str) -> Bundle:
    """Check and parse bundle bytes (see :func:`read_bundle`)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(
            _("{file}: not a dialoog bundle (not UTF-8 text); nothing imported").format(file=source)
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            reason = _("the file ends too soon (truncated?)")
        else:
            reason = exc.msg
        raise BundleError(
            _(
                "{file}, line {line}, column {column}: not a dialoog bundle (not valid JSON: "
                "{reason}); nothing imported"
            ).format(file=source, line=exc.lineno, column=exc.colno, reason=reason)
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(
            _('{file}: not a dialoog bundle (no "format": "{format}"); nothing imported').format(
                file=source, format=FORMAT
            )
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(
            _("{file}: format_version: expected a whole number; nothing imported").format(
                file=source
            )
        )
    if version > FORMAT_VERSION:
        raise BundleError(
            _(
                "{file}: made by a newer dialoog (bundle format {version}; this version reads "
                "up to {known}); upgrade dialoog to import it. Nothing imported"
            ).format(file=source, version=version, known=FORMAT_VERSION)
        )
    if data.get("checksum") != checksum_of(data):
        raise BundleError(
            _(
                "{file}: checksum mismatch: the bundle was changed or damaged after it was "
                "exported; nothing imported"
            ).format(file=source)
        )
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise BundleError(
            _("{file}: {field}: {problem}; nothing imported").format(
                file=source,
                field=field_path(err["loc"]),
                problem=err["msg"].removeprefix("Value error, "),
            )
        ) from None


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
    plan = SessionPlan.model_validate(bundle.session.plan)
    # The identity the bundle names wins over its plan's (they agree unless edited by hand).
    plan = plan.model_copy(
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
) -> ImportResult:
    """Merge a checked bundle into the database, all or nothing (see the module doc).

    Args:
        into: the local session to merge into (default: the bundle's session id,
            created from the bundle when it does not exist yet).
        source: how to name the bundle in messages (its file name).
    """
    target = into or bundle.session.id
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
        for note in bundle.notes:
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
    return ImportResult(
        session_id=target,
        created_session=not exists,
        new_notes=len(new_notes),
        changed_notes=len(updates),
        new_revisions=added_revisions,
        drafts=drafts,
    )


def import_file(store: Store, path: Path, into: str | None = None) -> ImportResult:
    """Read, check and merge a bundle file (see :func:`import_bundle`)."""
    return import_bundle(store, read_bundle(path), into=into, source=str(path))
