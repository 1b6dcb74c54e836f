"""The app's screens, one a module.

Home (with the table picker), capture, clock, overview, synthesis, search and
participants. Only :mod:`dialoog.tui.app` imports them, each when it is first
shown; a screen reaches the app, and through it the other screens, as a
:class:`dialoog.tui.host.Host`.
"""
