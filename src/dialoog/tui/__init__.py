"""The Textual app: table chairs capture notes, the chair of the day runs the clock.

Only this package imports Textual; the domain, storage and synthesis layers
work without a terminal. The entry point is :func:`dialoog.tui.app.create_app`.
"""
