"""The Progress screen: pick or create a learner, see their attempts and per-competency scores,
when progress last reached the school, and sync now (in the background, with a progress bar)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from tutor.core.i18n import _
from tutor.core.progress.encounter import COMPETENCIES
from tutor.core.progress.learners import Learner, Learners
from tutor.core.progress.queries import LearnerProgress, learner_progress
from tutor.core.sync.client import SyncResult
from tutor.ui.context import UiContext
from tutor.ui.screens import Screen
from tutor.ui.tasks import run_task


def competency_label(name: str) -> str:
    return {
        "history": _("History"),
        "examination": _("Examination"),
        "investigations": _("Investigations"),
        "diagnosis": _("Diagnosis"),
        "management": _("Management"),
    }[name]


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


class ProgressScreen(Screen):
    key = "progress"

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.learners = Learners(context.progress_store) if context.progress_store else None
        self._learners: list[Learner] = []
        self._progress: LearnerProgress | None = None
        self._sync_message = ""

        row = QHBoxLayout()
        self.learner_label = QLabel()
        self.picker = QComboBox()
        self.picker.setObjectName("learner-picker")
        self.picker.activated.connect(self._picked)
        self.new_button = QPushButton()
        self.new_button.setObjectName("new-learner")
        self.new_button.clicked.connect(self.create_learner)
        row.addWidget(self.learner_label)
        row.addWidget(self.picker, 1)
        row.addWidget(self.new_button)
        self.layout_.addLayout(row)

        self.summary = QLabel()
        self.summary.setObjectName("progress-summary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.competencies = QFormLayout()
        self.competency_values = {c: QLabel() for c in COMPETENCIES}
        self.competency_names = {c: QLabel() for c in COMPETENCIES}
        for c in COMPETENCIES:
            self.competency_values[c].setObjectName(f"competency-{c}")
            self.competencies.addRow(self.competency_names[c], self.competency_values[c])
        self.layout_.addLayout(self.competencies)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("case-table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(self.table, 1)

        sync_row = QHBoxLayout()
        self.sync_state = QLabel()
        self.sync_state.setObjectName("last-sync")
        self.sync_bar = QProgressBar()
        self.sync_bar.setObjectName("sync-progress")
        self.sync_bar.hide()
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("sync-now")
        self.sync_button.clicked.connect(self.sync_now)
        sync_row.addWidget(self.sync_state, 1)
        sync_row.addWidget(self.sync_bar)
        sync_row.addWidget(self.sync_button)
        self.layout_.addLayout(sync_row)

        runner = context.sync_runner
        if runner is not None:
            runner.started.connect(self._sync_started)
            runner.progressed.connect(self._sync_progressed)
            runner.finished.connect(self._sync_finished)
            runner.failed.connect(self._sync_failed)
            runner.changed.connect(self._show_sync_state)
        else:
            self.sync_button.setEnabled(False)
        if self.learners is None:
            self.new_button.setEnabled(False)
            self.picker.setEnabled(False)
        self.retranslate()
        self.reload_learners()

    def title(self) -> str:
        return _("Progress")

    def retranslate(self) -> None:
        super().retranslate()
        self.learner_label.setText(_("Learner:"))
        self.new_button.setText(_("New learner…"))
        self.sync_button.setText(_("Sync now"))
        for c in COMPETENCIES:
            self.competency_names[c].setText(competency_label(c))
        self.table.setHorizontalHeaderLabels(
            [_("Case"), _("Attempts"), _("Best"), _("Last"), _("Time (min)")]
        )
        self._show_progress()
        self._show_sync_state()

    # -- learners ---------------------------------------------------------------------------

    def reload_learners(self, select: str | None = None) -> None:
        if self.learners is None:
            return
        learners = self.learners
        run_task(self, learners.list, lambda found: self._fill_picker(found, select))

    def _fill_picker(self, learners: list[Learner], select: str | None) -> None:
        self._learners = learners
        self.picker.clear()
        for learner in learners:
            self.picker.addItem(learner.name, learner.id)
        if select is not None:
            self.picker.setCurrentIndex(self.picker.findData(select))
        elif learners:
            self.picker.setCurrentIndex(0)
        else:
            self._progress = None
            self._show_progress()
            return
        self._picked(self.picker.currentIndex())

    def _picked(self, index: int) -> None:
        if self.learners is None or index < 0:
            return
        learner = self._learners[index]
        store = self.learners.store
        if learner.has_pin:
            pin, ok = QInputDialog.getText(
                self,
                _("PIN"),
                _("PIN for {name}:").format(name=learner.name),
                QLineEdit.EchoMode.Password,
            )
            if not ok or not self.learners.check_pin(learner.id, pin):
                self._progress = None
                self.summary.setText(_("Wrong PIN."))
                return
        self.context.learner_id = learner.id  # practice from now on is recorded for this learner
        run_task(self, lambda: learner_progress(store, learner.id), self._progress_loaded)

    def _progress_loaded(self, progress: LearnerProgress) -> None:
        self._progress = progress
        self._show_progress()

    def create_learner(self) -> None:
        name, ok = QInputDialog.getText(self, _("New learner"), _("Name:"))
        if not ok or self.learners is None:
            return
        pin, ok = QInputDialog.getText(
            self,
            _("New learner"),
            _("Optional PIN (4 to 12 digits), or leave empty:"),
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        self.add_learner(name, pin or None)

    def add_learner(self, name: str, pin: str | None) -> None:
        learners = self.learners
        if learners is None:
            return

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, _("New learner"), str(exc))

        run_task(
            self,
            lambda: learners.create(name, pin),
            lambda learner: self.reload_learners(select=learner.id),
            failed,
        )

    def _show_progress(self) -> None:
        progress = self._progress
        if progress is None:
            if self.learners is None:
                self.summary.setText(_("Progress is not available."))
            elif not self._learners:
                self.summary.setText(_("Create a learner profile to start."))
            for c in COMPETENCIES:
                self.competency_values[c].setText("–")
            self.table.setRowCount(0)
            return
        self.summary.setText(
            _("{attempts} attempts, {minutes} minutes of practice.").format(
                attempts=progress.attempt_count, minutes=round(progress.time_s / 60)
            )
        )
        for c in COMPETENCIES:
            self.competency_values[c].setText(pct(progress.competencies[c]))
        self.table.setRowCount(len(progress.cases))
        for row, case in enumerate(progress.cases):
            values = [
                case.case_id,
                str(case.attempts),
                pct(case.best),
                pct(case.last),
                str(round(case.time_s / 60)),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    # -- sync -------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.context.sync_runner is not None:
            self._sync_message = ""
            self.context.sync_runner.sync_now()

    def _sync_started(self) -> None:
        self.sync_button.setEnabled(False)
        self.sync_bar.setRange(0, 0)
        self.sync_bar.show()

    def _sync_progressed(self, done: int, total: int) -> None:
        self.sync_bar.setRange(0, max(total, 1))
        self.sync_bar.setValue(done)

    def _sync_finished(self, result: SyncResult) -> None:
        self.sync_bar.hide()
        self.sync_button.setEnabled(True)
        self._sync_message = _("{n} events sent, {pending} waiting.").format(
            n=result.acknowledged, pending=result.pending
        )
        self._show_sync_state()
        self._picked(self.picker.currentIndex())

    def _sync_failed(self, message: str) -> None:
        self.sync_bar.hide()
        self.sync_button.setEnabled(True)
        self._sync_message = message
        self._show_sync_state()

    def _show_sync_state(self) -> None:
        runner = self.context.sync_runner
        if runner is None:
            self.sync_state.setText(_("Sync is not available."))
            return
        text = runner.status_text()
        self.sync_state.setText(f"{text} — {self._sync_message}" if self._sync_message else text)
