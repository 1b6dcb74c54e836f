"""Synthesis: from notes to a draft report.

``context`` builds the documented report context, ``themes`` stores themes and
example initiatives, ``suggest`` proposes theme groups, ``render`` renders Jinja
templates to Markdown, HTML and Word, and ``drafts`` keeps every render.
"""
