"""Translation of user-visible text (gettext catalogs) and locale-aware formats (Babel, CLDR).

Catalogs are authored as ``locales/<lang>/LC_MESSAGES/tutor.po`` and compiled by ``make`` into
``tutor/_locale``. ``_`` and ``ngettext`` always look up the *current* language (plural rules come
from each catalog's Plural-Forms header), so the UI can switch language at run time and
retranslate itself. The ``format_*`` helpers format for the current language unless told otherwise.
"""

from __future__ import annotations

import datetime as dt
import gettext
import locale
import os
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError, dates, numbers

DOMAIN = "tutor"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "_locale"
# The shipped languages, in the order the language menu lists them. Adding a code here and running
# `make messages` is all it takes to start a new language (see CONTRIBUTING.md).
SUPPORTED = ("en", "fr", "es", "pt", "sw", "ar")
SOURCE_LANGUAGE = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE

Number = int | float | Decimal


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
    """Whether ``language`` (default: the current one) is written right to left (CLDR)."""
    try:
        parsed = Locale.parse((language or _language).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return bool(parsed.character_order == "right-to-left")


def language_name(language: str) -> str:
    """The name of ``language`` in that language (``fr`` → ``français``), for language menus."""
    try:
        name = Locale.parse(language).get_display_name(language)
    except (ValueError, UnknownLocaleError):
        return language
    return str(name or language)


def language_name_in(language: str, display: str | None = None) -> str:
    """The name of ``language`` in the interface language (``en`` → ``anglais`` in French)."""
    try:
        name = Locale.parse(language).get_display_name(display or _language)
    except (ValueError, UnknownLocaleError):
        return language
    return str(name or language)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that the current language uses for ``n``.

    Languages with more than two forms (Arabic has six) pick theirs from the catalog's rule;
    format the result with ``.format(n=...)`` afterwards.
    """
    return _translation.ngettext(singular, plural, n)


def isolate(text: str) -> str:
    """``text`` as a bidi isolate (FSI … PDI), for Latin names, doses and paths inside RTL text.

    Without it a trailing ``)`` or ``.`` of an embedded Latin run lands on the wrong side in an
    Arabic sentence: ``SmolLM2 (Q4_1)`` shows as ``(SmolLM2 (Q4_1``.
    """
    return f"\u2068{text}\u2069"


def best_language(tag: str | None, supported: tuple[str, ...] = SUPPORTED) -> str:
    """The supported language closest to ``tag``: ``pt_MZ`` → ``pt``, unknown → ``en``."""
    for candidate in fallback_chain(tag):
        if candidate in supported:
            return candidate
    return SOURCE_LANGUAGE


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
    if SOURCE_LANGUAGE not in chain:
        chain.append(SOURCE_LANGUAGE)
    return chain


def system_language(hint: str | None = None) -> str:
    """The supported language closest to what the system asks for.

    The gettext variables come first (``LANGUAGE``, a colon list, then ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``), then ``hint`` (the UI passes Qt's system locale, which also knows
    Windows and macOS settings), then Python's locale. Unsupported or C locales fall to English.
    """
    candidates: list[str] = []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        candidates += os.environ.get(name, "").split(":")
    candidates += [hint or "", locale.getlocale()[0] or ""]
    for candidate in candidates:
        tag = candidate.split(".")[0].split("@")[0]
        if not tag or tag in ("C", "POSIX"):
            continue
        chosen = best_language(tag)
        # An unsupported language (de_DE) lets the next candidate speak; English itself stops.
        if chosen != SOURCE_LANGUAGE or tag.lower().startswith(SOURCE_LANGUAGE):
            return chosen
    return SOURCE_LANGUAGE


# Locale-aware formats. Digits stay Latin (CLDR's "latn" numbering) in every language: drug doses
# and lab values are read and copied in Latin digits in the clinics this tutor serves.


def _locale(language: str | None) -> str:
    return language or _language


def format_decimal(value: Number, language: str | None = None, digits: int | None = None) -> str:
    """``1234.5`` → ``1,234.5`` (en), ``1 234,5`` (fr); ``digits`` fixes the decimals shown."""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return str(numbers.format_decimal(value, format=pattern, locale=_locale(language)))


def format_percent(fraction: Number, language: str | None = None, digits: int = 0) -> str:
    """``0.755`` → ``76%`` (en), ``76 %`` (fr); ``digits`` decimals after the point."""
    name = _locale(language)
    pattern = Locale.parse(name).percent_formats[None].pattern
    if digits:
        # Keep the locale's own sign position and spacing; only add the decimals.
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return str(numbers.format_percent(fraction, format=pattern, locale=name))


def format_duration(
    duration: dt.timedelta | Number, language: str | None = None, short: bool = False
) -> str:
    """A rounded duration: ``95 s`` → ``2 minutes`` (en), ``دقيقتان`` (ar); ``short`` → ``2m``."""
    delta = (
        duration if isinstance(duration, dt.timedelta) else dt.timedelta(seconds=float(duration))
    )
    return str(
        dates.format_timedelta(
            delta, format="narrow" if short else "long", locale=_locale(language)
        )
    )


def format_cost(amount: Number, currency: str, language: str | None = None) -> str:
    """A cost in ``currency`` (ISO 4217 code): ``12.5, "USD"`` → ``$12.50`` (en)."""
    return str(numbers.format_currency(amount, currency, locale=_locale(language)))


def format_date(value: dt.date | dt.datetime, language: str | None = None) -> str:
    """A calendar date, medium length: ``25 Nov 2026`` (en), ``25 nov. 2026`` (fr)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return str(dates.format_date(day, format="medium", locale=_locale(language)))


def format_datetime(value: dt.datetime, language: str | None = None) -> str:
    """A date and time of day, shown in the computer's local time zone, short form."""
    local = value.astimezone() if value.tzinfo is not None else value
    return str(dates.format_datetime(local, format="short", locale=_locale(language)))
