"""Settings → School server: enrol this computer with the server URL and the class code."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from tutor.core.i18n import _
from tutor.core.sync.state import SyncState
from tutor.ui.context import UiContext
from tutor.ui.screens import SettingsPage
from tutor.ui.tasks import run_task


class SchoolServerPage(SettingsPage):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        form = QFormLayout(self)
        self.url_label, self.code_label = QLabel(), QLabel()
        self.url = QLineEdit()
        self.url.setObjectName("server-url")
        self.code = QLineEdit()
        self.code.setObjectName("class-code")
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.clicked.connect(self.enrol)
        self.status = QLabel()
        self.status.setObjectName("enrol-status")
        self.status.setWordWrap(True)
        form.addRow(self.url_label, self.url)
        form.addRow(self.code_label, self.code)
        form.addRow(self.enrol_button)
        form.addRow(self.status)
        self._message = ""
        if context.sync_runner is None:
            self.enrol_button.setEnabled(False)
        else:
            state = context.sync_runner.client.state()
            self.url.setText(state.server_url or "")
        self.retranslate()

    def title(self) -> str:
        return _("School server")

    def retranslate(self) -> None:
        self.url_label.setText(_("Server address:"))
        self.url.setPlaceholderText(_("for example {url}").format(url="http://192.168.1.10:8765"))
        self.code_label.setText(_("Class code:"))
        self.enrol_button.setText(_("Enrol this computer"))
        self._show_status()

    def _show_status(self) -> None:
        runner = self.context.sync_runner
        if self._message:
            self.status.setText(self._message)
        elif runner is not None and runner.client.state().enrolled:
            state = runner.client.state()
            self.status.setText(
                _("Enrolled with {url} in class {name}.").format(
                    url=state.server_url, name=state.class_name
                )
            )
        else:
            self.status.setText(_("Ask your teacher for the server address and a class code."))

    def enrol(self) -> None:
        runner = self.context.sync_runner
        if runner is None:
            return
        url, code = self.url.text(), self.code.text()
        self.enrol_button.setEnabled(False)

        def done(state: SyncState) -> None:
            self.enrol_button.setEnabled(True)
            self._message = ""
            self.code.clear()
            self._show_status()
            runner.changed.emit()

        def failed(exc: BaseException) -> None:
            self.enrol_button.setEnabled(True)
            self._message = str(exc)
            self._show_status()

        run_task(self, lambda: runner.client.enroll(url, code), done, failed)
