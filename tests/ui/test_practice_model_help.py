"""The Practice screen with the model's help, offscreen: a checked rewording streams into one
chat line, Stop leaves the authored answer, the feedback page shows the template first and then
the model's labelled paragraph, and the Model settings checkboxes store ``patient_rephrase``
and ``model_coaching``.

The rephraser and coach here are plain functions: these tests are about the UI, not the model
(the real model is exercised in tests/core/practice/test_rephrase_model.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tutor.core import settings
from tutor.core.content.schema import load_case_file
from tutor.core.llm.client import CancelFlag
from tutor.core.practice.encounter import Practice
from tutor.core.practice.scoring import Score
from tutor.core.progress.store import ProgressStore
from tutor.ui import tasks
from tutor.ui.context import UiContext
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.settings_model import ModelSettingsPage

pytestmark = pytest.mark.gui

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "example-case.yaml"
GOOD = "My fever began three days ago. It comes with shivering, mostly in the evening."
PARAGRAPH = "Well done, your diagnosis was correct. Keep asking about the key history points."


def make_screen(qtbot: QtBot, rephraser: Any = None, coach: Any = None) -> PracticeScreen:
    case = load_case_file(EXAMPLE)
    practice = Practice(
        ProgressStore(),
        {case.id: case}.__getitem__,
        list_cases=lambda lang: [(case.id, case.text(case.title, lang)[0])],
        rephraser=rephraser,
        coach=coach,
    )
    widget = PracticeScreen(UiContext(practice=practice))
    qtbot.add_widget(widget)
    widget.show()
    qtbot.mouseClick(widget.start_button, Qt.MouseButton.LeftButton)
    return widget


@pytest.fixture(autouse=True)
def inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "INLINE", True)  # run the (real) core calls synchronously


def ask(qtbot: QtBot, screen: PracticeScreen, question: str) -> None:
    qtbot.keyClicks(screen.question, question)
    qtbot.keyClick(screen.question, Qt.Key.Key_Return)


def test_a_checked_rewording_streams_into_one_chat_line(qtbot: QtBot) -> None:
    screen = make_screen(qtbot, rephraser=lambda answer, lang, on_token, cancel, role="": GOOD)
    ask(qtbot, screen, "how long have you had the fever?")
    lines = screen.chat.toPlainText().splitlines()
    assert lines[-1] == f"Patient: {GOOD}"


def test_stop_during_a_rewording_leaves_the_authored_answer(qtbot: QtBot) -> None:
    holder: list[PracticeScreen] = []

    def slow(answer: str, lang: str, on_token: Any, cancel: CancelFlag | None, role: str = ""):
        holder[0].stop()  # the student presses Stop while the model writes
        assert cancel is not None and cancel.is_set()
        return GOOD

    screen = make_screen(qtbot, rephraser=slow)
    holder.append(screen)
    ask(qtbot, screen, "how long have you had the fever?")
    assert (
        screen.chat.toPlainText()
        .splitlines()[-1]
        .startswith("Patient: The fever started three days ago.")
    )


def test_feedback_shows_the_template_first_then_the_models_paragraph(qtbot: QtBot) -> None:
    seen: list[str] = []
    holder: list[PracticeScreen] = []

    def coach(score: Score, language: str, cancel: CancelFlag | None) -> str | None:
        seen.append(holder[0].feedback.toPlainText())
        return PARAGRAPH

    screen = make_screen(qtbot, coach=coach)
    holder.append(screen)
    ask(qtbot, screen, "how long have you had the fever?")
    screen.final.setText("malaria")
    qtbot.mouseClick(screen.diagnose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and "key history points" in seen[0]  # the template, already shown
    assert PARAGRAPH not in seen[0]
    text = screen.feedback.toPlainText()
    assert "Coaching (written by the local model from your score)" in text and PARAGRAPH in text


def test_feedback_keeps_the_template_when_the_model_has_nothing(qtbot: QtBot) -> None:
    screen = make_screen(qtbot, coach=lambda score, language, cancel: None)
    screen.final.setText("malaria")
    qtbot.mouseClick(screen.diagnose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)
    text = screen.feedback.toPlainText()
    assert "key history points" in text and "written by the local model" not in text


def test_model_help_checkboxes_store_their_settings(qtbot: QtBot) -> None:
    page = ModelSettingsPage(UiContext())
    qtbot.add_widget(page)
    qtbot.waitUntil(page.rephrase_box.isEnabled)
    assert not page.rephrase_box.isChecked() and settings.get("patient_rephrase") is False
    page.rephrase_box.click()
    assert settings.get("patient_rephrase") is True
    page.rephrase_box.click()
    assert settings.get("patient_rephrase") is False
    assert not page.coaching_box.isChecked() and settings.get("model_coaching") is False
    page.coaching_box.click()
    assert settings.get("model_coaching") is True and settings.get("patient_rephrase") is False
