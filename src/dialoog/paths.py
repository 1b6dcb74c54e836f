"""Where dialoog keeps its database and finds its bundled plans and templates."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "dialoog"
DB_FILENAME = "dialoog.db"


def home_dir() -> Path:
    """The user data directory; ``DIALOOG_HOME`` overrides platformdirs' choice."""
    env = os.environ.get("DIALOOG_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only here: it imports tempfile, shutil, lzma (ms a small command notices)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database used when no ``--db`` is given."""
    return home_dir() / DB_FILENAME


def _data_dir(name: str) -> Path:
    """A folder shipped with dialoog: inside the wheel, or at the repo root."""
    packaged = Path(__file__).parent / "data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def bundled_sessions_dir() -> Path:
    """The session plans that come with dialoog (the SER meetings and examples)."""
    return _data_dir("sessions")


def bundled_templates_dir() -> Path:
    """The report templates that come with dialoog."""
    return _data_dir("templates")


def user_plans_dir() -> Path:
    """The user's own plan folder, listed beside the bundled plans."""
    return home_dir() / "sessions"
