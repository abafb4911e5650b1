"""SHA-256 of large files, with a cache keyed by (path, size, mtime) so checks stay cheap."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

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


def cached_sha256(path: Path) -> str:
    """The file's sha256, recomputed only when its size or modification time changed."""
    stat = path.stat()
    key = str(path.resolve())
    stamp = [stat.st_size, stat.st_mtime_ns]
    cache_path = _cache_file()
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    entry = cache.get(key)
    if entry and entry.get("stamp") == stamp:
        return str(entry["sha256"])
    value = sha256_file(path)
    cache[key] = {"stamp": stamp, "sha256": value}
    tmp = cache_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache), encoding="utf-8")
    os.replace(tmp, cache_path)
    return value
