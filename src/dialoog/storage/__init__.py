"""SQLite storage through sqlite-utils: connection rules, migrations, the store."""

from dialoog.storage.connection import open_database, write
from dialoog.storage.store import Store

__all__ = ["Store", "open_database", "write"]
