"""Settings → Model: every known model with its fit on this computer, the active one, "Use", and
import from a folder or USB stick with a progress dialog.

All work (hashing files, copying gigabytes, restarting the worker) runs through ``run_task``; the
core's plain progress callable and cancel flag are turned into Qt signals here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.core import settings
from tutor.core.errors import Interrupted
from tutor.core.i18n import _
from tutor.core.llm.catalog import ModelEntry
from tutor.core.llm.client import CancelFlag
from tutor.core.llm.manage import ModelRow, list_models, use_model
from tutor.ui.context import UiContext
from tutor.ui.screens import SettingsPage
from tutor.ui.tasks import run_task

PERMILLE = 1000  # QProgressDialog counts in int: bytes of a 2 GB file would overflow it


class _ProgressRelay(QObject):
    """Carries the importer's progress callable (called on a pool thread) to the GUI thread."""

    advanced = Signal(int)


class ModelSettingsPage(SettingsPage):
    models_changed = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("settings-model")
        self.rows: list[ModelRow] = []
        self.active_label = QLabel()
        self.active_label.setObjectName("active-model")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("model-table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.use_button = QPushButton()
        self.use_button.setObjectName("use-model")
        self.use_button.clicked.connect(self.use_selected)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import-model")
        self.import_button.clicked.connect(self.choose_file)
        self.status = QLabel()
        self.status.setObjectName("model-page-status")
        self.status.setWordWrap(True)
        self.rephrase_box = QCheckBox()
        self.rephrase_box.setObjectName("patient-rephrase")
        self.rephrase_box.setEnabled(False)  # until the stored value has been read
        self.rephrase_box.toggled.connect(lambda checked: self._store("patient_rephrase", checked))
        self.coaching_box = QCheckBox()
        self.coaching_box.setObjectName("model-coaching")
        self.coaching_box.setEnabled(False)
        self.coaching_box.toggled.connect(lambda checked: self._store("model_coaching", checked))
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.active_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.rephrase_box)
        layout.addWidget(self.coaching_box)
        layout.addWidget(self.status)
        self.progress: QProgressDialog | None = None
        self._cancel: CancelFlag | None = None
        self.retranslate()
        self.refresh()
        run_task(
            self,
            lambda: (bool(settings.get("patient_rephrase")), bool(settings.get("model_coaching"))),
            self._show_model_help,
        )

    def _show_model_help(self, values: tuple[bool, bool]) -> None:
        for box, value in zip((self.rephrase_box, self.coaching_box), values, strict=True):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
            box.setEnabled(True)

    def _store(self, name: str, checked: bool) -> None:
        run_task(self, lambda: settings.set_value(name, checked), on_error=self._show_error)

    def title(self) -> str:
        return _("Model")

    # -- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list in the background (checking hashes can read large files)."""
        run_task(self, list_models, on_done=self._show_rows, on_error=self._show_error)

    def _show_rows(self, rows: list[ModelRow]) -> None:
        self.rows = rows
        self._fill()
        self.models_changed.emit()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            e = row.entry
            name = f"{e.name} ✓" if row.active else e.name
            state = row.state_label()
            cells = [name, f"{e.params} {e.quant}", row.fit.label(), row.fit.reason, state]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                if column == 3:
                    item.setToolTip(text)
                self.table.setItem(index, column, item)
        self.table.resizeRowsToContents()
        active = next((r.entry for r in self.rows if r.active), None)
        self.active_label.setText(
            _("Active model: {name}").format(name=active.name if active else "—")
        )
        self._update_buttons()

    def selected_row(self) -> ModelRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def select_model(self, model_id: str) -> None:
        for index, row in enumerate(self.rows):
            if row.entry.id == model_id:
                self.table.selectRow(index)
                return

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.use_button.setEnabled(
            row is not None
            and row.status.present
            and not row.active
            and row.hash_state != "damaged"
        )

    # -- use ------------------------------------------------------------------------------------

    def use_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        entry = row.entry
        self.use_button.setEnabled(False)
        run_task(
            self,
            lambda: use_model(entry.id),
            on_done=lambda _fit: self._switch_to(entry),
            on_error=self._show_error,
        )

    def _switch_to(self, entry: ModelEntry) -> None:
        self.context.model = entry
        self.status.setText(_("Loading {name}…").format(name=entry.name))
        client = self.context.model_client
        if client is not None:

            def switch() -> None:
                client.shutdown()
                client.entry = entry
                client.load()

            run_task(
                self, switch, on_done=lambda _r: self.status.clear(), on_error=self._show_error
            )
        self.refresh()

    # -- import ---------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a model"), str(Path.home()), _("GGUF models (*.gguf)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Copy ``path`` in the background behind a cancellable progress dialog."""
        from tutor.core.llm.importer import import_model  # gguf + numpy: not needed at start-up

        cancel = CancelFlag()
        relay = _ProgressRelay(self)
        dialog = QProgressDialog(
            _("Copying {file}…").format(file=path.name), _("Cancel"), 0, PERMILLE, self
        )
        dialog.setObjectName("import-progress")
        dialog.setWindowTitle(_("Import a model"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)
        relay.advanced.connect(dialog.setValue)
        dialog.show()
        self.progress, self._cancel = dialog, cancel
        self.import_button.setEnabled(False)

        def progress(done: int, total: int) -> None:
            relay.advanced.emit(done * PERMILLE // max(1, total))

        def finished() -> None:
            dialog.close()
            relay.deleteLater()
            self.progress, self._cancel = None, None
            self.import_button.setEnabled(True)

        def done(entry: ModelEntry) -> None:
            finished()
            self.status.setText(_("Imported {name}.").format(name=entry.name))
            self.refresh()

        def failed(exc: BaseException) -> None:
            finished()
            if not isinstance(exc, Interrupted):
                self._show_error(exc)

        run_task(
            self,
            lambda: import_model(path, progress=progress, cancel=cancel),
            on_done=done,
            on_error=failed,
        )

    # -- text -----------------------------------------------------------------------------------

    def _show_error(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        box = QMessageBox(QMessageBox.Icon.Warning, _("Model"), str(exc), parent=self)
        box.setObjectName("model-error")
        box.open()
        self._update_buttons()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Model"), _("Size"), _("Fit"), _("Why"), _("File")])
        self.use_button.setText(_("Use"))
        self.import_button.setText(_("Import…"))
        self.rephrase_box.setText(
            _("Let the model reword the patient's answers (checked; the written answer is kept)")
        )
        self.rephrase_box.setToolTip(
            _(
                "A reworded answer is shown only if it keeps every number, negation and name. "
                "With the small default model most rewordings are refused, so this is off."
            )
        )
        self.coaching_box.setText(
            _("Let the model write the coaching paragraph from your score (checked)")
        )
        self.coaching_box.setToolTip(
            _(
                "Shown only if every number and medical term in it comes from your score; "
                "otherwise the standard paragraph is kept. Off: the small default model rarely "
                "writes a useful one."
            )
        )
        self._fill()
