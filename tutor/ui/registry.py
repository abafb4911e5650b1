"""Which screens the main window shows, in navigation order, and the tabs of the Settings screen.

Kept apart from ``tutor.ui.screens`` (the base classes) so every screen module can import the base
classes without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable

from tutor.ui.cases_screen import CasesScreen
from tutor.ui.content_settings import ContentSettingsPage
from tutor.ui.context import UiContext
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.progress_screen import ProgressScreen
from tutor.ui.school_page import SchoolServerPage
from tutor.ui.screens import Screen, SettingsPage, SettingsScreen
from tutor.ui.settings_language import LanguagePage
from tutor.ui.settings_model import ModelSettingsPage

SETTINGS_PAGES: list[Callable[[UiContext], SettingsPage]] = [
    LanguagePage,
    ModelSettingsPage,
    ContentSettingsPage,
    SchoolServerPage,
]


def _settings_screen(context: UiContext) -> Screen:
    return SettingsScreen(context, SETTINGS_PAGES)


SCREENS: dict[str, Callable[[UiContext], Screen]] = {
    "cases": CasesScreen,
    "practice": PracticeScreen,
    "progress": ProgressScreen,
    "settings": _settings_screen,
}
SCREEN_KEYS = tuple(SCREENS)
