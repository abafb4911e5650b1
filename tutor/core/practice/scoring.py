"""Deterministic, explained scoring of a finished encounter, and the feedback built from it.

Every line of the score names the case item it is about and whether it was met, so the feedback
page is a checklist a student can check against the case. Free text (diagnosis, plan) is matched
against the case's accepted names and keywords in the learner's language and English, ignoring
case and accents. The coaching paragraph is a template filled from the score; a model may only
reword that same score (``coaching_prompt``), never add to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tutor.core.content.schema import Case, HistoryFact
from tutor.core.i18n import _, fallback_chain
from tutor.core.practice.text import fold

DiagnosisVerdict = Literal["correct", "in_differential", "wrong", "missing"]


@dataclass(frozen=True)
class Check:
    id: str
    label: str
    met: bool
    detail: str = ""
    unnecessary: bool = False  # an investigation ordered that the case does not need


@dataclass(frozen=True)
class Score:
    history: list[Check]  # key facts elicited
    examination: list[Check]  # key findings looked for
    investigations: list[Check]  # indicated ones ordered; unnecessary ones flagged (met=False)
    total_cost_usd: float
    diagnosis: DiagnosisVerdict
    diagnosis_given: str
    diagnosis_expected: str
    management: list[Check]  # must points covered
    unsafe: list[Check]  # "never" actions the plan contains (met=False each)
    teaching_points: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def percent(self) -> int:
        """One number for lists and progress: the share of checklist items met, unsafe = 0."""
        items = self.history + self.examination + self.investigations + self.management
        items_met = sum(c.met for c in items)
        diagnosis = {"correct": 1.0, "in_differential": 0.5}.get(self.diagnosis, 0.0)
        total = len(items) + 1
        value = (items_met + diagnosis) / total if total else 0.0
        return 0 if self.unsafe else round(100 * value)

    def competencies(self) -> dict[str, float]:
        """0..1 per competency, the shape progress and the teacher dashboard read.

        A competency the case does not test (no checklist items) is left out; an unsafe action in
        the plan makes management 0 whatever else it covered.
        """

        def share(checks: list[Check]) -> float | None:
            return sum(c.met for c in checks) / len(checks) if checks else None

        values = {
            "history": share(self.history),
            "examination": share(self.examination),
            "investigations": share(self.investigations),
            "diagnosis": {"correct": 1.0, "in_differential": 0.5}.get(self.diagnosis, 0.0),
            "management": 0.0 if self.unsafe else share(self.management),
        }
        return {name: value for name, value in values.items() if value is not None}

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "percent": self.percent(), "competencies": self.competencies()}


def localised(value: Mapping[Any, Any], language: str) -> Any:
    for lang in fallback_chain(language):
        if lang in value:
            return value[lang]
    return next(iter(value.values()))


def asked_as(fact: HistoryFact, language: str) -> str | None:
    """The first authored question that asks for ``fact`` ("Any night sweats?"), if it has one:
    how feedback and the revealed-facts line name a fact."""
    asked = localised(fact.questions, language) if fact.questions else []
    return str(asked[0]) if asked else None


def _history_check(fact: HistoryFact, language: str, met: bool) -> Check:
    """A key history point, named by the question that asks it with what the patient says as its
    detail; a fact with no authored question is named by its answer."""
    answer = str(localised(fact.answer, language))
    question = asked_as(fact, language)
    if question:
        return Check(fact.id, question, met, detail=answer)
    return Check(fact.id, answer, met)


def phrases(value: Mapping[Any, list[str]], language: str) -> list[str]:
    """Phrases in the learner's language and English (a learner may write either)."""
    out: list[str] = []
    for lang in dict.fromkeys([*fallback_chain(language), "en"]):
        out += value.get(lang, [])
    return out


