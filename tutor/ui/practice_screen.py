"""The Practice screen: pick a case, interview the patient, examine, investigate, diagnose, plan,
then read the feedback checklist.

Every call into the encounter goes through ``run_task`` (it writes to progress.db); the patient's
reply comes back through ``reply_received``, a signal the background callback emits, so widgets
are only touched on the GUI thread. Tabs follow the encounter's stages; the notes pane stays
beside them. Sized for 1366×768 and driven entirely from the keyboard (Enter asks or examines,
Alt+letter mnemonics on every button, Ctrl+Tab between stages).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.core.errors import Interrupted
from tutor.core.i18n import _, current_language
from tutor.core.llm.client import CancelFlag
from tutor.core.practice.encounter import Encounter, Reply
from tutor.core.practice.scoring import Score, coaching_text, localised
from tutor.ui.context import UiContext
from tutor.ui.patient_text import age_text
from tutor.ui.screen import Screen
from tutor.ui.tasks import run_task

ROLE = Qt.ItemDataRole.UserRole
TABS = ("history", "examination", "investigations", "diagnosis", "management")


def _level_name(level: str) -> str:
    return {
        "health_post": _("health post"),
        "district_hospital": _("district hospital"),
        "referral": _("referral hospital"),
    }.get(level, level)


class PracticeScreen(Screen):
    key = "practice"
    reply_received = Signal(str)  # the patient's words, as they arrive (any thread)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.encounter: Encounter | None = None
        self._busy = False
        self._cancel: CancelFlag | None = None  # the reply in progress (its rephrasing)
        self._coach_cancel: CancelFlag | None = None  # the model's coaching in progress
        self._score: Score | None = None
        self._coaching: str | None = None  # the model's checked paragraph, once it came

        # -- case picker ---------------------------------------------------------------------
        self.case_combo = QComboBox()
        self.case_combo.setObjectName("case-combo")
        self.start_button = QPushButton()
        self.start_button.setObjectName("start")
        self.start_button.clicked.connect(self.start_selected)
        self.resume_button = QPushButton()
        self.resume_button.setObjectName("resume")
        self.resume_button.clicked.connect(self.resume_latest)
        picker = QHBoxLayout()
        self.case_label = QLabel()
        self.case_label.setBuddy(self.case_combo)
        picker.addWidget(self.case_label)
        picker.addWidget(self.case_combo, 1)
        picker.addWidget(self.start_button)
        picker.addWidget(self.resume_button)
        self.layout_.addLayout(picker)

        self.header = QLabel()
        self.header.setObjectName("case-header")
        self.header.setWordWrap(True)
        self.layout_.addWidget(self.header)

        self.pages = QStackedWidget()
        self.layout_.addWidget(self.pages, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.pages.addWidget(self.empty)

        # -- the encounter: stage tabs + notes -----------------------------------------------
        self.tabs = QTabWidget()
        self.tabs.setObjectName("stages")
        self.tabs.addTab(self._history_tab(), "")
        self.tabs.addTab(self._exam_tab(), "")
        self.tabs.addTab(self._investigations_tab(), "")
        self.tabs.addTab(self._diagnosis_tab(), "")
        self.tabs.addTab(self._management_tab(), "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes_label = QLabel()
        self.notes_label.setBuddy(self.notes)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(800)
        self._notes_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._notes_timer.start)
        notes_box = QWidget()
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(self.notes_label)
        notes_layout.addWidget(self.notes, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(notes_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.pages.addWidget(splitter)
        self.encounter_page = splitter

        # -- feedback ------------------------------------------------------------------------
        self.feedback = QTextBrowser()
        self.feedback.setObjectName("feedback")
        self.feedback.setOpenExternalLinks(False)
        self.again_button = QPushButton()
        self.again_button.clicked.connect(self.show_picker)
        feedback_page = QWidget()
        feedback_layout = QVBoxLayout(feedback_page)
        feedback_layout.addWidget(self.feedback, 1)
        feedback_layout.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignRight)
        self.pages.addWidget(feedback_page)
        self.feedback_page = feedback_page

        self.reply_received.connect(self._show_reply_text)
        self.retranslate()
        self.refresh_cases()

    # -- building the tabs -------------------------------------------------------------------

    def _history_tab(self) -> QWidget:
        self.chat = QTextBrowser()
        self.chat.setObjectName("chat")
        self.question = QLineEdit()
        self.question.setObjectName("question")
        self.question.returnPressed.connect(self.ask)
        self.ask_button = QPushButton()
        self.ask_button.setObjectName("ask")
        self.ask_button.clicked.connect(self.ask)
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.revealed = QLabel()
        self.revealed.setObjectName("revealed")
        self.revealed.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.question, 1)
        row.addWidget(self.ask_button)
        row.addWidget(self.stop_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.chat, 1)
        layout.addLayout(row)
        layout.addWidget(self.revealed)
        return tab

    def _exam_tab(self) -> QWidget:
        self.vitals = QLabel()
        self.vitals.setObjectName("vitals")
        self.vitals.setWordWrap(True)
        self.exam_list = QListWidget()
        self.exam_list.setObjectName("exam-list")
        self.exam_list.itemActivated.connect(lambda _item: self.examine())
        self.examine_button = QPushButton()
        self.examine_button.setObjectName("examine")
        self.examine_button.clicked.connect(self.examine)
        self.exam_results = QTextBrowser()
        self.exam_results.setObjectName("exam-results")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.vitals)
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.exam_list, 1)
        left.addWidget(self.examine_button)
        row.addLayout(left, 1)
        row.addWidget(self.exam_results, 2)
        layout.addLayout(row, 1)
        return tab

    def _investigations_tab(self) -> QWidget:
        self.tests = QTableWidget(0, 4)
        self.tests.setObjectName("tests")
        self.tests.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.tests.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.tests.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tests.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tests.verticalHeader().setVisible(False)
        self.tests.itemActivated.connect(lambda _item: self.order())
        self.order_button = QPushButton()
        self.order_button.setObjectName("order")
        self.order_button.clicked.connect(self.order)
        self.test_results = QTextBrowser()
        self.test_results.setObjectName("test-results")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.tests, 2)
        layout.addWidget(self.order_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.test_results, 1)
        return tab

    def _diagnosis_tab(self) -> QWidget:
        self.final = QLineEdit()
        self.final.setObjectName("final-diagnosis")
        self.final_label = QLabel()
        self.final_label.setBuddy(self.final)
        self.differentials = QPlainTextEdit()
        self.differentials.setObjectName("differentials")
        self.differentials_label = QLabel()
        self.differentials_label.setBuddy(self.differentials)
        self.diagnose_button = QPushButton()
        self.diagnose_button.setObjectName("diagnose")
        self.diagnose_button.clicked.connect(self.diagnose)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.final_label)
        layout.addWidget(self.final)
        layout.addWidget(self.differentials_label)
        layout.addWidget(self.differentials, 1)
        layout.addWidget(self.diagnose_button, 0, Qt.AlignmentFlag.AlignRight)
        return tab

    def _management_tab(self) -> QWidget:
        self.plan_text = QPlainTextEdit()
        self.plan_text.setObjectName("plan")
        self.plan_label = QLabel()
        self.plan_label.setBuddy(self.plan_text)
        self.finish_button = QPushButton()
        self.finish_button.setObjectName("finish")
        self.finish_button.clicked.connect(self.finish)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.plan_text, 1)
        layout.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)
        return tab

    # -- texts ---------------------------------------------------------------------------------

    def title(self) -> str:
        return _("Practice")

    def retranslate(self) -> None:
        super().retranslate()
        self.case_label.setText(_("&Case:"))
        self.start_button.setText(_("&Start"))
        self.resume_button.setText(_("&Resume unfinished"))
        self.empty.setText(
            _(
                "Choose a case and press Start. Interview the patient, examine, order "
                "investigations, then commit to a diagnosis and a plan."
            )
        )
        for index, text in enumerate(
            (
                _("&History"),
                _("E&xamination"),
                _("&Investigations"),
                _("&Diagnosis"),
                _("&Management"),
            )
        ):
            self.tabs.setTabText(index, text)
        self.notes_label.setText(_("&Notes (saved as you type)"))
        self.question.setPlaceholderText(_("Ask the patient a question and press Enter"))
        self.ask_button.setText(_("&Ask"))
        self.stop_button.setText(_("S&top"))
        self.examine_button.setText(_("Exa&mine"))
        self.order_button.setText(_("&Order test"))
        self.tests.setHorizontalHeaderLabels(
            [_("Investigation"), _("Cost (USD)"), _("Available at"), _("Turnaround")]
        )
        self.final_label.setText(_("&Final diagnosis:"))
        self.differentials_label.setText(_("Di&fferentials (one per line):"))
        self.diagnose_button.setText(_("&Commit to diagnosis"))
        self.plan_label.setText(_("Management &plan:"))
        self.finish_button.setText(_("Finish and see &feedback"))
        self._render_feedback()
        self.again_button.setText(_("Practise &another case"))
        if self.encounter is not None:
            self._fill_case()

    # -- case list, start and resume ----------------------------------------------------------

    def refresh_cases(self) -> None:
        practice = self.context.practice
        if practice is None:
            self.start_button.setEnabled(False)
            self.resume_button.setEnabled(False)
            return
        language = current_language()

        def load() -> tuple[list[tuple[str, str]], int]:
            return practice.cases(language), len(practice.unfinished(self.context.learner_id))

        def done(result: tuple[list[tuple[str, str]], int]) -> None:
            cases, unfinished = result
            self.case_combo.clear()
            for case_id, title in cases:
                self.case_combo.addItem(title, case_id)
            self.start_button.setEnabled(bool(cases))
            self.resume_button.setEnabled(unfinished > 0)

        run_task(self, load, done, self._failed)

    def start_selected(self) -> None:
        self.start_case(self.case_combo.currentData())

    def start_case(self, case_id: str | None) -> None:
        """Open a new encounter on ``case_id`` (from the picker or the Cases screen)."""
        practice = self.context.practice
        if practice is None or not case_id:
            return
        language = current_language()
        learner = self.context.learner_id
        run_task(
            self, lambda: practice.start(case_id, language, learner), self._opened, self._failed
        )

    def resume_latest(self) -> None:
        practice = self.context.practice
        if practice is None:
            return
        learner = self.context.learner_id

        def load() -> Encounter:
            rows = practice.unfinished(learner)
            if not rows:
                raise Interrupted()
            return practice.resume(rows[0].id)

        run_task(self, load, self._opened, self._failed)

    def show_picker(self) -> None:
        if self._coach_cancel is not None:
            self._coach_cancel.set()
        self._score = None
        self.encounter = None
        self.header.clear()
        self.pages.setCurrentWidget(self.empty)
        self.refresh_cases()

    def _opened(self, encounter: Encounter) -> None:
        self.encounter = encounter
        index = self.case_combo.findData(encounter.case.id)
        if index >= 0:
            self.case_combo.setCurrentIndex(index)  # the picker names the case being practised
        self._fill_case()
        state = encounter.state
        if encounter.finished:
            self._show_feedback(encounter.current_score())
            return
        self.pages.setCurrentWidget(self.encounter_page)
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(TABS.index(state.stage) if state.stage in TABS else 0)
        self.tabs.blockSignals(False)
        self.question.setFocus()

    def _fill_case(self) -> None:
        enc = self.encounter
        assert enc is not None
        case, lang, state = enc.case, enc.language, enc.state
        patient = case.patient
        sex = _("female") if patient.sex == "female" else _("male")
        self.header.setText(
            _("{name}, {age}, {sex} — {setting}. {title}").format(
                name=localised(patient.name, lang),
                age=age_text(case),
                sex=sex,
                setting=_level_name(case.setting),
                title=localised(case.title, lang),
            )
        )
        self.chat.clear()
        speaker = localised(patient.speaker, lang) if patient.speaker else _("Patient")
        self.chat.append(f"<b>{html.escape(speaker)}:</b> {html.escape(enc.opening())}")
        for question, answer, _facts in state.transcript:
            self._append_turn(question, answer)
        self._show_revealed()
        v = case.exam.vitals
        parts = [
            (_("Temp {value} °C"), v.temperature_c),
            (_("HR {value}/min"), v.heart_rate),
            (_("RR {value}/min"), v.resp_rate),
            (_("BP {value}"), f"{v.bp_systolic}/{v.bp_diastolic}" if v.bp_systolic else None),
            (_("SpO₂ {value}%"), v.spo2),
            (_("Weight {value} kg"), v.weight_kg),
        ]
        shown = [label.format(value=value) for label, value in parts if value is not None]
        self.vitals.setText(_("Vital signs: {values}").format(values=", ".join(shown) or "—"))
        self.exam_list.clear()
        for finding in case.exam.findings:
            item = QListWidgetItem(str(localised(finding.label, lang)))
            item.setData(ROLE, finding.id)
            self.exam_list.addItem(item)
        if self.exam_list.count():
            self.exam_list.setCurrentRow(0)
        self.tests.setRowCount(len(case.investigations))
        for row, test in enumerate(case.investigations):
            cells = [
                str(localised(test.name, lang)),
                f"{test.cost_usd:.2f}" if test.cost_usd is not None else test.cost_tier,
                _level_name(test.available_at),
                _("{minutes} min").format(minutes=test.turnaround_minutes),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ROLE, test.id)
                self.tests.setItem(row, column, cell)
        if case.investigations:
            self.tests.selectRow(0)
        self._show_results()
        self.notes.blockSignals(True)
        self.notes.setPlainText(state.notes)
        self.notes.blockSignals(False)
        self.final.setText(state.final)
        self.differentials.setPlainText("\n".join(state.differentials))
        self.plan_text.setPlainText(state.plan)

    # -- the interview -----------------------------------------------------------------------

    def _append_turn(self, question: str, answer: str) -> None:
        you = _("You")  # outside the f-string: gettext extraction cannot see calls inside one
        self.chat.append(f"<b>{html.escape(you)}:</b> {html.escape(question)}")
        speaker = _("Patient")
        if self.encounter is not None and self.encounter.case.patient.speaker:
            speaker = localised(self.encounter.case.patient.speaker, self.encounter.language)
        self.chat.append(f"<b>{html.escape(speaker)}:</b> {html.escape(answer)}")

    def ask(self) -> None:
        enc = self.encounter
        question = self.question.text().strip()
        if enc is None or not question or self._busy:
            return
        self._set_busy(True)
        you = _("You")  # outside the f-string: gettext extraction cannot see calls inside one
        self.chat.append(f"<b>{html.escape(you)}:</b> {html.escape(question)}")
        self.question.clear()
        self._streamed = False
        cancel = self._cancel = CancelFlag()
        run_task(
            self,
            lambda: enc.ask(question, on_token=self.reply_received.emit, cancel=cancel),
            self._asked,
            self._failed,
        )

    def _show_reply_text(self, text: str) -> None:
        enc = self.encounter
        if enc is None:
            return
        if self._streamed:  # a further piece of a reply streamed word by word
            self.chat.moveCursor(QTextCursor.MoveOperation.End)
            self.chat.insertPlainText(text)
            return
        speaker = _("Patient")
        if enc.case.patient.speaker:
            speaker = localised(enc.case.patient.speaker, enc.language)
        self.chat.append(f"<b>{html.escape(speaker)}:</b> {html.escape(text)}")
        self._streamed = True

    def _asked(self, reply: Reply) -> None:
        if not self._streamed:
            self._show_reply_text(reply.answer)
        self._set_busy(False)
        self._show_revealed()
        self.question.setFocus()

    def stop(self) -> None:
        # The slow parts of a reply are the optional model choice and rephrasing; stopping
        # leaves the retrieval answer and its authored text.
        if self._cancel is not None:
            self._cancel.set()
        if self.context.model_client is not None:
            self.context.model_client.cancel()

    def _show_revealed(self) -> None:
        enc = self.encounter
        if enc is None:
            return
        count = len(enc.state.revealed)
        self.revealed.setText(
            _("Facts revealed: {count} — {ids}").format(
                count=count, ids=" · ".join(enc.revealed_topics()) or "—"
            )
        )
        self.revealed.setToolTip(", ".join(enc.state.revealed))  # fact ids, for case authors

    # -- examination, investigations -----------------------------------------------------------

    def examine(self) -> None:
        enc = self.encounter
        item = self.exam_list.currentItem()
        if enc is None or item is None or self._busy:
            return
        finding_id = item.data(ROLE)
        self._set_busy(True)
        run_task(self, lambda: enc.examine(finding_id), self._action_done, self._failed)

    def order(self) -> None:
        enc = self.encounter
        row = self.tests.currentRow()
        if enc is None or row < 0 or self._busy:
            return
        cell = self.tests.item(row, 0)
        test_id = cell.data(ROLE) if cell is not None else None
        if not test_id:
            return
        self._set_busy(True)
        run_task(self, lambda: enc.order(test_id), self._action_done, self._failed)

    def _action_done(self, _result: Any = None) -> None:
        self._set_busy(False)
        self._show_results()

    def _show_results(self) -> None:
        enc = self.encounter
        if enc is None:
            return
        lang = enc.language
        seen = enc.findings()
        exam_lines = [
            f"<p><b>{html.escape(str(localised(f.label, lang)))}</b>: {html.escape(seen[f.id])}</p>"
            for f in enc.case.exam.findings
            if f.id in seen
        ]
        self.exam_results.setHtml("".join(exam_lines))
        test_lines = []
        for t in enc.case.investigations:
            if t.id in seen:
                normal = localised(t.normal, lang) if t.normal else ""
                label = _("normal")
                extra = f" <i>({html.escape(label)}: {html.escape(normal)})</i>" if normal else ""
                test_lines.append(
                    f"<p><b>{html.escape(str(localised(t.name, lang)))}</b>: "
                    f"{html.escape(seen[t.id])}{extra}</p>"
                )
        self.test_results.setHtml("".join(test_lines))

    # -- stages, notes, diagnosis, plan ----------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        enc = self.encounter
        if enc is None or enc.finished:
            return
        stage = TABS[index]
        if stage == "management" and not enc.state.final:
            return  # the tab shows the plan form; moving there needs a diagnosis first
        if stage != enc.state.stage:
            run_task(self, lambda: enc.move(stage), None, self._failed)

    def save_notes(self) -> None:
        enc = self.encounter
        if enc is None or enc.finished:
            return
        text = self.notes.toPlainText()
        run_task(self, lambda: enc.note(text), None, self._failed)

    def diagnose(self) -> None:
        enc = self.encounter
        if enc is None or self._busy:
            return
        final = self.final.text()
        differentials = self.differentials.toPlainText().splitlines()
        self._set_busy(True)

        def done(_result: Any) -> None:
            self._set_busy(False)
            self.tabs.setCurrentIndex(TABS.index("management"))
            self.plan_text.setFocus()

        run_task(self, lambda: enc.diagnose(final, differentials), done, self._failed)

    def finish(self) -> None:
        enc = self.encounter
        if enc is None or self._busy:
            return
        self._notes_timer.stop()
        plan, notes = self.plan_text.toPlainText(), self.notes.toPlainText()
        self._set_busy(True)

        def work() -> Score:
            enc.note(notes)
            enc.plan(plan)
            return enc.finish()

        def done(result: Score) -> None:
            self._set_busy(False)
            self._show_feedback(result)

        run_task(self, work, done, self._failed)

    # -- feedback ----------------------------------------------------------------------------

    def _show_feedback(self, result: Score) -> None:
        """The template coaching at once; the model's checked paragraph replaces it if one
        comes (asked in the background, never blocking the page)."""
        self._score, self._coaching = result, None
        self._render_feedback()
        self.pages.setCurrentWidget(self.feedback_page)
        self.again_button.setFocus()
        enc = self.encounter
        if enc is None or enc.coach is None:
            return
        if self._coach_cancel is not None:
            self._coach_cancel.set()
        cancel = self._coach_cancel = CancelFlag()

        def done(text: str | None) -> None:
            if text and self._score is result and not cancel.is_set():
                self._coaching = text
                self._render_feedback()

        run_task(self, lambda: enc.model_coaching(cancel), done, lambda _exc: None)

    def _render_feedback(self) -> None:
        result = self._score
        if result is None:
            return

        def items(title: str, checks: list[Any]) -> str:
            if not checks:
                return ""
            rows = "".join(
                f"<li>{'✓' if c.met else '✗'} {html.escape(c.label)}"
                + (f" <i>({html.escape(c.detail)})</i>" if c.detail else "")
                + "</li>"
                for c in checks
            )
            return f"<h3>{html.escape(title)}</h3><ul>{rows}</ul>"

        verdict = {
            "correct": _("✓ correct"),
            "in_differential": _("½ in your differential, not your final diagnosis"),
            "wrong": _("✗ not the diagnosis"),
            "missing": _("✗ no diagnosis given"),
        }[result.diagnosis]
        cost = _("Total cost of tests: {cost:.2f} USD").format(cost=result.total_cost_usd)
        heading = _("Score: {percent}%").format(percent=result.percent())
        diagnosis = _("Diagnosis")
        if self._coaching:
            label = _("Coaching (written by the local model from your score)")
            coaching = f"<p><i>{html.escape(label)}:</i> {html.escape(self._coaching)}</p>"
        else:
            coaching = f"<p>{html.escape(coaching_text(result))}</p>"
        parts = [
            f"<h2>{html.escape(heading)}</h2>",
            coaching,
            f"<h3>{html.escape(diagnosis)}</h3><p>"
            + html.escape(
                _("You wrote: {given} — {verdict}. Expected: {expected}.").format(
                    given=result.diagnosis_given or "—",
                    verdict=verdict,
                    expected=result.diagnosis_expected,
                )
            )
            + "</p>",
            items(_("Key history"), result.history),
            items(_("Key examination"), result.examination),
            items(_("Investigations"), result.investigations),
            f"<p>{html.escape(cost)}</p>",
            items(_("Management must-dos"), result.management),
            items(_("Unsafe actions"), result.unsafe),
        ]
        if result.teaching_points:
            points = "".join(f"<li>{html.escape(p)}</li>" for p in result.teaching_points)
            title = _("Teaching points")
            parts.append(f"<h3>{html.escape(title)}</h3><ul>{points}</ul>")
        if result.references:
            refs = "".join(f"<li>{html.escape(r)}</li>" for r in result.references)
            title = _("References")
            parts.append(f"<h3>{html.escape(title)}</h3><ul>{refs}</ul>")
        self.feedback.setHtml("".join(parts))

    # -- plumbing ----------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.ask_button,
            self.examine_button,
            self.order_button,
            self.diagnose_button,
            self.finish_button,
        ):
            widget.setEnabled(not busy)
        self.stop_button.setEnabled(busy)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Interrupted):
            return
        QMessageBox.warning(self, _("Practice"), str(exc))
