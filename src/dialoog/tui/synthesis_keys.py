"""The keys of the synthesis screen: items, filter, marking and assigning notes, themes.

Every binding has an ``id`` (so users can rebind it) and a tooltip; the
descriptions are translated per screen by :func:`dialoog.tui.bindings.localise_bindings`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from dialoog.i18n import N_

SYNTHESIS_BINDINGS: list[BindingType] = [
    Binding("escape", "back", N_("back"), id="synthesis.back",
            tooltip=N_("Back to the previous screen")),
    Binding("right_square_bracket", "next_item", N_("next item"), id="synthesis.next_item",
            tooltip=N_("Work on the next agenda item"), show=False),
    Binding("left_square_bracket", "previous_item", N_("previous item"),
            id="synthesis.previous_item", tooltip=N_("Work on the previous agenda item"),
            show=False),
    Binding("slash", "filter", N_("filter"), id="synthesis.filter",
            tooltip=N_("Filter notes: kind:quote q:1 #tag is:free or words")),
    Binding("space", "mark", N_("mark"), id="synthesis.mark",
            tooltip=N_("Mark or unmark the note (then assign all marked notes)")),
    Binding("a", "assign", N_("assign"), id="synthesis.assign",
            tooltip=N_("Put the marked notes (or this note) in the highlighted theme")),
    # not in the footer, which is full: the assign message names the key
    Binding("z,ctrl+z", "undo", N_("undo"), id="synthesis.undo", show=False,
            tooltip=N_("Undo the last assign or take-out (z or ctrl+z)")),
    Binding("u", "unassign", N_("take out"), id="synthesis.unassign",
            tooltip=N_("Take the marked notes (or this note) out of the highlighted theme")),
    Binding("n", "new_theme", N_("new theme"), id="synthesis.new_theme",
            tooltip=N_("Create a theme for this item (with the marked notes)")),
    Binding("r", "rename", N_("rename"), id="synthesis.rename",
            tooltip=N_("Give the highlighted theme a new title")),
    Binding("e", "edit_synthesis", N_("synthesis"), id="synthesis.edit",
            tooltip=N_("Write the synthesis paragraph of the highlighted theme")),
    Binding("c", "contested", N_("contested"), id="synthesis.contested",
            tooltip=N_("Mark the highlighted theme as contested, or not")),
    Binding("less_than_sign", "move(-1)", N_("up"), id="synthesis.move_up",
            tooltip=N_("Move the highlighted theme one place up"), show=False),
    Binding("greater_than_sign", "move(1)", N_("down"), id="synthesis.move_down",
            tooltip=N_("Move the highlighted theme one place down"), show=False),
    Binding("s", "suggest", N_("suggest"), id="synthesis.suggest",
            tooltip=N_("Suggest themes: groups of similar notes from several tables")),
    Binding("l", "more_like", N_("more like this"), id="synthesis.more_like",
            tooltip=N_("Notes in no theme, closest to the highlighted theme first")),
    Binding("m", "summary", N_("summary"), id="synthesis.summary",
            tooltip=N_("Write the summary of a keynote, panel or presentation")),
    Binding("p", "preview", N_("preview"), id="synthesis.preview",
            tooltip=N_("Render the Markdown draft of the report (kept in the drafts)")),
]  # fmt: skip
