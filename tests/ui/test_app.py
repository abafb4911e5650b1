"""The wired app: window plus a real model loading in the background."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tutor.app import build, start_model

pytestmark = [pytest.mark.gui, pytest.mark.model]


def test_model_loads_in_background_and_status_follows(
    qtbot: QtBot, qapp: QApplication, default_model_path: Path
) -> None:
    window, client = build(qapp)
    qtbot.add_widget(window)
    assert client is not None
    window.show()
    start_model(window, client)
    try:
        qtbot.waitUntil(lambda: "ready" in window.model_label.text(), timeout=60_000)
        assert client.pid is not None
    finally:
        client.shutdown()
    assert "not loaded" in window.model_label.text()
