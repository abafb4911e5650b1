"""Settings → Content: the installed packs (version, publisher, signature) and importing more.

The import runs through ``run_task``; the core's progress callable is called on the worker
thread, so it is relayed to the progress bar through a Qt signal (queued onto the GUI thread).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.core.content.importer import ImportReport, import_path
from tutor.core.content.library import PackInfo
from tutor.core.errors import Interrupted, KnownError
from tutor.core.i18n import _, ngettext
from tutor.ui.context import UiContext
from tutor.ui.screens import SettingsPage
from tutor.ui.tasks import run_task

log = logging.getLogger(__name__)


class _ProgressRelay(QObject):
    progressed = Signal(int, int)


class ContentSettingsPage(SettingsPage):
    imported = Signal(object)  # ImportReport, after the library changed

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("packs-table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.import_file_button = QPushButton()
        self.import_file_button.setObjectName("import-file")
        self.import_folder_button = QPushButton()
        self.import_folder_button.setObjectName("import-folder")
        self.allow_unsigned = QCheckBox()
        self.allow_unsigned.setObjectName("allow-unsigned")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel-import")
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("import-progress")
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("import-message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_file_button)
        buttons.addWidget(self.import_folder_button)
        buttons.addWidget(self.allow_unsigned)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        layout.addWidget(self.message)
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)
        self.import_file_button.clicked.connect(self._choose_file)
        self.import_folder_button.clicked.connect(self._choose_folder)
        self.cancel_button.clicked.connect(self.cancel_import)
        self._cancel = threading.Event()
        self._packs: list[PackInfo] = []
        self._busy = False
        self.reload()

    def title(self) -> str:
        return _("Content")

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Pack"), _("Version"), _("Publisher"), _("Signature"), _("Imported")]
        )
        self.import_file_button.setText(_("Import a pack or case file…"))
        self.import_folder_button.setText(_("Import a folder or USB stick…"))
        self.allow_unsigned.setText(_("Allow unsigned packs"))
        self.cancel_button.setText(_("Cancel"))
        self.allow_unsigned.setToolTip(
            _("Only for packs you made yourself: an unsigned pack may have been changed.")
        )
        self._show_packs(self._packs)

    def reload(self) -> None:
        library = self.context.library
        if library is None:
            return
        run_task(self, library.packs, self._show_packs)

    def _show_packs(self, packs: list[PackInfo]) -> None:
        self._packs = packs
        signature_text = {
            "trusted": _("Signed by a trusted publisher"),
            "unsigned": _("Not signed"),
        }
        self.table.setRowCount(len(packs))
        for row, pack in enumerate(packs):
            imported = dt.datetime.fromtimestamp(pack.imported_at).strftime("%Y-%m-%d %H:%M")
            values = [
                f"{pack.title} ({pack.id})",
                str(pack.version),
                pack.publisher or "—",
                signature_text.get(pack.signature, pack.signature)
                + (f" [{pack.key_id}]" if pack.key_id else ""),
                imported,
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import content"),
            "",
            _("Packs and cases (*.zip *.pack *.yaml *.yml *.json *.jsonl)"),
        )
        if path:
            self.start_import(Path(path))

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Import a folder"))
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path) -> None:
        library = self.context.library
        if library is None or self._busy:
            return
        self._busy = True
        self.import_file_button.setEnabled(False)
        self.import_folder_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first count arrives (verifying)
        self.progress.setVisible(True)
        self.message.setText(_("Checking {path}…").format(path=path.name))
        allow = self.allow_unsigned.isChecked()
        emit = self._relay.progressed.emit
        self._cancel.clear()
        self.cancel_button.setVisible(True)
        cancelled = self._cancel.is_set

        def work() -> ImportReport:
            return import_path(path, library, allow_unsigned=allow, progress=emit, cancel=cancelled)

        run_task(self, work, self._done, self._failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def cancel_import(self) -> None:
        """Stop the running import; the transaction rolls back and nothing is installed."""
        self._cancel.set()

    def _finish(self) -> None:
        self._busy = False
        self.cancel_button.setVisible(False)
        self.import_file_button.setEnabled(True)
        self.import_folder_button.setEnabled(True)

    def _done(self, report: ImportReport) -> None:
        self._finish()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        lines = [
            ngettext("Imported {n} case.", "Imported {n} cases.", report.case_count).format(
                n=report.case_count
            ),
            *report.skipped,
            *report.warnings,
        ]
        if report.failures:
            lines.append(
                ngettext(
                    "{n} case could not be imported: {id}: {reason}",
                    "{n} cases could not be imported, e.g. {id}: {reason}",
                    len(report.failures),
                ).format(
                    n=len(report.failures),
                    id=report.failures[0].case_id,
                    reason=report.failures[0].reason,
                )
            )
        self.message.setText("\n".join(lines))
        self.reload()
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setVisible(False)
        if isinstance(exc, Interrupted):
            self.message.setText(_("Import cancelled; nothing was imported."))
            return
        if not isinstance(exc, KnownError):  # our bug, not the user's file: keep the traceback
            log.error("import failed", exc_info=exc)
        self.message.setText(_("Nothing was imported: {reason}").format(reason=exc))
