"""SHA-256 of large files, with a cache keyed by (path, size, mtime) so checks stay cheap."""

from __future__ import annotations

import hashlib
import json
import os
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
    cache[str(path.resolve())] = {"stamp": stamp, "sha256": value}
    cache_path = _cache_file()
    tmp = cache_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache), encoding="utf-8")
    os.replace(tmp, cache_path)


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
