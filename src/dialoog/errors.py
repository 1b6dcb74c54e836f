"""Errors meant for people: each carries one clear line naming what is wrong."""


class DialoogError(Exception):
    """An error the command line reports in one line, with exit code 2."""


class PlanError(DialoogError):
    """A session plan file is broken; the message names the file and line or field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class StoreError(DialoogError):
    """The database cannot be used: not a dialoog database, too new, unwritable."""


class DatabaseFileChanged(StoreError):
    """The file a connection writes is no longer the file at its path (removed, replaced)."""


class NotFoundError(DialoogError):
    """A session, table, agenda item or note that does not exist was asked for."""


class DatabaseDamaged(StoreError):
    """SQLite reports the database file damaged (malformed pages, not a database any more).

    The message names the file and says what to do: ``dialoog doctor`` for the
    details, ``dialoog restore`` of a backup.
    """
