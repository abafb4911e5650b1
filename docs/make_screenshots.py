"""Take real screenshots of the tutor under a virtual X display (Xvfb).

Usage (Debian package xvfb): xvfb-run -s "-screen 0 1366x768x24" \
    .venv/bin/python docs/make_screenshots.py docs/screenshots [LANG ...]

It opens the real window at 1366×768, waits for the default model to load, and grabs the X screen
(not a widget render), one PNG per screen and language.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTabWidget

from tutor.app import build, install_bundled_content, start_model
from tutor.core import settings
from tutor.ui.cases_screen import CasesScreen
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.registry import SCREEN_KEYS

TOUR_CASE = "pulmonary-tuberculosis"
TOUR_DIAGNOSIS = {
    "en": "pulmonary tuberculosis",
    "fr": "tuberculose pulmonaire",
    "es": "tuberculosis pulmonar",
    "pt": "tuberculose pulmonar",
    "sw": "kifua kikuu",
    "ar": "السل الرئوي",
}
TOUR_QUESTIONS = {
    "en": ["How long have you had this cough?", "any blood when you cough?"],
    "fr": ["Depuis quand toussez-vous ?", "du sang dans les crachats ?"],
    "es": ["¿Desde cuándo tiene tos?", "¿sale sangre al toser?"],
    "pt": ["Há quanto tempo tem tosse?", "sai sangue quando tosse?"],
    "sw": ["Umekuwa ukikohoa kwa muda gani?", "unakohoa damu?"],
    "ar": ["منذ متى وأنت تسعل؟", "هل يخرج دم مع السعال؟"],
}


def settle(app: QApplication, rounds: int) -> None:
    """Let background tasks finish and the window repaint (about 50 ms a round)."""
    for _ in range(rounds):
        app.processEvents()
        app.thread().msleep(50)


def shot(app: QApplication, path: Path) -> None:
    app.primaryScreen().grabWindow(0).save(str(path))
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    languages = sys.argv[2:] or ["en"]
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    for language in languages:
        settings.set_value("ui_language", language)
        window, client = build(app)
        window.resize(1366, 740)
        window.show()
        if client is not None:
            start_model(window, client)
            deadline = 600
            while client.state != "ready" and deadline:
                app.processEvents()
                QTimer.singleShot(100, lambda: None)
                app.thread().msleep(100)
                deadline -= 1
        install_bundled_content(window)
        settle(app, 30)
        cases = window.screens["cases"]
        if isinstance(cases, CasesScreen) and cases.case_list.count():
            cases.case_list.setCurrentRow(0)  # shows the preview
        practice = window.screens["practice"]
        for key in SCREEN_KEYS:
            window.show_screen(key)
            if key == "practice" and isinstance(practice, PracticeScreen):
                practice.start_case(TOUR_CASE)
                settle(app, 20)
                for question in TOUR_QUESTIONS.get(language, TOUR_QUESTIONS["en"]):
                    practice.question.setText(question)
                    practice.ask()
                    settle(app, 20)
            settle(app, 20)
            shot(app, out / f"main-{key}-{language}.png")
        if isinstance(practice, PracticeScreen):
            window.show_screen("practice")
            practice.final.setText(TOUR_DIAGNOSIS.get(language, TOUR_DIAGNOSIS["en"]))
            practice.diagnose()
            settle(app, 20)
            practice.finish()
            settle(app, 40)
            shot(app, out / f"main-feedback-{language}.png")
        settings_screen = window.screens["settings"]
        tabs = settings_screen.findChild(QTabWidget, "settings-tabs")
        if tabs is not None:
            window.show_screen("settings")
            tabs.setCurrentIndex(1)  # Model
            settle(app, 20)
            shot(app, out / f"main-settings-model-{language}.png")
        if client is not None:
            client.shutdown()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
