"""History across sessions: search, reuse as a template, offline bundles, backups.

Built on :mod:`dialoog.storage`; nothing here imports Textual, so the command
line, the tests and a future search screen share the same functions.
"""
