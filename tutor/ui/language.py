"""Switching the interface language at run time: gettext, Qt's own strings, layout direction.

``apply_language`` is the one place that turns a language into what Qt needs: the application's
layout direction (Arabic mirrors every widget, including ones created later), Qt's translations of
its standard buttons and menus, the default QLocale, and a ``retranslate()`` of every top-level
window (which cascades to its screens and settings pages).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from tutor.core.i18n import SOURCE_LANGUAGE, current_language, is_rtl

_qt_translator: QTranslator | None = None


def layout_direction(language: str) -> Qt.LayoutDirection:
    if is_rtl(language):
        return Qt.LayoutDirection.RightToLeft
    return Qt.LayoutDirection.LeftToRight


def apply_language(app: QApplication, language: str | None = None) -> None:
    """Make the running application show ``language`` (default: the active gettext language).

    Call ``setup_i18n(language)`` first: this switches Qt, ``_`` follows the gettext language.
    """
    language = language or current_language()
    app.setLayoutDirection(layout_direction(language))
    QLocale.setDefault(QLocale(language))
    _install_qt_translator(app, language)
    for widget in app.topLevelWidgets():
        retranslate = getattr(widget, "retranslate", None)
        if callable(retranslate):
            retranslate()


def _install_qt_translator(app: QApplication, language: str) -> None:
    """Qt's own texts (Cancel, Copy, Paste…); Qt ships none for some languages, e.g. Swahili."""
    global _qt_translator
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == SOURCE_LANGUAGE:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(translator)
        _qt_translator = translator
