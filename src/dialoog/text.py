"""Text shared by every layer: cleaning what comes in, making safe what goes out, folding.

What comes in (typing, ``notes import``, participant CSVs, plan files, tags,
session titles) passes :func:`clean_text` or :func:`clean_line`, the one
definition of what dialoog stores:

* control characters (C0, DEL, C1) are dropped, except newline and tab; so an
  ``ESC [2J`` (clear screen), ``ESC ]52;…BEL`` (clipboard write) or
  ``ESC ]0;…BEL`` (window title) loses the bytes that make it an escape;
* what Python and Word count as a line break (``\\r\\n``, ``\\r``, vertical tab,
  form feed, the file/group/record separators, ``NEL``, U+2028, U+2029) becomes
  ``\\n``: Word writes a manual line break as a vertical tab;
* a lone surrogate (``\\ud800``, from JSON or a broken argument) becomes U+FFFD,
  the replacement character: SQLite cannot store it and the note should not be
  lost for one bad character;
* the text is put in NFC form, so "é" typed two ways is stored one way.

What goes out to a terminal (every CLI line with user text, every screen)
passes :func:`terminal_safe`, which writes any control character still present
(an old database, a bundle from elsewhere) as a visible ``\\x1b`` escape.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters and DEL, but not tab (\x09) and newline (\x0a).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line boundaries of str.splitlines() other than \n, and \r\n first so it is one break.
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")
# What terminal_safe changes: controls other than \n and \t, line separators, surrogates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves unescaped and a terminal may act on.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` as dialoog stores it: no control characters but newline and tab.

    Line breaks of every kind become ``\\n``, lone surrogates U+FFFD, and the
    text is put in NFC form (see the module docstring). Emoji and right-to-left
    text are kept as typed. Nothing is stripped: that is up to the caller.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = _LINE_BREAK.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """``text`` cleaned as by :func:`clean_text`, on one line: runs of whitespace one space.

    For what is shown on one line: a tag, a title, a name, an organisation.
    """
    return _WHITESPACE_RUN.sub(" ", clean_text(text)).strip()


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\u2028\u2029":
        return "\n"
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return f"\\x{ord(char):02x}"


def _escape_one_line(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\n\t\u2028\u2029":
        return " "
    return _escape(match)


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` as it may be written to a terminal: no control character acts.

    Control characters other than newline and tab are written as a visible
    escape (``ESC`` as ``\\x1b``), U+2028 and U+2029 as a newline, and a lone
    surrogate (which no terminal encoding can write) as U+FFFD. With
    ``one_line``, newlines and tabs become spaces, for lines of a table.
    Text without any of these is returned as it is, at the cost of one search.
    """
    if one_line:
        return (
            _UNSAFE_ONE_LINE.sub(_escape_one_line, text) if _UNSAFE_ONE_LINE.search(text) else text
        )
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def json_terminal_safe(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with C1 controls escaped.

    ``json.dumps`` escapes C0 controls but writes DEL, the C1 controls (``\\x9b``
    is a CSI in some terminals), U+2028/U+2029 and lone surrogates as they are;
    each can only stand inside a JSON string, where ``\\u009b`` means the same.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: casefolded, diacritics removed.

    ``fold("Coördinatie")`` is ``"coordinatie"``. Used wherever people type a word
    and expect to find it whatever its accents (search, the synthesis filter,
    suggestions). Participant sorting has a stricter form of its own
    (``participants.sorting.fold``), which also drops punctuation.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
