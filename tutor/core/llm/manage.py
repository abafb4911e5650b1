"""The user's view of the models: list them with fit and file state, choose one, remove one.

The facade behind ``tutor model list/use/remove`` and the Settings → Model page, so both say the
same thing about each model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.core import paths, settings
from tutor.core.errors import KnownError
from tutor.core.hardware import Hardware, probe
from tutor.core.i18n import _
from tutor.core.llm import registry
from tutor.core.llm.catalog import (
    ModelEntry,
    ModelStatus,
    active_model,
    check,
    default_model,
    find_model,
    load_catalog,
)
from tutor.core.llm.fit import WONT_FIT, Fit, assess

HASH_OK, HASH_DAMAGED, HASH_UNVERIFIED, HASH_MISSING = "ok", "damaged", "unverified", "missing"


@dataclass(frozen=True)
class ModelRow:
    entry: ModelEntry
    status: ModelStatus
    fit: Fit
    active: bool

    @property
    def hash_state(self) -> str:
        if not self.status.present:
            return HASH_MISSING
        if self.status.sha256_ok is None:
            return HASH_UNVERIFIED
        return HASH_OK if self.status.sha256_ok else HASH_DAMAGED

    def state_label(self) -> str:
        """The file's state in words, for the model list in the CLI and in Settings."""
        return {
            HASH_OK: _("installed"),
            HASH_UNVERIFIED: _("installed"),
            HASH_DAMAGED: _("damaged"),
            HASH_MISSING: _("not installed"),
        }[self.hash_state]

    def as_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": e.id,
            "name": e.name,
            "file": e.file,
            "params": e.params,
            "quant": e.quant,
            "size_bytes": e.size_bytes,
            "min_ram_mb": e.min_ram_mb,
            "context_length": e.context_length,
            "languages": list(e.languages),
            "licence": e.licence,
            "chat_format": e.chat_format,
            "default": e.default,
            "imported": e.imported,
            "active": self.active,
            "present": self.status.present,
            "path": str(self.status.path) if self.status.path else None,
            "hash": self.hash_state,
            "sha256": e.sha256,
            "fit": self.fit.verdict,
            "fit_reason": self.fit.reason,
            "problem": self.status.problem,
        }


def list_models(hw: Hardware | None = None) -> list[ModelRow]:
    """Every known model: catalog and imported, with fit on this computer and file state."""
    hw = hw or probe()
    active = active_model().id
    return [ModelRow(e, check(e), assess(e, hw), e.id == active) for e in load_catalog()]


def use_model(model_id: str, *, force: bool = False, hw: Hardware | None = None) -> Fit:
    """Make ``model_id`` the active model; refuse a missing, damaged or (unforced) too big one."""
    entry = find_model(model_id)
    status = check(entry)
    if not status.present:
        raise KnownError(
            _("{name} is not installed. Import its file first: tutor model import PATH").format(
                name=entry.name
            )
        )
    if status.sha256_ok is False:
        raise KnownError(status.problem or _("The model file is damaged."))
    fit = assess(entry, hw or probe())
    if fit.verdict == WONT_FIT and not force:
        raise KnownError(
            _("{name} won't fit on this computer: {reason}").format(
                name=entry.name, reason=fit.reason
            )
        )
    settings.set_value("active_model", entry.id)
    return fit


def remove_model(model_id: str) -> ModelEntry:
    """Delete an imported model's file and record; the embedded default is never removed."""
    entry = find_model(model_id)
    if entry.default:
        raise KnownError(
            _("{name} is the embedded default model and cannot be removed.").format(name=entry.name)
        )
    record = registry.load().get(entry.id)
    if record is None:
        raise KnownError(
            _("{name} was not imported, so there is nothing to remove.").format(name=entry.name)
        )
    path = paths.models_dir() / record["file"]
    registry.remove(entry.id)
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        registry.add(record)  # keep the record while its file is still there
        raise KnownError(
            _("{path} could not be deleted: {reason}").format(path=path, reason=exc.strerror)
        ) from exc
    if settings.get("active_model") == entry.id:
        settings.set_value("active_model", default_model().id)
    return entry
