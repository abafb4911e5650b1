"""Case content: schema, the SQLite library, signed packs and importers."""

from __future__ import annotations

from pathlib import Path

from tutor.core import paths


def library_path() -> Path:
    return paths.data_dir() / "library.db"


def installed_case_count() -> int:
    """How many cases the library holds; 0 when nothing was imported yet."""
    from tutor.core.db import open_db

    path = library_path()
    if not path.exists():
        return 0
    db = open_db(path)
    try:
        return db.table("cases").count if db.table("cases").exists() else 0
    finally:
        db.close()
