"""Case content: schema, the SQLite library, signed packs and importers."""

from __future__ import annotations

from pathlib import Path

from tutor.core import paths


def library_path() -> Path:
    return paths.data_dir() / "library.db"


def installed_case_count() -> int:
    """How many cases the library holds; 0 when nothing was imported yet."""
    from tutor.core.content.library import Library

    if not library_path().exists():
        return 0
    library = Library()
    try:
        return library.count()
    finally:
        library.close()
