"""Pilot tests of the synthesis screen on the demo session: notes, themes, suggestions, preview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, Static
from textual.widgets.markdown import MarkdownBlock
from tui_pilot import settle, type_text, until

from dialoog.models import Note, NoteKind, Theme
from dialoog.plans import find_plan
from dialoog.storage.store import Store
from dialoog.synthesis import themes
from dialoog.synthesis.drafts import get_draft, list_drafts
from dialoog.synthesis.suggest import suggest_themes
from dialoog.tui.app import create_app
from dialoog.tui.dialogs.preview import PreviewScreen
from dialoog.tui.dialogs.suggestions import SuggestionsScreen
from dialoog.tui.dialogs.text import TextDialog
from dialoog.tui.dialogs.title import TitleDialog
from dialoog.tui.screens.home import HomeScreen
from dialoog.tui.screens.synthesis import SynthesisScreen
from dialoog.tui.synthesis_view import (
    MARK,
    NoteFilter,
    ThemeView,
    note_rows,
    theme_detail,
    theme_prompt,
)
from dialoog.tui.widgets.rows_table import RowsTable

DEMO = "demo"
ROUND_1 = 4  # ronde-1 in the skills programme
SIZE = (120, 36)


async def open_screen(pilot: Pilot, db_path: Path, session_id: str = DEMO) -> SynthesisScreen:
    """Push the synthesis screen of a session and wait until it shows its item."""
    await settle(pilot)
    screen = SynthesisScreen(session_id)
    await pilot.app.push_screen(screen)
    await until(pilot, lambda: screen.loaded, "the synthesis screen")
    return screen


def rows(screen: SynthesisScreen) -> list[Note]:
    """The notes the list shows, in order, read back from the table's row keys."""
    table = screen.query_one("#notes", RowsTable)
    by_id = {str(n.id): n for n in screen.data.notes}
    return [by_id[key] for key in table.keys]


async def test_round_notes_by_table_and_filters(db_path: Path, demo: Store) -> None:
    live = demo.list_notes(DEMO, item=ROUND_1)
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, db_path)
        assert screen.item == ROUND_1  # the first round is chosen on opening
        shown = rows(screen)
        assert {str(n.id) for n in shown} == {str(n.id) for n in live}
        assert [n.table for n in shown] == sorted(n.table for n in live)

        await pilot.press("right_square_bracket")  # next item: round 2
        await until(pilot, lambda: screen.loaded and screen.item == ROUND_1 + 1, "round 2")
        assert {n.item for n in rows(screen)} == {ROUND_1 + 1}
        screen.query_one("#item", Select).value = ROUND_1  # choose round 1 again
        await until(pilot, lambda: screen.loaded and screen.item == ROUND_1, "round 1")
        assert len(rows(screen)) == len(live)

        await pilot.press("slash")
        await type_text(pilot, "kind:quote")
        await settle(pilot)
        quotes = [n for n in live if n.kind is NoteKind.QUOTE]
        assert quotes
        assert {str(n.id) for n in rows(screen)} == {str(n.id) for n in quotes}

        screen.query_one("#filter").value = "q:2 #mbo"
        await settle(pilot)
        wanted = {str(n.id) for n in live if n.question == 2 and "mbo" in n.tags}
        assert wanted
        assert {str(n.id) for n in rows(screen)} == wanted
        assert "of 40 notes" in str(screen.query_one("#synthesis-status", Static).render())

        await pilot.press("enter", "escape")  # filter done, then leave the screen
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")


def test_filter_grammar() -> None:
    spec = NoteFilter.parse("kind:rec k:bott q:1 #DIGI Kennis is:free")
    assert set(spec.kinds) == {"recommendation", "bottleneck"}
    assert spec.questions == (1,)
    assert spec.tags == ("digi",)
    assert spec.words == ("kennis",)
    assert spec.unthemed
    assert NoteFilter.parse("kind:nonsense").kinds == ("-",)


