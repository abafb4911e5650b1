"""Locale-aware formats, the system-language guess and the language choices."""

from __future__ import annotations

import datetime as dt

import pytest

from tutor.core import i18n, languages, settings


def test_numbers_and_percentages_follow_the_locale() -> None:
    assert i18n.format_decimal(1234.5, "en") == "1,234.5"
    assert i18n.format_decimal(1234.5, "fr") == "1\u202f234,5"
    assert i18n.format_decimal(1234.5, "pt") == "1.234,5"
    assert i18n.format_decimal(3.14159, "es", digits=2) == "3,14"
    assert i18n.format_percent(0.755, "en") == "76%"
    assert i18n.format_percent(0.755, "fr") == "76\xa0%"
    assert i18n.format_percent(0.7553, "fr", digits=1) == "75,5\xa0%"
    assert i18n.format_percent(0.7553, "en", digits=1) == "75.5%"


def test_formats_use_the_current_language_by_default() -> None:
    i18n.setup_i18n("fr")
    assert i18n.format_percent(0.5) == "50\xa0%"
    i18n.setup_i18n("en")
    assert i18n.format_percent(0.5) == "50%"


def test_durations_costs_and_dates() -> None:
    assert i18n.format_duration(95, "en") == "2 minutes"
    assert i18n.format_duration(dt.timedelta(hours=5), "en", short=True) == "5h"
    assert i18n.format_duration(95, "ar") == "دقيقتان"  # the Arabic dual
    assert i18n.format_duration(95, "sw") == "dakika 2"
    assert i18n.format_cost(12.5, "USD", "en") == "$12.50"
    assert i18n.format_cost(1500, "XOF", "fr") == "1\u202f500\xa0F\u202fCFA"
    assert i18n.format_date(dt.date(2026, 11, 25), "en") == "Nov 25, 2026"
    assert i18n.format_date(dt.date(2026, 11, 25), "pt") == "25 de nov. de 2026"
    naive = dt.datetime(2026, 11, 25, 14, 5)  # naive = already local time
    assert i18n.format_datetime(naive, "en") == "11/25/26, 2:05\u202fPM"
    assert i18n.format_datetime(naive, "fr") == "25/11/2026 14:05"


def test_right_to_left_and_language_names_come_from_cldr() -> None:
    assert i18n.is_rtl("ar") and i18n.is_rtl("ar_EG")
    assert not any(i18n.is_rtl(lang) for lang in ("en", "fr", "es", "pt", "sw"))
    assert [i18n.language_name(lang) for lang in i18n.SUPPORTED] == [
        "English", "français", "español", "português", "Kiswahili", "العربية",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANGUAGE": "de:fr"}, "fr"),  # the first *supported* entry of the list
        ({"LANG": "pt_MZ.UTF-8"}, "pt"),
        ({"LC_ALL": "ar_EG.UTF-8", "LANG": "fr_FR.UTF-8"}, "ar"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_system_language_reads_the_gettext_variables(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda: (None, None))
    assert i18n.system_language() == expected


def test_system_hint_is_used_when_the_environment_says_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda: (None, None))
    assert i18n.system_language("sw_KE") == "sw"


def test_first_start_follows_the_system_then_the_stored_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", "es_MX")
    assert settings.get("ui_language") is None
    assert languages.ui_language() == "es"
    assert languages.set_ui_language("fr") == "fr"
    assert i18n.current_language() == "fr"
    assert languages.ui_language() == "fr"
    assert languages.set_ui_language("pt_BR") == "pt"  # stored as the supported language
    assert settings.get("ui_language") == "pt"


def test_content_language_follows_the_interface_unless_set() -> None:
    i18n.setup_i18n("fr")
    assert languages.content_language() == "fr"
    assert languages.content_languages() == ["fr", "en"]
    languages.set_content_language("pt_MZ")
    assert languages.content_languages() == ["pt_MZ", "pt", "en"]
    languages.set_content_language(None)
    assert settings.get("content_language") is None
    assert languages.content_language() == "fr"
