"""User settings: one table of known settings (name, default, help) stored as JSON in the data dir.

Unknown names are refused, so every setting the program reads is listed here and documented
(``docs/settings.md``; a test checks that).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.core import paths
from tutor.core.errors import KnownError
from tutor.core.i18n import _


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "ui_language", None, "Interface language (en, fr, es, pt, sw, ar); unset = system."
        ),
        Setting("content_language", None, "Case language; unset = follow the interface language."),
        Setting("active_model", "smollm2-135m-instruct-q4_1", "Catalog id of the model to load."),
        Setting("model_threads", None, "Threads for the model; unset = number of physical cores."),
        Setting("server_url", None, "School server URL, set by `tutor enroll`."),
        Setting(
            "patient_rephrase",
            False,
            "Let the model reword the patient's answers (shown only if the check accepts them).",
        ),
        Setting(
            "model_coaching",
            False,
            "Let the model write the feedback's coaching paragraph from the score (checked).",
        ),
    )
}


def _file() -> Path:
    return paths.data_dir() / "settings.json"


def load() -> dict[str, Any]:
    """All settings, defaults filled in. A damaged file is reported, never silently reset."""
    values = {name: s.default for name, s in SETTINGS.items()}
    path = _file()
    if path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnownError(
                _("The settings file {path} is damaged: {reason}").format(path=path, reason=exc)
            ) from exc
        values.update({k: v for k, v in stored.items() if k in SETTINGS})
    return values


def get(name: str) -> Any:
    if name not in SETTINGS:
        raise KeyError(name)
    return load()[name]


def set_value(name: str, value: Any) -> None:
    """Store one setting atomically (write a temp file, then rename over the old one)."""
    if name not in SETTINGS:
        raise KnownError(_("Unknown setting: {name}").format(name=name))
    values = load()
    values[name] = value
    stored = {k: v for k, v in values.items() if v != SETTINGS[k].default}
    path = _file()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(stored, fh, indent=2, sort_keys=True)
    os.replace(tmp, path)
