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
from PySide6.QtWidgets import QApplication

from tutor.app import build, start_model
from tutor.core import settings
from tutor.ui.screens import SCREEN_KEYS


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
        for key in SCREEN_KEYS:
            window.show_screen(key)
            for _ in range(20):
                app.processEvents()
            image = app.primaryScreen().grabWindow(0)
            path = out / f"main-{key}-{language}.png"
            image.save(str(path))
            print(path)
        if client is not None:
            client.shutdown()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
