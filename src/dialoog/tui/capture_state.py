"""What the capture screen holds that is typed but not yet a saved note.

Three kinds of text must survive anything short of a lost disk:

- notes sent to the store and not yet committed (shown as "saving…"),
- text typed at the item shown, in the input,
- text typed at another agenda item and left there when the chair (or the
  clock) moved on; it comes back when the chair returns to that item.

:class:`CaptureState` keeps the first and the last, knows the item shown, and
says for each item the text a draft must hold (``unsaved_text``) and which
drafts changed since they were last sent to the store. It imports neither
Textual nor the store: the screen passes it what is in the input and does the
writing, and the tests drive it without a terminal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable


def _join(*parts: str) -> str:
    """The non-empty ``parts``, one after the other on their own lines."""
    return "\n".join(p for p in parts if p)


class CaptureState:
    """The capture screen's notes being saved and half-typed drafts, per agenda item.

    ``typed`` arguments are what the input holds now (for the item shown).
    """

    def __init__(self, item: int = 1) -> None:
        self.item = item
        """The agenda item shown (1-based position); the input's text belongs to it."""
        self.loaded = False
        """Whether the drafts stored for this table have been read back (:meth:`restore`)."""
        self.pending: dict[str, tuple[int, str]] = {}
        """Notes sent to the store and not yet committed: row key -> (item, text)."""
        self.drafts: dict[int, str] = {}
        """Unsaved text typed at other agenda items than the one shown, by item."""
        self.draft_saved: dict[int, str] = {}
        """The draft text last sent to the store, by item."""
        self.left_input = ""
        """What the input held when the chair left the table (the screen is gone)."""
        self._ids = itertools.count(1)

    # -- notes being saved ------------------------------------------------------

    def queue(self, text: str, item: int | None = None) -> str:
        """Note ``text``, typed at ``item`` (the shown one), is being saved: its row key."""
        key = f"pending-{next(self._ids)}"
        self.pending[key] = (self.item if item is None else item, text)
        return key

    def saved(self, key: str) -> None:
        """The store committed the note queued as ``key``: it is no longer unsaved."""
        self.pending.pop(key, None)

    def refused(self, key: str, typed: str) -> str | None:
        """The store refused the note queued as ``key``: its text goes back where it was typed.

        Typed at another item, it goes in front of that item's draft and this
        returns None. Typed at the item shown, this returns the new text of the
        input: the refused text in front of ``typed``.
        """
        entry = self.pending.pop(key, None)
        if entry is None:
            return None
        item, text = entry
        if item != self.item:
            self.drafts[item] = _join(text, self.drafts.get(item, ""))
            return None
        return _join(text, typed)

    def pending_at(self, item: int) -> list[tuple[str, str]]:
        """(row key, text) of the notes typed at ``item`` and still being saved, in order."""
        return [(key, text) for key, (at, text) in self.pending.items() if at == item]

    # -- agenda items -----------------------------------------------------------

    def switch(self, item: int, typed: str) -> str | None:
        """Show ``item``: ``typed`` stays with the item left, ``item``'s own text comes back.

        Returns the new text of the input, or None when neither item has any
        (the input is left alone).
        """
        if typed:
            self.drafts[self.item] = typed
        arriving = self.drafts.pop(item, "")
        self.item = item
        if not typed and not arriving:
            return None
        return arriving

    def restore(self, stored: dict[int, str], agenda_length: int, typed: str) -> str | None:
        """Take in the drafts read back from the store; then drafts may be written.

        What was typed before they were read (at this item or at others) is
        kept after the stored text. Drafts of items the agenda does not have
        are ignored. Returns the new text of the input, or None to leave it.
        """
        drafts = {i: t for i, t in stored.items() if 1 <= i <= agenda_length}
        self.draft_saved = dict(drafts)
        for item, text in self.drafts.items():
            drafts[item] = _join(drafts.get(item, ""), text)
        arriving = drafts.pop(self.item, "")
        self.drafts = drafts
        self.loaded = True
        return _join(arriving, typed) if arriving else None

    # -- drafts -----------------------------------------------------------------

    def unsaved_text(self, item: int, typed: str) -> str:
        """The text at ``item`` that must survive a crash.

        Notes typed there and still being saved, then what is in the input (for
        the shown item) or what was left typed there (for another item).
        """
        left = typed if item == self.item else self.drafts.get(item, "")
        return _join(*(text for _key, text in self.pending_at(item)), left)

    def draft_items(self) -> list[int]:
        """The agenda items that have, or had, unsaved text at this table."""
        items = {self.item, *self.drafts, *self.draft_saved}
        items.update(item for item, _text in self.pending.values())
        return sorted(items)

    def draft_texts(self, items: Iterable[int] | None, typed: str) -> dict[int, str]:
        """The draft each of ``items`` (all :meth:`draft_items` if None) must hold now."""
        return {i: self.unsaved_text(i, typed) for i in items or self.draft_items()}

    def changed_drafts(self, typed: str) -> list[int]:
        """The items whose draft differs from what was last sent, now counted as sent.

        Before :meth:`restore` nothing is reported: a stored draft not yet read
        back must not be overwritten.
        """
        if not self.loaded:
            return []
        texts = self.draft_texts(None, typed)
        changed = [i for i, text in texts.items() if text != self.draft_saved.get(i, "")]
        self.draft_saved.update({i: texts[i] for i in changed})
        return changed
