"""The one place the UI runs work off the GUI thread.

``run_task(owner, fn, on_done, on_error)`` runs ``fn()`` on Qt's thread pool and calls ``on_done``
(or ``on_error`` with the exception) back on the GUI thread, but only if ``owner`` still exists.
Tests can swap ``INLINE`` on to run tasks synchronously.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

INLINE = False


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # task boundary: every failure goes back to the GUI thread
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)


_live_relays: set[_Relay] = set()


def run_task(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` in the background; deliver its result or exception on the GUI thread."""

    def deliver(callback: Callable[[Any], None] | None, value: Any) -> None:
        _live_relays.discard(relay)
        if not shiboken6.isValid(owner):
            return
        if callback is not None:
            callback(value)
        elif isinstance(value, BaseException):
            log.error("background task failed", exc_info=value)

    relay = _Relay()
    relay.finished.connect(lambda value: deliver(on_done, value))
    relay.failed.connect(lambda exc: deliver(on_error, exc))
    if INLINE:
        _Task(fn, relay).run()
        return
    _live_relays.add(relay)  # keep the relay alive until the result is delivered
    QThreadPool.globalInstance().start(_Task(fn, relay))
