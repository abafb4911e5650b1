"""Base classes of the main screens and the Settings pages, and the Settings screen itself.

Every screen is a ``Screen`` (a QWidget with ``title()`` and ``retranslate()``); every Settings tab
is a ``SettingsPage``. Which screens and pages the window shows is listed in ``tutor.ui.registry``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QTabWidget, QWidget

from tutor.core.i18n import _
from tutor.ui.context import UiContext
from tutor.ui.screen import Screen

__all__ = ["Screen", "SettingsPage", "SettingsScreen"]


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

    def __init__(
        self,
        context: UiContext,
        pages: Sequence[Callable[[UiContext], SettingsPage]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings-tabs")
        self.pages = [factory(context) for factory in pages]
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
