"""The user's language choices: the interface language and the (separate) case-content language.

Both are settings; unset means "follow": the interface follows the system locale when it is
supported, and case content follows the interface. The UI calls these, never the settings file.
"""

from __future__ import annotations

from tutor.core import settings
from tutor.core.i18n import (
    SUPPORTED,
    best_language,
    current_language,
    fallback_chain,
    setup_i18n,
    system_language,
)


def ui_language_setting() -> str | None:
    """The stored interface language, or ``None`` when it follows the system."""
    value = settings.get("ui_language")
    return str(value) if value else None


def ui_language(system_hint: str | None = None) -> str:
    """The interface language to use now: the setting, or the system language on first start.

    ``system_hint`` is the system locale as the UI toolkit sees it (e.g. ``fr_FR``).
    """
    chosen = ui_language_setting()
    return best_language(chosen) if chosen else system_language(system_hint)


def save_ui_language(language: str | None, system_hint: str | None = None) -> str:
    """Store the interface language (``None`` = follow the system); return the one to activate.

    Storing may block on the disk, activating must happen on the thread that draws the text:
    the UI calls this in the background, then ``setup_i18n`` with the result.
    """
    if language is not None and language not in SUPPORTED:
        language = best_language(language)
    settings.set_value("ui_language", language)
    return ui_language(system_hint)


def set_ui_language(language: str | None, system_hint: str | None = None) -> str:
    """Store the interface language, activate it and return it (for scripts and the CLI)."""
    return setup_i18n(save_ui_language(language, system_hint))


def content_language_setting() -> str | None:
    """The stored case-content language, or ``None`` when it follows the interface."""
    value = settings.get("content_language")
    return str(value) if value else None


def set_content_language(language: str | None) -> None:
    """Store the case-content language; ``None`` makes it follow the interface again."""
    settings.set_value("content_language", language or None)


def content_language() -> str:
    """The language to ask case text in (``case.text(value, content_language())`` falls back)."""
    return content_language_setting() or current_language()


def content_languages() -> list[str]:
    """Languages to show case text in, best first, ending in English: e.g. [pt_MZ, pt, en]."""
    return fallback_chain(content_language())
