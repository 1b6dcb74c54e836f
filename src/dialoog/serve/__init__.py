"""``dialoog serve``: every table's screen in a browser, one database on the host (issue 10).

:mod:`~dialoog.serve.tokens` issues and checks the links' tokens;
:mod:`~dialoog.serve.server` is textual-serve's server with a token on every door.
The package is a service floor: it starts app processes by their command line
and never imports Textual itself.
"""
