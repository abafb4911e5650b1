"""The record of imported models: id, file, sha256 and GGUF metadata, kept beside the files.

Stored as ``registry.json`` in the user's models dir and rewritten atomically, so an import is
either fully recorded or not at all. The catalog merges these records in, which is how the hash of
a model imported from USB gets verified on every later load.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tutor.core import paths
from tutor.core.errors import KnownError
from tutor.core.i18n import _

FILE_NAME = "registry.json"
VERSION = 1


def registry_path() -> Path:
    return paths.models_dir() / FILE_NAME


def load() -> dict[str, dict[str, Any]]:
    """Imported models by id; empty when nothing was imported yet."""
    path = registry_path()
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        models = raw["models"]
        if not isinstance(models, dict):
            raise ValueError("models is not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KnownError(
            _("The list of imported models {path} is damaged: {reason}").format(
                path=path, reason=exc
            )
        ) from exc
    return {str(k): dict(v) for k, v in models.items()}


def save(models: dict[str, dict[str, Any]]) -> None:
    path = registry_path()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".registry-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": VERSION, "models": models}, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add(record: dict[str, Any]) -> None:
    models = load()
    models[str(record["id"])] = record
    save(models)


def remove(model_id: str) -> dict[str, Any] | None:
    models = load()
    record = models.pop(model_id, None)
    if record is not None:
        save(models)
    return record
