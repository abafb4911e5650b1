"""The model catalog: which models the tutor knows, where their files are, whether they are intact.

The catalog ships as ``models/catalog.toml``; models imported from USB (``registry.py``) are merged
in, with the sha256 recorded at import. A model's file is looked for in the user's models dir
(imported models) first, then beside the code (the embedded default fetched by ``make``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutor.core import paths, settings
from tutor.core.errors import KnownError
from tutor.core.hashing import cached_sha256
from tutor.core.i18n import _
from tutor.core.llm import registry


@dataclass(frozen=True)
class ModelEntry:
    id: str
    name: str
    file: str
    params: str
    quant: str
    context_length: int
    licence: str
    chat_format: str
    min_ram_mb: int
    size_bytes: int | None = None
    sha256: str | None = None
    languages: tuple[str, ...] = ()
    default: bool = False
    source: dict[str, str] = field(default_factory=dict)
    imported: bool = False  # its file was imported by the user (``tutor model import``)

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> ModelEntry:
        data = dict(raw)
        data["languages"] = tuple(data.get("languages", ()))
        return cls(**data)


@dataclass(frozen=True)
class ModelStatus:
    """What is known about one catalog model's file on this machine."""

    entry: ModelEntry
    path: Path | None
    present: bool
    sha256_ok: bool | None  # None: no expected hash recorded yet
    problem: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.entry.id,
            "name": self.entry.name,
            "file": self.entry.file,
            "path": str(self.path) if self.path else None,
            "present": self.present,
            "sha256_ok": self.sha256_ok,
            "expected_sha256": self.entry.sha256,
            "licence": self.entry.licence,
            "problem": self.problem,
        }


def load_catalog(path: Path | None = None) -> list[ModelEntry]:
    path = path or paths.catalog_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnownError(
            _("The model catalog {path} cannot be read: {reason}").format(path=path, reason=exc)
        ) from exc
    return _merge_imported([ModelEntry.from_toml(item) for item in raw.get("model", [])])


def _merge_imported(entries: list[ModelEntry]) -> list[ModelEntry]:
    """Fill in the hash of catalog models the user imported; append models the catalog lacks."""
    records = registry.load()
    try:
        return _merge(entries, records)
    except (KeyError, ValueError, TypeError) as exc:
        raise KnownError(
            _("The list of imported models {path} is damaged: {reason}").format(
                path=registry.registry_path(), reason=exc
            )
        ) from exc


def _merge(entries: list[ModelEntry], records: dict[str, dict[str, Any]]) -> list[ModelEntry]:
    merged: list[ModelEntry] = []
    for entry in entries:
        record = records.pop(entry.id, None)
        if record is None:
            merged.append(entry)
            continue
        merged.append(
            replace(
                entry,
                sha256=entry.sha256 or record["sha256"],
                size_bytes=record.get("size_bytes", entry.size_bytes),
                imported=True,
            )
        )
    for record in records.values():
        merged.append(
            ModelEntry(
                id=record["id"],
                name=record["name"],
                file=record["file"],
                params=record["params"],
                quant=record["quant"],
                context_length=int(record["context_length"]),
                licence=record["licence"],
                chat_format=record["chat_format"],
                min_ram_mb=int(record["min_ram_mb"]),
                size_bytes=record.get("size_bytes"),
                sha256=record["sha256"],
                imported=True,
            )
        )
    return merged


def default_model(catalog: list[ModelEntry] | None = None) -> ModelEntry:
    catalog = catalog if catalog is not None else load_catalog()
    for entry in catalog:
        if entry.default:
            return entry
    raise KnownError(_("The model catalog names no default model."))


def find_model(model_id: str, catalog: list[ModelEntry] | None = None) -> ModelEntry:
    catalog = catalog if catalog is not None else load_catalog()
    for entry in catalog:
        if entry.id == model_id:
            return entry
    raise KnownError(_("No model called {name} in the catalog.").format(name=model_id))


def active_model() -> ModelEntry:
    """The model chosen in settings, or the default when the setting names an unknown model."""
    catalog = load_catalog()
    chosen = settings.get("active_model")
    for entry in catalog:
        if entry.id == chosen:
            return entry
    return default_model(catalog)


def model_search_dirs() -> list[Path]:
    return [paths.models_dir(), paths.bundled_models_dir()]


def locate(entry: ModelEntry) -> Path | None:
    for directory in model_search_dirs():
        candidate = directory / entry.file
        if candidate.is_file():
            return candidate
    return None


def check(entry: ModelEntry) -> ModelStatus:
    """Find the model's file and verify its hash (cached by size and mtime)."""
    path = locate(entry)
    if path is None:
        problem = _("The model file {file} is missing. Run `make run` or import it.").format(
            file=entry.file
        )
        return ModelStatus(entry, None, False, None, problem)
    if entry.sha256 is None:
        return ModelStatus(entry, path, True, None, None)
    try:
        actual = cached_sha256(path)
    except OSError as exc:
        return ModelStatus(entry, path, True, False, str(exc))
    if actual != entry.sha256:
        problem = _("The model file {path} is damaged (its sha256 does not match).").format(
            path=path
        )
        return ModelStatus(entry, path, True, False, problem)
    return ModelStatus(entry, path, True, True, None)
