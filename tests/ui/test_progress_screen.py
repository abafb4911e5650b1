"""Progress screen, School server settings page and the sync status, offscreen, against a real
school server on loopback (the UI is what is tested; nothing is faked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from syncsupport import ThreadServer, setup_class

from tutor.core.progress.encounter import finished_payload
from tutor.core.progress.store import ProgressStore
from tutor.core.sync.client import SyncClient
from tutor.ui import tasks
from tutor.ui.context import UiContext
from tutor.ui.main_window import MainWindow
from tutor.ui.progress_screen import ProgressScreen
from tutor.ui.school_page import SchoolServerPage
from tutor.ui.sync_status import SyncRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadServer]:
    with ThreadServer(tmp_path / "server") as running:
        running.code = setup_class(running.storage)  # type: ignore[attr-defined]
        yield running


@pytest.fixture
def context() -> UiContext:
    store = ProgressStore()
    return UiContext(progress_store=store, sync_runner=SyncRunner(SyncClient(store)))


def test_learners_progress_enrol_and_sync(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, server: ThreadServer, context: UiContext
) -> None:
    monkeypatch.setattr(tasks, "INLINE", True)
    window = MainWindow(context)
    qtbot.add_widget(window)
    screen = window.screens["progress"]
    assert isinstance(screen, ProgressScreen)
    assert "Create a learner" in screen.summary.text()
    assert window.sync_label.text() == "Sync: not enrolled"

    screen.add_learner("Amina", None)
    assert screen.picker.currentText() == "Amina"
    learner_id = screen.picker.currentData()
    store = context.progress_store
    assert store is not None
    for scores in ({"history": 0.5, "diagnosis": 1.0}, {"history": 1.0}):
        payload = finished_payload("chest-pain", scores, 300)
        store.write(lambda tx, p=payload: tx.emit("encounter.finished", p, learner_id))
    screen.reload_learners(select=learner_id)
    assert screen.summary.text() == "2 attempts, 10 minutes of practice."
    assert screen.competency_values["history"].text() == "75%"
    assert screen.competency_values["management"].text() == "–"
    assert screen.table.item(0, 0).text() == "chest-pain"
    assert screen.table.item(0, 1).text() == "2"

    page = SchoolServerPage(context)
    qtbot.add_widget(page)
    page.url.setText(server.url)
    page.code.setText("WRONG999")
    page.enrol_button.click()
    assert "not accepted" in page.status.text()
    page.code.setText(server.code)  # type: ignore[attr-defined]
    page.enrol_button.click()
    assert "Enrolled with" in page.status.text()
    assert window.sync_label.text() == "Sync: never synced"

    screen.sync_button.click()
    assert "3 events sent, 0 waiting." in screen.sync_state.text()
    assert window.sync_label.text().startswith("Sync: last at")
    assert store.pending_count() == 0
    assert len(server.storage.events_of_device(store.device_id)) == 3


def test_sync_runs_in_background_and_failure_is_shown(
    qtbot: QtBot, context: UiContext, server: ThreadServer
) -> None:
    runner = context.sync_runner
    assert runner is not None
    runner.client.enroll(server.url, server.code)  # type: ignore[attr-defined]
    runner.client.max_attempts = 2
    runner.client.sleep = lambda s: None
    screen = ProgressScreen(context)
    qtbot.add_widget(screen)
    with qtbot.wait_signal(runner.finished, timeout=20000):
        screen.sync_button.click()
        assert not screen.sync_button.isEnabled()  # returned at once; the sync runs elsewhere
    assert screen.sync_button.isEnabled()
    server.server.should_exit = True
    server.thread.join(10)
    with qtbot.wait_signal(runner.failed, timeout=20000):
        screen.sync_button.click()
    assert "could not be reached" in screen.sync_state.text()
    assert runner.status_text() == "Sync: failed, will retry"


def test_progress_screen_without_store(qtbot: QtBot) -> None:
    screen = ProgressScreen(UiContext())
    qtbot.add_widget(screen)
    assert not screen.sync_button.isEnabled()
    assert screen.summary.text() == "Progress is not available."
