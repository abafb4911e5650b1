"""``import_path``: one entry point for everything a user can import into the library.

It accepts a signed pack zip, a folder holding packs (a USB stick), a folder of case files, a
single case file, or AgentClinic JSONL. Everything is read and verified first; only then is the
library written, in one transaction, so a refused import leaves the library exactly as it was.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tutor.core.content import agentclinic
from tutor.core.content.library import InstallResult, Library, PackInfo
from tutor.core.content.packs import (
    PackContents,
    PackError,
    case_files,
    load_folder_cases,
    read_pack,
)
from tutor.core.content.schema import CASE_SUFFIXES, Case, load_case_file
from tutor.core.errors import KnownError
from tutor.core.i18n import _

ProgressFn = Callable[[int, int], None]


@dataclass
class ImportReport:
    installed: list[InstallResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # packs already installed at that version
    failures: list[agentclinic.ImportFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def case_count(self) -> int:
        return sum(r.added + r.updated for r in self.installed)


@dataclass(frozen=True)
class _Planned:
    pack: PackInfo
    cases: list[Case]
    replace_same_version: bool  # loose files carry no version: re-importing replaces them


def _local_id(prefix: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "cases"
    return f"{prefix}-{slug}"


def _from_pack(contents: PackContents, source: Path) -> _Planned:
    m = contents.manifest
    return _Planned(
        PackInfo(
            id=m.id,
            version=m.version,
            title=m.title,
            publisher=m.publisher,
            key_id=contents.key_id,
            signature=contents.signature,
            languages=m.languages,
            source=str(source),
            imported_at=time.time(),
        ),
        contents.cases,
        replace_same_version=False,
    )


def _from_loose(pack_id: str, title: str, cases: list[Case], source: Path) -> _Planned:
    languages = tuple(sorted({lang for c in cases for lang in c.languages}))
    return _Planned(
        PackInfo(
            id=pack_id,
            version=1,
            title=title,
            signature="unsigned",
            languages=languages,
            source=str(source),
            imported_at=time.time(),
        ),
        cases,
        replace_same_version=True,
    )


def plan_import(path: Path, *, allow_unsigned: bool = False) -> tuple[list[_Planned], ImportReport]:
    """Read and verify everything at ``path`` without touching the library."""
    report = ImportReport()
    if not path.exists():
        raise KnownError(_("{path} does not exist.").format(path=path))
    if path.is_symlink():
        raise PackError(_("{path} is a symbolic link; not importing it.").format(path=path))
    planned: list[_Planned] = []
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".zip":
            contents = read_pack(path, allow_unsigned=allow_unsigned)
            report.warnings += contents.warnings
            planned.append(_from_pack(contents, path))
        elif agentclinic.looks_like_agentclinic(path):
            result = agentclinic.read_agentclinic(path)
            report.failures += result.failures
            if result.cases:
                planned.append(
                    _from_loose(
                        agentclinic.PACK_ID, "AgentClinic (MedQA extended)", result.cases, path
                    )
                )
        elif suffix in CASE_SUFFIXES:
            cases = [load_case_file(path)]
            planned.append(_from_loose(_local_id("local", path.stem), path.stem, cases, path))
        else:
            raise KnownError(
                _("{path}: not a pack (.zip), a case file or AgentClinic JSONL.").format(path=path)
            )
    else:
        zips = sorted(p for p in path.iterdir() if p.suffix.lower() == ".zip")
        loose = case_files(path)
        if loose:
            cases = load_folder_cases(path)
            planned.append(
                _from_loose(_local_id("local", path.resolve().name), path.name, cases, path)
            )
        for pack_path in zips:
            contents = read_pack(pack_path, allow_unsigned=allow_unsigned)
            report.warnings += contents.warnings
            planned.append(_from_pack(contents, pack_path))
        if not planned:
            raise KnownError(_("{path} holds no packs or case files.").format(path=path))
    ids = [p.pack.id for p in planned]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PackError(_("The same pack id appears twice: {ids}.").format(ids=", ".join(twice)))
    return planned, report


def import_path(
    path: Path,
    library: Library,
    *,
    allow_unsigned: bool = False,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    skip_installed: bool | None = None,
) -> ImportReport:
    """Import everything at ``path`` in one transaction; see the module docstring.

    A pack already installed at the same version is an error for a single pack and skipped when
    importing a folder of packs (a USB stick carries packs the clinic already has).
    """
    planned, report = plan_import(path, allow_unsigned=allow_unsigned)
    if skip_installed is None:
        skip_installed = path.is_dir()
    installed = {p.id: p.version for p in library.packs()}
    todo: list[_Planned] = []
    for item in planned:
        have = installed.get(item.pack.id)
        if (
            skip_installed
            and have is not None
            and not item.replace_same_version
            and item.pack.version <= have
        ):
            report.skipped.append(
                _("Pack {pack} version {version} skipped: version {have} is installed.").format(
                    pack=item.pack.id, version=item.pack.version, have=have
                )
            )
            continue
        todo.append(item)
    report.installed = library.install_all(
        [(item.pack, item.cases, item.replace_same_version) for item in todo],
        progress=progress,
        cancel=cancel,
    )
    return report
