"""Modal dialogs of the dialoog TUI, one a module (``edit_note`` for a note's text, ...).

Dialogs, like screens, import neither the app nor a screen.
"""
