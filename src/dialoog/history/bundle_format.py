"""The bundle format: its models and limits, the checksum, and reading and checking a file.

A bundle is input from another machine: everything in it is checked here
(size, depth, surrogates, the plan, timestamps, text, uniqueness) before
:mod:`dialoog.history.bundle` merges anything into the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from dialoog.errors import DialoogError
from dialoog.i18n import _
from dialoog.markers import clean_text as _clean_text
from dialoog.models import MAX_NOTE_LENGTH, NoteKind, SessionPlan, Slug
from dialoog.plans import field_path

if TYPE_CHECKING:
    pass

FORMAT = "dialoog-bundle"
FORMAT_VERSION = 2
"""Format 2 (issue 9): a draft names its agenda item. Format 1 bundles are still read."""
ACTIONS = ("create", "edit", "delete", "restore")

#: The largest bundle file read (bytes). 20,000 notes with a few revisions each
#: are about 20 MB; a bigger file is refused before it is read.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
#: How deep a bundle's JSON may nest. The format needs 7 levels (a speaker of an
#: agenda item of the session's plan); anything deeper is not a bundle.
MAX_DEPTH = 16
#: Longest typing draft imported (characters). A draft is the capture box's
#: text, which may hold more than one note's worth before it is split and saved.
MAX_DRAFT_LENGTH = 5 * MAX_NOTE_LENGTH
#: Longest tag, and most tags on one revision.
MAX_TAG_LENGTH = 100
MAX_TAGS = 100
#: Longest one-line text a bundle carries (session title, ``made_by``).
MAX_LINE_LENGTH = 1000


class BundleError(DialoogError):
    """A bundle that cannot be imported; the database is left as it was."""


#: The form :func:`dialoog.times.stamp` writes: UTC, microseconds (they sort as text).
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")


#: Every character :func:`dialoog.text.clean_text` may change (controls, line
#: breaks but ``\n``, lone surrogates); text without them that is NFC already is clean.
_NOT_CLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_text(value: str) -> str:
    """:func:`dialoog.text.clean_text`, with a quick answer for text that is clean already.

    A bundle holds tens of thousands of texts that were cleaned when typed; one
    search and an NFC test settle those (a third of a 20,000-note import spent
    in the full cleaning otherwise). ``tests/history`` checks both roads agree.
    """
    if value.isascii():
        if _NOT_CLEAN.search(value) is None:
            return value
    elif _NOT_CLEAN.search(value) is None and unicodedata.is_normalized("NFC", value):
        return value
    return _clean_text(value)


def _store_stamp(value: str) -> str:
    """``value`` when it is a real time written exactly as :func:`dialoog.times.stamp` writes."""
    ok = _STAMP.fullmatch(value) is not None
    if ok:
        try:
            dt.datetime.fromisoformat(value)  # the month, day and hour exist
        except ValueError:
            ok = False
    if not ok:
        raise ValueError(_("not a timestamp (expected UTC as 2015-02-19T09:30:00.000000+00:00)"))
    return value


def _note_text(value: str) -> str:
    """A note's or revision's text cleaned as typed text is; non-empty and not too long."""
    if len(value) > MAX_NOTE_LENGTH:
        raise ValueError(_too_long(len(value), MAX_NOTE_LENGTH))
    text = clean_text(value).strip()
    if not text:
        raise ValueError(_("empty: a note needs text"))
    return text


def _draft_text(value: str) -> str:
    """A typing draft cleaned as typed text is; it may be empty (its text was saved)."""
    if len(value) > MAX_DRAFT_LENGTH:
        raise ValueError(_too_long(len(value), MAX_DRAFT_LENGTH))
    return clean_text(value)


def _tag(value: str) -> str:
    """A tag cleaned as typed text is; non-empty."""
    if len(value) > MAX_TAG_LENGTH:
        raise ValueError(_too_long(len(value), MAX_TAG_LENGTH))
    tag = clean_text(value).strip()
    if not tag:
        raise ValueError(_("empty tag"))
    return tag


def _line(value: str) -> str:
    """A one-line text (a title) cleaned as typed text is; non-empty."""
    if len(value) > MAX_LINE_LENGTH:
        raise ValueError(_too_long(len(value), MAX_LINE_LENGTH))
    text = clean_text(value).strip()
    if not text:
        raise ValueError(_("empty"))
    return text


def _too_long(length: int, limit: int) -> str:
    return _("{length} characters, longer than the limit of {limit}").format(
        length=f"{length:,}", limit=f"{limit:,}"
    )


#: A timestamp as dialoog writes them: UTC, microseconds (they sort as text).
Stamp = Annotated[str, Field(max_length=40), AfterValidator(_store_stamp)]
NoteText = Annotated[str, AfterValidator(_note_text)]
Tags = Annotated[
    list[Annotated[str, AfterValidator(_tag)]], Field(default_factory=list, max_length=MAX_TAGS)
]
TableNumber = Annotated[int, Field(ge=1, le=999)]
#: An agenda item's position; no programme comes near this many items.
ItemNumber = Annotated[int, Field(ge=1, le=10_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BundleRevision(_Model):
    """One saved state of a note."""

    rev: int = Field(ge=1, le=2**62)
    action: str
    kind: NoteKind
    text: NoteText
    tags: Tags
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
    table: TableNumber
    item: ItemNumber
    created_at: Stamp
    question: int | None = Field(default=None, ge=1, le=3)
    kind: NoteKind
    text: NoteText
    tags: Tags
    updated_at: Stamp
    deleted_at: Stamp | None = None
    rev: int = Field(ge=1, le=2**62)
    revisions: list[BundleRevision] = Field(min_length=1)


class BundleDraft(_Model):
    """Text typed at a table and agenda item and not yet saved as a note.

    ``item`` is None in bundles of format 1, which kept one draft per table: such
    a draft goes to the item the session's programme is at (or the first).
    """

    table: TableNumber
    item: ItemNumber | None = None
    text: Annotated[str, AfterValidator(_draft_text)]
    updated_at: Stamp


class BundleSession(_Model):
    """Who the bundle belongs to: the session's identity and its plan.

    The plan is validated as a plan file is; the identity (slug, title, date)
    named here wins over the plan's own when the session is created.
    """

    id: str = Field(pattern=r"^[\w.-]{1,100}$")
    slug: Slug
    title: Annotated[str, AfterValidator(_line)]
    date: dt.date | None = None
    series: Slug | None = None
    created_at: Stamp
    plan: SessionPlan


class Bundle(_Model):
    """A whole bundle as read from a file (after the checksum is checked)."""

    format: str
    format_version: int
    made_at: Stamp
    made_by: str = Field(max_length=MAX_LINE_LENGTH)
    session: BundleSession
    table: TableNumber | None = None
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


#: How a file written by :func:`canonical` begins: the checksum is the first key.
_CANONICAL_HEAD = re.compile(rb'\{"checksum":"sha256:([0-9a-f]{64})",')


def intact_as_written(raw: bytes) -> bool:
    """Whether ``raw`` is a bundle exactly as exported, its checksum intact.

    An export writes the canonical form (sorted keys, so ``checksum`` first,
    then the body the checksum was taken over) and a newline. The body's bytes
    then hash to the checksum as they stand, without parsing and writing the
    whole bundle again. Anything else (an older export, a file re-indented by
    hand, a damaged one) answers False and is checked the long way.
    """
    head = _CANONICAL_HEAD.match(raw)
    if head is None:
        return False
    end = len(raw) - 1 if raw.endswith(b"\n") else len(raw)
    body = b"{" + raw[head.end() : end]
    return hashlib.sha256(body).hexdigest() == head.group(1).decode()


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


# -- reading and checking --------------------------------------------------


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle file; :class:`BundleError` names what is wrong.

    Checks, in order: readable, not too large, UTF-8, JSON, not too deep, a
    dialoog bundle, a format this version reads, no lone surrogates, an intact
    checksum, the expected fields with valid values, unique notes and drafts
    (see the module doc).
    """
    try:
        size = path.stat().st_size
        if size <= MAX_BUNDLE_BYTES:
            raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_BUNDLE_BYTES:
        raise _too_large(str(path), size)
    return parse_bundle(raw, str(path))


