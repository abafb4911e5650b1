"""Settings → Language: the interface language (switched at run time) and the case language.

Choices are stored through ``tutor.core.languages`` in the background; the switch itself
(retranslation, right-to-left layout) is ``tutor.ui.language.apply_language``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from tutor.core import languages
from tutor.core.errors import KnownError
from tutor.core.i18n import SUPPORTED, _, language_name, setup_i18n, system_language
from tutor.ui.context import UiContext
from tutor.ui.fonts import missing_scripts
from tutor.ui.language import apply_language
from tutor.ui.screens import SettingsPage
from tutor.ui.tasks import run_task

log = logging.getLogger(__name__)

FOLLOW = ""  # item data of the "follow" entries: the setting is unset


class LanguagePage(SettingsPage):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("settings-language")
        self.ui_combo = QComboBox()
        self.ui_combo.setObjectName("ui-language")
        self.content_combo = QComboBox()
        self.content_combo.setObjectName("content-language")
        for combo in (self.ui_combo, self.content_combo):
            combo.addItem("", FOLLOW)
            for code in SUPPORTED:
                # Each language is listed under its own name, so it can be found from any other.
                combo.addItem(language_name(code), code)
        self.ui_label = QLabel()
        self.content_label = QLabel()
        self.ui_label.setBuddy(self.ui_combo)
        self.content_label.setBuddy(self.content_combo)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.font_warning = QLabel()
        self.font_warning.setObjectName("font-warning")
        self.font_warning.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.ui_label, self.ui_combo)
        form.addRow(self.content_label, self.content_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.help)
        layout.addWidget(self.font_warning)
        layout.addStretch(1)
        self._select(self.ui_combo, languages.ui_language_setting())
        self._select(self.content_combo, languages.content_language_setting())
        self.ui_combo.activated.connect(self._ui_chosen)
        self.content_combo.activated.connect(self._content_chosen)
        self.retranslate()

    def title(self) -> str:
        return _("Language")

    def retranslate(self) -> None:
        self.ui_label.setText(_("&Interface language:"))
        self.content_label.setText(_("&Case language:"))
        self.ui_combo.setItemText(
            0,
            _("System language ({name})").format(
                name=language_name(system_language(QLocale.system().name()))
            ),
        )
        self.content_combo.setItemText(0, _("Same as the interface"))
        self.help.setText(
            _(
                "The interface changes language at once. Cases not yet translated into the case "
                "language are shown in the closest language available, then in English."
            )
        )
        missing = missing_scripts()
        names = {"Latin": _("Latin"), "Arabic": _("Arabic")}
        self.font_warning.setVisible(bool(missing))
        self.font_warning.setText(
            _(
                "No installed font can show these scripts: {scripts}. Install the Noto fonts "
                "(Debian and Ubuntu: fonts-noto-core)."
            ).format(scripts=", ".join(names.get(script, script) for script in missing))
        )

    @staticmethod
    def _select(combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code or FOLLOW)
        combo.setCurrentIndex(max(index, 0))

    def _ui_chosen(self, index: int) -> None:
        code = self.ui_combo.itemData(index) or None

        def switched(language: str) -> None:
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            apply_language(app, setup_i18n(language))

        system = QLocale.system().name()
        run_task(
            self,
            lambda: languages.save_ui_language(code, system),
            on_done=switched,
            on_error=self._not_saved,
        )

    def _content_chosen(self, index: int) -> None:
        code = self.content_combo.itemData(index) or None
        run_task(self, lambda: languages.set_content_language(code), on_error=self._not_saved)

    def _not_saved(self, exc: BaseException) -> None:
        """The settings file could not be written (e.g. damaged): say so; the language stays."""
        if isinstance(exc, KnownError):
            text = str(exc)
        else:
            log.error("could not store the language choice", exc_info=exc)
            text = _("The language choice could not be saved; the details are in the log file.")
        QMessageBox.warning(self, _("Language"), text)
