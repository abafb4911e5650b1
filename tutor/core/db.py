"""Opening the tutor's SQLite databases the same way everywhere.

WAL journal (readers never block the writer), foreign keys on, and a busy timeout so a reader in
another process waits instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_db(path: Path | str) -> sqlite_utils.Database:
    return sqlite_utils.Database(connect(path))
