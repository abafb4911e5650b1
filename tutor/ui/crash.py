"""The last line of defence: an uncaught exception is logged and shown as a calm dialog."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.logsetup import log_file

log = logging.getLogger(__name__)


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(value, KnownError):
            log.warning("%s", value)
            text = str(value)
        else:
            log.error("uncaught exception", exc_info=(kind, value, tb))
            text = _(
                "Something went wrong, but your work is saved. The details are in the log file:\n"
                "{path}"
            ).format(path=log_file())
        if QApplication.instance() is not None:
            QMessageBox.warning(None, _("Offline clinical tutor"), text)

    sys.excepthook = hook
