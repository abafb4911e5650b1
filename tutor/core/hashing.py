"""SHA-256 of large files, with a cache keyed by (path, size, mtime) so checks stay cheap."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.core import paths

CHUNK = 1 << 20


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


def _cache_file() -> Path:
    return paths.data_dir() / "hash-cache.json"


def _load_cache() -> dict[str, Any]:
    try:
        cache = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cache if isinstance(cache, dict) else {}


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _store(cache: dict[str, Any], path: Path, stamp: list[int], value: str) -> None:
    """Best effort: the cache only saves time. Two threads (the Settings page listing models while
    the model loads) may store at once, so each writes its own temp file; the last rename wins."""
    cache[str(path.resolve())] = {"stamp": stamp, "sha256": value}
    cache_path = _cache_file()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=cache_path.parent, prefix=".hash-cache-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(cache, fh)
        os.replace(tmp, cache_path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def remember_sha256(path: Path, value: str) -> None:
    """Record a hash computed elsewhere (while copying a file in), so it is not read again."""
    _store(_load_cache(), path, _stamp(path), value)


def cached_sha256(path: Path) -> str:
    """The file's sha256, recomputed only when its size or modification time changed."""
    stamp = _stamp(path)  # taken before reading, so a file changed meanwhile is hashed again
    cache = _load_cache()
    entry = cache.get(str(path.resolve()))
    if entry and entry.get("stamp") == stamp:
        return str(entry["sha256"])
    value = sha256_file(path)
    _store(cache, path, stamp, value)
    return value
