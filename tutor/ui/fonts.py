"""Fonts for every shipped script: check the system covers Latin and Arabic, else load bundled ones.

Fonts are never downloaded. A packager may drop Noto fonts (e.g. from Debian's ``fonts-noto-core``)
into ``tutor/_fonts/``, or a user into ``<data dir>/fonts/``; they are loaded only when the system
lacks a script. See docs/i18n.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from tutor.core import paths

log = logging.getLogger(__name__)

BUNDLED_FONTS = Path(__file__).resolve().parents[1] / "_fonts"
# Writing systems of the shipped languages (en, fr, es, pt, sw: Latin; ar: Arabic).
SCRIPTS = {
    "Latin": QFontDatabase.WritingSystem.Latin,
    "Arabic": QFontDatabase.WritingSystem.Arabic,
}


def missing_scripts() -> list[str]:
    """Scripts no installed or loaded font covers."""
    return [name for name, system in SCRIPTS.items() if not QFontDatabase.families(system)]


def font_dirs() -> list[Path]:
    return [BUNDLED_FONTS, paths.data_dir() / "fonts"]


def ensure_script_fonts() -> list[str]:
    """Load bundled fonts if a script is uncovered; return the scripts still uncovered."""
    missing = missing_scripts()
    if not missing:
        return []
    for folder in font_dirs():
        for path in sorted(folder.glob("*.[ot]tf")) if folder.is_dir() else []:
            if QFontDatabase.addApplicationFont(str(path)) < 0:
                log.warning("could not load font %s", path)
    missing = missing_scripts()
    if missing:
        log.warning("no font covers %s; install fonts-noto-core (see docs/i18n.md)", missing)
    return missing
