"""The wired window as a new user meets it: bundled cases appear, Cases → Practice starts a case."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tutor.app import build, install_bundled_content
from tutor.core import paths
from tutor.ui.cases_screen import CasesScreen
from tutor.ui.practice_screen import PracticeScreen

pytestmark = pytest.mark.gui

BUNDLED = paths.source_root() / "content" / "build" / "tutor-cases.zip"


def test_bundled_cases_reach_both_lists_and_practise_opens_an_encounter(
    qtbot: QtBot, qapp: QApplication
) -> None:
    if not BUNDLED.is_file():
        pytest.fail(f"{BUNDLED} is missing: `make setup` builds it")
    window, client = build(qapp)
    qtbot.add_widget(window)
    cases, practice = window.screens["cases"], window.screens["practice"]
    assert isinstance(cases, CasesScreen) and isinstance(practice, PracticeScreen)
    try:
        install_bundled_content(window)  # what the first start does in the background
        qtbot.waitUntil(lambda: cases.case_list.count() == 12, timeout=30_000)
        qtbot.waitUntil(lambda: practice.case_combo.count() == 12, timeout=30_000)
        cases.case_list.setCurrentRow(0)  # the preview loads in the background
        qtbot.waitUntil(lambda: cases._previewed is not None, timeout=30_000)
        assert cases._previewed is not None
        chosen = cases._previewed.id
        cases.practise_button.click()
        assert window.current_screen() == "practice"
        qtbot.waitUntil(lambda: practice.encounter is not None, timeout=30_000)
        assert practice.encounter is not None and practice.encounter.case.id == chosen
        assert practice.case_combo.currentData() == chosen
    finally:
        if client is not None:
            client.shutdown()
        QThreadPool.globalInstance().waitForDone(10_000)
