"""Settings → Model, offscreen: the catalog with fit, import with progress, use, and a GUI thread
that is never blocked while the real model loads and generates."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from tutor.app import ModelStateRelay
from tutor.core import paths, settings
from tutor.core.llm import catalog, registry
from tutor.core.llm.client import ModelClient
from tutor.ui.context import UiContext
from tutor.ui.main_window import MainWindow
from tutor.ui.settings_model import ModelSettingsPage
from tutor.ui.tasks import run_task

pytestmark = pytest.mark.gui


def model_page(window: MainWindow) -> ModelSettingsPage:
    pages = window.screens["settings"].pages  # type: ignore[attr-defined]
    return next(p for p in pages if isinstance(p, ModelSettingsPage))


@pytest.fixture
def window(qtbot: QtBot, default_model_path: Path) -> Iterator[MainWindow]:
    entry = catalog.default_model()
    relay = ModelStateRelay()  # as tutor.app wires it: worker state → status bar
    client = ModelClient(entry, n_ctx=512, n_threads=1, on_state=relay.changed.emit)
    context = UiContext(model=entry, model_client=client)
    w = MainWindow(context)
    relay.setParent(w)
    relay.changed.connect(w.set_model_state)
    qtbot.add_widget(w)
    w.show()
    w.show_screen("settings")
    page = model_page(w)
    qtbot.waitUntil(lambda: page.table.rowCount() == len(catalog.load_catalog()), timeout=30_000)
    yield w
    assert context.model_client is not None
    context.model_client.shutdown()


def ids(page: ModelSettingsPage) -> list[str]:
    return [row.entry.id for row in page.rows]


def column(page: ModelSettingsPage, index: int) -> list[str]:
    return [page.table.item(row, index).text() for row in range(page.table.rowCount())]


def test_page_shows_catalog_with_fit_and_reasons(window: MainWindow) -> None:
    page = model_page(window)
    tabs = window.screens["settings"].tabs  # type: ignore[attr-defined]
    assert "Model" in [tabs.tabText(i) for i in range(tabs.count())]
    names = column(page, 0)
    assert any("SmolLM2" in n and "✓" in n for n in names)
    assert set(column(page, 2)) <= {"fits", "may be slow", "won't fit"}
    assert all(column(page, 3))  # every fit has its reason
    assert "SmolLM2" in page.active_label.text()
    assert column(page, 4)[0] == "installed"
    assert "not installed" in column(page, 4)


def test_import_with_progress_dialog(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = model_page(window)
    src = tmp_path / "clinic.gguf"
    shutil.copyfile(catalog.check(catalog.default_model()).path, src)  # type: ignore[arg-type]
    page.import_file(src)
    dialog = page.findChild(QProgressDialog, "import-progress")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: "Imported" in page.status.text(), timeout=60_000)
    assert page.progress is None and page.import_button.isEnabled()
    qtbot.waitUntil(lambda: "clinic" in ids(page), timeout=30_000)
    assert "clinic" in registry.load()


def test_cancelled_import_leaves_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = model_page(window)
    src = tmp_path / "clinic.gguf"
    shutil.copyfile(catalog.check(catalog.default_model()).path, src)  # type: ignore[arg-type]
    page.import_file(src)
    assert page.progress is not None
    page.progress.findChild(QPushButton).click()  # the dialog's Cancel button
    qtbot.waitUntil(lambda: page.progress is None, timeout=60_000)
    assert page.findChild(QMessageBox, "model-error") is None  # a cancel is shown to nobody
    assert [p.name for p in paths.models_dir().iterdir() if p.suffix != ".json"] == []


def test_bad_file_gets_a_clear_message(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = model_page(window)
    src = tmp_path / "notes.gguf"
    src.write_text("not a model")
    page.import_file(src)
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, "model-error") is not None, timeout=30_000)
    box = page.findChild(QMessageBox, "model-error")
    assert "not a GGUF model file" in box.text()


@pytest.mark.model
def test_use_switches_the_running_model(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = model_page(window)
    src = tmp_path / "clinic.gguf"
    shutil.copyfile(catalog.check(catalog.default_model()).path, src)  # type: ignore[arg-type]
    page.import_file(src)
    qtbot.waitUntil(lambda: "clinic" in ids(page), timeout=60_000)
    page.select_model("clinic")
    assert page.use_button.isEnabled()
    page.use_button.click()
    client = window.context.model_client
    assert client is not None
    qtbot.waitUntil(lambda: client.entry.id == "clinic" and client.state == "ready", timeout=60_000)
    qtbot.waitUntil(lambda: "ready" in window.model_label.text(), timeout=10_000)
    assert settings.get("active_model") == "clinic"
    assert window.context.model is not None and window.context.model.id == "clinic"
    qtbot.waitUntil(lambda: "Smollm2" in page.active_label.text(), timeout=30_000)


class TokenRelay(QObject):
    received = Signal(str)


@pytest.mark.model
def test_gui_thread_never_blocked_while_model_loads_and_generates(
    qtbot: QtBot, window: MainWindow
) -> None:
    client = window.context.model_client
    assert client is not None
    client.shutdown()
    late: list[float] = []
    last = [time.perf_counter()]
    interval_ms = 10

    ticks: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        late.append(now - last[0] - interval_ms / 1000)
        ticks.append(now)
        last[0] = now

    timer = QTimer(window)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    output = QLabel(window)
    relay = TokenRelay(window)
    relay.received.connect(lambda text: output.setText(output.text() + text))
    finished: list[object] = []
    messages = [{"role": "user", "content": "Tell me a long story about a village doctor."}]

    loaded_at: list[float] = []

    def generate(_info: object) -> None:
        loaded_at.append(time.perf_counter())
        run_task(
            window,
            lambda: client.chat(messages, on_token=relay.received.emit, max_tokens=96),
            on_done=finished.append,
            on_error=finished.append,
        )

    last[0] = time.perf_counter()
    timer.start(interval_ms)
    run_task(window, client.load, on_done=generate, on_error=finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=180_000)
    timer.stop()
    assert not isinstance(finished[0], BaseException), finished[0]
    assert output.text()
    assert len(late) > 20
    # The timer ran through both phases: while the model loaded and while it generated.
    assert any(t < loaded_at[0] for t in ticks) and any(t > loaded_at[0] for t in ticks)
    print(f"max timer lateness {max(late) * 1000:.1f} ms over {len(late)} ticks")
    assert max(late) < 0.050, f"GUI thread blocked for {max(late) * 1000:.0f} ms"