def test_rows_and_theme_texts_without_a_terminal() -> None:
    now = dt.datetime(2015, 2, 19, 10, 0, tzinfo=dt.UTC)

    def note(table: int, text: str, kind: NoteKind = NoteKind.OBSERVATION) -> Note:
        return Note(session_id=DEMO, table=table, item=ROUND_1, kind=kind, text=text,
                    created_at=now, updated_at=now)  # fmt: skip

    notes = [note(1, "een"), note(1, "twee\nregels"), note(2, "drie", NoteKind.QUOTE)]
    marked = {str(notes[1].id)}
    rows = note_rows(notes, marked, {str(notes[2].id): [1, 3]})
    assert [key for key, _cells in rows] == [str(n.id) for n in notes]
    cells = [c for _key, c in rows]
    assert [c[0] for c in cells] == ["", MARK, ""]
    assert [(c[1].plain, c[1].style) for c in cells] == [("1", "bold"), ("1", "dim"), ("2", "bold")]
    assert cells[1][5].plain == "twee regels" and cells[2][4] == "1,3"

    theme = Theme(id=7, session_id=DEMO, item=ROUND_1, title="Eigenaarschap", contested=True,
                  note_ids=[n.id for n in notes])  # fmt: skip
    view = ThemeView(theme, tables=(1, 2), of=4, quotes=(notes[2],))
    prompt = theme_prompt(2, view).plain
    assert prompt.startswith("2. Eigenaarschap") and "contested" in prompt
    assert "2 of 4 tables · 3 notes · 1 quote" in prompt
    detail = theme_detail(view, "fr").plain  # not nl or en: the English phrase
    assert "Tables: 1, 2" in detail and "“drie” (table 2)" in detail
    assert "No synthesis yet" in detail


async def test_themes_create_assign_write_contest_order(db_path: Path, demo: Store) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, db_path)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TitleDialog), "the title dialog")
        await type_text(pilot, "Kritisch denken")
        await pilot.press("enter")
        await until(pilot, lambda: screen.data and len(screen.data.themes) == 1, "the theme")
        (theme,) = themes.list_themes(demo, DEMO, ROUND_1)
        assert theme.title == "Kritisch denken" and theme.note_ids == []

        screen.query_one("#notes", RowsTable).focus()
        await pilot.press("down", "space", "space")  # mark the 2nd and 3rd notes
        first_two = rows(screen)[1:3]
        assert screen.marked == {str(n.id) for n in first_two}
        await pilot.press("a")
        await until(pilot, lambda: screen.data.themes[0].theme.note_ids, "the assignment")
        stored = themes.get_theme(demo, theme.id)
        assert {str(i) for i in stored.note_ids} == {str(n.id) for n in first_two}
        assert not screen.marked
        tables = {n.table for n in first_two}
        coverage = screen.data.themes[0].coverage
        assert coverage == f"{len(tables)} of 8 tables"
        prompt = str(screen.query_one("#themes", OptionList).get_option_at_index(0).prompt)
        assert coverage in prompt
        assert screen.data.theme_numbers[str(first_two[0].id)] == [1]

        screen.query_one("#notes", RowsTable).focus()
        screen.query_one("#notes", RowsTable).move_cursor(row=2)  # the 3rd note, unmarked
        await pilot.press("u")  # nothing marked: the note under the cursor leaves the theme
        await until(
            pilot, lambda: len(screen.data.themes[0].theme.note_ids) == 1, "the unassignment"
        )
        assert [str(i) for i in themes.get_theme(demo, theme.id).note_ids] == [str(first_two[0].id)]
        screen.query_one("#notes", RowsTable).move_cursor(row=2)
        await pilot.press("a")  # and back in, to go on with two notes
        await until(
            pilot, lambda: len(screen.data.themes[0].theme.note_ids) == 2, "the reassignment"
        )

        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the synthesis dialog")
        await type_text(pilot, "Aan verschillende tafels wordt kritisch denken genoemd.")
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: screen.data.themes[0].theme.synthesis, "the synthesis to be saved"
        )
        assert (
            themes.get_theme(demo, theme.id).synthesis
            == "Aan verschillende tafels wordt kritisch denken genoemd."
        )
        assert "kritisch denken genoemd" in str(screen.query_one("#theme-detail").render())

        await pilot.press("c")
        await until(pilot, lambda: screen.data.themes[0].theme.contested, "contested")
        assert themes.get_theme(demo, theme.id).contested

        second = themes.create_theme(demo, DEMO, ROUND_1, "Programmeren")
        screen.reload_item()
        await until(pilot, lambda: len(screen.data.themes) == 2, "the second theme")
        screen.query_one("#themes", OptionList).highlighted = 1
        await pilot.press("less_than_sign")  # move "Programmeren" up
        await until(pilot, lambda: screen.data.themes[0].id == second.id, "the new order")
        assert [t.id for t in themes.list_themes(demo, DEMO, ROUND_1)] == [second.id, theme.id]
        assert screen.selected_theme().id == second.id  # the moved theme stays highlighted

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, TitleDialog), "the rename dialog")
        app.screen.query_one("#title-input").value = "Programmeren als basis"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: screen.data.themes[0].theme.title == "Programmeren als basis",
            "the new title",
        )


