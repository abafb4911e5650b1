"""What the laptop remembers about its school server: URL, device token, class, last sync.

Kept in ``sync.json`` in the data dir, readable only by the user (the token is a credential),
written atomically so an interrupted write never loses the enrolment.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tutor.core import paths


@dataclass
class SyncState:
    server_url: str | None = None
    device_token: str | None = None
    class_name: str | None = None
    last_sync: float | None = None  # time of the last sync that reached the server
    last_error: str | None = None
    packs: dict[str, int] = field(default_factory=dict)  # pack name -> version installed

    @property
    def enrolled(self) -> bool:
        return bool(self.server_url and self.device_token)


def state_path() -> Path:
    return paths.data_dir() / "sync.json"


def load_state(path: Path | None = None) -> SyncState:
    path = path or state_path()
    if not path.exists():
        return SyncState()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SyncState()  # no secret worth keeping: the user enrols again
    known = {k: v for k, v in data.items() if k in SyncState.__dataclass_fields__}
    return SyncState(**known)


def save_state(state: SyncState, path: Path | None = None) -> None:
    path = path or state_path()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sync-")
    os.chmod(tmp, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh, indent=2, sort_keys=True)
    os.replace(tmp, path)
