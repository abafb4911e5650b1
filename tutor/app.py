"""The only module that wires the core to the Qt UI: builds the window, starts the model in the
background, and shuts everything down in order."""

from __future__ import annotations

import logging
import signal
import sys
import time

from PySide6.QtCore import QLocale, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from tutor.core import languages, settings
from tutor.core.content.bundled import install_bundled
from tutor.core.content.library import Library
from tutor.core.errors import KnownError
from tutor.core.i18n import _, setup_i18n
from tutor.core.llm import catalog
from tutor.core.llm.client import ModelClient, clear_crash_marker, last_load_crashed
from tutor.core.logsetup import setup_logging
from tutor.core.practice.coaching import loaded_coach
from tutor.core.practice.encounter import Practice
from tutor.core.practice.rephrase import loaded_rephraser
from tutor.core.progress.store import ProgressStore
from tutor.core.sync.client import SyncClient
from tutor.ui.context import UiContext
from tutor.ui.crash import install_excepthook
from tutor.ui.fonts import ensure_script_fonts
from tutor.ui.language import apply_language
from tutor.ui.main_window import MainWindow
from tutor.ui.sync_status import SyncRunner
from tutor.ui.tasks import run_task

log = logging.getLogger(__name__)


class ModelStateRelay(QObject):
    """Carries the client's state callbacks (from any thread) to the GUI thread."""

    changed = Signal(str, str)


def process_age_s() -> float:
    import psutil

    return time.time() - psutil.Process().create_time()


def build_practice(
    store: ProgressStore, library: Library, client: ModelClient | None = None
) -> Practice:
    """The encounter facade over progress.db and the installed case library; with a model
    client, the patient may reword answers (setting ``patient_rephrase``) and the feedback page
    may get the model's checked coaching paragraph (``model_coaching``), both only once the
    model is loaded."""

    def list_cases(language: str) -> list[tuple[str, str]]:
        return [(s.id, s.title) for s in library.list_cases(language)]

    if client is None:
        return Practice(store, library.get_case, list_cases=list_cases)
    return Practice(
        store,
        library.get_case,
        list_cases=list_cases,
        rephraser=loaded_rephraser(client, lambda: bool(settings.get("patient_rephrase"))),
        coach=loaded_coach(client, lambda: bool(settings.get("model_coaching"))),
    )


def build(app: QApplication) -> tuple[MainWindow, ModelClient | None]:
    """Create the window and the model client; the model loads after the window is shown."""
    # First start (no ui_language yet) follows the system locale when it is a shipped language.
    apply_language(app, setup_i18n(languages.ui_language(QLocale.system().name())))
    ensure_script_fonts()
    try:
        entry = catalog.active_model()
    except KnownError as exc:
        log.warning("%s", exc)
        entry = None
    library, store = Library(), ProgressStore()
    relay = ModelStateRelay()
    model_client = ModelClient(entry, on_state=relay.changed.emit) if entry is not None else None
    context = UiContext(
        model=entry,
        model_client=model_client,
        library=library,
        progress_store=store,
        sync_runner=SyncRunner(SyncClient(store)),
        practice=build_practice(store, library, model_client),
    )
    window = MainWindow(context)
    context.sync_runner.setParent(window)
    context.sync_runner.start_periodic()
    # A first quiet sync soon after start: laptops often open the app once they reach school.
    QTimer.singleShot(15_000, context.sync_runner.sync_in_background)
    relay.setParent(window)
    relay.changed.connect(window.set_model_state)
    client = context.model_client
    if client is None:
        window.set_model_state("failed", _("No model is configured."))
    else:
        window.closing.connect(client.shutdown)
    return window, client


def start_model(window: MainWindow, client: ModelClient) -> QMessageBox | None:
    """Load the model in the background; after a crash during the last load, first offer the
    default model (without blocking: the window stays usable while the question is open)."""
    crashed = last_load_crashed()
    if not crashed:
        _load(window, client)
        return None
    clear_crash_marker()
    default = catalog.default_model()
    try:
        crashed_name = catalog.find_model(crashed).name
    except KnownError:
        crashed_name = crashed
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Offline clinical tutor"),
        _(
            "Last time, the model {name} crashed while loading: the file may be damaged or too "
            "large for this computer's memory. Use the default model {default} instead?"
        ).format(name=crashed_name, default=default.name),
        parent=window,
    )
    box.setObjectName("model-crash-box")
    use_default = box.addButton(_("Use the default model"), QMessageBox.ButtonRole.AcceptRole)
    retry = None
    if crashed != default.id:
        retry = box.addButton(_("Try again"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(use_default)

    def decided(_result: int) -> None:
        # Anything but an explicit "Try again" (Escape, closing the box) takes the safe choice.
        if retry is None or box.clickedButton() is not retry:
            settings.set_value("active_model", default.id)
            client.entry = default
            window.context.model = default
        _load(window, client)

    box.finished.connect(decided)
    box.open()
    return box


def _load(window: MainWindow, client: ModelClient) -> None:
    def failed(exc: BaseException) -> None:
        window.set_model_state("failed", str(exc))

    run_task(window, client.load, on_error=failed)


def install_bundled_content(window: MainWindow) -> None:
    """Install packs shipped with the program when newer than the installed ones (#4)."""
    library = window.context.library
    if library is None:
        return

    def done(reports: list[object]) -> None:
        if reports:
            window.content_changed()

    run_task(window, lambda: install_bundled(library), done)


def quit_on_signals(app: QApplication) -> None:
    """Let SIGINT/SIGTERM close the app cleanly (the model worker is shut down on the way out)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: app.quit())
    # Python runs signal handlers only when it holds control; wake it up regularly.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)


def run_app(argv: list[str] | None = None) -> int:
    setup_logging()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("tutor")
    install_excepthook()
    window, client = build(app)
    window.show()
    log.info("window shown %.3f s after process start", process_age_s())
    quit_on_signals(app)
    QTimer.singleShot(0, lambda: install_bundled_content(window))
    if client is not None:
        QTimer.singleShot(0, lambda: start_model(window, client))
    code = app.exec()
    if client is not None:
        client.shutdown()
    if window.context.library is not None:
        QThreadPool.globalInstance().waitForDone(10_000)  # an import may still be writing
        window.context.library.close()
    return code