def contains_phrase(text: str, phrase: str) -> bool:
    needle = " ".join(re.findall(r"\w+", fold(phrase)))
    haystack = " ".join(re.findall(r"\w+", fold(text)))
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def names_match(text: str, names: Iterable[str]) -> bool:
    return any(contains_phrase(text, name) for name in names)


def diagnosis_names(case: Case, language: str) -> list[str]:
    d = case.diagnosis
    return [
        *{localised(d.final, lang) for lang in (language, "en")},
        *phrases(d.synonyms, language),
    ]


def judge_diagnosis(
    case: Case, language: str, final: str, differentials: list[str]
) -> DiagnosisVerdict:
    names = diagnosis_names(case, language)
    if not final.strip() and not differentials:
        return "missing"
    if final.strip() and names_match(final, names):
        return "correct"
    if any(names_match(item, names) for item in differentials):
        return "in_differential"
    return "wrong"


def score(
    case: Case,
    language: str,
    *,
    revealed: set[str],
    examined: set[str],
    ordered: list[str],
    final: str,
    differentials: list[str],
    plan: str,
    chosen: set[str],
) -> Score:
    lang = language
    history = [_history_check(f, lang, f.id in revealed) for f in case.history if f.key]
    exam = [
        Check(f.id, localised(f.label, lang), f.id in examined) for f in case.exam.findings if f.key
    ]
    investigations: list[Check] = []
    cost = 0.0
    for test in case.investigations:
        name = localised(test.name, lang)
        was_ordered = test.id in ordered
        if was_ordered:
            cost += test.cost_usd or 0.0
        if test.indicated:
            investigations.append(Check(test.id, name, was_ordered, _("indicated")))
        elif was_ordered:
            investigations.append(
                Check(test.id, name, False, _("not needed here"), unnecessary=True)
            )
    management: list[Check] = []
    unsafe: list[Check] = []
    for point in case.management:
        text = localised(point.text, lang)
        hit = point.id in chosen or names_match(plan, phrases(point.keywords, lang))
        if point.level == "must":
            management.append(Check(point.id, text, hit))
        elif point.level == "never" and hit:
            unsafe.append(Check(point.id, text, False, _("unsafe")))
    return Score(
        history=history,
        examination=exam,
        investigations=investigations,
        total_cost_usd=round(cost, 2),
        diagnosis=judge_diagnosis(case, lang, final, differentials),
        diagnosis_given=final,
        diagnosis_expected=localised(case.diagnosis.final, lang),
        management=management,
        unsafe=unsafe,
        teaching_points=[localised(p, lang) for p in case.teaching_points],
        references=[f"{r.title} ({r.publisher}, {r.year}) {r.url}" for r in case.references]
        + ([f"{case.source.name} {case.source.url or ''}".strip()] if case.source else []),
    )


def coaching_text(result: Score) -> str:
    """The coaching paragraph from the score alone (used when no model is loaded)."""
    met = sum(c.met for c in result.history)
    parts = [
        _("You asked about {met} of {total} key history points.").format(
            met=met, total=len(result.history)
        )
    ]
    missed = [c.label for c in result.history if not c.met][:2]
    if missed:
        parts.append(_("Next time also ask about: {items}").format(items=" / ".join(missed)))
    verdict = {
        "correct": _("Your diagnosis was correct."),
        "in_differential": _("The diagnosis was in your differential but not your final answer."),
        "wrong": _("The diagnosis was {expected}.").format(expected=result.diagnosis_expected),
        "missing": _("You gave no diagnosis; it was {expected}.").format(
            expected=result.diagnosis_expected
        ),
    }[result.diagnosis]
    parts.append(verdict)
    unnecessary = [c.label for c in result.investigations if c.unnecessary]
    if unnecessary:
        parts.append(
            _("These tests were not needed: {items}.").format(items=", ".join(unnecessary))
        )
    if result.unsafe:
        parts.append(
            _("Your plan contains something unsafe: {items}").format(
                items=" ".join(c.label for c in result.unsafe)
            )
        )
    return " ".join(parts)
