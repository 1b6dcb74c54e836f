"""The trigram index lags behind saves and catches up before it is read (m007)."""

from __future__ import annotations

from dialoog.history.search import search
from dialoog.plans import find_plan
from dialoog.storage import Store
from dialoog.storage.connection import write
from dialoog.storage.store import NewNote
from dialoog.storage.trigram import catch_up_trigram, trigram_pending


def watermark(store: Store) -> int:
    return store.db.execute("SELECT indexed_to FROM trigram_watermark").fetchone()[0]


def indexed(store: Store) -> set[int]:
    """Rowids the trigram index holds any trigram for."""
    store.db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.tv USING fts5vocab(main, notes_trigram, instance)"
    )
    return {r[0] for r in store.db.execute("SELECT DISTINCT doc FROM temp.tv")}


def check(store: Store) -> None:
    """After a catch-up the index holds exactly the live notes' trigrams.

    Compared with a fresh trigram index of the live notes, (term, note, offset)
    by (term, note, offset); FTS5's 'integrity-check' with rank 1 would also count
    soft-deleted notes as content.
    """
    catch_up_trigram(store.db)
    assert not trigram_pending(store.db)
    db = store.db
    db.execute("INSERT INTO notes_trigram (notes_trigram) VALUES ('integrity-check')")
    db.execute("CREATE VIRTUAL TABLE temp.ref USING fts5(text, tokenize='trigram')")
    db.execute(
        "INSERT INTO temp.ref (rowid, text) SELECT rowid, text FROM notes WHERE deleted_at IS NULL"
    )
    db.execute("CREATE VIRTUAL TABLE temp.got USING fts5vocab(main, notes_trigram, instance)")
    db.execute("CREATE VIRTUAL TABLE temp.want USING fts5vocab(temp, ref, instance)")
    cols = "term, doc, offset"
    diff = db.execute(
        f"SELECT * FROM (SELECT {cols} FROM temp.got EXCEPT SELECT {cols} FROM temp.want)"
        " UNION ALL SELECT * FROM"
        f" (SELECT {cols} FROM temp.want EXCEPT SELECT {cols} FROM temp.got)"
    ).fetchall()
    for name in ("got", "want", "ref"):
        db.execute(f"DROP TABLE temp.{name}")
    assert diff == []
    live = {r[0] for r in db.execute("SELECT rowid FROM notes WHERE deleted_at IS NULL")}
    assert indexed(store) == live


def test_a_save_leaves_the_trigram_index_to_the_next_search(store: Store) -> None:
    sid = store.create_session(find_plan("skills")).id
    note = store.add_note(sid, NewNote(1, 4, "Verkeersveiligheid rond de school"))
    assert trigram_pending(store.db)
    assert indexed(store) == set()
    assert watermark(store) == 0
    assert [h.id for h in search(store, "veiligheid")] == [str(note.id)]
    assert not trigram_pending(store.db)
    assert watermark(store) == 1
    # Nothing pending: a catch-up only reads.
    before = store.db.conn.total_changes
    assert catch_up_trigram(store.db) == 0
    assert store.db.conn.total_changes == before
    check(store)


def test_edits_and_deletes_on_both_sides_of_the_watermark(store: Store) -> None:
    sid = store.create_session(find_plan("skills")).id
    old = [store.add_note(sid, NewNote(1, 4, f"Kwaliteitsborging {n}")).id for n in range(3)]
    catch_up_trigram(store.db)
    new = [store.add_note(sid, NewNote(2, 4, f"Werkgeversbetrokkenheid {n}")).id for n in range(3)]
    # Below the watermark the triggers keep the index; above it they leave it alone.
    store.edit_note(old[0], text="Fietsveiligheid")
    store.delete_note(old[1])
    store.edit_note(new[0], text="Verkeersveiligheid")
    store.delete_note(new[1])
    store.delete_note(new[2])
    store.restore_note(new[2])
    assert indexed(store) == {1, 3}
    check(store)
    assert {h.id for h in search(store, "veiligheid")} == {str(old[0]), str(new[0])}
    assert {h.id for h in search(store, "betrokken")} == {str(new[2])}
    store.restore_note(old[1])
    check(store)


def test_a_rowid_used_again_below_the_watermark_is_indexed_at_once(store: Store) -> None:
    """Deleting a session deletes its notes (cascade): the highest rowid comes free again."""
    keep = store.create_session(find_plan("skills")).id
    store.add_note(keep, NewNote(1, 4, "Blijft staan"))
    gone = store.create_session(find_plan("skills"), session_id="weg").id
    store.add_note(gone, NewNote(1, 4, "Verdwijnt met de bijeenkomst"))
    store.add_note(gone, NewNote(1, 4, "Ook weg"))
    catch_up_trigram(store.db)
    assert watermark(store) == 3
    with write(store.db):
        store.db.execute("DELETE FROM sessions WHERE id = 'weg'")
    again = store.add_note(keep, NewNote(1, 4, "Schoolveiligheid"))
    rowid = store.db.execute("SELECT rowid FROM notes WHERE id = ?", [str(again.id)]).fetchone()
    assert rowid[0] <= 3  # used again
    assert indexed(store) == {1, rowid[0]}  # indexed in its own save
    check(store)
    assert [h.id for h in search(store, "veiligheid")] == [str(again.id)]
    # A pending note deleted before any catch-up never reaches the index.
    store.add_note(keep, NewNote(1, 4, "Tijdelijk"))
    store.add_note(keep, NewNote(1, 4, "Tijdelijk twee"))
    with write(store.db):
        store.db.execute("DELETE FROM sessions WHERE id = ?", [keep])
    check(store)
    assert indexed(store) == set()
