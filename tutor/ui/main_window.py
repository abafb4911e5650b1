"""The main window: navigation on the side, one screen at a time, model and sync state below."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from tutor.core.i18n import _, isolate
from tutor.ui.about import show_about
from tutor.ui.cases_screen import CasesScreen
from tutor.ui.content_settings import ContentSettingsPage
from tutor.ui.context import UiContext
from tutor.ui.practice_screen import PracticeScreen
from tutor.ui.registry import SCREEN_KEYS, SCREENS
from tutor.ui.screens import Screen, SettingsScreen

MODEL_STATE_TEXT = {
    "stopped": lambda: _("Model: not loaded"),
    "loading": lambda: _("Model: loading…"),
    "ready": lambda: _("Model: ready"),
    "busy": lambda: _("Model: thinking…"),
    "failed": lambda: _("Model: failed"),
}


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.setObjectName("main-window")
        self.resize(1100, 720)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.stack = QStackedWidget()
        self.screens: dict[str, Screen] = {}
        for key in SCREEN_KEYS:
            screen = SCREENS[key](context)
            self.screens[key] = screen
            self.stack.addWidget(screen)
            item = QListWidgetItem()
            item.setData(0x0100, key)  # Qt.UserRole
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.model_label = QLabel()
        self.model_label.setObjectName("model-status")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("sync-status")
        self.statusBar().addWidget(self.model_label, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        self._model_state = ("stopped", "")
        if context.sync_runner is not None:
            context.sync_runner.changed.connect(self.update_sync_label)

        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: show_about(self, self.context.model))
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)

        self._connect_screens()
        self.retranslate()
        self.nav.setCurrentRow(0)

    def _connect_screens(self) -> None:
        """Let screens hand work to each other: Cases → Practice, content imports → lists."""
        cases, practice = self.screens["cases"], self.screens["practice"]
        if isinstance(cases, CasesScreen) and isinstance(practice, PracticeScreen):
            cases.practise_requested.connect(self.practise)
        settings = self.screens["settings"]
        if isinstance(settings, SettingsScreen):
            for page in settings.pages:
                if isinstance(page, ContentSettingsPage):
                    page.imported.connect(lambda _report: self.content_changed())

    def practise(self, case_id: str) -> None:
        """Start practising ``case_id`` (the Cases screen's "Practise this case")."""
        practice = self.screens["practice"]
        if isinstance(practice, PracticeScreen):
            self.show_screen("practice")
            practice.start_case(case_id)

    def content_changed(self) -> None:
        """The library changed (an import, the bundled pack): reload the lists that show cases."""
        cases, practice = self.screens["cases"], self.screens["practice"]
        if isinstance(cases, CasesScreen):
            cases.refresh()
        if isinstance(practice, PracticeScreen):
            practice.refresh_cases()

    def show_screen(self, key: str) -> None:
        self.nav.setCurrentRow(SCREEN_KEYS.index(key))

    def current_screen(self) -> str:
        return SCREEN_KEYS[self.stack.currentIndex()]

    def retranslate(self) -> None:
        self.setWindowTitle(_("Offline clinical tutor"))
        for row, key in enumerate(SCREEN_KEYS):
            item = self.nav.item(row)
            item.setText(self.screens[key].title())
            self.screens[key].retranslate()
        self.file_menu.setTitle(_("&File"))
        self.help_menu.setTitle(_("&Help"))
        self.quit_action.setText(_("&Quit"))
        self.about_action.setText(_("&About"))
        self.set_model_state(*self._model_state)
        self.update_sync_label()

    def update_sync_label(self) -> None:
        runner = self.context.sync_runner
        self.sync_label.setText(runner.status_text() if runner else _("Sync: not enrolled"))

    @Slot(str, str)
    def set_model_state(self, state: str, detail: str = "") -> None:
        self._model_state = (state, detail)
        text = MODEL_STATE_TEXT.get(state, lambda: state)()
        if self.context.model is not None:
            text = f"{text} — {isolate(self.context.model.name)}"
        self.model_label.setText(text)
        self.model_label.setToolTip(detail)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
