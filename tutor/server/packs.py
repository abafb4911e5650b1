"""Content packs a teacher puts on the school server for laptops to download."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tutor.core.errors import KnownError
from tutor.core.hashing import sha256_file
from tutor.core.i18n import _
from tutor.core.sync.protocol import PackEntry
from tutor.server.app import packs_dir
from tutor.server.storage import Storage

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def add_pack(storage: Storage, data: Path, source: Path, name: str, version: int) -> PackEntry:
    if not NAME.match(name) or version < 1:
        raise KnownError(_("A pack name is letters, digits, - and _; its version is 1 or more."))
    if not source.is_file():
        raise KnownError(_("No such file: {path}").format(path=source))
    if any(e.name == name and e.version >= version for e, _f in storage.packs()):
        raise KnownError(
            _("The server already has {name} version {version} or newer.").format(
                name=name, version=version
            )
        )
    file_name = f"{name}-{version}.pack"
    target = packs_dir(data) / file_name
    tmp = target.with_suffix(".tmp")
    shutil.copyfile(source, tmp)
    entry = PackEntry(name, version, sha256_file(tmp), tmp.stat().st_size)
    tmp.replace(target)
    storage.add_pack(entry, file_name)
    return entry
