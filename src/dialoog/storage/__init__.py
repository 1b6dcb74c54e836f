"""SQLite storage through sqlite-utils: connection rules, migrations, the store.

``Store``, ``open_database`` and ``write`` are imported on first use (PEP 562), so
that :mod:`dialoog.storage.peek` (standard library only, on the start-up path of
``dialoog capture``) can be imported without pydantic and sqlite-utils.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dialoog.storage.connection import open_database, write
    from dialoog.storage.store import Store

#: Where each name of the package lives; imported when first asked for.
_LAZY = {
    "Store": "dialoog.storage.store",
    "open_database": "dialoog.storage.connection",
    "write": "dialoog.storage.connection",
}

__all__ = ["Store", "open_database", "write"]


def __getattr__(name: str) -> Any:
    """Import ``Store``, ``open_database`` and ``write`` from their modules on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
