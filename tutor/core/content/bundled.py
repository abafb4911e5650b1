"""Packs shipped beside the code (``content/build/*.zip``, built and signed by ``make``).

On start the app installs a bundled pack when it is newer than the installed version of the same
pack, so a clinic that updates the program from a USB stick gets the new cases too. Only the
manifest is read to compare versions; a newer pack is then verified in full like any import.
"""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

from tutor.core import paths
from tutor.core.content.importer import ImportReport, ProgressFn, import_path
from tutor.core.content.library import Library
from tutor.core.errors import KnownError

log = logging.getLogger(__name__)


def bundled_dir() -> Path:
    return paths.source_root() / "content" / "build"


def _manifest_version(path: Path) -> tuple[str, int] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("manifest.json")
            if info.file_size > 1024 * 1024:
                return None
            data = json.loads(zf.read(info))
        return str(data["id"]), int(data["version"])
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile):
        return None


def newer_bundled_packs(library: Library, folder: Path | None = None) -> list[Path]:
    folder = folder or bundled_dir()
    if not folder.is_dir():
        return []
    installed = {p.id: p.version for p in library.packs()}
    newer = []
    for path in sorted(folder.glob("*.zip")):
        found = _manifest_version(path)
        if found is None:
            log.warning("bundled pack %s has no readable manifest", path)
            continue
        pack_id, version = found
        if version > installed.get(pack_id, 0):
            newer.append(path)
    return newer


def install_bundled(
    library: Library | None = None,
    folder: Path | None = None,
    progress: ProgressFn | None = None,
) -> list[ImportReport]:
    """Install every bundled pack newer than what is installed; a bad pack is logged, skipped."""
    own = library is None
    lib = library or Library()
    reports = []
    try:
        for path in newer_bundled_packs(lib, folder):
            try:
                reports.append(import_path(path, lib, progress=progress))
                log.info("installed bundled pack %s", path.name)
            except KnownError as exc:
                log.warning("bundled pack %s not installed: %s", path.name, exc)
    finally:
        if own:
            lib.close()
    return reports