def _too_large(source: str, size: int) -> BundleError:
    return BundleError(
        _(
            "{file}: {size} bytes, larger than the largest bundle dialoog reads "
            "({limit} bytes); nothing imported"
        ).format(file=source, size=f"{size:,}", limit=f"{MAX_BUNDLE_BYTES:,}")
    )


#: What the quick road leaves to the long one: an escaped surrogate (the long road
#: names a lone one) and a format_version that is not written as a whole number.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_WHOLE_VERSION = re.compile(rb'[{,]"format_version":\d+[,}]')


def _as_exported(raw: bytes) -> Bundle | None:
    """The bundle of a file exactly as exported, validated straight from its bytes.

    Its checksum holds as the bytes stand (:func:`intact_as_written`), and
    pydantic reads the JSON itself (no ``json.loads`` and no second walk): the
    models allow no free-form values, so a valid bundle cannot nest deeper
    than they do. None whenever anything is off; the long road of
    :func:`parse_bundle` then says what, as it always did.
    """
    if (
        not intact_as_written(raw)
        or _SURROGATE_ESCAPE.search(raw)
        or not _WHOLE_VERSION.search(raw)
    ):
        return None
    try:
        bundle = Bundle.model_validate_json(raw)
    except ValidationError:
        return None
    if bundle.format != FORMAT or bundle.format_version > FORMAT_VERSION:
        return None
    return bundle


