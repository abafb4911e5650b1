"""``Encounter``: one student working one case, stage by stage, saved action by action.

Stages run history → examination → investigations → diagnosis → management → feedback; the
student may move freely among the first three (back to history after examining). Every reply of
the patient is a fact's authored answer or the case's default answer, chosen by the matcher: the
patient has no prompt that holds the diagnosis or plan, so nothing can talk it into revealing
them. Each action is appended to ``progress.db`` with its outbox event as it happens; resuming
replays the stored actions (their results included) through the same ``apply`` as live play.
``Practice`` is the facade the UI and CLI use to start, resume and list encounters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.core.content.schema import Case
from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.llm.client import CancelFlag
from tutor.core.practice import records
from tutor.core.practice.matcher import CaseIndex, Chooser
from tutor.core.practice.rephrase import Rephraser, checked, speaker_role
from tutor.core.practice.scoring import Score, asked_as, coaching_text, localised, score
from tutor.core.progress.store import ProgressStore

STAGES = ("history", "examination", "investigations", "diagnosis", "management", "feedback")
FREE_STAGES = ("history", "examination", "investigations", "diagnosis")

TokenCallback = Callable[[str], None]
# (score, language, cancel) → a checked coaching paragraph, or None for the template.
Coach = Callable[[Score, str, CancelFlag | None], str | None]


@dataclass(frozen=True)
class Reply:
    question: str
    answer: str
    fact_ids: tuple[str, ...]
    new_fact_ids: tuple[str, ...]  # facts revealed for the first time by this question
    authored: str = ""  # the fact's authored answer (= answer unless rephrased)
    rephrased: bool = False  # answer is the model's rewording, accepted by faithful.check

    @property
    def grounded(self) -> bool:
        return bool(self.fact_ids)


@dataclass
class State:
    """Everything an encounter has done so far; rebuilt from its actions on resume."""

    stage: str = "history"
    transcript: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    examined: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)
    notes: str = ""
    final: str = ""
    differentials: list[str] = field(default_factory=list)
    plan: str = ""
    chosen: list[str] = field(default_factory=list)
    score: dict[str, Any] | None = None

    def apply(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == "asked":
            fact_ids = tuple(payload["fact_ids"])
            self.transcript.append((payload["question"], payload["answer"], fact_ids))
            self.revealed += [f for f in fact_ids if f not in self.revealed]
        elif kind == "examined" and payload["finding_id"] not in self.examined:
            self.examined.append(payload["finding_id"])
        elif kind == "ordered" and payload["investigation_id"] not in self.ordered:
            self.ordered.append(payload["investigation_id"])
        elif kind == "moved":
            self.stage = payload["stage"]
        elif kind == "noted":
            self.notes = payload["text"]
        elif kind == "diagnosed":
            self.final, self.differentials = payload["final"], list(payload["differentials"])
            self.stage = "management"
        elif kind == "planned":
            self.plan, self.chosen = payload["plan"], list(payload["chosen"])
        elif kind == "finished":
            self.stage = "feedback"
            self.score = payload.get("score")


class Encounter:
    def __init__(
        self,
        case: Case,
        store: ProgressStore,
        row: records.EncounterRow,
        chooser: Chooser | None = None,
        rephraser: Rephraser | None = None,
        coach: Coach | None = None,
    ) -> None:
        self.case = case
        self.store = store
        self.row = row
        self.language = row.language
        self.chooser = chooser
        self.rephraser = rephraser
        self.coach = coach
        self.index = CaseIndex(case, row.language)
        self.state = State()

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def finished(self) -> bool:
        return self.state.stage == "feedback"

    def _record(self, kind: str, payload: dict[str, Any], final: Score | None = None) -> None:
        if self.finished:
            raise KnownError(_("This encounter is finished; start a new one to practise again."))
        score_dict = final.to_dict() if final is not None else None
        records.append(self.store, self.row, kind, payload, score_dict)
        if score_dict is not None:
            payload = {**payload, "score": score_dict}
        self.state.apply(kind, payload)

    # -- the patient --------------------------------------------------------------------------

    def opening(self) -> str:
        return str(localised(self.case.patient.opening, self.language))

    def ask(
        self,
        question: str,
        on_token: TokenCallback | None = None,
        cancel: CancelFlag | None = None,
    ) -> Reply:
        """Answer one question from the record, save it, and pass the answer to ``on_token``.

        With a rephraser, a matched fact's answer may be reworded by the model; the rewording is
        shown only if ``faithful.check`` accepts it, else (or when ``cancel`` is set) the
        authored answer is. Nothing unchecked ever reaches ``on_token``.
        """
        question = question.strip()
        if not question:
            raise KnownError(_("Type a question for the patient first."))
        if self.state.stage not in ("history", "examination", "investigations"):
            self.move("history")
        match = self.index.match(question, self.chooser)
        new = tuple(f for f in match.fact_ids if f not in self.state.revealed)
        answer = self._rephrased(match.answer, cancel) if match.grounded else None
        shown = answer or match.answer
        self._record(
            "asked",
            {
                "question": question,
                "answer": shown,
                "fact_ids": list(match.fact_ids),
                "authored": match.answer,
                "rephrased": answer is not None,
            },
        )
        if on_token is not None:
            if answer is None:
                on_token(shown)
            else:
                for piece in re.findall(r"\S+\s*", shown):  # checked text, streamed word by word
                    on_token(piece)
        return Reply(question, shown, match.fact_ids, new, match.answer, answer is not None)

    def _rephrased(self, authored: str, cancel: CancelFlag | None) -> str | None:
        """The model's rewording of ``authored`` if it passes the check, else None."""
        if self.rephraser is None:
            return None
        attempt = checked(self.rephraser, authored, self.language, speaker_role(self.case), cancel)
        return attempt.candidate if attempt.accepted else None

    def revealed_topics(self) -> list[str]:
        """What the student has found out so far, each named by the question that asks it in the
        encounter's language (the fact id when the case has no authored question for it)."""
        facts = {f.id: f for f in self.case.history}
        return [
            (asked_as(facts[fact_id], self.language) if fact_id in facts else None) or fact_id
            for fact_id in self.state.revealed
        ]

    # -- examination and investigations --------------------------------------------------------

    def examine(self, finding_id: str) -> str:
        finding = next((f for f in self.case.exam.findings if f.id == finding_id), None)
        if finding is None:
            raise KnownError(_("There is no such examination in this case."))
        text = str(localised(finding.finding, self.language))
        self._record("examined", {"finding_id": finding_id, "finding": text})
        return text

    def order(self, investigation_id: str) -> str:
        test = next((t for t in self.case.investigations if t.id == investigation_id), None)
        if test is None:
            raise KnownError(_("There is no such investigation in this case."))
        text = str(localised(test.result, self.language))
        self._record("ordered", {"investigation_id": investigation_id, "result": text})
        return text

    def findings(self) -> dict[str, str]:
        """Results already seen (examinations and investigations), by id."""
        out = {}
        for f in self.case.exam.findings:
            if f.id in self.state.examined:
                out[f.id] = str(localised(f.finding, self.language))
        for t in self.case.investigations:
            if t.id in self.state.ordered:
                out[t.id] = str(localised(t.result, self.language))
        return out

    # -- moving on ----------------------------------------------------------------------------

    def move(self, stage: str) -> None:
        if stage not in FREE_STAGES and not (stage == "management" and self.state.final):
            raise KnownError(_("Commit to a diagnosis before the management plan."))
        if stage != self.state.stage:
            self._record("moved", {"stage": stage})

    def note(self, text: str) -> None:
        if text != self.state.notes:
            self._record("noted", {"text": text})

    def diagnose(self, final: str, differentials: list[str]) -> None:
        final = final.strip()
        differentials = [d.strip() for d in differentials if d.strip()]
        if not final:
            raise KnownError(_("Write your final diagnosis first."))
        self._record("diagnosed", {"final": final, "differentials": differentials})

    def plan(self, text: str, chosen: list[str] | None = None) -> None:
        if not self.state.final:
            raise KnownError(_("Commit to a diagnosis before the management plan."))
        self._record("planned", {"plan": text.strip(), "chosen": list(chosen or [])})

    def finish(self) -> Score:
        if not self.state.final:
            raise KnownError(_("Commit to a diagnosis before the management plan."))
        result = self.current_score()
        self._record("finished", {}, result)
        return result

    def current_score(self) -> Score:
        s = self.state
        return score(
            self.case,
            self.language,
            revealed=set(s.revealed),
            examined=set(s.examined),
            ordered=list(s.ordered),
            final=s.final,
            differentials=s.differentials,
            plan=s.plan,
            chosen=set(s.chosen),
        )

    def coaching(self) -> str:
        return coaching_text(self.current_score())

    def model_coaching(self, cancel: CancelFlag | None = None) -> str | None:
        """The model's checked coaching paragraph, or None (keep ``coaching()``). Blocks: call
        it off the GUI thread."""
        if self.coach is None:
            return None
        return self.coach(self.current_score(), self.language, cancel)


