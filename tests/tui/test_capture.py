"""Pilot tests of the capture screen: typing, marks, kind and question keys, edit, delete."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.content import Content
from tui_pilot import SESSION, ready, settle, type_note, type_text

from dialoog.models import MAX_NOTE_LENGTH, NoteKind
from dialoog.storage.store import NewNote, Store
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.edit_note import EditNoteScreen
from dialoog.tui.kinds import KIND_KEYS
from dialoog.tui.widgets import NoteInput, NotesList


async def test_typing_with_diacritics_saves_note(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.item == 1
        await type_note(pilot, "Café-idee: één leerling’s inzicht")
        notes = store.list_notes(SESSION, table=3, item=1)
        assert [n.text for n in notes] == ["Café-idee: één leerling’s inzicht"]
        assert screen.query_one(NoteInput).text == ""
        table = screen.query_one("#notes", NotesList)
        assert table.row_count == 1
        assert str(notes[0].id) in screen.notes


async def test_every_marker_sets_kind_and_tags(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=2)
    typed = {
        '"Leren doe je samen"': (NoteKind.QUOTE, "Leren doe je samen", []),
        "“Een leven lang leren”": (NoteKind.QUOTE, "Een leven lang leren", []),
        "> Zo zei ze het": (NoteKind.QUOTE, "Zo zei ze het", []),
        "!Investeer in docenten": (NoteKind.RECOMMENDATION, "Investeer in docenten", []),
        "?Wie betaalt de scholing": (NoteKind.QUESTION, "Wie betaalt de scholing", []),
        "Te weinig tijd #knelpunt": (NoteKind.BOTTLENECK, "Te weinig tijd", []),
        "Leerbedrijf in Delft #voorbeeld": (NoteKind.EXAMPLE, "Leerbedrijf in Delft", []),
        "Rondvraag plannen #actie #mbo": (NoteKind.ACTION, "Rondvraag plannen", ["mbo"]),
        "Gewoon een observatie #skills": (
            NoteKind.OBSERVATION,
            "Gewoon een observatie",
            ["skills"],
        ),
    }
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for raw in typed:
            await type_note(pilot, raw)
    notes = store.list_notes(SESSION, table=2, item=1)
    assert [(n.kind, n.text, n.tags) for n in notes] == list(typed.values())


async def test_kind_keys_set_next_note_kind(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        for key, kind in KIND_KEYS.items():
            await pilot.press(key)
            assert screen.next_kind is kind
            await type_note(pilot, f"notitie {key}")
            # The kind applies to one note, then it is an observation again.
            assert screen.next_kind is NoteKind.OBSERVATION
        # A mark wins over the kind key.
        await pilot.press("f5")
        await type_note(pilot, "!toch een aanbeveling")
    notes = store.list_notes(SESSION, table=1, item=1)
    assert [n.kind for n in notes] == [*KIND_KEYS.values(), NoteKind.RECOMMENDATION]


async def test_question_keys_attach_notes_to_questions(db_path: Path, store: Store) -> None:
    store.set_clock(SESSION, current_item=4, state="idle")  # ronde-1: two questions
    app = create_app(db_path, session_id=SESSION, table=5)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.item == 4
        await type_note(pilot, "zonder vraag")
        await pilot.press("alt+1")
        assert screen.question == 1
        await type_note(pilot, "bij vraag één")
        await type_note(pilot, "ook bij vraag één")  # the question sticks
        await pilot.press("alt+2")
        await type_note(pilot, "bij vraag twee")
        await pilot.press("alt+3")  # ronde-1 has no third question
        assert screen.question == 2
        await pilot.press("alt+2")  # the same key again: no question
        assert screen.question is None
        await type_note(pilot, "weer zonder")
        await pilot.press("f9", "f9")
        assert screen.question == 2
        await pilot.press("f9")
        assert screen.question is None
    notes = store.list_notes(SESSION, table=5, item=4)
    assert [n.question for n in notes] == [None, 1, 1, 2, None]


async def test_newline_keys_and_multiline_note(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        note_input = screen.query_one(NoteInput)
        await type_text(pilot, "eerste regel")
        await pilot.press("ctrl+j")
        await type_text(pilot, "tweede")
        await pilot.press("shift+enter")
        await type_text(pilot, "derde")
        assert note_input.text == "eerste regel\ntweede\nderde"
        await pilot.press("enter")
        await settle(pilot)
    notes = store.list_notes(SESSION, table=3, item=1)
    assert [n.text for n in notes] == ["eerste regel\ntweede\nderde"]


async def test_a_new_line_key_arriving_fast_lands_after_the_text_before_it(
    db_path: Path,
) -> None:
    """Keys posted at once, as a fast typist, a paste or tmux sends them.

    The new-line keys were a priority binding of the screen: the app ran them
    ahead of the characters still queued at the input, and the line break
    landed mid-word ("eerst\\ne regel", seen in the tmux test under load).
    """
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        note_input = screen.query_one(NoteInput)
        note_input.focus()
        await settle(pilot)
        for key in ("ctrl+j", "alt+j"):
            note_input.clear()
            keys = [events.Key(c, c) for c in "eerste regel"]
            keys.append(events.Key(key, None))
            keys += [events.Key(c, c) for c in "tweede"]
            for event in keys:  # all posted before any is handled
                app.post_message(event)
            await settle(pilot)
            assert note_input.text == "eerste regel\ntweede", key


async def test_empty_note_gives_hint_and_is_not_saved(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")
        await type_note(pilot, "   #knelpunt ")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Empty note" in m for m in messages)
        assert screen.query_one(NoteInput).text == "   #knelpunt "
    assert store.list_notes(SESSION) == []


async def test_too_long_note_stays_in_input(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        note_input = screen.query_one(NoteInput)
        long_text = "x" * (MAX_NOTE_LENGTH + 1)
        note_input.load_text(long_text)
        await pilot.press("enter")
        await settle(pilot)
        assert note_input.text == long_text
        assert any("limit" in n.message for n in app._notifications)
    assert store.list_notes(SESSION) == []


async def test_control_characters_stripped_emoji_and_rtl_kept(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        screen.query_one(NoteInput).load_text("goed 👍 \x07idee שלום")
        await pilot.press("enter")
        await settle(pilot)
    assert [n.text for n in store.list_notes(SESSION)] == ["goed 👍 idee שלום"]


async def test_edit_adds_revision(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await type_note(pilot, "Eerste versie")
        await pilot.press("tab")  # to the list of notes
        assert screen.query_one("#notes", NotesList).has_focus
        await pilot.press("enter")  # open the note
        await settle(pilot)
        assert isinstance(app.screen, EditNoteScreen)
        edit_input = app.screen.query_one(NoteInput)
        assert edit_input.text == "Eerste versie"
        await pilot.press(*["backspace"] * len("versie"))
        await type_text(pilot, "wijziging #knelpunt")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one("#notes", NotesList)
        assert "Eerste wijziging" in str(table.get_row_at(0)[3])
        # The focus is back in the note input: the next keys are the next note.
        assert screen.query_one(NoteInput).has_focus
        await pilot.press("enter")  # an empty input: a hint, no duplicate, no edit screen
        await settle(pilot)
        assert app.screen is screen
        await type_note(pilot, "Tweede notitie")
    first, second = store.list_notes(SESSION, table=3)
    assert second.text == "Tweede notitie"
    note = first
    full = store.get_note(note.id)
    assert full.text == "Eerste wijziging"
    assert full.kind is NoteKind.BOTTLENECK
    assert [(r.action, r.text) for r in full.revisions] == [
        ("create", "Eerste versie"),
        ("edit", "Eerste wijziging"),
    ]


async def test_edit_cancelled_changes_nothing(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await type_note(pilot, "Blijft zo")
        await pilot.press("tab", "enter")
        await settle(pilot)
        await type_text(pilot, " maar niet")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(NoteInput).has_focus, "cancelled: back in the note input"
    (note,) = store.list_notes(SESSION)
    assert store.get_note(note.id).rev == 1


async def test_delete_and_undo(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await type_note(pilot, "een")
        await type_note(pilot, "twee")
        table = screen.query_one("#notes", NotesList)
        await pilot.press("tab")
        assert table.cursor_row == 1  # the newest note is selected
        await pilot.press("delete")
        await settle(pilot)
        assert [n.text for n in store.list_notes(SESSION)] == ["een"]
        assert table.row_count == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [n.text for n in store.list_notes(SESSION)] == ["een", "twee"]
        assert table.row_count == 2
    deleted = store.list_notes(SESSION, include_deleted=True)[1]
    assert [r.action for r in store.get_note(deleted.id).revisions] == [
        "create",
        "delete",
        "restore",
    ]


async def test_moving_between_items_shows_their_notes(db_path: Path, store: Store) -> None:
    app = create_app(db_path, session_id=SESSION, table=4)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        table = screen.query_one("#notes", NotesList)
        await type_note(pilot, "bij de opening")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.item == 2
        assert table.row_count == 0
        await type_note(pilot, "bij de inleiding")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await settle(pilot)
        assert screen.item == 5
        assert "Wanneer, hoe en waar" in str(screen.query_one("#capture-questions").render())
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b")
        await settle(pilot)
        assert screen.item == 1
        assert table.row_count == 1
        assert "bij de opening" in str(table.get_row_at(0)[3])
        await pilot.press("ctrl+b")  # there is nothing before the first item
        assert screen.item == 1
    assert [(n.item, n.text) for n in store.list_notes(SESSION, table=4)] == [
        (1, "bij de opening"),
        (2, "bij de inleiding"),
    ]


async def test_typing_in_the_list_goes_to_the_input(db_path: Path) -> None:
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await type_note(pilot, "een")
        await pilot.press("tab")
        assert screen.query_one("#notes", NotesList).has_focus
        await type_text(pilot, "vér")
        note_input = screen.query_one(NoteInput)
        assert note_input.has_focus
        assert note_input.text == "vér"


async def test_preview_shown_and_notes_queued_before_the_store_is_ready(
    db_path: Path, store: Store, monkeypatch
) -> None:
    """``dialoog capture`` shows the title at once; a note typed before the load is saved."""
    from dialoog.storage.peek import peek_session

    opened = slow_store(monkeypatch)
    store.save_draft(SESSION, 3, "eerder getypt", item=4)
    store.set_clock(SESSION, current_item=4, state="idle")
    preview = peek_session(db_path, SESSION, 3)
    app = create_app(db_path, session_id=SESSION, table=3, preview=preview)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.loaded
        title = str(screen.query_one("#capture-title").render())
        assert "Dialoogbijeenkomst skills van de toekomst" in title
        assert "Gespreksronde 1" in str(screen.query_one("#capture-item").render())
        await pilot.press("ctrl+n", "f9")
        await type_text(pilot, "!nog niet geladen")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(NoteInput).text == ""
        await type_text(pilot, "half")
        opened.set()
        await ready(pilot)
        assert screen.item == 5
        # The draft typed at item 4 stays there; the text typed at 5 is in the input.
        assert screen.query_one(NoteInput).text == "half"
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert screen.item == 4
        assert screen.query_one(NoteInput).text == "eerder getypt"
    notes = store.list_notes(SESSION, table=3)
    assert [(n.item, n.kind, n.question, n.text) for n in notes] == [
        (5, NoteKind.RECOMMENDATION, 1, "nog niet geladen")
    ]


async def test_enter_before_load_without_preview_keeps_the_text(
    db_path: Path, store: Store, monkeypatch
) -> None:
    opened = slow_store(monkeypatch)
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_text(pilot, "te vroeg")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(NoteInput).text == "te vroeg"
        assert any("still loading" in str(n.message) for n in app._notifications)
        opened.set()
        await ready(pilot)
        assert screen.query_one(NoteInput).text == "te vroeg"
    assert store.list_notes(SESSION, table=3) == []


def slow_store(monkeypatch):
    """Make the app's store wait (as if slow to import and open) until the event is set."""
    import threading

    from dialoog.tui.db import StoreGate

    opened = threading.Event()
    original = StoreGate.run

    def slow_run(self: StoreGate, fn):
        opened.wait(10)
        return original(self, fn)

    monkeypatch.setattr(StoreGate, "run", slow_run)
    return opened


