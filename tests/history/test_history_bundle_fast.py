"""The quick checks of a bundle import give the answers of the long ones.

An export writes the canonical form, so an import can check the checksum on
the file's bytes as they stand.
Whatever is not exactly as exported (re-indented by hand, an older export, a
changed byte) takes the long way and is accepted or refused as before.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dialoog.history.bundle import export_bundle, import_file
from dialoog.history.bundle_format import (
    MAX_DEPTH,
    BundleError,
    _as_exported,
    canonical,
    intact_as_written,
    parse_bundle,
)
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.store import NewNote


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A bundle of a session with a few notes, one edited (accents, a quote, a bracket)."""
    with Store.open(tmp_path / "source.db") as store:
        session = store.create_session(find_plan("skills"))
        ids = store.add_notes(
            session.id,
            [NewNote(1, 4, 'Financiële "ruimte" [voor] {scholen}'), NewNote(2, 4, "Zorg \\ werk")],
        )
        store.edit_note(ids[0], text="Financiële ruimte, herzien")
        path = tmp_path / "bundle.json"
        export_bundle(store, session.id, path)
    return path


def imported(tmp_path: Path, raw: bytes, name: str) -> int:
    """Import ``raw`` into a fresh database; the number of notes it then holds."""
    path = tmp_path / f"{name}.json"
    path.write_bytes(raw)
    with Store.open(tmp_path / f"{name}.db") as store:
        import_file(store, path)
        return store.db.execute("SELECT count(*) FROM notes").fetchone()[0]


def test_an_export_is_canonical_and_checked_as_it_stands(exported: Path) -> None:
    raw = exported.read_bytes()
    data = json.loads(raw)
    assert raw == canonical(data) + b"\n"
    assert intact_as_written(raw)


def test_reindented_bundles_take_the_long_way_and_are_accepted(
    exported: Path, tmp_path: Path
) -> None:
    data = json.loads(exported.read_bytes())
    pretty = json.dumps(data, indent=2, ensure_ascii=False).encode()
    old_style = json.dumps(data, ensure_ascii=False).encode() + b"\n"  # before this change
    for name, raw in (("pretty", pretty), ("old", old_style)):
        assert not intact_as_written(raw)
        assert imported(tmp_path, raw, name) == 2


@pytest.mark.parametrize("where", ["body", "checksum", "end"])
def test_a_changed_byte_is_refused_on_both_ways(exported: Path, where: str) -> None:
    raw = bytearray(exported.read_bytes())
    if where == "body":
        at = raw.index(b"herzien")
        raw[at] = ord("H")
    elif where == "checksum":
        at = raw.index(b"sha256:") + 7
        raw[at] = ord("0") if raw[at] != ord("0") else ord("1")
    else:
        raw[-1:] = b" \n"  # still valid JSON, no longer as exported
    raw_bytes = bytes(raw)
    if where == "end":
        assert not intact_as_written(raw_bytes)
        assert parse_bundle(raw_bytes, "b.json").checksum  # the long way accepts it
        return
    assert not intact_as_written(raw_bytes)
    with pytest.raises(BundleError, match="checksum mismatch"):
        parse_bundle(raw_bytes, "b.json")


def test_a_forged_head_with_its_own_hash_still_needs_the_data_to_match(exported: Path) -> None:
    """The bytes' hash proves the bytes; a body edited and re-hashed is a new, valid bundle."""
    raw = exported.read_bytes()
    head_end = raw.index(b'",') + 2
    body = b"{" + raw[head_end:-1].replace(b"herzien", b"gewijzigd")
    forged = b'{"checksum":"sha256:' + hashlib.sha256(body).hexdigest().encode() + b'",'
    forged += body[1:] + b"\n"
    assert intact_as_written(forged)
    data = json.loads(forged)
    assert parse_bundle(forged, "b.json").checksum == data["checksum"]


def test_too_deep_is_still_refused_naming_the_place() -> None:
    deep: object = "x"
    for _ in range(MAX_DEPTH + 1):
        deep = {"a": deep}
    raw = json.dumps({"format": "dialoog-bundle", "x": deep}).encode()
    with pytest.raises(BundleError, match="nested deeper"):
        parse_bundle(raw, "deep.json")


def _forged(data: dict, ensure_ascii: bool = False) -> bytes:
    """``data`` written as an export writes it, with a checksum that holds for its bytes."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=ensure_ascii, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return b'{"checksum":"sha256:' + digest.encode() + b'",' + text[1:].encode() + b"\n"


def test_the_quick_road_reads_what_the_long_one_reads(exported: Path) -> None:
    raw = exported.read_bytes()
    quick = _as_exported(raw)
    assert quick is not None
    data = json.loads(raw)
    long_way = parse_bundle((json.dumps(data, indent=1, ensure_ascii=False)).encode(), "b.json")
    assert quick == long_way


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format_version="2"), "format_version: expected a whole number"),
        (lambda d: d.update(format_version=99), "made by a newer dialoog"),
        (lambda d: d["notes"][0].update(text="a\ud800b"), "surrogate"),
        (
            lambda d: d["notes"][0].update(tags=[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]),
            "nested deeper",
        ),
        (lambda d: d["notes"][0].update(table=0), r"notes\[0\]\.table: Input should be greater"),
        (lambda d: d.update(format="iets-anders"), "not a dialoog bundle"),
    ],
)
def test_a_forged_intact_bundle_gets_the_long_roads_refusal(
    exported: Path, change, message
) -> None:
    data = json.loads(exported.read_bytes())
    change(data)
    raw = _forged(data, ensure_ascii=True)
    assert intact_as_written(raw)
    assert _as_exported(raw) is None
    with pytest.raises(BundleError, match=message):
        parse_bundle(raw, "b.json")
