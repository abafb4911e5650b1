"""The Qt shell, offscreen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tutor.core.llm import catalog
from tutor.ui.about import about_text
from tutor.ui.context import UiContext
from tutor.ui.main_window import MainWindow
from tutor.ui.registry import SCREEN_KEYS

pytestmark = pytest.mark.gui


def test_every_navigation_entry_switches_screen(qtbot: QtBot) -> None:
    window = MainWindow(UiContext(model=catalog.default_model()))
    qtbot.add_widget(window)
    window.show()
    assert window.nav.count() == len(SCREEN_KEYS) == 4
    for row, key in enumerate(SCREEN_KEYS):
        window.nav.setCurrentRow(row)
        assert window.current_screen() == key
        assert window.stack.currentWidget() is window.screens[key]
        assert window.screens[key].heading.text() == window.nav.item(row).text()


def test_status_bar_shows_model_and_sync_state(qtbot: QtBot) -> None:
    window = MainWindow(UiContext(model=catalog.default_model()))
    qtbot.add_widget(window)
    window.set_model_state("loading")
    assert "loading" in window.model_label.text()
    assert "SmolLM2" in window.model_label.text()
    window.set_model_state("failed", "boom")
    assert "failed" in window.model_label.text()
    assert window.model_label.toolTip() == "boom"
    assert window.sync_label.text()


def test_about_names_versions_and_licences() -> None:
    text = about_text(catalog.default_model())
    assert "0." in text and "MIT" in text and "Apache-2.0" in text
