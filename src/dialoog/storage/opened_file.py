"""Which file a connection opened, with the standard library alone.

Both the store (:mod:`dialoog.storage.connection`, which imports sqlite-utils)
and the quick path of small commands (:mod:`dialoog.storage.quick`, which must
not) check before and after every commit that the database's path still names
the file they opened; this is that one check.
"""

from __future__ import annotations

from pathlib import Path

from dialoog.errors import DatabaseFileChanged


class OpenedFile:
    """Which file a connection opened, to notice when its path stops naming it.

    SQLite goes on writing into a database file that was removed (``rm
    dialoog.db*``) or replaced (a ``mv`` over it) and reports success: the notes
    then live in a file nobody can open again. :func:`write` compares the file
    at the path with the one opened, before and after every commit (and so does
    the quick path of small commands).
    """

    def __init__(self, path: Path, identity: tuple[int, int] | None = None) -> None:
        """``identity`` is the file's (device, inode) when the caller took it already."""
        self.path = path
        if identity is None:
            st = path.stat()
            identity = (st.st_dev, st.st_ino)
        self.identity = identity

    def check(self, *, committed: bool = False) -> None:
        """Raise :class:`DatabaseFileChanged` unless ``path`` is still the opened file."""
        try:
            st = self.path.stat()
            same = (st.st_dev, st.st_ino) == self.identity
        except FileNotFoundError:
            same, what = False, "removed"
        else:
            what = "replaced by another file"
        if same:
            return
        if committed:
            raise DatabaseFileChanged(
                f"{self.path}: the database file was {what} while saving; "
                "this change may be lost, nothing further is saved there"
            )
        raise DatabaseFileChanged(
            f"{self.path}: the database file was {what} while in use; nothing was saved"
        )
