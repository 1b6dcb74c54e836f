"""How note kinds look on screen: a one-cell symbol and a colour per kind."""

from __future__ import annotations

from rich.text import Text

from dialoog.i18n import kind_label
from dialoog.kinds import KIND_SYMBOLS, NoteKind

#: Colours readable on both the light and the dark themes.
KIND_STYLES: dict[NoteKind, str] = {
    NoteKind.OBSERVATION: "",
    NoteKind.QUOTE: "bold magenta",
    NoteKind.RECOMMENDATION: "bold green",
    NoteKind.BOTTLENECK: "bold red",
    NoteKind.EXAMPLE: "bold dodger_blue2",
    NoteKind.QUESTION: "bold dark_orange",
    NoteKind.ACTION: "bold cyan",
}

#: The kind keys of the capture screen, in footer order.
KIND_KEYS: dict[str, NoteKind] = {
    "f2": NoteKind.OBSERVATION,
    "f3": NoteKind.QUOTE,
    "f4": NoteKind.RECOMMENDATION,
    "f5": NoteKind.BOTTLENECK,
    "f6": NoteKind.EXAMPLE,
    "f7": NoteKind.QUESTION,
    "f8": NoteKind.ACTION,
}


def legend_entries(*, keys: bool = True) -> list[Text]:
    """Every kind's key, symbol and name, e.g. ``f5 ▲ bottleneck``, one entry a kind."""
    by_kind = {kind: key for key, kind in KIND_KEYS.items()}
    entries = []
    for kind in NoteKind:
        entry = Text()
        if keys and kind in by_kind:
            entry.append(by_kind[kind] + " ", style="bold")
        entry.append(f"{KIND_SYMBOLS[kind]} {kind_label(kind.value)}", style=KIND_STYLES[kind])
        entries.append(entry)
    return entries


def kind_legend(width: int | None = None, *, keys: bool = True) -> Text:
    """The legend of the kinds, in lines of at most ``width`` cells (one line if None).

    A line breaks between entries, never inside one: ``good example`` stays whole.
    """
    lines: list[Text] = [Text()]
    for entry in legend_entries(keys=keys):
        line = lines[-1]
        if line and width is not None and line.cell_len + 2 + entry.cell_len > width:
            lines.append(Text())
            line = lines[-1]
        if line:
            line.append("  ")
        line.append_text(entry)
    return Text("\n").join(lines)


def kind_symbol(kind: NoteKind | str) -> Text:
    """The kind's symbol in its colour."""
    kind = NoteKind(kind)
    return Text(KIND_SYMBOLS[kind], style=KIND_STYLES[kind])


def kind_badge(kind: NoteKind | str) -> Text:
    """Symbol and translated name, e.g. ``▲ bottleneck``, in the kind's colour."""
    kind = NoteKind(kind)
    return Text(f"{KIND_SYMBOLS[kind]} {kind_label(kind.value)}", style=KIND_STYLES[kind])