class Practice:
    """Start, resume and list encounters; the facade the UI (``UiContext.practice``) calls."""

    def __init__(
        self,
        store: ProgressStore,
        get_case: Callable[[str], Case],
        chooser: Chooser | None = None,
        list_cases: Callable[[str], list[tuple[str, str]]] | None = None,
        rephraser: Rephraser | None = None,
        coach: Coach | None = None,
    ) -> None:
        records.ensure_tables(store)
        self.store = store
        self.get_case = get_case
        self.chooser = chooser
        self.rephraser = rephraser
        self.coach = coach
        self._list_cases = list_cases

    def cases(self, language: str) -> list[tuple[str, str]]:
        """(case id, title) of every case that can be practised, titles in ``language``."""
        return self._list_cases(language) if self._list_cases else []

    def start(
        self, case_id: str, language: str, learner_id: str = records.DEFAULT_LEARNER
    ) -> Encounter:
        case = self.get_case(case_id)
        lang = language if language in case.languages else "en"
        row = records.create(self.store, learner_id, case.id, case.version, lang)
        return Encounter(case, self.store, row, self.chooser, self.rephraser, self.coach)

    def resume(self, encounter_id: str) -> Encounter:
        row = records.get(self.store, encounter_id)
        if row is None:
            raise KnownError(_("No saved encounter with id {id}.").format(id=encounter_id))
        encounter = Encounter(
            self.get_case(row.case_id), self.store, row, self.chooser, self.rephraser, self.coach
        )
        for action in records.actions(self.store, encounter_id):
            encounter.state.apply(action.kind, action.payload)
        return encounter

    def unfinished(self, learner_id: str = records.DEFAULT_LEARNER) -> list[records.EncounterRow]:
        return records.unfinished(self.store, learner_id)
