"""Cases screen and Settings → Content with a real library in a temporary data dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from content_fixtures import case_data, write_cases

from tutor.core.content.library import Library, PackInfo
from tutor.core.content.schema import parse_case
from tutor.core.i18n import _, setup_i18n
from tutor.ui import tasks
from tutor.ui.cases_screen import CasesScreen
from tutor.ui.content_settings import ContentSettingsPage
from tutor.ui.context import UiContext

pytestmark = pytest.mark.gui


@pytest.fixture
def context(monkeypatch: pytest.MonkeyPatch) -> UiContext:
    monkeypatch.setattr(tasks, "INLINE", True)  # the library is real; only the thread is skipped
    library = Library()
    reviewed = case_data(
        "case-reviewed",
        difficulty="advanced",
        tags=["tb"],
        review={"status": "reviewed", "reviewer": "Dr A", "date": "2026-01-01"},
        title={"en": "Cough in a miner", "fr": "Toux chez un mineur"},
    )
    library.install(
        PackInfo(id="demo", version=3, title="Demo", publisher="Tests", signature="trusted"),
        [parse_case(case_data("case-draft"), "a"), parse_case(reviewed, "b")],
    )
    return UiContext(library=library)


def items(screen: CasesScreen) -> list[str]:
    return [screen.case_list.item(i).text() for i in range(screen.case_list.count())]


def test_lists_searches_filters_and_previews(qtbot: QtBot, context: UiContext) -> None:
    screen = CasesScreen(context)
    qtbot.add_widget(screen)
    screen.retranslate()
    screen.show()
    assert len(items(screen)) == 2
    assert any("(draft)" in text and "en, fr" in text for text in items(screen))
    screen.search_box.setText("miner")
    qtbot.waitUntil(lambda: len(items(screen)) == 1)
    assert "Cough in a miner" in items(screen)[0]
    screen.search_box.clear()
    qtbot.waitUntil(lambda: len(items(screen)) == 2)
    screen.difficulty_filter.setCurrentIndex(screen.difficulty_filter.findData("advanced"))
    assert len(items(screen)) == 1
    screen.difficulty_filter.setCurrentIndex(0)
    screen.topic_filter.setCurrentIndex(screen.topic_filter.findData("tb"))
    assert len(items(screen)) == 1
    screen.topic_filter.setCurrentIndex(0)
    screen.language_filter.setCurrentIndex(screen.language_filter.findData("sw"))
    assert items(screen) == []
    screen.language_filter.setCurrentIndex(0)

    draft_row = next(i for i, t in enumerate(items(screen)) if "(draft)" in t)
    screen.case_list.setCurrentRow(draft_row)
    html = screen.preview.toPlainText()
    assert "Draft — not yet reviewed by a clinician" in html
    assert "Joseph Banda" in html and "fever and headache" in html
    assert "not available in your language" not in html
    with qtbot.wait_signal(screen.practise_requested) as signal:
        screen.practise_button.click()
    assert signal.args == ["case-draft"]


def test_preview_says_when_it_falls_back_and_retranslates(qtbot: QtBot, context: UiContext) -> None:
    screen = CasesScreen(context)
    qtbot.add_widget(screen)
    screen.retranslate()
    screen.refresh()
    setup_i18n("sw")  # the cases have English and French only
    screen.retranslate()
    screen.case_list.setCurrentRow(0)
    text = screen.preview.toPlainText()
    notice = _("This case is not available in your language; shown in {language}.")
    assert notice.format(language="Kiingereza") in text  # English, named in Swahili
    shown = screen.preview.toPlainText()
    setup_i18n("fr")
    screen.retranslate()
    titles = " ".join(items(screen))
    assert "Toux chez un mineur" in titles and "Fièvre chez un jeune agriculteur" in titles
    text = screen.preview.toPlainText()
    assert text != shown and notice.split(";")[0] not in text
    assert "Toux chez un mineur" in text or "Fièvre chez un jeune agriculteur" in text


def test_content_page_lists_packs_and_imports_with_progress(
    qtbot: QtBot, context: UiContext, tmp_path: Path
) -> None:
    page = ContentSettingsPage(context)
    qtbot.add_widget(page)
    page.retranslate()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "3"
    assert page.table.item(0, 2).text() == "Tests"
    assert "trusted" in page.table.item(0, 3).text()
    folder = write_cases(tmp_path / "more", case_data("case-new"))
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    with qtbot.wait_signal(page.imported):
        page.start_import(folder)
    assert page.table.rowCount() == 2
    signatures = {page.table.item(r, 3).text() for r in range(2)}
    assert any(s.startswith("Not signed") for s in signatures)
    assert page.progress.value() == page.progress.maximum() and seen
    assert "Imported 1 case." in page.message.text()


def test_content_page_refusal_leaves_library_unchanged(
    qtbot: QtBot, context: UiContext, tmp_path: Path
) -> None:
    page = ContentSettingsPage(context)
    qtbot.add_widget(page)
    page.retranslate()
    assert context.library is not None
    before = context.library.case_ids()
    bad = case_data("case-bad")
    bad["difficulty"] = "impossible"
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    page.start_import(folder)
    assert "Nothing was imported" in page.message.text() and "difficulty" in page.message.text()
    assert context.library.case_ids() == before and page.table.rowCount() == 1
    assert page.import_file_button.isEnabled()


def test_content_page_cancel_rolls_the_import_back(
    qtbot: QtBot, context: UiContext, tmp_path: Path
) -> None:
    page = ContentSettingsPage(context)
    qtbot.add_widget(page)
    page.retranslate()
    assert context.library is not None
    before = context.library.case_ids()
    folder = write_cases(tmp_path / "many", *(case_data(f"case-{n}") for n in range(60)))
    page._relay.progressed.connect(lambda done, total: page.cancel_import())  # after 50 cases
    page.start_import(folder)
    assert "cancelled" in page.message.text()
    assert context.library.case_ids() == before and page.table.rowCount() == 1
    assert page.import_file_button.isEnabled() and not page.cancel_button.isVisible()