async def test_accept_and_reject_suggestions(db_path: Path, demo: Store) -> None:
    groups = suggest_themes(demo, DEMO, ROUND_1)
    assert len(groups) >= 2
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, db_path)
        await pilot.press("s")
        await until(
            pilot,
            lambda: isinstance(app.screen, SuggestionsScreen) and app.screen.loaded,
            "suggestions",
        )
        modal = app.screen
        options = modal.query_one("#suggestions", OptionList)
        assert options.option_count == len(groups)
        assert groups[0].keywords[0] in str(options.get_option_at_index(0).prompt)
        await pilot.press("x")  # reject the first: nothing is written
        await settle(pilot)
        assert options.option_count == len(groups) - 1
        assert themes.list_themes(demo, DEMO, ROUND_1) == []
        await pilot.press("enter")  # accept what was the second
        await until(pilot, lambda: screen.data and screen.data.themes, "the accepted theme")
        (made,) = themes.list_themes(demo, DEMO, ROUND_1)
        assert {str(i) for i in made.note_ids} == set(groups[1].note_ids)
        assert made.title.casefold() == groups[1].label.casefold()
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the synthesis screen")
        assert screen.data.themes[0].tables == tuple(groups[1].tables)


async def test_summary_of_keynote(db_path: Path, demo: Store) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, db_path)
        await pilot.press("left_square_bracket", "left_square_bracket")  # panel, then keynote
        await until(pilot, lambda: screen.loaded and screen.item == 2, "the keynote")
        assert screen.query_one("#summary").display
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), "the summary dialog")
        assert "Borghans" in str(app.screen.query_one("#text-help").render())  # notes in view
        await type_text(pilot, "Borghans schetst acht vragen.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.data.summary, "the summary")
        assert themes.summaries(demo, DEMO)[2] == "Borghans schetst acht vragen."
        assert "acht vragen" in str(screen.query_one("#summary").render())


async def test_preview_renders_and_keeps_a_draft(db_path: Path, demo: Store) -> None:
    notes = demo.list_notes(DEMO, item=ROUND_1)
    themes.create_theme(demo, DEMO, ROUND_1, "Leven lang leren", note_ids=[notes[0].id])
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, db_path)
        await pilot.press("p")
        await until(
            pilot,
            lambda: isinstance(app.screen, PreviewScreen) and app.screen.markdown,
            "the preview",
        )
        preview = app.screen
        assert "Leven lang leren" in preview.markdown
        await settle(pilot)
        shown = " ".join(str(block._content) for block in preview.query(MarkdownBlock))
        assert "Leven lang leren" in shown
        (draft,) = list_drafts(demo, DEMO)
        assert (draft.template, draft.format) == ("verslag", "md")
        assert f"Draft {draft.id}" in str(preview.query_one("#preview-title").render())


async def test_english_session_previews_the_report_template(db_path: Path, store: Store) -> None:
    plan = find_plan("skills").model_copy(update={"language": "en"})
    store.create_session(plan, session_id="english")
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, db_path, "english")
        await pilot.press("p")
        await until(
            pilot,
            lambda: isinstance(app.screen, PreviewScreen) and app.screen.markdown,
            "the preview",
        )
        (draft,) = list_drafts(store, "english")
        assert (draft.template, draft.format) == ("report", "md")
        assert get_draft(store, draft.id).output.decode("utf-8") == app.screen.markdown


async def test_home_opens_synthesis(db_path: Path, demo: Store) -> None:
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        home = app.screen
        await until(pilot, lambda: len(home.sessions) == 2, "the sessions")
        selected = home._selected_id()
        await pilot.press("s")
        await until(
            pilot,
            lambda: isinstance(app.screen, SynthesisScreen) and app.screen.loaded,
            "the synthesis screen",
        )
        assert app.screen.session_id == selected


OWNERS = [SynthesisScreen, TitleDialog, TextDialog, SuggestionsScreen, PreviewScreen]


def test_every_binding_has_id_and_tooltip() -> None:
    bindings = [b for owner in OWNERS for b in owner.BINDINGS]
    assert all(isinstance(b, Binding) and b.id and b.tooltip for b in bindings)
    ids = [b.id for b in bindings]
    assert len(ids) == len(set(ids))


async def test_large_lists_filter_when_typing_pauses(
    db_path: Path, demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dialoog.tui.screens import synthesis as synthesis_screen

    monkeypatch.setattr(synthesis_screen, "DEBOUNCE_FROM", 10)  # the demo round counts as large
    app = create_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, db_path)
        everything = len(rows(screen))
        screen.query_one("#filter").value = "kind:quote"
        await pilot.pause()
        assert len(rows(screen)) == everything  # not yet: typing may go on
        await pilot.pause(synthesis_screen.FILTER_DELAY + 0.2)
        assert {n.kind for n in rows(screen)} == {NoteKind.QUOTE}
