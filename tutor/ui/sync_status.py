"""``SyncRunner``: runs syncs off the GUI thread (on demand and every few minutes when enrolled)
and turns the core's plain progress callback into Qt signals for the status bar and the Progress
screen. At most one sync runs at a time.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from tutor.core.errors import Interrupted
from tutor.core.i18n import _
from tutor.core.sync.client import SyncClient, SyncResult
from tutor.ui.tasks import run_task

PERIOD_MS = 10 * 60 * 1000


class SyncRunner(QObject):
    started = Signal()
    progressed = Signal(int, int)  # acknowledged, total
    finished = Signal(object)  # SyncResult
    failed = Signal(str)
    changed = Signal()  # the status text changed

    def __init__(self, client: SyncClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(PERIOD_MS)
        self.timer.timeout.connect(self.sync_in_background)

    def start_periodic(self) -> None:
        self.timer.start()

    def sync_in_background(self) -> None:
        """The periodic sync: quiet, and only when enrolled."""
        if self.client.state().enrolled:
            self.sync_now()

    def sync_now(self) -> None:
        if self.running:
            return
        self.running = True
        self.started.emit()
        self.changed.emit()
        run_task(
            self,
            lambda: self.client.sync(on_progress=self.progressed.emit),
            self._done,
            self._error,
        )

    def _done(self, result: SyncResult) -> None:
        self.running = False
        self.finished.emit(result)
        self.changed.emit()

    def _error(self, exc: BaseException) -> None:
        self.running = False
        if not isinstance(exc, Interrupted):
            self.failed.emit(str(exc))
        self.changed.emit()

    def status_text(self) -> str:
        state = self.client.state()
        if self.running:
            return _("Sync: sending…")
        if not state.enrolled:
            return _("Sync: not enrolled")
        if state.last_error:
            return _("Sync: failed, will retry")
        if state.last_sync is None:
            return _("Sync: never synced")
        return _("Sync: last at {time}").format(
            time=time.strftime("%Y-%m-%d %H:%M", time.localtime(state.last_sync))
        )
