"""The main screens and the Settings pages.

Every screen is a ``Screen`` (a QWidget with ``title()`` and ``retranslate()``). A feature adds its
screen class to ``SCREENS`` (by key, in navigation order) or a page to ``SETTINGS_PAGES``; the
placeholders below stand until then.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from tutor.core.i18n import _
from tutor.ui.context import UiContext
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.screen import Screen

__all__ = ["SCREENS", "SCREEN_KEYS", "SETTINGS_PAGES", "Screen", "SettingsPage"]


class IntroScreen(Screen):
    """A screen that so far only explains what it will hold."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.layout_.addWidget(self.body, 1)

    def intro(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        super().retranslate()
        self.body.setText(self.intro())


class CasesScreen(IntroScreen):
    key = "cases"

    def title(self) -> str:
        return _("Cases")

    def intro(self) -> str:
        return _("Browse and search the clinical cases installed on this computer.")


class ProgressScreen(IntroScreen):
    key = "progress"

    def title(self) -> str:
        return _("Progress")

    def intro(self) -> str:
        return _("Your attempts and scores, and when they last reached the school.")


class SettingsPage(QWidget):
    """One tab of the Settings screen."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Re-set every visible string (called on language change)."""


class SettingsScreen(Screen):
    key = "settings"

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings-tabs")
        self.pages = [factory(context) for factory in SETTINGS_PAGES]
        for page in self.pages:
            self.tabs.addTab(page, "")
        self.layout_.addWidget(self.tabs, 1)
        self.retranslate()

    def title(self) -> str:
        return _("Settings")

    def retranslate(self) -> None:
        super().retranslate()
        for index, page in enumerate(self.pages):
            page.retranslate()
            self.tabs.setTabText(index, page.title())


# Settings pages, in tab order: each feature appends its page class.
SETTINGS_PAGES: list[Callable[[UiContext], SettingsPage]] = []

# Main screens in navigation order; a feature replaces its placeholder with its real screen.
SCREENS: dict[str, Callable[[UiContext], Screen]] = {
    "cases": CasesScreen,
    "practice": PracticeScreen,
    "progress": ProgressScreen,
    "settings": SettingsScreen,
}
SCREEN_KEYS = tuple(SCREENS)
