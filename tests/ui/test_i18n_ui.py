"""The UI in other languages: no untranslated literals, run-time switch to Arabic, right-to-left.

The static check reads tutor/ui's source; the run-time test switches the real window to Arabic
through the Settings → Language page and looks at every visible widget on every screen and tab.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableWidget,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tutor.core import i18n, languages
from tutor.core.llm import catalog
from tutor.ui import tasks
from tutor.ui.about import about_text
from tutor.ui.context import UiContext
from tutor.ui.language import apply_language
from tutor.ui.main_window import MainWindow
from tutor.ui.registry import SCREEN_KEYS
from tutor.ui.screens import SettingsScreen
from tutor.ui.settings_language import LanguagePage

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "tutor" / "ui"

# Qt calls whose string arguments the user reads. Extend when a widget uses a new one.
TEXT_METHODS = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis",
    "setPlaceholderText", "setTitle", "addTab", "insertTab", "setTabText", "setTabToolTip",
    "addItem", "addItems", "insertItem", "setItemText", "addAction", "addMenu", "addRow",
    "setHeaderLabels", "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setLabelText",
    "showMessage", "setPrefix", "setSuffix", "setSpecialValueText", "setInformativeText",
    "setDetailedText", "setFormat", "setHtml", "setPlainText", "setMarkdown", "setWindowIconText",
}  # fmt: skip
# Static dialogs, by class (``log.warning("%s", ...)`` is a log line, not a dialog).
DIALOG_FUNCTIONS = {
    "QMessageBox": {"about", "information", "warning", "critical", "question"},
    "QInputDialog": {"getText", "getItem", "getInt", "getDouble", "getMultiLineText"},
    "QFileDialog": {"getOpenFileName", "getSaveFileName", "getExistingDirectory"},
}
TEXT_WIDGETS = {
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QToolButton", "QGroupBox", "QAction",
    "QMenu", "QListWidgetItem", "QTableWidgetItem", "QTreeWidgetItem", "QMessageBox",
    "QCommandLinkButton",
}  # fmt: skip


def _literal_words(node: ast.AST) -> Iterator[str]:
    """String literals with letters inside ``node`` that reach Qt as they are (not via ``_``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if re.search(r"[^\W\d_]", node.value):
            yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _literal_words(part)
    elif isinstance(node, ast.FormattedValue):
        yield from _literal_words(node.value)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _literal_words(element)
    elif isinstance(node, ast.BinOp):
        yield from _literal_words(node.left)
        yield from _literal_words(node.right)
    # A call (``_(...)``, ``.format(...)``, ``tr(...)``) or a name is not a literal here.


def untranslated_literals(source: str, filename: str = "<src>") -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        dialog = name in DIALOG_FUNCTIONS.get(owner, ())
        if name not in TEXT_METHODS and name not in TEXT_WIDGETS and not dialog:
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg not in ("objectName",))]
        for arg in args:
            problems += [f"{filename}:{node.lineno}: {text!r}" for text in _literal_words(arg)]
    return problems


def test_checker_finds_literals_passed_to_qt() -> None:
    """The static check itself: it must catch each way English can slip past ``_``."""
    bad = """
label = QLabel("Hello")
label.setText(f"Score: {score}")
button.setToolTip("Start " + name)
table.setHorizontalHeaderLabels(["Case", _("Score")])
QMessageBox.warning(self, _("Title"), "Body text")
"""
    assert len(untranslated_literals(bad)) == 5
    good = """
label = QLabel(_("Hello"))
label.setText(_("Score: {score}").format(score=score))
label.setText(f"{text} — {name}")
menu = bar.addMenu("")
log.warning("no font covers %s", missing)
"""
    assert untranslated_literals(good) == []


def test_no_string_literal_reaches_qt_text_setters_without_translation() -> None:
    problems = []
    for path in sorted(UI.rglob("*.py")):
        problems += untranslated_literals(path.read_text(encoding="utf-8"), str(path))
    assert not problems


# --- the run-time switch ---------------------------------------------------------------------


