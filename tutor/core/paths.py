"""Where the tutor keeps its files.

Everything written at run time goes under one data directory: the per-user data dir chosen by
platformdirs, or ``$TUTOR_HOME`` when set (tests, and the portable mode that runs from a USB stick).
The source tree is only read, never written, at run time.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tutor"
ENV_HOME = "TUTOR_HOME"


def data_dir() -> Path:
    """The directory holding databases, models, logs and settings, created if missing."""
    override = os.environ.get(ENV_HOME)
    path = Path(override).expanduser() if override else platformdirs.user_data_path(APP_NAME)
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_portable() -> bool:
    """True when the data dir was given explicitly (USB portable mode, tests)."""
    return bool(os.environ.get(ENV_HOME))


def sub_dir(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    """Models imported by the user (``tutor model import``)."""
    return sub_dir("models")


def logs_dir() -> Path:
    return sub_dir("logs")


def source_root() -> Path:
    """The project checkout or install prefix holding ``models/`` and ``content/``."""
    return Path(__file__).resolve().parents[2]


def bundled_models_dir() -> Path:
    """Models shipped beside the code: the embedded default, fetched by ``make``."""
    return source_root() / "models"


def catalog_path() -> Path:
    """``models/catalog.toml`` in a checkout; the copy packaged as ``tutor/_data`` in a wheel."""
    checkout = bundled_models_dir() / "catalog.toml"
    if checkout.is_file():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "catalog.toml"
