"""Translation of user-visible text (gettext catalogs) and locale-aware formats (Babel).

Catalogs are authored as ``locales/<lang>/LC_MESSAGES/tutor.po`` and compiled by ``make`` into
``tutor/_locale``. ``_`` always looks up the *current* language, so the UI can switch language at
run time and retranslate itself.
"""

from __future__ import annotations

import gettext
import locale
from pathlib import Path

from babel import Locale, UnknownLocaleError

DOMAIN = "tutor"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "_locale"
SUPPORTED = ("en", "fr", "es", "pt", "sw", "ar")
RTL = frozenset({"ar"})

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def setup_i18n(language: str | None = None) -> str:
    """Activate ``language`` (or the best supported match of the system locale); return it."""
    global _translation, _language
    chosen = best_language(language) if language else system_language()
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True
    )
    _language = chosen
    return chosen


def current_language() -> str:
    return _language


def is_rtl(language: str | None = None) -> bool:
    return (language or _language) in RTL


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def best_language(tag: str | None, supported: tuple[str, ...] = SUPPORTED) -> str:
    """The supported language closest to ``tag``: ``pt_MZ`` → ``pt``, unknown → ``en``."""
    for candidate in fallback_chain(tag):
        if candidate in supported:
            return candidate
    return "en"


def fallback_chain(tag: str | None) -> list[str]:
    """Languages to try in order for ``tag``, ending in English: ``pt-MZ`` → [pt_MZ, pt, en]."""
    chain: list[str] = []
    if tag:
        try:
            parsed = Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            parsed = None
        if parsed is not None:
            full = str(parsed)
            chain.append(full)
            if parsed.language not in chain:
                chain.append(parsed.language)
    if "en" not in chain:
        chain.append("en")
    return chain


def system_language() -> str:
    tag = locale.getlocale()[0]
    return best_language(tag)
