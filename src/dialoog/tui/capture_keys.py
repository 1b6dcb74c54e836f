"""The keys of the capture screen: kinds, questions, items, notes and leaving.

Every binding has an ``id`` (so users can rebind it) and a tooltip; the
descriptions are translated per screen by :func:`dialoog.tui.bindings.localise_bindings`.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from dialoog.i18n import N_, _
from dialoog.kinds import NoteKind
from dialoog.tui.bindings import key_rows
from dialoog.tui.kinds import KIND_KEYS

#: Browser-safe aliases of kind keys a browser keeps (F5 reloads the page).
KIND_ALIASES: dict[NoteKind, list[str]] = {NoteKind.BOTTLENECK: ["alt+n"]}


def kind_bindings() -> list[Binding]:
    """One key a note kind (F2-F8, and an alias for F5): it sets the kind of the next note."""
    names = {
        NoteKind.OBSERVATION: N_("observation"),
        NoteKind.QUOTE: N_("quote"),
        NoteKind.RECOMMENDATION: N_("recommendation"),
        NoteKind.BOTTLENECK: N_("bottleneck"),
        NoteKind.EXAMPLE: N_("good example"),
        NoteKind.QUESTION: N_("open question"),
        NoteKind.ACTION: N_("action"),
    }
    return [
        Binding(
            ",".join([key, *KIND_ALIASES.get(kind, [])]),
            f"set_kind('{kind.value}')",
            names[kind],
            show=False,  # the legend under the list shows them, with their symbols
            priority=True,
            id=f"capture.kind.{kind.value}",
            tooltip=N_("Set the kind of the next note"),
        )
        for key, kind in KIND_KEYS.items()
    ]


#: The bindings of :class:`~dialoog.tui.screens.capture.CaptureScreen`. The footer
#: shows only the keys a chair needs at once (``show``); F1 lists them all.
CAPTURE_BINDINGS: list[BindingType] = [
    # Each terminal key a browser keeps for itself (bindings.BROWSER_RESERVED) has
    # an alias after it that reaches the app in a tab of `dialoog serve` too.
    Binding(
        "f1,alt+k",
        "keys",
        N_("help"),
        priority=True,
        id="capture.keys",
        tooltip=N_("Every key of this screen, and what the kind symbols mean"),
    ),
    # "?" is the open-question mark in the input: only the list opens the keys with it.
    Binding(
        "question_mark",
        "keys",
        N_("help"),
        show=False,
        id="capture.keys.list",
        tooltip=N_("Every key of this screen (on the list; in the input ? types a question)"),
    ),
    *kind_bindings(),
    # alt+digit arrives as alt+digit only in terminals with the kitty keyboard
    # protocol; elsewhere Textual reads ESC+digit as a macOS option character
    # ("¡"), so F9, which works everywhere, is the question key in the footer.
    Binding(
        "alt+1",
        "set_question(1)",
        N_("question 1"),
        show=False,
        priority=True,
        id="capture.question.1",
        tooltip=N_("Attach the next notes to question 1 (again: to none)"),
    ),
    Binding(
        "alt+2",
        "set_question(2)",
        N_("question 2"),
        show=False,
        priority=True,
        id="capture.question.2",
        tooltip=N_("Attach the next notes to question 2 (again: to none)"),
    ),
    Binding(
        "alt+3",
        "set_question(3)",
        N_("question 3"),
        show=False,
        priority=True,
        id="capture.question.3",
        tooltip=N_("Attach the next notes to question 3 (again: to none)"),
    ),
    Binding(
        "f9",
        "cycle_question",
        N_("question"),
        priority=True,
        id="capture.question.cycle",
        tooltip=N_("Attach the next notes to question 1, 2, 3, then to none again"),
    ),
    # xterm.js (the terminal of `dialoog serve`) sends Alt+Up/Down as Ctrl+Up/Down
    # (ESC [1;5A/B) outside macOS, so those are aliases too: the footer's alt+↑ and
    # alt+↓ then work in a browser tab (tests/serve/test_serve_room.py).
    Binding(
        "ctrl+b,alt+up,ctrl+up",
        "move_item(-1)",
        N_("prev item"),
        priority=True,
        id="capture.item.previous",
        tooltip=N_("Show the previous agenda item and its notes"),
    ),
    Binding(
        "ctrl+n,alt+down,ctrl+down",
        "move_item(1)",
        N_("next item"),
        priority=True,
        id="capture.item.next",
        tooltip=N_("Show the next agenda item and its notes"),
    ),
    Binding(
        "ctrl+g,alt+g",
        "follow_programme",
        N_("follow"),
        priority=True,
        id="capture.item.follow",
        tooltip=N_("Go to the item the chair of the day has started, and follow the clock"),
    ),
    Binding(
        "ctrl+r,alt+r",
        "restore_note",
        N_("undo delete"),
        show=False,
        priority=True,
        id="capture.note.restore",
        tooltip=N_("Bring back the note deleted last"),
    ),
    Binding(
        "delete",
        "delete_note",
        N_("delete"),
        show=False,
        id="capture.note.delete",
        tooltip=N_("Delete the selected note (ctrl+r or alt+r brings it back)"),
    ),
    # Alt+Enter reaches Textual as a plain Enter (ESC CR) from xterm.js and from
    # any terminal without the kitty keyboard protocol, and would save the note;
    # Alt+J (ESC j) arrives everywhere, so it is the new-line key of a browser tab.
    Binding(
        "ctrl+j,alt+j,alt+enter",
        "newline",
        N_("new line"),
        show=False,
        # Not a priority binding: NoteInput handles these keys itself, in order
        # with the characters before them; this binding names them in the keys
        # dialog and serves when the input is not focused.
        id="capture.input.newline",
        tooltip=N_("Start a new line in the note"),
    ),
    Binding(
        "ctrl+o,alt+o",
        "overview",
        N_("overview"),
        show=False,
        priority=True,
        id="capture.overview",
        tooltip=N_("Notes of every table for the current round"),
    ),
    Binding(
        "escape",
        "back",
        N_("back"),
        id="capture.back",
        tooltip=N_("Back to the input, or leave this table (the draft is kept)"),
    ),
]


def capture_key_rows(app: App[object], screen: DOMNode) -> list[tuple[str, str, str]]:
    """Every key of the capture screen for the keys dialog: typing, then the bindings."""
    typing = [
        ("enter", _("save the note"), _("In the list: edit the selected note")),
        ("tab", _("input ⇄ list"), _("Move between the input and the notes list")),
    ]
    palette = [("^p", _("palette"), _("Search commands: other screens, sessions, the theme"))]
    return typing + key_rows(app, screen, app) + palette