def english_phrases() -> list[re.Pattern[str]]:
    """Every English msgid as literal chunks (placeholders cut out), as whole-word patterns."""
    with (ROOT / "locales" / "tutor.pot").open("rb") as fh:
        template = read_po(fh)
    patterns = []
    for message in template:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for literal, *_rest in string.Formatter().parse(msgid.replace("&", "")):
                chunk = literal.strip(" :,.()…\n")
                if len(chunk) >= 4 and re.search("[A-Za-z]{2}", chunk):
                    patterns.append(re.compile(r"(?<![\w])" + re.escape(chunk) + r"(?![\w])"))
    return patterns


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every user-visible string in ``root`` and its visible children."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible():
            continue
        where = f"{type(widget).__name__}#{widget.objectName()}"
        yield where, widget.toolTip()
        if widget.isWindow():
            yield where, widget.windowTitle()
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            yield where, widget.text()
        if isinstance(widget, QLineEdit):
            yield where, widget.placeholderText()
        if isinstance(widget, QGroupBox):
            yield where, widget.title()
        if isinstance(widget, QComboBox):
            yield from ((where, widget.itemText(i)) for i in range(widget.count()))
        if isinstance(widget, QTabWidget):
            yield from ((where, widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QListWidget):
            yield from ((where, widget.item(i).text()) for i in range(widget.count()))
        if isinstance(widget, QMenu):
            yield where, widget.title()
        for action in widget.actions():
            yield where, action.text()
            if action.menu() is not None:
                yield where, action.menu().title()


def english_left(window: QWidget) -> list[tuple[str, str]]:
    patterns = english_phrases()
    return [
        (where, text)
        for where, text in visible_texts(window)
        if text and any(p.search(text.replace("&", "")) for p in patterns)
    ]


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(tasks, "INLINE", True)  # run the settings write inline, no thread
    window = MainWindow(UiContext(model=catalog.default_model()))
    qtbot.add_widget(window)
    window.show()
    yield window
    # The language and layout direction are process-wide: leave them as the next test expects.
    i18n.setup_i18n("en")
    apply_language(qapp, "en")


def language_page(window: MainWindow) -> LanguagePage:
    settings_screen = window.screens["settings"]
    assert isinstance(settings_screen, SettingsScreen)
    pages = [p for p in settings_screen.pages if isinstance(p, LanguagePage)]
    assert len(pages) == 1
    return pages[0]


def choose(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a user's click emits


def visit_everything(window: MainWindow, qapp: QApplication) -> Iterator[str]:
    """Show every screen and every settings tab in turn; yield a label for each stop."""
    for key in SCREEN_KEYS:
        window.show_screen(key)
        qapp.processEvents()
        yield key
        screen = window.screens[key]
        if isinstance(screen, SettingsScreen):
            for index in range(screen.tabs.count()):
                screen.tabs.setCurrentIndex(index)
                qapp.processEvents()
                yield f"{key}/{index}"


def test_switching_to_arabic_at_run_time_translates_and_mirrors_everything(
    window: MainWindow, qapp: QApplication
) -> None:
    assert window.windowTitle() == "Offline clinical tutor"
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    window.show_screen("settings")
    assert len(english_left(window)) >= 8  # in English, the walker finds the source strings
    choose(language_page(window).ui_combo, "ar")

    assert i18n.current_language() == "ar"
    assert languages.ui_language_setting() == "ar"  # stored for the next start
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.windowTitle() == "المعلّم السريري دون اتصال"
    stops = []
    for stop in visit_everything(window, qapp):
        stops.append(stop)
        assert window.isRightToLeft(), stop
        screen = window.stack.currentWidget()
        assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft, stop
        assert window.nav.item(window.nav.currentRow()).text() == screen.title()
        assert re.search("[\u0600-\u06ff]", screen.title()), stop  # heading in Arabic script
        assert english_left(window) == [], stop
    assert len(stops) >= len(SCREEN_KEYS) + 1
    # Widgets created later (chat bubbles, tables) inherit the direction from the application.
    table = QTableWidget(2, 2)
    assert table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    table.deleteLater()
    assert not [p for p in english_phrases() if p.search(about_text(window.context.model))]
    # Latin names inside Arabic text are bidi-isolated, so "(Q4_1)" keeps its parentheses.
    assert "\u2068SmolLM2 135M Instruct (Q4_1)\u2069" in window.model_label.text()

    # And back, still without a restart.
    choose(language_page(window).ui_combo, "en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.windowTitle() == "Offline clinical tutor"
    assert window.screens["settings"].heading.text() == "Settings"


def test_walker_sees_english_when_a_widget_is_left_untranslated(
    window: MainWindow, qapp: QApplication
) -> None:
    """The walker must be able to fail: an English label on an Arabic screen is reported."""
    choose(language_page(window).ui_combo, "ar")
    stray = QLabel("Browse and search the clinical cases installed on this computer.")
    window.screens["cases"].layout_.addWidget(stray)
    window.show_screen("cases")
    qapp.processEvents()
    assert [text for _where, text in english_left(window)] == [stray.text()]


@pytest.mark.parametrize("language", ["fr", "es", "pt", "sw"])
def test_every_language_translates_every_screen(
    window: MainWindow, qapp: QApplication, language: str
) -> None:
    choose(language_page(window).ui_combo, language)
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    for stop in visit_everything(window, qapp):
        assert english_left(window) == [], (language, stop)


def test_content_language_follows_the_interface_until_set(window: MainWindow) -> None:
    page = language_page(window)
    choose(page.ui_combo, "fr")
    assert languages.content_language() == "fr"
    choose(page.content_combo, "sw")
    assert languages.content_language_setting() == "sw"
    choose(page.ui_combo, "ar")
    assert languages.content_languages() == ["sw", "en"]
    choose(page.content_combo, "")  # "Same as the interface"
    assert languages.content_language() == "ar"


def test_system_language_entry_names_the_system_language(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "pt_MZ")
    page = language_page(window)
    choose(page.ui_combo, "")  # follow the system
    assert i18n.current_language() == "pt"
    assert languages.ui_language_setting() is None
    assert page.ui_combo.itemText(0) == "Idioma do sistema (português)"


def test_settings_warn_in_the_ui_language_when_no_font_covers_a_script(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QFontDatabase

    from tutor.ui import fonts

    # Pretend Arabic is uncovered by asking for a script no installed font has.
    system = next(
        (ws for ws in (QFontDatabase.WritingSystem.Ogham, QFontDatabase.WritingSystem.Nko)
         if not QFontDatabase.families(ws)),
        None,
    )  # fmt: skip
    if system is None:
        pytest.skip("every probe script has a font here")
    monkeypatch.setitem(fonts.SCRIPTS, "Arabic", system)
    assert fonts.ensure_script_fonts() == ["Arabic"]  # no bundled font to load: still missing
    i18n.setup_i18n("fr")
    page = LanguagePage(UiContext())
    qtbot.add_widget(page)
    page.show()
    assert page.font_warning.isVisible()
    assert page.font_warning.text().startswith("Aucune police installée")
    assert "arabe" in page.font_warning.text() and "fonts-noto-core" in page.font_warning.text()


def test_a_damaged_settings_file_is_reported_and_the_language_stays(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tutor_home: Path
) -> None:
    from tutor.ui import settings_language

    page = language_page(window)
    (tutor_home / "settings.json").write_text("{not json", encoding="utf-8")
    shown: list[str] = []
    # The modal dialog would block the test; record what it would say instead.
    monkeypatch.setattr(
        settings_language.QMessageBox, "warning", lambda _parent, _title, text: shown.append(text)
    )
    choose(page.ui_combo, "fr")
    assert len(shown) == 1 and "is damaged" in shown[0]
    assert i18n.current_language() == "en"
    assert window.windowTitle() == "Offline clinical tutor"
    assert (tutor_home / "settings.json").read_text(encoding="utf-8") == "{not json"
