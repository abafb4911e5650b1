"""A whole encounter played through the Practice screen, from case choice to the feedback page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tutor.core.content.schema import load_case_file
from tutor.core.practice.encounter import Practice
from tutor.core.progress.store import ProgressStore
from tutor.ui import tasks
from tutor.ui.context import UiContext
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.registry import SCREENS

pytestmark = pytest.mark.gui

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "example-case.yaml"


@pytest.fixture
def screen(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> PracticeScreen:
    monkeypatch.setattr(tasks, "INLINE", True)  # run the (real) core calls synchronously
    case = load_case_file(EXAMPLE)
    practice = Practice(
        ProgressStore(),
        {case.id: case}.__getitem__,
        list_cases=lambda lang: [(case.id, case.text(case.title, lang)[0])],
    )
    widget = PracticeScreen(UiContext(practice=practice))
    qtbot.add_widget(widget)
    widget.resize(1366 - 180, 768 - 80)  # the main window at 1366×768, minus navigation
    widget.show()
    return widget


def test_practice_screen_is_registered() -> None:
    assert SCREENS["practice"] is PracticeScreen


def test_full_encounter_through_the_ui(qtbot: QtBot, screen: PracticeScreen) -> None:
    assert screen.case_combo.count() == 1
    qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.encounter_page
    assert "Joseph Banda" in screen.header.text()
    assert "health post" in screen.header.text()

    qtbot.keyClicks(screen.question, "how long have you had the fever?")
    qtbot.keyClick(screen.question, Qt.Key.Key_Return)
    assert "three days ago" in screen.chat.toPlainText()
    assert "How long have you had the fever?" in screen.revealed.text()
    assert "fever-duration" in screen.revealed.toolTip()
    qtbot.keyClicks(screen.question, "do you have chest pain")
    qtbot.keyClick(screen.question, Qt.Key.Key_Return)
    assert "not noticed anything" in screen.chat.toPlainText()

    screen.tabs.setCurrentIndex(1)
    screen.exam_list.setCurrentRow(0)
    qtbot.mouseClick(screen.examine_button, Qt.MouseButton.LeftButton)
    assert "not jaundiced" in screen.exam_results.toPlainText()
    assert "38.9" in screen.vitals.text()

    screen.tabs.setCurrentIndex(2)
    assert screen.tests.item(0, 1).text() == "0.50"
    assert screen.tests.item(0, 3).text() == "20 min"
    screen.tests.selectRow(0)
    qtbot.mouseClick(screen.order_button, Qt.MouseButton.LeftButton)
    assert "P. falciparum" in screen.test_results.toPlainText()

    qtbot.keyClicks(screen.notes, "fever 3 days, mRDT +")
    screen.tabs.setCurrentIndex(3)
    qtbot.keyClicks(screen.final, "falciparum malaria")
    qtbot.keyClicks(screen.differentials, "typhoid")
    qtbot.mouseClick(screen.diagnose_button, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentIndex() == 4
    qtbot.keyClicks(screen.plan_text, "Artemether-lumefantrine for 3 days; paracetamol")
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)

    assert screen.pages.currentWidget() is screen.feedback_page
    text = screen.feedback.toPlainText()
    assert "Score: 83%" in text  # 5 of 6: the vomiting question was never asked
    # A key point is named by the question that asks it, with what the patient says beside it.
    assert "✗ Are you vomiting? (No vomiting" in text
    assert "✓ How long have you had the fever? (The fever started" in text
    assert "✓ correct" in text
    assert "Total cost of tests: 0.50 USD" in text
    assert "Confirm malaria with a test" in text  # teaching point
    assert "WHO guidelines for malaria" in text  # reference
    store = screen.context.practice.store  # type: ignore[union-attr]
    kinds = [r[0] for r in store.db.execute("SELECT kind FROM encounter_actions ORDER BY n")]
    assert kinds[-3:] == ["noted", "planned", "finished"]


def test_unfinished_encounter_resumes_in_the_ui(qtbot: QtBot, screen: PracticeScreen) -> None:
    qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.question, "any vomiting?")
    qtbot.keyClick(screen.question, Qt.Key.Key_Return)
    screen.show_picker()
    assert screen.resume_button.isEnabled()
    qtbot.mouseClick(screen.resume_button, Qt.MouseButton.LeftButton)
    assert "No vomiting" in screen.chat.toPlainText()
    assert "Are you vomiting?" in screen.revealed.text()
