"""Modal dialogs of the dialoog TUI, one a module (``edit_note`` for a note's text)."""
