"""The wired app: window plus a real model loading in the background."""

from __future__ import annotations

import shutil
import time
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


def crash_a_load(model_id: str) -> None:
    """Kill a real worker while it loads ``model_id``: what an out-of-memory kill looks like."""
    import threading

    from tutor.core.llm import catalog
    from tutor.core.llm.client import ModelClient, WorkerCrashed, _marker_path

    client = ModelClient(catalog.find_model(model_id), n_ctx=256)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            client.load()
        except WorkerCrashed as exc:
            errors.append(exc)

    thread = threading.Thread(target=load)
    thread.start()
    deadline = time.monotonic() + 30
    while not (client.pid and _marker_path().exists()) and time.monotonic() < deadline:
        time.sleep(0.005)
    client.kill()
    thread.join(30)
    assert errors, "the load was expected to crash"


@pytest.fixture
def crashed_clinic_model(tmp_path: Path, default_model_path: Path) -> str:
    from tutor.core.llm.client import last_load_crashed
    from tutor.core.llm.importer import import_model
    from tutor.core.llm.manage import use_model

    src = tmp_path / "clinic.gguf"
    shutil.copyfile(default_model_path, src)
    import_model(src)
    use_model("clinic")
    crash_a_load("clinic")
    assert last_load_crashed() == "clinic"
    return "clinic"


@pytest.mark.parametrize("answer", ["default", "retry"])
def test_after_a_crashed_load_the_next_start_offers_the_default(
    qtbot: QtBot, qapp: QApplication, crashed_clinic_model: str, answer: str
) -> None:
    from tutor.core import settings
    from tutor.core.llm.client import last_load_crashed

    window, client = build(qapp)
    qtbot.add_widget(window)
    assert client is not None and client.entry.id == "clinic"
    window.show()
    box = start_model(window, client)
    try:
        assert box is not None and box.isVisible()
        assert "crashed while loading" in box.text()
        assert last_load_crashed() is None  # asked once, not at every start
        buttons = {b.text(): b for b in box.buttons()}
        buttons["Use the default model" if answer == "default" else "Try again"].click()
        qtbot.waitUntil(lambda: "ready" in window.model_label.text(), timeout=60_000)
        expected = "smollm2-135m-instruct-q4_1" if answer == "default" else "clinic"
        assert client.entry.id == expected
        assert settings.get("active_model") == expected
    finally:
        client.shutdown()