def parse_bundle(raw: bytes, source: str) -> Bundle:
    """Check and parse bundle bytes (see :func:`read_bundle`)."""
    if len(raw) > MAX_BUNDLE_BYTES:
        raise _too_large(source, len(raw))
    exported = _as_exported(raw)
    if exported is not None:
        _check_unique(exported, source)
        return exported
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(
            _("{file}: not a dialoog bundle (not UTF-8 text); nothing imported").format(file=source)
        ) from None
    data = _load_json(text, source)
    _check_depth(data, source)
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
    try:
        # An escaped surrogate takes the long way, which names a lone one.
        quick = intact_as_written(raw) and not _SURROGATE_ESCAPE.search(raw)
        intact = quick or data.get("checksum") == checksum_of(data)
    except UnicodeEncodeError:
        raise _lone_surrogate(data, source) from None
    if not intact:
        raise BundleError(
            _(
                "{file}: checksum mismatch: the bundle was changed or damaged after it was "
                "exported; nothing imported"
            ).format(file=source)
        )
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise BundleError(
            _("{file}: {field}: {problem}; nothing imported").format(
                file=source, field=_safe(field_path(err["loc"])), problem=_describe(err)
            )
        ) from None
    _check_unique(bundle, source)
    return bundle


def _load_json(text: str, source: str) -> Any:
    """The parsed JSON; a refusal naming the line and column, or why it cannot be read."""
    try:
        return json.loads(text)
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
    except RecursionError:
        # The C parser recurses once per bracket; it stops at the interpreter's limit.
        raise BundleError(
            _(
                "{file}: not a dialoog bundle (nested deeper than a bundle can be); "
                "nothing imported"
            ).format(file=source)
        ) from None
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits.
        raise BundleError(
            _(
                "{file}: not a dialoog bundle (not valid JSON: a number too long to read); "
                "nothing imported"
            ).format(file=source)
        ) from None


def _containers(data: Any) -> Iterator[tuple[tuple[int | str, ...], Any]]:
    """Every object and array in ``data`` with its path, without recursion."""
    stack: list[tuple[tuple[int | str, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(((*path, k), v) for k, v in items if isinstance(v, dict | list))


def _check_depth(data: Any, source: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_DEPTH`, naming where."""
    # Level by level without paths first: a 20,000-note bundle has 200,000 values.
    level, depth = [data], 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            break
        below: list[Any] = []
        for node in level:
            values = node.values() if type(node) is dict else node if type(node) is list else ()
            below += [v for v in values if type(v) is dict or type(v) is list]
        level = below
    else:
        return
    for path, _node in _containers(data):
        if len(path) >= MAX_DEPTH:
            raise BundleError(
                _(
                    "{file}: {field}: nested deeper than a bundle can be ({depth} levels); "
                    "nothing imported"
                ).format(file=source, field=_safe(field_path(path)), depth=MAX_DEPTH)
            )


def _lone_surrogate(data: Any, source: str) -> BundleError:
    """The refusal of a bundle whose text holds a lone surrogate, naming the first one."""

    def bad(text: str) -> str | None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"U+{ord(text[exc.start]):04X}"
        return None

    for path, node in _containers(data):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found = bad(key) if isinstance(key, str) else None
            if found is None and isinstance(value, str):
                found = bad(value)
            if found is not None:
                return BundleError(
                    _(
                        "{file}: {field}: holds a lone surrogate ({code}), which is not a "
                        "character; nothing imported"
                    ).format(file=source, field=_safe(field_path((*path, key))), code=found)
                )
    return BundleError(_("{file}: not UTF-8 text; nothing imported").format(file=source))


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """A field path from the bundle as it can be shown: no controls, no lone surrogates."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _describe(error: Any) -> str:
    """A pydantic error as one short phrase (as :mod:`dialoog.plans` words them)."""
    if error["type"] == "extra_forbidden":
        return _("unknown field")
    if error["type"] == "missing":
        return _("required field is missing")
    return error["msg"].removeprefix("Value error, ")


def _check_unique(bundle: Bundle, source: str) -> None:
    """Refuse a note listed twice, or two drafts for one table and item."""
    notes: dict[str, int] = {}
    for n, note in enumerate(bundle.notes):
        first = notes.setdefault(note.id, n)
        if first != n:
            raise BundleError(
                _("{file}: notes[{n}].id: note {id} is listed twice (also notes[{first}])").format(
                    file=source, n=n, id=note.id, first=first
                )
                + "; "
                + _("nothing imported")
            )
    drafts: dict[tuple[int, int | None], int] = {}
    for n, draft in enumerate(bundle.drafts):
        if draft.item is None and bundle.format_version >= 2:
            raise BundleError(
                _("{file}: drafts[{n}].item: required field is missing").format(file=source, n=n)
                + "; "
                + _("nothing imported")
            )
        first = drafts.setdefault((draft.table, draft.item), n)
        if first != n:
            raise BundleError(
                _(
                    "{file}: drafts[{n}]: a second draft for table {table}, item {item} "
                    "(also drafts[{first}])"
                ).format(file=source, n=n, table=draft.table, item=draft.item or "-", first=first)
                + "; "
                + _("nothing imported")
            )