def _screen_text(app) -> str:
    """Everything the screen writes to the terminal now, as text."""
    return "".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_stored_escapes_are_shown_not_acted_on(db_path: Path, store: Store) -> None:
    """A note stored with escapes (before they were cleaned, or from elsewhere) stays inert."""
    note = store.add_note(SESSION, NewNote(3, 1, "placeholder", tags=("t",)))
    # Behind the store's back: a database from before the fix.
    store.db.execute(
        "UPDATE notes SET text = ?, tags_json = ? WHERE id = ?",
        ["rood \x1b[31mRED\x1b]0;pwned\x07 [bold]x[/]", '["t\\u001b[2J"]', str(note.id)],
    )
    store.db.conn.commit()
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        shown = _screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "rood \\x1b[31mRED" in shown and "[bold]x[/]" in shown
        await pilot.press("tab", "enter")  # the edit dialog
        await settle(pilot)
        assert isinstance(app.screen, EditNoteScreen)
        assert "\x1b" not in app.screen.query_one(NoteInput).text
        assert "\x1b" not in _screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
    assert store.get_note(note.id).rev == 1  # opened and closed: nothing changed


async def test_error_text_is_not_read_as_markup(db_path: Path, store: Store) -> None:
    """An error whose text looks like markup is shown as it is (it crashed with MarkupError).

    A note with empty text (from a bundle, before bundles were checked) fails to
    load with pydantic's "[type=string_too_short, input_value='', ...]".
    """
    note = store.add_note(SESSION, NewNote(3, 1, "placeholder"))
    store.db.execute("UPDATE notes SET text = '' WHERE id = ?", [str(note.id)])
    store.db.conn.commit()
    app = create_app(db_path, session_id=SESSION, table=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for _ in range(3):
            await settle(pilot)
        assert app.is_running
        shown = [n for n in app._notifications if "string_too_short" in n.message]
        assert shown
        for notification in shown:
            # What a toast draws (textual.widgets._toast.Toast.render): no MarkupError.
            assert not notification.markup
            Content(notification.message)
        await type_note(pilot, "Werkt nog")
    assert "Werkt nog" in [n.text for n in store.note_records(SESSION)]
