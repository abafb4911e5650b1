"""The Cases screen: search and filter the installed cases, preview one, and ask to practise it.

Every library call runs through ``run_task``; the screen only shows what comes back. Text comes
in the UI language, or its fallback, and the preview says when a case is not available in it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.core.content.library import CaseSummary
from tutor.core.content.schema import Case
from tutor.core.i18n import (
    SUPPORTED,
    _,
    current_language,
    language_name,
    language_name_in,
    ngettext,
)
from tutor.ui.context import UiContext
from tutor.ui.patient_text import age_text
from tutor.ui.screens import Screen
from tutor.ui.tasks import run_task

ROLE_ID = Qt.ItemDataRole.UserRole


def _difficulties() -> dict[str, str]:
    return {
        "beginner": _("Beginner"),
        "intermediate": _("Intermediate"),
        "advanced": _("Advanced"),
    }


def _settings() -> dict[str, str]:
    return {
        "health_post": _("Health post"),
        "district_hospital": _("District hospital"),
        "referral": _("Referral hospital"),
    }


class CasesScreen(Screen):
    key = "cases"
    practise_requested = Signal(str)  # case id; the practice screen connects to it

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("case-search")
        self.search_box.setClearButtonEnabled(True)
        self.language_filter = QComboBox()
        self.language_filter.setObjectName("filter-language")
        self.topic_filter = QComboBox()
        self.topic_filter.setObjectName("filter-topic")
        self.difficulty_filter = QComboBox()
        self.difficulty_filter.setObjectName("filter-difficulty")
        self.setting_filter = QComboBox()
        self.setting_filter.setObjectName("filter-setting")
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 2)
        for combo in (
            self.language_filter,
            self.topic_filter,
            self.difficulty_filter,
            self.setting_filter,
        ):
            filters.addWidget(combo)
        self.layout_.addLayout(filters)

        self.case_list = QListWidget()
        self.case_list.setObjectName("case-list")
        self.case_list.setWordWrap(True)
        self.case_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status = QLabel()
        self.status.setObjectName("cases-status")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.case_list, 1)
        left_layout.addWidget(self.status)

        self.preview = QTextBrowser()
        self.preview.setObjectName("case-preview")
        self.practise_button = QPushButton()
        self.practise_button.setObjectName("practise-case")
        self.practise_button.setEnabled(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.practise_button)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 660])
        self.layout_.addWidget(splitter, 1)

        self._summaries: list[CaseSummary] = []
        self._previewed: Case | None = None
        self._query_serial = 0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())
        for combo in (
            self.language_filter,
            self.topic_filter,
            self.difficulty_filter,
            self.setting_filter,
        ):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.case_list.currentItemChanged.connect(self._selection_changed)
        self.practise_button.clicked.connect(self._practise)
        self._tags: list[str] = []

    def title(self) -> str:
        return _("Cases")

    def retranslate(self) -> None:
        super().retranslate()
        self.search_box.setPlaceholderText(_("Search cases, e.g. fever, cough, toux, homa…"))
        self._fill(
            self.language_filter,
            _("All languages"),
            {code: language_name(code) for code in SUPPORTED},
        )
        self._fill(self.topic_filter, _("All topics"), {t: t for t in self._tags})
        self._fill(self.difficulty_filter, _("All levels"), _difficulties())
        self._fill(self.setting_filter, _("All settings"), _settings())
        self.practise_button.setText(_("Practise this case"))
        self._show_list(self._summaries)
        self._show_preview(self._previewed)
        if self.context.library is not None:
            self.refresh()  # titles come in the UI language: fetch them again

    @staticmethod
    def _fill(combo: QComboBox, all_text: str, items: dict[str, str]) -> None:
        """Refill a filter keeping its selection, without firing a refresh per item."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for value, text in items.items():
            combo.addItem(text, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # an import elsewhere may have changed the library

    # Loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        library = self.context.library
        if library is None:
            self.status.setText(_("No case library is open."))
            return
        self._query_serial += 1
        serial = self._query_serial
        query = self.search_box.text().strip()
        lang = current_language()
        filters: dict[str, Any] = {
            "language": self.language_filter.currentData(),
            "tag": self.topic_filter.currentData(),
            "difficulty": self.difficulty_filter.currentData(),
            "setting": self.setting_filter.currentData(),
        }

        def load() -> tuple[list[CaseSummary], list[str]]:
            if query:
                hits = library.search(query, lang, 200, **filters)
                summaries = [h.case for h in hits]
            else:
                summaries = library.list_cases(lang, **filters)
            return summaries, library.tags()

        def done(result: tuple[list[CaseSummary], list[str]]) -> None:
            if serial != self._query_serial:
                return  # a newer query is on its way; drop this stale answer
            summaries, tags = result
            if tags != self._tags:
                self._tags = tags
                self._fill(self.topic_filter, _("All topics"), {t: t for t in tags})
            self._show_list(summaries)

        run_task(self, load, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def _show_list(self, summaries: list[CaseSummary]) -> None:
        self._summaries = summaries
        selected = self._selected_id()
        self.case_list.blockSignals(True)
        self.case_list.clear()
        for summary in summaries:
            draft = _(" (draft)") if summary.review_status == "draft" else ""
            langs = ", ".join(summary.languages)
            item = QListWidgetItem(f"{summary.title}{draft}\n{langs}")
            item.setData(ROLE_ID, summary.id)
            self.case_list.addItem(item)
            if summary.id == selected:
                self.case_list.setCurrentItem(item)
        self.case_list.blockSignals(False)
        n = len(summaries)
        self.status.setText(ngettext("{n} case", "{n} cases", n).format(n=n))

    def _selected_id(self) -> str | None:
        item = self.case_list.currentItem()
        return str(item.data(ROLE_ID)) if item is not None else None

    def _selection_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        library = self.context.library
        if current is None or library is None:
            self._show_preview(None)
            return
        case_id = str(current.data(ROLE_ID))
        run_task(self, lambda: library.get_case(case_id), self._show_preview, self._failed)

    # Preview ------------------------------------------------------------------------------

    def _show_preview(self, case: Case | None) -> None:
        self._previewed = case
        self.practise_button.setEnabled(case is not None)
        if case is None:
            self.preview.setHtml("<p>{}</p>".format(_("Choose a case to see who the patient is.")))
            return
        lang = current_language()
        title, used = case.text(case.title, lang)
        name, _used = case.text(case.patient.name, lang)
        opening, _used = case.text(case.patient.opening, lang)
        sex = _("female") if case.patient.sex == "female" else _("male")
        parts = [f"<h2>{_escape(title)}</h2>"]
        if case.review.status == "draft":
            parts.append("<p><b>{}</b></p>".format(_("Draft — not yet reviewed by a clinician.")))
        if used != lang:
            parts.append(
                "<p><i>{}</i></p>".format(
                    _escape(
                        _("This case is not available in your language; shown in {language}.")
                    ).format(language=language_name_in(used))
                )
            )
        patient = _("Patient: {name}, {age}, {sex}").format(name=name, age=age_text(case), sex=sex)
        if case.patient.occupation:
            patient += ", " + case.text(case.patient.occupation, lang)[0]
        parts.append(f"<p>{_escape(patient)}</p>")
        if case.patient.speaker:
            speaker = case.text(case.patient.speaker, lang)[0]
            parts.append("<p><b>{}</b> {}</p>".format(_("Speaking:"), _escape(speaker)))
        parts.append(f"<blockquote>“{_escape(opening)}”</blockquote>")
        details = _("Level: {level} · Setting: {setting} · Languages: {languages}").format(
            level=_difficulties().get(case.difficulty, case.difficulty),
            setting=_settings().get(case.setting, case.setting),
            languages=", ".join(case.languages),
        )
        parts.append(f"<p>{_escape(details)}</p>")
        if case.source is not None:
            source = _("Source: {name} ({licence})").format(
                name=case.source.name, licence=case.source.licence
            )
            parts.append(f"<p><small>{_escape(source)}</small></p>")
        self.preview.setHtml("".join(parts))

    def _practise(self) -> None:
        if self._previewed is not None:
            self.practise_requested.emit(self._previewed.id)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
