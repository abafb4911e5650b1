"""Pulling content packs from the school server: resumable download (HTTP Range into a ``.part``
file), hash check, signature check, then import — in that order, so a bad or half-downloaded pack
is never imported.

Verification and import are the content library's own (``tutor.core.content``): the signature
must come from a trusted publisher key and every file must match the signed manifest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from tutor.core import paths
from tutor.core.content.importer import import_downloaded_pack
from tutor.core.content.packs import verify_downloaded_pack
from tutor.core.errors import Interrupted, KnownError
from tutor.core.i18n import _
from tutor.core.sync import protocol
from tutor.core.sync.state import load_state, save_state

CHUNK = 64 * 1024


@dataclass(frozen=True)
class PackOutcome:
    name: str
    version: int
    status: str  # "installed" or "current"


def packs_dir() -> Path:
    return paths.sub_dir("packs")


def fetch_manifest(http: httpx.Client) -> list[protocol.PackEntry]:
    response = http.get(protocol.PACKS)
    response.raise_for_status()
    return [protocol.PackEntry.from_json(item) for item in response.json()["packs"]]


def download(
    http: httpx.Client,
    entry: protocol.PackEntry,
    on_progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Download ``entry`` into ``packs/``, continuing a ``.part`` left by an interrupted try."""
    final = packs_dir() / f"{entry.name}-{entry.version}.pack"
    part = final.with_suffix(".pack.part")
    have = part.stat().st_size if part.exists() else 0
    if have > entry.size:
        part.unlink()
        have = 0
    if have < entry.size:
        headers = {"Range": f"bytes={have}-"} if have else {}
        url = f"{protocol.PACKS}/{entry.name}/{entry.version}"
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code == 200:
                have = 0  # the server ignored the range: start again
            elif response.status_code != 206:
                raise KnownError(
                    _("The school server could not send pack {name} ({status}).").format(
                        name=entry.name, status=response.status_code
                    )
                )
            with part.open("r+b" if have else "wb") as fh:
                fh.seek(have)
                fh.truncate()
                for chunk in response.iter_bytes(CHUNK):
                    if cancelled and cancelled():
                        raise Interrupted()
                    fh.write(chunk)
                    have += len(chunk)
                    if on_progress:
                        on_progress(have, entry.size)
                fh.flush()
                os.fsync(fh.fileno())
    digest = hashlib.sha256()
    with part.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() != entry.sha256:
        part.unlink()
        raise KnownError(
            _("Pack {name} arrived damaged (wrong checksum); it was discarded.").format(
                name=entry.name
            )
        )
    os.replace(part, final)
    return final


def pull_packs(
    http: httpx.Client,
    on_progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    state_file: Path | None = None,
) -> list[PackOutcome]:
    """Fetch every pack newer than the one installed; verify, then import each."""
    outcomes = []
    for entry in fetch_manifest(http):
        state = load_state(state_file)
        if state.packs.get(entry.name, 0) >= entry.version:
            outcomes.append(PackOutcome(entry.name, entry.version, "current"))
            continue
        path = download(http, entry, on_progress, cancelled)
        verify_downloaded_pack(path)
        import_downloaded_pack(path)
        status = "installed"
        state = load_state(state_file)
        state.packs[entry.name] = entry.version
        save_state(state, state_file)
        outcomes.append(PackOutcome(entry.name, entry.version, status))
    return outcomes
